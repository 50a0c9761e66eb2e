"""A payment's foreign tax (issue 22): the part of the tax withheld the source country took,
between zero and the tax withheld with its sign; in the form, the API, the undo of a bulk
delete, the CSV export and the admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from finance.errors import DomainError
from income import services
from income.models import Payment
from tests.factories import PaymentFactory, SourceFactory


def test_the_german_tax_is_what_is_left_of_the_tax_withheld(alice: User) -> None:
    payment = PaymentFactory.create(
        source=SourceFactory.create(owner=alice),
        gross=Decimal("100.00"),
        tax_withheld=Decimal("26.00"),
        foreign_tax=Decimal("15.00"),
    )
    payment.refresh_from_db()
    assert payment.foreign_tax == Decimal("15.00")
    assert payment.german_tax == Decimal("11.00")
    assert payment.net == Decimal("74.00")


def test_a_payment_without_foreign_tax_has_none(alice: User) -> None:
    payment = PaymentFactory.create(
        source=SourceFactory.create(owner=alice), tax_withheld=Decimal("5.00")
    )
    assert payment.foreign_tax == Decimal(0)
    assert payment.german_tax == Decimal("5.00")


@pytest.mark.parametrize(
    ("gross", "tax", "foreign"),
    [
        ("100.00", "10.00", "10.01"),  # more than the tax withheld
        ("100.00", "10.00", "-0.01"),  # a receipt's foreign tax is not negative
        ("-100.00", "-10.00", "1.00"),  # a reversal takes its foreign tax back: negative
        ("-100.00", "-10.00", "-10.01"),
    ],
)
def test_a_foreign_tax_outside_the_tax_withheld_is_refused_on_its_field(
    alice: User, gross: str, tax: str, foreign: str
) -> None:
    source = SourceFactory.create(owner=alice)
    with pytest.raises(DomainError) as refused:
        services.payment_create(
            owner=alice,
            source=source,
            date=date(2025, 3, 1),
            gross=Decimal(gross),
            tax_withheld=Decimal(tax),
            foreign_tax=Decimal(foreign),
        )
    assert "foreign_tax" in refused.value.field_errors
    assert not Payment.objects.filter(source=source).exists()


def test_a_reversal_takes_its_foreign_tax_back(alice: User) -> None:
    reversal = services.payment_create(
        owner=alice,
        source=SourceFactory.create(owner=alice),
        date=date(2025, 3, 1),
        gross=Decimal("-100.00"),
        tax_withheld=Decimal("-25.00"),
        foreign_tax=Decimal("-15.00"),
    )
    assert reversal.german_tax == Decimal("-10.00")


# ----------------------------------------------------------------------------- the form


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def _edit_post(payment: Payment, **overrides: str) -> dict[str, str]:
    data = {
        "source": str(payment.source_id),
        "date": "2025-03-15",
        "gross": "100.00",
        "tax_withheld": "26.00",
        "foreign_tax": "15.00",
        "fees": "0",
        "currency": "EUR",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_form_has_the_foreign_tax_after_the_tax_withheld_with_help(
    alice_client: Client, alice: User
) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    html = alice_client.get(reverse("payment_edit", args=[payment.pk])).content.decode()
    assert html.index('name="tax_withheld"') < html.index('name="foreign_tax"')
    assert html.index('name="foreign_tax"') < html.index('name="fees"')
    assert "the source country took" in html


def test_the_form_saves_the_foreign_tax(alice_client: Client, alice: User) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    response = alice_client.post(reverse("payment_edit", args=[payment.pk]), _edit_post(payment))
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.tax_withheld, payment.foreign_tax) == (Decimal("26.00"), Decimal("15.00"))


def test_the_form_shows_a_foreign_tax_above_the_tax_on_its_field(
    alice_client: Client, alice: User
) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    response = alice_client.post(
        reverse("payment_edit", args=[payment.pk]), _edit_post(payment, foreign_tax="30.00")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["foreign_tax"]
    payment.refresh_from_db()
    assert payment.foreign_tax == Decimal(0)


def test_a_german_form_reads_a_decimal_comma(alice_client: Client, alice: User) -> None:
    alice_client.cookies["ertrag_language"] = "de"
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    response = alice_client.post(
        reverse("payment_edit", args=[payment.pk]),
        _edit_post(payment, gross="100,00", tax_withheld="26,00", foreign_tax="15,50"),
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.foreign_tax == Decimal("15.50")


# ----------------------------------------------------------------------------- API


def test_the_api_writes_and_reads_the_foreign_tax(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    body = {
        "source": source.pk,
        "date": "2025-03-01",
        "gross": "100.00",
        "tax_withheld": "26.00",
        "foreign_tax": "15.00",
    }
    created = alice_api.post("/api/v1/payments/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["foreign_tax"] == "15.00"
    without = alice_api.post(
        "/api/v1/payments/", {**body, "date": "2025-04-01", "foreign_tax": None}, format="json"
    )
    assert without.status_code == 400  # not nullable: leave it out for none
    left_out = {key: value for key, value in body.items() if key != "foreign_tax"}
    plain = alice_api.post("/api/v1/payments/", {**left_out, "date": "2025-05-01"}, format="json")
    assert plain.json()["foreign_tax"] == "0.00"


def test_the_api_answers_a_foreign_tax_above_the_tax_on_the_field(
    alice_api: APIClient, alice: User
) -> None:
    source = SourceFactory.create(owner=alice)
    body = {
        "source": source.pk,
        "date": "2025-03-01",
        "gross": "100.00",
        "tax_withheld": "10.00",
        "foreign_tax": "15.00",
    }
    response = alice_api.post("/api/v1/payments/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["foreign_tax"]
    assert not Payment.objects.filter(source=source).exists()


def test_a_bulk_delete_undone_brings_the_foreign_tax_back(alice: User) -> None:
    payment = PaymentFactory.create(
        source=SourceFactory.create(owner=alice),
        tax_withheld=Decimal("26.00"),
        foreign_tax=Decimal("15.00"),
    )
    _count, token = services.payments_bulk_delete(owner=alice, ids=[payment.pk])
    assert services.payments_restore(owner=alice, token=token) == 1
    assert Payment.objects.get(pk=payment.pk).foreign_tax == Decimal("15.00")


def test_the_csv_export_has_the_foreign_tax(alice_client: Client, alice: User) -> None:
    PaymentFactory.create(
        source=SourceFactory.create(owner=alice, name="ETF"),
        date=date(2025, 1, 31),
        tax_withheld=Decimal("26.00"),
        foreign_tax=Decimal("15.00"),
    )
    text = alice_client.get("/exports/payments.csv").content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Date,Source,Gross,Tax withheld,Of which foreign tax,Fees,Net,")
    assert row.startswith("2025-01-31,ETF,100.00,26.00,15.00,0.00,74.00,")


def test_the_admin_shows_the_foreign_tax(client: Client, alice: User) -> None:
    staff = User.objects.create_user("support", password="x", is_staff=True, is_superuser=True)
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    client.force_login(staff)
    html = client.get(reverse("admin:income_payment_change", args=[payment.pk])).content
    assert b'name="foreign_tax"' in html
