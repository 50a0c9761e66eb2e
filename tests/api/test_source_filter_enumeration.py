"""``?source=`` on a list cannot tell another user's source from one that does not exist
(issue 19, finding 9): both are the same 400, only the caller's own sources filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import (
    AssetValue,
    BillingSubscription,
    Cost,
    Customer,
    FundYear,
    IncomeSource,
)
from tests.factories import (
    EffortLogFactory,
    PaymentFactory,
    PeriodFactory,
    SourceFactory,
    category,
)

LISTS = [
    "payments", "subscription-periods", "effort-logs", "asset-values", "costs", "fund-years",
    "customers", "billing-subscriptions",
]  # fmt: skip


def _source_with_a_row(resource: str, owner: User) -> IncomeSource:
    """A source of the kind the list takes, with one row on it."""
    if resource == "subscription-periods":
        source = SourceFactory.create(owner=owner, category=category("membership"))
        PeriodFactory.create(source=source)
        return source
    if resource == "costs":
        source = SourceFactory.create(owner=owner, category=category("rent"))
        Cost.objects.create(source=source, date=date(2025, 1, 31), kind="other", amount=1)
        return source
    if resource in ("customers", "billing-subscriptions"):
        source = SourceFactory.create(owner=owner, category=category("membership"))
        customer = Customer.objects.create(source=source, external_id="cus_1")
        BillingSubscription.objects.create(
            customer=customer, amount=Decimal("10.00"), started=date(2025, 1, 1)
        )
        return source
    if resource == "fund-years":
        source = SourceFactory.create(owner=owner)
        IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
        FundYear.objects.create(source=source, year=2025, units=1, start_price=1, end_price=1)
        return source
    source = SourceFactory.create(owner=owner)
    if resource == "payments":
        PaymentFactory.create(source=source)
    elif resource == "effort-logs":
        EffortLogFactory.create(source=source)
    else:
        AssetValue.objects.create(source=source, date=date(2025, 1, 31), value=Decimal("100.00"))
    return source


@pytest.mark.parametrize("resource", LISTS)
def test_another_users_source_answers_as_an_unknown_one(
    resource: str, alice_api: APIClient, bob: User
) -> None:
    theirs = _source_with_a_row(resource, bob)
    unknown = theirs.pk + 1000

    foreign = alice_api.get(f"/api/v1/{resource}/?source={theirs.pk}")
    missing = alice_api.get(f"/api/v1/{resource}/?source={unknown}")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()
    assert set(foreign.json()) == {"source"}


@pytest.mark.parametrize("resource", LISTS)
def test_own_source_still_filters(resource: str, alice_api: APIClient, alice: User) -> None:
    mine = _source_with_a_row(resource, alice)
    _source_with_a_row(resource, alice)

    response = alice_api.get(f"/api/v1/{resource}/?source={mine.pk}")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    assert rows[0]["source"] == mine.pk
