"""GET /api/v1/dashboard/: the §3 figures for mobile clients, as strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import PaymentFactory, SourceFactory, category


def test_the_dashboard_answers_the_callers_figures(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    mine = SourceFactory.create(owner=alice, name="ETF", start_date=date(2025, 1, 1))
    PaymentFactory.create(
        source=mine, date=date(2025, 5, 10), gross=Decimal("120.00"), tax_withheld=Decimal("20.00")
    )
    job = SourceFactory.create(owner=alice, name="Job", category=category("salary"))
    PaymentFactory.create(source=job, date=date(2025, 5, 28), gross=Decimal("300.00"))
    PaymentFactory.create(
        source=SourceFactory.create(owner=bob), date=date(2025, 5, 1), gross=Decimal("999")
    )
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-30").json()
    assert body["as_of"] == "2025-06-30"
    assert body["currency"] == "EUR"
    assert body["passive_net_ttm"] == "100.00"
    assert body["total_net_ttm"] == "400.00"
    assert body["passive_share"] == "0.2500"  # 100 / 400
    assert body["expense_coverage"] is None  # no expenses set
    assert len(body["months"]) == 24
    assert body["months"][-2] == {
        "month": "2025-05-01",
        "passive_gross": "120.00",
        "passive_net": "100.00",
        "active_net": "300.00",
        "to_date": False,
    }
    # 30 June is June's last day: the month is complete, not "to date".
    assert body["months"][-1]["to_date"] is False
    etf = next(row for row in body["sources"] if row["name"] == "ETF")
    assert etf["net_to_date"] == "100.00"
    assert etf["ltv"] is None
    assert {row["name"] for row in body["sources"]} == {"ETF", "Job"}


def test_a_bad_as_of_is_a_400(alice_api: APIClient) -> None:
    for value in ("2025-02-30", "yesterday", ""):
        response = alice_api.get("/api/v1/dashboard/", {"as_of": value})
        assert response.status_code == 400
        assert list(response.json()) == ["as_of"]


def test_the_dashboard_needs_a_login(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/dashboard/").status_code == 401


@pytest.mark.parametrize("day", ["0002-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_outside_the_calendar_the_figures_reach_is_a_400(
    alice_api: APIClient, day: str
) -> None:
    """Found by the schema fuzzer: year 2 was a 500 (the figures look two years back)."""
    response = alice_api.get(f"/api/v1/dashboard/?as_of={day}")
    assert response.status_code == 400
    assert "as_of" in response.json()
    assert alice_api.get("/api/v1/dashboard/?as_of=1900-01-01").status_code == 200


def test_the_dashboard_leaves_the_running_month_out_and_says_independent_since(
    alice_api: APIClient, alice: User
) -> None:
    # Expenses 1,000; 1,500 a month January 2024 … May 2025, 10 on 3 June 2025; as of
    # 5 June 2025. A month's TTM reaches 12,000 with the 8th paid month: August 2024.
    # The 12 complete months (June 2024 … May 2025) hold 18,000: the average month is
    # 1,500.00, the coverage 18,000 / 12,000 = 1.5000, the margin 500.00. The TTM as of
    # 5 June includes June to date: 11 × 1,500 + 10 = 16,510.00.
    alice.profile.monthly_expenses = Decimal("1000.00")
    alice.profile.save()
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2024, 1, 1))
    for n in range(17):
        month = date(2024 + n // 12, n % 12 + 1, 1)
        PaymentFactory.create(source=etf, date=month, gross=Decimal("1500.00"))
    PaymentFactory.create(source=etf, date=date(2025, 6, 3), gross=Decimal("10.00"))
    body = alice_api.get("/api/v1/dashboard/?as_of=2025-06-05").json()
    assert body["passive_net_ttm"] == "16510.00"
    assert body["month_to_date"] == "10.00"
    assert body["average_month"] == "1500.00"
    assert body["expense_coverage_complete"] == "1.5000"
    assert body["expense_coverage"] == "1.3758"  # 16,510 / 12 / 1,000 = 1.37583…
    assert body["independent_since"] == {
        "since": "2024-08-01",
        "coverage": "1.5000",
        "margin": "500.00",
    }
    assert body["months"][-1]["to_date"] is True
    assert body["months"][-2]["to_date"] is False


def test_the_figures_endpoint_lists_every_definition_in_the_callers_language(
    api_client: APIClient, db: None
) -> None:
    groups = api_client.get("/api/v1/figures/").json()
    keys = {figure["key"] for group in groups for figure in group["figures"]}
    assert {"average_month", "independent_since", "total_return", "ltv"} <= keys
    german = api_client.get("/api/v1/figures/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert german[0]["title"] == "Einkommen"
