"""The API's lists cost the same number of queries for 2 rows as for 12 (PRODUCT.md §6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from income import services
from reports.services import report_recompute
from scenarios.services import scenario_create
from tests.factories import PaymentFactory, PeriodFactory, SourceFactory, category

pytestmark = pytest.mark.usefixtures("shipped_content")


def add_rows(user: User, n: int) -> None:
    """``n`` more of everything: sources with a payment and a month, a customer with a
    paused subscription, scenarios linking them."""
    for i in range(n):
        source = SourceFactory.create(owner=user, category=category("membership"))
        PaymentFactory.create(source=source, date=date(2024 + i % 2, 1 + i % 12, 5))
        PeriodFactory.create(source=source, month=date(2024, 1 + i % 12, 1))
        customer = services.customer_create(owner=user, source=source, external_id=f"cus_{i}")
        subscription = services.billing_subscription_create(
            owner=user, customer=customer, amount=Decimal("10.00"), started=date(2024, 1, 1)
        )
        services.subscription_pause_create(
            owner=user, subscription=subscription, starts=date(2024, 6, 1)
        )
        scenario_create(owner=user, name=f"Plan {user.pk}-{i}", sources=[source])


def queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/sources/",
        "/api/v1/payments/",
        "/api/v1/subscription-periods/",
        "/api/v1/customers/",
        "/api/v1/billing-subscriptions/",
        "/api/v1/subscription-pauses/",
        "/api/v1/scenarios/",
        "/api/v1/reports/",
        "/api/v1/categories/",
    ],
)
def test_a_list_costs_the_same_queries_for_more_rows(
    alice: User, alice_api: APIClient, url: str
) -> None:
    def refresh() -> None:
        report_recompute(owner=alice, today=date(2026, 11, 22), force=True)

    add_rows(alice, 2)
    refresh()
    few = queries(alice_api, url)
    add_rows(alice, 10)
    refresh()
    assert queries(alice_api, url) == few


def test_the_amounts_are_what_was_stored(alice: User, alice_api: APIClient) -> None:
    """The counted lists still answer the rows (a count of an empty answer proves nothing)."""
    add_rows(alice, 3)
    assert alice_api.get("/api/v1/sources/").json()["count"] == 3
    assert alice_api.get("/api/v1/payments/").json()["results"][0]["gross"] == str(
        Decimal("100.00")
    )
