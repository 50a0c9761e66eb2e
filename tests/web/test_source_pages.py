"""/sources/: the list with figures, a source's page, its form, and deleting it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from income.models import EffortLog, IncomeSource, Payment, SubscriptionPeriod
from tests.factories import (
    EffortLogFactory,
    PaymentFactory,
    PeriodFactory,
    SourceFactory,
    category,
)


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def german(client: Client) -> Client:
    client.cookies["ertrag_language"] = "de"
    return client


def figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</span>', html, re.S)
    assert match, f"{testid} not on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def source_post(**overrides: Any) -> dict[str, Any]:
    """A valid source form submission: an ETF with 3.5 % expected yield and some effort."""
    data = {
        "name": "World ETF",
        "category": str(category("etf-dividends").pk),
        "currency": "EUR",
        "status": "active",
        "start_date": "2024-01-01",
        "end_date": "",
        "tax_profile": "",
        "tax_rate": "26.375",
        "invested_capital": "10000",
        "expected_yield": "3.5",
        "purchase_price": "",
        "monthly_rent": "",
        "vacancy_rate": "",
        "management_fee_rate": "",
        "monthly_running_costs": "",
        "price_per_subscriber": "",
        "current_subscribers": "",
        "new_subscribers_per_month": "",
        "monthly_churn_rate": "",
        "expected_monthly_amount": "",
        "annual_growth_rate": "",
        "upfront_investment": "0",
        "setup_hours": "2",
        "maintenance_hours_per_month": "0.5",
        "monthly_costs": "0",
        "payout_rhythm": "quarterly",
        "next_payout_date": "",
        "platform": "Broker",
        "country": "ie",
        "notes": "",
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------- list


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("page", ["source_list", "source_create", "detail", "edit", "delete"])
def test_every_page_renders(alice_client: Client, alice: User, language: str, page: str) -> None:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    PaymentFactory.create(source=source)
    PeriodFactory.create(source=source)
    EffortLogFactory.create(source=source)
    url = {
        "source_list": reverse("source_list"),
        "source_create": reverse("source_create"),
        "detail": reverse("source_detail", args=[source.pk]),
        "edit": reverse("source_edit", args=[source.pk]),
        "delete": reverse("source_delete", args=[source.pk]),
    }[page]
    if language == "de":
        german(alice_client)
    response = alice_client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_every_page_requires_login(client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    for url in (
        reverse("source_list"),
        reverse("source_create"),
        reverse("source_detail", args=[source.pk]),
        reverse("source_edit", args=[source.pk]),
        reverse("source_delete", args=[source.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_the_empty_list_explains_what_a_source_is(alice_client: Client) -> None:
    html = alice_client.get(reverse("source_list")).content.decode()
    assert "A source is anything that pays you" in html
    assert "Passive does not mean without work" in html
    assert f'href="{reverse("source_create")}"' in html


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_list_shows_net_to_date_and_the_hourly_rate(
    alice_client: Client, alice: User, language: str
) -> None:
    source = SourceFactory.create(owner=alice, name="World ETF", setup_hours=Decimal(10))
    PaymentFactory.create(source=source, gross=Decimal("1234.50"))
    if language == "de":
        german(alice_client)
    response = alice_client.get(reverse("source_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f'href="{reverse("source_detail", args=[source.pk])}">World ETF</a>' in html
    expected = "1.234,50\u00a0€" if language == "de" else "€1,234.50"
    assert expected in html


def test_the_list_filters_by_status(alice_client: Client, alice: User) -> None:
    SourceFactory.create(owner=alice, name="Running ETF")
    SourceFactory.create(owner=alice, name="Old blog", status="ended")
    html = alice_client.get(reverse("source_list"), {"status": "ended"}).content.decode()
    assert "Old blog" in html
    assert "Running ETF" not in html
    html = alice_client.get(reverse("source_list"), {"status": "bogus"}).content.decode()
    assert "Old blog" in html
    assert "Running ETF" in html


def test_the_list_shows_only_the_users_own_sources(
    alice_client: Client, alice: User, bob: User
) -> None:
    SourceFactory.create(owner=bob, name="Bobs secret flat")
    SourceFactory.create(owner=alice, name="Alices ETF")
    html = alice_client.get(reverse("source_list")).content.decode()
    assert "Alices ETF" in html
    assert "Bobs secret flat" not in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_makes_as_many_queries_for_100_sources_as_for_1(
    alice_client: Client, alice: User
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=alice))
    one = _queries(alice_client, reverse("source_list"))
    for _n in range(99):
        PaymentFactory.create(source=SourceFactory.create(owner=alice))
    assert _queries(alice_client, reverse("source_list")) == one


# ----------------------------------------------------------------------------- detail


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_detail_page_shows_the_figures_chart_and_records(
    alice_client: Client, alice: User, language: str
) -> None:
    source = SourceFactory.create(
        owner=alice, name="World ETF", upfront_investment=Decimal(1000), setup_hours=Decimal(4)
    )
    PaymentFactory.create(source=source, gross=Decimal("250.00"), note="Q1 payout")
    EffortLogFactory.create(source=source, month=date(2025, 1, 1), hours=Decimal(3))
    if language == "de":
        german(alice_client)
    response = alice_client.get(reverse("source_detail", args=[source.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "net-to-date") == ("250,00\u00a0€" if language == "de" else "€250.00")
    assert 'data-testid="yield-on-cost"' in html
    assert 'data-testid="payback"' in html
    assert 'id="source-monthly-net" type="application/json"' in html
    assert '"type": "bar"' in html
    assert "Q1 payout" in html
    assert reverse("effort_edit", args=[EffortLog.objects.get().pk]) in html
    assert reverse("payment_edit", args=[Payment.objects.get().pk]) in html
    assert reverse("period_create", args=[source.pk]) not in html  # not a subscription


def test_a_subscription_shows_mrr_and_ltv_undefined_at_zero_churn(
    alice_client: Client, alice: User
) -> None:
    source = SourceFactory.create(
        owner=alice,
        category=category("membership"),
        price_per_subscriber=Decimal(10),
        current_subscribers=50,
        new_subscribers_per_month=5,
    )
    html = alice_client.get(reverse("source_detail", args=[source.pk])).content.decode()
    assert figure(html, "mrr") == "€500.00"
    assert figure(html, "arr") == "€6,000.00"
    assert figure(html, "ltv") == "undefined at zero churn"
    assert figure(html, "steady-state") == "none at zero churn"
    assert reverse("period_create", args=[source.pk]) in html


def test_a_subscription_with_a_recorded_month_shows_its_churn_and_ltv(
    alice_client: Client, alice: User
) -> None:
    period = PeriodFactory.create(
        source=SourceFactory.create(
            owner=alice, category=category("membership"), price_per_subscriber=Decimal(10)
        ),
        month=date(2025, 1, 1),
        subscribers_start=100,
        churned_subscribers=5,
    )
    html = alice_client.get(reverse("source_detail", args=[period.source.pk])).content.decode()
    assert figure(html, "churn") == "5.00%"
    assert figure(html, "ltv") == "€200.00"  # ARPU 10 / 5 %
    assert reverse("period_edit", args=[period.pk]) in html


def test_the_detail_makes_as_many_queries_for_30_payments_as_for_1(
    alice_client: Client, alice: User
) -> None:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    PaymentFactory.create(source=source, date=date(2025, 1, 5))
    PeriodFactory.create(source=source, month=date(2024, 1, 1))
    EffortLogFactory.create(source=source, month=date(2024, 1, 1))
    url = reverse("source_detail", args=[source.pk])
    one = _queries(alice_client, url)
    for n in range(1, 30):
        month = date(2024 + n // 12, n % 12 + 1, 1)
        PaymentFactory.create(source=source, date=month.replace(day=15))
        PeriodFactory.create(source=source, month=month)
        EffortLogFactory.create(source=source, month=month)
    assert _queries(alice_client, url) == one


# ----------------------------------------------------------------------------- form


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_form_groups_fields_by_calculation_model(alice_client: Client, language: str) -> None:
    if language == "de":
        german(alice_client)
    response = alice_client.get(reverse("source_create"))
    assert response.status_code == 200
    html = response.content.decode()
    for model in ("capital", "rental", "subscription", "flat"):
        assert f'<fieldset class="card group-{model}" data-model="{model}">' in html
    assert f'value="{category("rent").pk}" data-model="rental"' in html
    assert html.count("<optgroup ") == 2  # passive, then active for comparison
    assert "data-help-for=" in html
    assert 'name="owner"' not in html
    assert "js/source-form.js" in html
    help_text = category("rent").help_de if language == "de" else category("rent").help_en
    assert help_text in html


def test_the_form_starts_with_the_profiles_currency(alice_client: Client, alice: User) -> None:
    alice.profile.base_currency = "CHF"
    alice.profile.save()
    html = alice_client.get(reverse("source_create")).content.decode()
    assert '<option value="CHF" selected>' in html


def test_create_stores_percentages_as_fractions(alice_client: Client, alice: User) -> None:
    response = alice_client.post(reverse("source_create"), source_post())
    source = IncomeSource.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("source_detail", args=[source.pk])
    assert source.tax_rate == Decimal("0.26375")
    assert source.expected_yield == Decimal("0.035")
    assert source.vacancy_rate == Decimal(0)  # left blank: the model's default
    assert source.country == "IE"
    assert source.maintenance_hours_per_month == Decimal("0.5")


def test_create_reads_german_numbers(alice_client: Client, alice: User) -> None:
    german(alice_client)
    response = alice_client.post(
        reverse("source_create"),
        source_post(invested_capital="12.500,50", expected_yield="3,25", tax_rate=""),
    )
    assert response.status_code == 302
    source = IncomeSource.objects.get(owner=alice)
    assert source.invested_capital == Decimal("12500.50")
    assert source.expected_yield == Decimal("0.0325")
    assert source.tax_rate is None


def test_the_owner_in_the_body_is_ignored(alice_client: Client, alice: User, bob: User) -> None:
    alice_client.post(reverse("source_create"), source_post(owner=str(bob.pk)))
    assert IncomeSource.objects.get().owner == alice


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("category", "999999"),
        ("end_date", "2023-12-31"),
        ("vacancy_rate", "101"),
        ("expected_yield", "-100"),
        ("monthly_costs", "-5"),
        ("start_date", "not a date"),
    ],
)
def test_bad_input_shows_the_fields_error_and_creates_nothing(
    alice_client: Client, field: str, value: str
) -> None:
    response = alice_client.post(reverse("source_create"), source_post(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert IncomeSource.objects.count() == 0


def test_the_end_date_error_is_the_services_message(alice_client: Client) -> None:
    response = alice_client.post(reverse("source_create"), source_post(end_date="2023-12-31"))
    assert response.context["form"].errors["end_date"] == [
        "The end date cannot be before the start date."
    ]


def test_edit_shows_rates_in_percent_and_saves(alice_client: Client, alice: User) -> None:
    source = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), vacancy_rate=Decimal("0.04")
    )
    url = reverse("source_edit", args=[source.pk])
    html = alice_client.get(url).content.decode()
    assert 'name="vacancy_rate" value="4"' in html
    response = alice_client.post(
        url,
        source_post(name="Flat in Leipzig", category=str(category("rent").pk), vacancy_rate="5"),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "Flat in Leipzig"
    assert source.vacancy_rate == Decimal("0.05")


def test_a_refused_edit_changes_nothing(alice_client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="Stays")
    response = alice_client.post(
        reverse("source_edit", args=[source.pk]), source_post(name="Changed", end_date="2020-01-01")
    )
    assert response.status_code == 400
    source.refresh_from_db()
    assert source.name == "Stays"
    assert "Stays" in response.content.decode()


# ----------------------------------------------------------------------------- delete


@pytest.mark.parametrize("language", ["en", "de"])
def test_delete_names_what_goes_with_the_source(
    alice_client: Client, alice: User, language: str
) -> None:
    source = SourceFactory.create(owner=alice, name="Old blog")
    PaymentFactory.create(source=source)
    PaymentFactory.create(source=source, date=date(2025, 4, 1))
    EffortLogFactory.create(source=source)
    if language == "de":
        german(alice_client)
    response = alice_client.get(reverse("source_delete", args=[source.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Old blog" in html
    if language == "en":
        assert "2 payments" in html
        assert "0 subscription months" in html
        assert "1 month of logged hours" in html


def test_delete_removes_the_source_and_its_records(alice_client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    PaymentFactory.create(source=source)
    PeriodFactory.create(source=source)
    EffortLogFactory.create(source=source)
    response = alice_client.post(reverse("source_delete", args=[source.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("source_list")
    assert IncomeSource.objects.count() == 0
    assert Payment.objects.count() == 0
    assert SubscriptionPeriod.objects.count() == 0
    assert EffortLog.objects.count() == 0
