"""Exchange rates in the API: the rates behind a user's payments, and which payments
wait for one (``missing_rate_payments`` in the dashboard's answer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import ExchangeRate
from tests.factories import PaymentFactory, SourceFactory


def test_rates_are_listed_by_currency_and_day(alice_api: APIClient) -> None:
    ExchangeRate.objects.create(date=date(2025, 3, 3), currency="USD", rate=Decimal("1.0802"))
    ExchangeRate.objects.create(date=date(2025, 4, 1), currency="USD", rate=Decimal("1.0790"))
    ExchangeRate.objects.create(date=date(2025, 3, 3), currency="GBP", rate=Decimal("0.8300"))
    url = "/api/v1/exchange-rates/?currency=USD&date__gte=2025-03-01&date__lte=2025-03-31"
    body = alice_api.get(url).json()
    assert body["count"] == 1
    assert body["results"][0]["date"] == "2025-03-03"
    assert body["results"][0]["currency"] == "USD"
    assert Decimal(body["results"][0]["rate"]) == Decimal("1.0802")


def test_rates_are_read_only(alice_api: APIClient) -> None:
    response = alice_api.post(
        "/api/v1/exchange-rates/",
        {"date": "2025-03-03", "currency": "USD", "rate": "1.1"},
        format="json",
    )
    assert response.status_code == 405
    assert not ExchangeRate.objects.exists()


def test_an_unknown_currency_is_a_400(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/exchange-rates/?currency=XYZ")
    assert response.status_code == 400
    assert "currency" in response.json()


def test_the_dashboard_names_the_payments_that_wait_for_a_rate(
    alice: User, alice_api: APIClient, bob: User
) -> None:
    usd = SourceFactory.create(owner=alice, currency="USD", start_date=date(2025, 1, 1))
    march = [
        PaymentFactory.create(source=usd, date=date(2025, 3, day), currency="USD")
        for day in (3, 20)
    ]
    april = PaymentFactory.create(source=usd, date=date(2025, 4, 2), currency="USD")
    PaymentFactory.create(source=SourceFactory.create(owner=alice), date=date(2025, 3, 5))
    PaymentFactory.create(
        source=SourceFactory.create(owner=bob, currency="USD"), date=date(2025, 3, 9)
    )
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-30").json()
    assert body["missing_rates"] == ["USD"]
    assert body["missing_rate_payments"] == [
        {
            "currency": "USD",
            "month": "2025-03-01",
            "payments": 2,
            "payment_ids": [p.pk for p in march],
        },
        {"currency": "USD", "month": "2025-04-01", "payments": 1, "payment_ids": [april.pk]},
    ]


def test_a_rate_dated_before_a_payment_converts_it(alice: User, alice_api: APIClient) -> None:
    usd = SourceFactory.create(owner=alice, currency="USD", start_date=date(2025, 1, 1))
    PaymentFactory.create(source=usd, date=date(2025, 3, 3), currency="USD")
    april = PaymentFactory.create(source=usd, date=date(2025, 4, 2), currency="USD")
    ExchangeRate.objects.create(date=date(2025, 3, 31), currency="USD", rate=Decimal("1.08"))
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-30").json()
    assert body["missing_rates"] == ["USD"]
    assert [gap["month"] for gap in body["missing_rate_payments"]] == ["2025-03-01"]
    assert april.pk not in body["missing_rate_payments"][0]["payment_ids"]
    ExchangeRate.objects.create(date=date(2025, 3, 1), currency="USD", rate=Decimal("1.07"))
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-30").json()
    assert body["missing_rates"] == []
    assert body["missing_rate_payments"] == []


def test_a_base_currency_without_rates_leaves_euro_payments_waiting(
    alice: User, alice_api: APIClient
) -> None:
    alice_api.patch("/api/v1/me/", {"base_currency": "USD"}, format="json")
    euro = PaymentFactory.create(
        source=SourceFactory.create(owner=alice, start_date=date(2025, 1, 1)),
        date=date(2025, 5, 5),
    )
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-30").json()
    assert body["missing_rate_payments"] == [
        {"currency": "EUR", "month": "2025-05-01", "payments": 1, "payment_ids": [euro.pk]}
    ]
