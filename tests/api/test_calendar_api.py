"""GET /api/v1/calendar/: the calendar page's months, amounts and totals for an app
(issue 18, item 6 in the API; issue 20, item 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months, month_start
from income.calendar import calendar_page
from income.models import IncomeSource
from tests.factories import PaymentFactory, SourceFactory, category

URL = "/api/v1/calendar/"


def monthly_rent(owner: User, name: str = "Flat") -> IncomeSource:
    """A monthly source that brought 750 in each of the twelve complete months before now."""
    this_month = month_start(timezone.localdate())
    flat = SourceFactory.create(
        owner=owner, name=name, category=category("rent"), payout_rhythm="monthly",
        start_date=date(2020, 1, 1),
    )  # fmt: skip
    for back in range(1, 13):
        PaymentFactory.create(
            source=flat, date=add_months(this_month, -back).replace(day=3), gross=Decimal("750")
        )
    return flat


def test_the_calendar_gives_expected_amounts_and_monthly_totals(
    alice: User, alice_api: APIClient
) -> None:
    flat = monthly_rent(alice)
    this_month = month_start(timezone.localdate())
    body = alice_api.get(URL).json()
    assert body["currency"] == "EUR"
    months = {row["month"]: row for row in body["months"]}
    assert len(months) == 15
    assert body["months"][0]["month"] == add_months(this_month, -3).isoformat()
    next_month, last_month = add_months(this_month, 1), add_months(this_month, -1)
    # 12 × 750 / 12 = 750.00 expected in every coming month, as the page shows it
    assert months[next_month.isoformat()] == {
        "month": next_month.isoformat(), "to_date": False, "expected": "750.00",
        "received": None, "received_share": None,
    }  # fmt: skip
    assert months[last_month.isoformat()]["received"] == "750.00"
    assert months[last_month.isoformat()]["received_share"] == "1.0000"
    assert [row["month"] for row in body["months"] if row["to_date"]] == [this_month.isoformat()]
    [source] = body["sources"]
    assert (source["id"], source["name"], source["payout_rhythm"]) == (flat.pk, "Flat", "monthly")
    assert source["category"] == flat.category_id
    cells = {cell["month"]: cell for cell in source["months"]}
    assert cells[next_month.isoformat()] == {
        "month": next_month.isoformat(), "status": "expected", "payout_expected": True,
        "expected_amount": "750.00", "received_gross": "0.00", "received_net": None,
    }  # fmt: skip
    assert cells[last_month.isoformat()]["status"] == "received"
    assert cells[last_month.isoformat()]["received_net"] == "750.00"


def test_the_calendar_answers_the_pages_own_figures(alice: User, alice_api: APIClient) -> None:
    """Every cell and total is ``calendar_page``'s, the object the page renders."""
    monthly_rent(alice)
    SourceFactory.create(owner=alice, name="Shares", payout_rhythm="quarterly")
    page = calendar_page(owner=alice, today=timezone.localdate())
    body = alice_api.get(URL).json()
    assert [row["expected"] for row in body["months"]] == [
        f"{total.expected:.2f}" for total in page.totals
    ]
    assert [[cell["status"] for cell in source["months"]] for source in body["sources"]] == [
        [cell.entry.status for cell in cells] for _, cells in page.rows
    ]
    assert [
        [cell["expected_amount"] for cell in source["months"]] for source in body["sources"]
    ] == [
        [None if cell.expected_amount is None else f"{cell.expected_amount:.2f}" for cell in cells]
        for _, cells in page.rows
    ]


def test_a_refund_is_a_negative_gross(alice: User, alice_api: APIClient) -> None:
    flat = SourceFactory.create(owner=alice, name="Flat", payout_rhythm="monthly")
    PaymentFactory.create(
        source=flat, date=month_start(timezone.localdate()), gross=Decimal("-20.00")
    )
    [source] = alice_api.get(URL).json()["sources"]
    current = next(cell for cell in source["months"] if cell["received_gross"] != "0.00")
    assert current["received_gross"] == "-20.00"


def test_the_calendar_shows_only_the_callers_sources(
    alice: User, bob: User, alice_api: APIClient, bob_api: APIClient
) -> None:
    monthly_rent(alice)
    assert bob_api.get(URL).json()["sources"] == []
    assert all(row["received"] in (None, "0.00") for row in bob_api.get(URL).json()["months"])
    assert [source["name"] for source in alice_api.get(URL).json()["sources"]] == ["Flat"]


def test_the_calendar_needs_credentials(api_client: APIClient) -> None:
    assert api_client.get(URL).status_code == 401


@pytest.mark.django_db
def test_the_calendar_costs_the_same_queries_for_more_sources(
    alice: User, alice_api: APIClient
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_api.get(URL).status_code == 200
        return len(captured)

    monthly_rent(alice, "Flat 1")
    few = queries()
    for i in range(2, 8):
        monthly_rent(alice, f"Flat {i}")
    assert queries() == few
    assert len(alice_api.get(URL).json()["sources"]) == 7
