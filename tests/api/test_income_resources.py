"""The income resources of the API: sources, payments, subscription periods, effort logs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income import selectors
from income.models import EffortLog, IncomeSource, Payment, SubscriptionPeriod, TaxProfile
from tests.factories import PaymentFactory, SourceFactory, category


def source_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "World ETF",
        "category": category("etf-dividends").pk,
        "currency": "USD",
        "start_date": "2024-01-01",
        "invested_capital": "25000.00",
        "expected_yield": "0.018",
        "payout_rhythm": "quarterly",
        **overrides,
    }


def test_a_source_is_created_for_the_caller(alice_api: APIClient, alice: User, bob: User) -> None:
    response = alice_api.post("/api/v1/sources/", source_body(owner=bob.pk, id=999), format="json")
    assert response.status_code == 201, response.content
    source = IncomeSource.objects.get(pk=response.json()["id"])
    assert source.owner == alice
    assert source.pk != 999
    assert response.json()["invested_capital"] == "25000.00"
    assert response.json()["expected_yield"] == "0.018000"


def test_lists_show_only_the_callers_rows(alice_api: APIClient, alice: User, bob: User) -> None:
    mine = SourceFactory.create(owner=alice)
    SourceFactory.create(owner=bob)
    PaymentFactory.create(source=mine)
    PaymentFactory.create(source=SourceFactory.create(owner=bob))
    body = alice_api.get("/api/v1/sources/").json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert alice_api.get("/api/v1/payments/").json()["count"] == 1


def test_page_size_is_clamped(alice_api: APIClient, alice: User) -> None:
    for _ in range(105):
        SourceFactory.create(owner=alice)
    body = alice_api.get("/api/v1/sources/?limit=100000").json()
    assert body["count"] == 105
    assert len(body["results"]) == 100


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expected_yield": "11"}, "expected_yield"),
        ({"expected_yield": "-1"}, "expected_yield"),
        ({"vacancy_rate": "1.5"}, "vacancy_rate"),
        ({"monthly_churn_rate": "-0.1"}, "monthly_churn_rate"),
        ({"invested_capital": "-1"}, "invested_capital"),
        ({"invested_capital": "NaN"}, "invested_capital"),
        ({"invested_capital": "1e30"}, "invested_capital"),
        ({"currency": "XYZ"}, "currency"),
        ({"start_date": "2025-02-30"}, "start_date"),
        ({"end_date": "2023-12-31"}, "end_date"),
        ({"category": 999999}, "category"),
        ({"payout_rhythm": "weekly"}, "payout_rhythm"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_source_input_is_a_400_and_saves_nothing(
    alice_api: APIClient, alice: User, overrides: dict[str, Any], field: str
) -> None:
    response = alice_api.post("/api/v1/sources/", source_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert IncomeSource.objects.count() == 0


def test_a_payment_defaults_to_the_sources_currency_and_computes_net(
    alice_api: APIClient, alice: User
) -> None:
    source = SourceFactory.create(owner=alice, currency="USD")
    response = alice_api.post(
        "/api/v1/payments/",
        {
            "source": source.pk,
            "date": "2025-03-31",
            "gross": "120.50",
            "tax_withheld": "18.08",
            "fees": "0.42",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # 120.50 − 18.08 − 0.42 = 102.00
    assert (body["currency"], body["net"]) == ("USD", "102.00")


def test_a_payment_cannot_use_another_users_source(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    bobs = SourceFactory.create(owner=bob)
    response = alice_api.post(
        "/api/v1/payments/", {"source": bobs.pk, "date": "2025-03-31", "gross": "10"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    assert Payment.objects.count() == 0


def test_a_payment_cannot_move_to_another_users_source(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    bobs = SourceFactory.create(owner=bob)
    response = alice_api.patch(
        f"/api/v1/payments/{payment.pk}/", {"source": bobs.pk}, format="json"
    )
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.source.owner == alice


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"gross": "-5", "tax_withheld": "1"}, "tax_withheld"),
        ({"gross": "-5", "tax_withheld": "-6"}, "tax_withheld"),
        ({"gross": "-5", "fees": "-6"}, "fees"),
        ({"gross": "5", "fees": "-1"}, "fees"),
        ({"gross": "10", "tax_withheld": "8", "fees": "3"}, "tax_withheld"),
        ({"gross": "Infinity"}, "gross"),
        ({"gross": "10.001"}, "gross"),
        ({"date": "31.12.2025"}, "date"),
        ({"currency": "BTC"}, "currency"),
    ],
)
def test_bad_payment_input_is_a_400(
    alice_api: APIClient, alice: User, body: dict[str, str], field: str
) -> None:
    source = SourceFactory.create(owner=alice)
    payload = {"source": source.pk, "date": "2025-03-31", "gross": "10", **body}
    response = alice_api.post("/api/v1/payments/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Payment.objects.count() == 0


def test_a_refund_is_a_payment_with_a_negative_gross(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    payload = {
        "source": source.pk, "date": "2025-04-20", "gross": "-40.00", "tax_withheld": "-4.00",
        "fees": "2.50",
    }  # fmt: skip
    response = alice_api.post("/api/v1/payments/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    # −40.00 + 4.00 − 2.50 = −38.50
    assert (body["gross"], body["tax_withheld"], body["fees"], body["net"]) == (
        "-40.00", "-4.00", "2.50", "-38.50"
    )  # fmt: skip
    assert Payment.objects.get().net == Decimal("-38.50")


def test_a_bad_reversal_is_a_400_that_says_why(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    payload = {
        "source": source.pk, "date": "2025-04-20", "gross": "-40.00", "tax_withheld": "4.00",
        "fees": "-40.01",
    }  # fmt: skip
    response = alice_api.post("/api/v1/payments/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "tax_withheld": [
            "The tax withheld of a reversal must be between the (negative) gross and zero."
        ],
        "fees": ["A returned fee may not exceed the amount reversed."],
    }
    assert Payment.objects.count() == 0


def test_patching_a_receipt_into_a_refund_needs_its_tax_back(
    alice_api: APIClient, alice: User
) -> None:
    payment = PaymentFactory.create(
        source=SourceFactory.create(owner=alice), gross=Decimal("40.00"), tax_withheld=Decimal("4")
    )
    url = f"/api/v1/payments/{payment.pk}/"
    refused = alice_api.patch(url, {"gross": "-40.00"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["tax_withheld"]
    accepted = alice_api.patch(url, {"gross": "-40.00", "tax_withheld": "-4.00"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["net"] == "-36.00"


def test_an_external_id_is_recorded_once_per_source(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    payload = {"source": source.pk, "date": "2025-03-31", "gross": "10", "external_id": "TX-1"}
    assert alice_api.post("/api/v1/payments/", payload, format="json").status_code == 201
    again = alice_api.post("/api/v1/payments/", payload, format="json")
    assert again.status_code == 400
    assert list(again.json()) == ["external_id"]
    other = SourceFactory.create(owner=alice)
    assert (
        alice_api.post(
            "/api/v1/payments/", {**payload, "source": other.pk}, format="json"
        ).status_code
        == 201
    )


def test_a_twin_with_the_external_id_committed_between_the_checks_is_the_external_id_error(
    alice_api: APIClient, alice: User
) -> None:
    """Issue 20, seen on PostgreSQL under load: a parallel request with the same external
    id commits after the external-id check and before the duplicate check. The answer
    is the sequential case's, not the duplicate question."""
    source = SourceFactory.create(owner=alice)
    real = selectors.payment_likely_duplicate

    def twin_commits_first(**kwargs: Any) -> Payment | None:
        PaymentFactory.create(
            source=source, date=date(2025, 3, 31), gross=Decimal("10"), external_id="TX-1"
        )
        return real(**kwargs)

    payload = {"source": source.pk, "date": "2025-03-31", "gross": "10", "external_id": "TX-1"}
    with mock.patch.object(selectors, "payment_likely_duplicate", twin_commits_first):
        answer = alice_api.post("/api/v1/payments/", payload, format="json")
    assert answer.status_code == 400
    # The twin shares this request's transaction here, so it goes with the refusal; that
    # exactly one row stays is shown with real threads (tests/integration/test_api_races.py).
    assert list(answer.json()) == ["external_id"]


def test_payments_filter_by_source_category_and_dates(alice_api: APIClient, alice: User) -> None:
    etf = SourceFactory.create(owner=alice)
    flat = SourceFactory.create(owner=alice, category=category("rent"))
    for day in ("2025-01-10", "2025-02-10", "2025-03-10"):
        PaymentFactory.create(source=etf, date=day)
    PaymentFactory.create(source=flat, date="2025-02-01")
    assert alice_api.get(f"/api/v1/payments/?source={etf.pk}").json()["count"] == 3
    assert alice_api.get("/api/v1/payments/?category=rent").json()["count"] == 1
    dated = alice_api.get("/api/v1/payments/?date_from=2025-02-01&date_to=2025-02-28").json()
    assert dated["count"] == 2
    ordered = alice_api.get("/api/v1/payments/?ordering=date").json()["results"]
    assert [row["date"] for row in ordered] == sorted(row["date"] for row in ordered)


def test_subscription_periods_only_for_subscription_sources(
    alice_api: APIClient, alice: User
) -> None:
    etf = SourceFactory.create(owner=alice)
    membership = SourceFactory.create(owner=alice, category=category("membership"))
    payload = {
        "month": "2025-04-17",
        "subscribers_start": 120,
        "new_subscribers": 14,
        "churned_subscribers": 6,
    }
    refused = alice_api.post(
        "/api/v1/subscription-periods/", {**payload, "source": etf.pk}, format="json"
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["source"]
    created = alice_api.post(
        "/api/v1/subscription-periods/", {**payload, "source": membership.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    # the month is kept as its first day; 120 + 14 − 6 = 128 at the end
    assert (created.json()["month"], created.json()["subscribers_end"]) == ("2025-04-01", 128)
    twice = alice_api.post(
        "/api/v1/subscription-periods/", {**payload, "source": membership.pk}, format="json"
    )
    assert twice.status_code == 400
    assert list(twice.json()) == ["month"]
    assert SubscriptionPeriod.objects.count() == 1


def test_churn_cannot_exceed_the_subscribers_at_start(alice_api: APIClient, alice: User) -> None:
    membership = SourceFactory.create(owner=alice, category=category("membership"))
    response = alice_api.post(
        "/api/v1/subscription-periods/",
        {
            "source": membership.pk,
            "month": "2025-04-01",
            "subscribers_start": 5,
            "churned_subscribers": 6,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["churned_subscribers"]


def test_effort_logs_record_hours_per_month(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    response = alice_api.post(
        "/api/v1/effort-logs/",
        {"source": source.pk, "month": "2025-05-31", "hours": "6.5"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["month"] == "2025-05-01"
    too_many = alice_api.post(
        "/api/v1/effort-logs/",
        {"source": source.pk, "month": "2025-06-01", "hours": "745"},
        format="json",
    )
    assert too_many.status_code == 400
    assert EffortLog.objects.count() == 1


def test_deleting_a_source_deletes_its_payments(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    PaymentFactory.create(source=source)
    assert alice_api.delete(f"/api/v1/sources/{source.pk}/").status_code == 204
    assert Payment.objects.count() == 0


def test_reference_data_is_readable_by_every_user(bob_api: APIClient) -> None:
    categories = bob_api.get("/api/v1/categories/?limit=100").json()["results"]
    slugs = {row["slug"] for row in categories}
    assert {"etf-dividends", "rent", "membership", "saas", "salary", "freelance"} <= slugs
    assert {row["slug"] for row in categories if not row["is_passive"]} == {
        "salary", "freelance", "consulting", "day-trading"
    }  # fmt: skip
    profiles = {row["slug"]: row for row in bob_api.get("/api/v1/tax-profiles/").json()["results"]}
    assert profiles["de-capital-gains"]["rate"] == "0.263750"
    assert profiles["de-capital-gains"]["yearly_allowance"] == "1000.00"
    # 0.25 / 1.02 × 1.135 = 0.278186…; 0.25 / 1.0225 × 1.145 = 0.279951…
    assert profiles["de-capital-gains-church-8"]["rate"] == "0.278186"
    assert profiles["de-capital-gains-church-9"]["rate"] == "0.279951"
    assert profiles["de-equity-fund"]["partial_exemption"] == "0.300000"
    assert bob_api.post("/api/v1/categories/", {"slug": "x"}, format="json").status_code == 405


def test_categories_speak_the_callers_language(bob_api: APIClient) -> None:
    rent = next(
        row
        for row in bob_api.get("/api/v1/categories/?limit=100&lang=de").json()["results"]
        if row["slug"] == "rent"
    )
    assert rent["name"] == "Mieteinnahmen"
    assert "Hausverwaltung" in rent["help_text"]


def test_me_takes_expenses_hourly_value_and_tax_profile(alice_api: APIClient, alice: User) -> None:
    response = alice_api.patch(
        "/api/v1/me/",
        {
            "monthly_expenses": "2450.00",
            "hourly_value": "45.00",
            "default_tax_profile": TaxProfile.objects.get(slug="de-capital-gains").pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    alice.profile.refresh_from_db()
    assert alice.profile.monthly_expenses == Decimal("2450.00")
    bad = alice_api.patch("/api/v1/me/", {"monthly_expenses": "-1"}, format="json")
    assert bad.status_code == 400
