"""/payments/: the filtered list with totals, the htmx quick add, edit and delete."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from income.models import IncomeSource, Payment
from tests.factories import PaymentFactory, SourceFactory, category

HTMX = {"HX-Request": "true"}


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="World ETF")


def quick_add(source: IncomeSource, **overrides: Any) -> dict[str, Any]:
    data = {
        "source": str(source.pk),
        "date": "2025-03-15",
        "gross": "120.00",
        "tax_withheld": "20.00",
        "fees": "1.50",
        "note": "March payout",
    }
    data.update(overrides)
    return data


def text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</span>', html, re.S)
    assert match, f"{testid} not on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# ----------------------------------------------------------------------------- list


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("page", ["payment_list", "payment_edit", "payment_delete"])
def test_every_page_renders(
    alice_client: Client, etf: IncomeSource, language: str, page: str
) -> None:
    payment = PaymentFactory.create(source=etf, gross=Decimal("1234.50"))
    url = reverse(page) if page == "payment_list" else reverse(page, args=[payment.pk])
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert ("1.234,50\u00a0€" if language == "de" else "€1,234.50") in html


def test_the_list_requires_login(client: Client, db: None) -> None:
    response = client.get(reverse("payment_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_list_shows_payments_and_their_totals(
    alice_client: Client, etf: IncomeSource, language: str
) -> None:
    PaymentFactory.create(source=etf, gross=Decimal("1000.00"), tax_withheld=Decimal("250.00"))
    PaymentFactory.create(source=etf, gross=Decimal("234.50"), date=date(2025, 4, 2))
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(reverse("payment_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert html.count('class="payment-row') == 2
    if language == "de":
        assert text(html, "total-net-EUR").startswith("984,50\u00a0€")
        assert "1.234,50\u00a0€" in text(html, "total-gross-EUR")
        assert "02.04.2025" in html
    else:
        assert text(html, "total-net-EUR").startswith("€984.50")
        assert "€1,234.50" in text(html, "total-gross-EUR")
    assert 'hx-post="/payments/add/"' in html


def test_the_list_offers_to_add_a_source_first(alice_client: Client) -> None:
    html = alice_client.get(reverse("payment_list")).content.decode()
    assert 'name="gross"' not in html
    assert reverse("source_create") in html


def test_totals_are_per_currency(alice_client: Client, alice: User, etf: IncomeSource) -> None:
    dollars = SourceFactory.create(owner=alice, name="US REIT", currency="USD")
    PaymentFactory.create(source=etf, gross=Decimal("10.00"))
    PaymentFactory.create(source=dollars, gross=Decimal("7.00"), fees=Decimal("1.00"))
    response = alice_client.get(reverse("payment_list"))
    assert [(t["currency"], t["net"]) for t in response.context["totals"]] == [
        ("EUR", Decimal("10.00")),
        ("USD", Decimal("6.00")),
    ]
    html = response.content.decode()
    assert text(html, "total-net-USD").startswith("$6.00")


def test_the_filter_narrows_rows_and_totals(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    flat = SourceFactory.create(owner=alice, name="Flat", category=category("rent"))
    PaymentFactory.create(source=etf, gross=Decimal("10.00"), date=date(2025, 1, 10))
    PaymentFactory.create(source=etf, gross=Decimal("20.00"), date=date(2025, 2, 10))
    PaymentFactory.create(source=flat, gross=Decimal("700.00"), date=date(2025, 2, 1))

    def totals(**query: str) -> list[Decimal]:
        response = alice_client.get(reverse("payment_list"), query)
        assert response.status_code == 200
        return [t["gross"] for t in response.context["totals"]]

    assert totals() == [Decimal("730.00")]
    assert totals(source=str(etf.pk)) == [Decimal("30.00")]
    assert totals(category="rent") == [Decimal("700.00")]
    assert totals(date_from="2025-02-01") == [Decimal("720.00")]
    assert totals(date_from="2025-02-01", date_to="2025-02-05") == [Decimal("700.00")]
    assert totals(date_from="2026-01-01") == []


def test_another_users_source_in_the_filter_shows_nothing_of_theirs(
    alice_client: Client, bob: User, etf: IncomeSource
) -> None:
    bobs = PaymentFactory.create(source=SourceFactory.create(owner=bob), gross=Decimal("99.00"))
    PaymentFactory.create(source=etf)
    response = alice_client.get(reverse("payment_list"), {"source": str(bobs.source.pk)})
    assert "source" in response.context["filter_form"].errors
    assert bobs not in response.context["page"].object_list


def test_the_list_is_paginated_by_50(alice_client: Client, etf: IncomeSource) -> None:
    Payment.objects.bulk_create(
        Payment(source=etf, date=date(2025, 1, 1), gross=Decimal(1), currency="EUR")
        for _n in range(51)
    )
    first = alice_client.get(reverse("payment_list"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["totals"][0]["count"] == 51  # totals cover every filtered row
    second = alice_client.get(reverse("payment_list"), {"page": "2"})
    assert len(second.context["page"].object_list) == 1
    assert 'rel="prev"' in second.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_makes_as_many_queries_for_100_sources_as_for_1(
    alice_client: Client, alice: User
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=alice))
    one = _queries(alice_client, reverse("payment_list"))
    for n in range(99):
        PaymentFactory.create(
            source=SourceFactory.create(owner=alice, currency="USD" if n % 2 else "EUR")
        )
    assert _queries(alice_client, reverse("payment_list")) == one


# ----------------------------------------------------------------------------- quick add


def test_htmx_quick_add_returns_the_new_row_and_a_fresh_form(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(reverse("payment_create"), quick_add(etf), headers=HTMX)
    assert response.status_code == 200
    payment = Payment.objects.get()
    assert (payment.gross, payment.tax_withheld, payment.fees) == (
        Decimal("120.00"),
        Decimal("20.00"),
        Decimal("1.50"),
    )
    assert payment.currency == "EUR"
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<tr class="payment-row row-new" id="payment-{payment.pk}">')
    assert "€98.50" in html  # net
    assert '<div id="quick-add-fields" hx-swap-oob="true">' in html
    assert 'id="quick-add-status"' in html
    assert "HX-Retarget" not in response


def test_htmx_quick_add_updates_the_totals_of_the_lists_filter(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    other = SourceFactory.create(owner=alice, name="Other")
    PaymentFactory.create(source=other, gross=Decimal("500.00"))
    url = reverse("payment_create") + f"?source={etf.pk}"
    response = alice_client.post(url, quick_add(etf), headers=HTMX)
    html = response.content.decode()
    assert 'id="payment-totals"' in html
    assert re.search(r'<div id="payment-totals"[^>]* hx-swap-oob="true"', html)
    assert [t["gross"] for t in response.context["totals"]] == [Decimal("120.00")]


def test_htmx_quick_add_with_errors_returns_the_form_with_them(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("payment_create"), quick_add(etf, gross="10", tax_withheld="20"), headers=HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#quick-add-fields"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="quick-add-fields">')
    assert 'id="id_tax_withheld_error"' in html
    assert "cannot exceed the gross amount" in html
    assert Payment.objects.count() == 0


def test_htmx_quick_add_in_german(alice_client: Client, etf: IncomeSource) -> None:
    alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.post(
        reverse("payment_create"),
        quick_add(etf, gross="1.200,50", tax_withheld="0", fees="0,5"),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Payment.objects.get().gross == Decimal("1200.50")
    assert "1.200,00\u00a0€" in response.content.decode()  # net


def test_plain_quick_add_redirects_to_the_list(alice_client: Client, etf: IncomeSource) -> None:
    response = alice_client.post(reverse("payment_create"), quick_add(etf, tax_withheld=""))
    assert response.status_code == 302
    assert response["Location"] == reverse("payment_list")
    assert Payment.objects.get().tax_withheld == Decimal(0)
    html = alice_client.get(response["Location"]).content.decode()
    assert "recorded" in html


def test_plain_quick_add_with_errors_shows_the_page_with_400(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(reverse("payment_create"), quick_add(etf, gross="abc"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html
    assert 'id="id_gross_error"' in html
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "net", "badge"),
    [("en", "−€38.50", "refund"), ("de", "−38,50\u00a0€", "Erstattung")],
)
def test_a_refund_is_recorded_and_listed_with_its_minus_sign_and_a_badge(
    alice_client: Client, etf: IncomeSource, language: str, net: str, badge: str
) -> None:
    alice_client.cookies["ertrag_language"] = language
    refund = {"gross": "-40.00", "tax_withheld": "-4.00", "fees": "2.50"}
    if language == "de":
        refund = {name: value.replace(".", ",") for name, value in refund.items()}
    response = alice_client.post(reverse("payment_create"), quick_add(etf, **refund))
    assert response.status_code == 302
    payment = Payment.objects.get()
    # −40.00 + 4.00 − 2.50 = −38.50
    assert (payment.gross, payment.tax_withheld, payment.fees) == (
        Decimal("-40.00"), Decimal("-4.00"), Decimal("2.50")
    )  # fmt: skip
    assert payment.net == Decimal("-38.50")
    html = alice_client.get(reverse("payment_list")).content.decode()
    assert f'<strong>{net}</strong> <span class="badge badge-refund">{badge}</span>' in html
    assert text(html, "total-net-EUR").startswith(net)
    detail = alice_client.get(reverse("source_detail", args=[etf.pk])).content.decode()
    assert f'<span class="badge badge-refund">{badge}</span>' in detail


def test_a_receipt_has_no_refund_badge(alice_client: Client, etf: IncomeSource) -> None:
    PaymentFactory.create(source=etf, gross=Decimal("10.00"))
    assert "badge-refund" not in alice_client.get(reverse("payment_list")).content.decode()


@pytest.mark.parametrize(
    ("amounts", "field", "message"),
    [
        (
            {"gross": "-40", "tax_withheld": "4", "fees": "0"},
            "tax_withheld",
            "The tax withheld of a reversal must be between the (negative) gross and zero.",
        ),
        (
            {"gross": "-40", "tax_withheld": "-41", "fees": "0"},
            "tax_withheld",
            "The tax withheld of a reversal must be between the (negative) gross and zero.",
        ),
        (
            {"gross": "-40", "tax_withheld": "0", "fees": "-41"},
            "fees",
            "A returned fee may not exceed the amount reversed.",
        ),
        (
            {"gross": "40", "tax_withheld": "0", "fees": "-1"},
            "fees",
            "Fees can only be negative on a reversal (a negative gross).",
        ),
    ],
)
def test_a_bad_reversal_shows_its_error_at_the_field(
    alice_client: Client, etf: IncomeSource, amounts: dict[str, str], field: str, message: str
) -> None:
    response = alice_client.post(reverse("payment_create"), quick_add(etf, **amounts), headers=HTMX)
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_another_users_source_is_refused(
    alice_client: Client, bob: User, headers: dict[str, str]
) -> None:
    bobs_source = SourceFactory.create(owner=bob)
    SourceFactory.create(owner=User.objects.get(username="alice"))
    response = alice_client.post(reverse("payment_create"), quick_add(bobs_source), headers=headers)
    assert response.status_code == (200 if headers else 400)
    assert 'id="id_source_error"' in response.content.decode()
    assert Payment.objects.count() == 0


def test_quick_add_only_takes_post(alice_client: Client) -> None:
    assert alice_client.get(reverse("payment_create")).status_code == 405


# ----------------------------------------------------------------------------- edit, delete


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_edit_page_renders(alice_client: Client, etf: IncomeSource, language: str) -> None:
    payment = PaymentFactory.create(source=etf, gross=Decimal("1500.00"))
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(reverse("payment_edit", args=[payment.pk]))
    assert response.status_code == 200
    expected = 'value="1.500,00"' if language == "de" else 'value="1,500.00"'
    assert expected in response.content.decode()


def test_edit_saves_and_returns_to_next(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    other = SourceFactory.create(owner=alice, name="Other", currency="USD")
    payment = PaymentFactory.create(source=etf)
    detail = reverse("source_detail", args=[other.pk])
    response = alice_client.post(
        reverse("payment_edit", args=[payment.pk]),
        {
            "source": str(other.pk),
            "date": "2025-05-01",
            "gross": "50",
            "tax_withheld": "5",
            "fees": "0",
            "currency": "USD",
            "note": "moved",
            "next": detail,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    payment.refresh_from_db()
    assert (payment.source, payment.gross, payment.currency, payment.note) == (
        other,
        Decimal(50),
        "USD",
        "moved",
    )


def test_edit_never_redirects_off_site(alice_client: Client, etf: IncomeSource) -> None:
    payment = PaymentFactory.create(source=etf)
    response = alice_client.post(
        reverse("payment_edit", args=[payment.pk]),
        {
            **quick_add(etf),
            "currency": "EUR",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("payment_list")


def test_edit_refuses_another_users_source(
    alice_client: Client, bob: User, etf: IncomeSource
) -> None:
    payment = PaymentFactory.create(source=etf)
    response = alice_client.post(
        reverse("payment_edit", args=[payment.pk]),
        {**quick_add(SourceFactory.create(owner=bob)), "currency": "EUR"},
    )
    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    payment.refresh_from_db()
    assert payment.source == etf


def test_delete_asks_then_deletes(alice_client: Client, etf: IncomeSource) -> None:
    payment = PaymentFactory.create(source=etf, gross=Decimal("42.00"))
    url = reverse("payment_delete", args=[payment.pk])
    page = alice_client.get(url)
    assert page.status_code == 200
    assert "€42.00" in page.content.decode()
    assert Payment.objects.count() == 1
    response = alice_client.post(url)
    assert response.status_code == 302
    assert Payment.objects.count() == 0


def test_a_row_id_is_never_localised_even_past_a_thousand(etf: IncomeSource) -> None:
    """``USE_THOUSAND_SEPARATOR`` would turn id 12345 into "12,345" in an id attribute."""
    payment = PaymentFactory.create(source=etf)
    payment.pk = 12345
    html = render_to_string("income/partials/payment_row.html", {"payment": payment})
    assert 'id="payment-12345"' in html
