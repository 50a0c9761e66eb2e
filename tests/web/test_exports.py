"""Downloading sources and payments as CSV: only one's own rows, safe to open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from imports import writing
from income.models import Payment
from tests.factories import PaymentFactory, SourceFactory


def test_payments_export_has_only_the_callers_rows(client: Client, alice: User, bob: User) -> None:
    mine = SourceFactory.create(owner=alice, name="ETF")
    PaymentFactory.create(
        source=mine, date=date(2025, 1, 31), gross=Decimal("10.50"), note="=HYPERLINK(evil)"
    )
    PaymentFactory.create(
        source=SourceFactory.create(owner=bob, name="Secret"), gross=Decimal("99")
    )
    client.force_login(alice)
    response = client.get("/exports/payments.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert "Secret" not in text
    assert "2025-01-31,ETF,10.50,0.00,0.00,0.00,10.50,EUR,'=HYPERLINK(evil)," in text


def test_german_export_uses_german_formats(client: Client, alice: User) -> None:
    PaymentFactory.create(
        source=SourceFactory.create(owner=alice, name="ETF"),
        date=date(2025, 1, 31),
        gross=Decimal("1234.5"),
    )
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    text = client.get("/exports/payments.csv").content.decode("utf-8-sig")
    assert "31.01.2025;ETF;1234,50;" in text


def test_the_exported_payments_import_back_without_doubling(client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="ETF")
    PaymentFactory.create(
        source=source, date=date(2025, 1, 31), gross=Decimal("10.50"), external_id="A1"
    )
    client.force_login(alice)
    exported = client.get("/exports/payments.csv").content
    summary = writing.payments_import(owner=alice, data=exported)
    assert (summary.created, summary.duplicates) == (0, 1)


def test_sources_export(client: Client, alice: User) -> None:
    SourceFactory.create(owner=alice, name="Flat", setup_hours=Decimal("12.5"))
    client.force_login(alice)
    text = client.get("/exports/sources.csv").content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Flat,ETF dividends,EUR,Active,2024-01-01,")


def test_exports_need_a_login(client: Client, db: None) -> None:
    assert client.get("/exports/payments.csv").status_code == 302


def test_a_german_export_imports_back_with_every_column(client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="ETF")
    PaymentFactory.create(
        source=source, date=date(2025, 1, 31), gross=Decimal("1234.50"),
        tax_withheld=Decimal("185.18"), fees=Decimal("1.00"), note="Dividende", external_id="A1",
    )  # fmt: skip
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    exported = client.get("/exports/payments.csv").content
    Payment.objects.all().delete()
    summary = writing.payments_import(owner=alice, data=exported)
    assert summary.created == 1
    payment = Payment.objects.get()
    amounts = (payment.gross, payment.tax_withheld, payment.fees)
    assert amounts == (Decimal("1234.50"), Decimal("185.18"), Decimal("1.00"))
    assert (payment.note, payment.external_id) == ("Dividende", "A1")


def test_a_refund_is_exported_as_a_negative_number_not_a_defused_formula(
    client: Client, alice: User
) -> None:
    PaymentFactory.create(
        source=SourceFactory.create(owner=alice, name="ETF"),
        date=date(2025, 2, 3),
        gross=Decimal("-12.34"),
        tax_withheld=Decimal("-1.23"),
        foreign_tax=Decimal("-1.00"),
        fees=Decimal("0.50"),
    )
    client.force_login(alice)
    text = client.get("/exports/payments.csv").content.decode("utf-8-sig")
    # −12.34 + 1.23 − 0.50 = −11.61
    assert "2025-02-03,ETF,-12.34,-1.23,-1.00,0.50,-11.61,EUR,," in text
    assert "'-" not in text
    client.cookies["ertrag_language"] = "de"
    german = client.get("/exports/payments.csv").content.decode("utf-8-sig")
    assert "03.02.2025;ETF;-12,34;-1,23;-1,00;0,50;-11,61;EUR;;" in german


def test_a_sources_own_export_has_only_its_payments(client: Client, alice: User, bob: User) -> None:
    etf = SourceFactory.create(owner=alice, name="ETF")
    flat = SourceFactory.create(owner=alice, name="Flat")
    PaymentFactory.create(source=etf, date=date(2025, 1, 31), gross=Decimal("10.50"))
    PaymentFactory.create(source=flat, date=date(2025, 1, 31), gross=Decimal("700.00"))
    client.force_login(alice)

    response = client.get(f"/exports/payments.csv?source={etf.pk}")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["ETF"]
    assert f"payments-{etf.pk}-" in response["Content-Disposition"]
    bobs = SourceFactory.create(owner=bob)
    assert client.get(f"/exports/payments.csv?source={bobs.pk}").status_code == 404
    assert client.get("/exports/payments.csv?source=x").status_code == 404


def test_a_sources_page_offers_its_import_and_export(client: Client, alice: User) -> None:
    etf = SourceFactory.create(owner=alice, name="ETF")
    client.force_login(alice)
    html = client.get(f"/sources/{etf.pk}/").content.decode()
    assert f'href="/imports/new/?source={etf.pk}"' in html
    assert f'href="/exports/payments.csv?source={etf.pk}"' in html
