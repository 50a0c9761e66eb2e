"""A subscription source's billing data (issue 23): who may record what, the bulk write
that an import and the demo use (all or nothing), and the analytics read back from the
database in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.errors import DomainError
from income import services
from income.billing import billing_records, source_has_billing, subscription_metrics
from income.models import (
    BillingSubscription,
    Customer,
    ExchangeRate,
    IncomeSource,
    Profile,
    SubscriptionPause,
)
from tests.factories import SourceFactory, category

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def club(alice: User) -> IncomeSource:
    return SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), currency="EUR"
    )


def _stale(user: User) -> bool:
    return Profile.objects.get(user=user).data_changed_at is not None


def test_a_customer_and_a_subscription_in_the_sources_currency(
    alice: User, club: IncomeSource
) -> None:
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    customer = services.customer_create(owner=alice, source=club, external_id="cus_1", name="Ana")
    subscription = services.billing_subscription_create(
        owner=alice, customer=customer, amount=D(10), started=date(2026, 1, 5)
    )
    assert (subscription.currency, subscription.interval, subscription.quantity) == (
        "EUR",
        "month",
        1,
    )
    assert _stale(alice)
    assert source_has_billing(club)


def test_only_a_subscription_source_takes_customers(alice: User) -> None:
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    with pytest.raises(DomainError) as refused:
        services.customer_create(owner=alice, source=etf, external_id="cus_1")
    assert list(refused.value.field_errors) == ["source"]
    assert not Customer.objects.exists()


def test_another_users_source_takes_no_customer(alice: User, bob: User, club: IncomeSource) -> None:
    with pytest.raises(DomainError) as refused:
        services.customer_create(owner=bob, source=club, external_id="cus_1")
    assert list(refused.value.field_errors) == ["source"]


def test_a_customer_id_is_unique_within_its_source(alice: User, club: IncomeSource) -> None:
    services.customer_create(owner=alice, source=club, external_id="cus_1")
    with pytest.raises(DomainError) as refused:
        services.customer_create(owner=alice, source=club, external_id="cus_1")
    assert list(refused.value.field_errors) == ["external_id"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ended": date(2025, 12, 31)}, "ended"),
        ({"percent_off": D("1.5")}, "percent_off"),
        ({"amount": D(-1)}, "amount"),
        ({"interval": "fortnight"}, "interval"),
        ({"interval_count": 0}, "interval_count"),
    ],
)
def test_a_subscription_outside_the_rules_is_refused_by_field(
    alice: User, club: IncomeSource, fields: dict[str, object], field: str
) -> None:
    customer = services.customer_create(owner=alice, source=club, external_id="cus_1")
    values: dict[str, object] = {"amount": D(10), "started": date(2026, 1, 1), **fields}
    with pytest.raises(ValidationError) as refused:
        services.billing_subscription_create(owner=alice, customer=customer, **values)
    assert field in refused.value.message_dict
    assert not BillingSubscription.objects.exists()


def test_a_pause_starts_within_its_subscription(alice: User, club: IncomeSource) -> None:
    customer = services.customer_create(owner=alice, source=club, external_id="cus_1")
    subscription = services.billing_subscription_create(
        owner=alice, customer=customer, amount=D(10), started=date(2026, 2, 1)
    )
    with pytest.raises(DomainError) as refused:
        services.subscription_pause_create(
            owner=alice, subscription=subscription, starts=date(2026, 1, 1)
        )
    assert list(refused.value.field_errors) == ["starts"]
    pause = services.subscription_pause_create(
        owner=alice, subscription=subscription, starts=date(2026, 3, 1), ends=date(2026, 5, 1)
    )
    services.subscription_pause_delete(owner=alice, pause=pause)
    assert not SubscriptionPause.objects.exists()


def test_deleting_a_customer_takes_their_subscriptions_and_pauses(
    alice: User, bob: User, club: IncomeSource
) -> None:
    customer = services.customer_create(owner=alice, source=club, external_id="cus_1")
    subscription = services.billing_subscription_create(
        owner=alice, customer=customer, amount=D(10), started=date(2026, 1, 1)
    )
    services.subscription_pause_create(
        owner=alice, subscription=subscription, starts=date(2026, 3, 1)
    )
    with pytest.raises(DomainError):
        services.customer_delete(owner=bob, customer=customer)
    services.customer_delete(owner=alice, customer=customer)
    remaining = (Customer, BillingSubscription, SubscriptionPause)
    assert [model.objects.count() for model in remaining] == [0, 0, 0]


def _members(count: int, *, first: int = 0) -> list[services.NewCustomer]:
    return [
        services.NewCustomer(
            external_id=f"cus_{number}",
            subscriptions=(
                services.NewSubscription(
                    fields={"amount": D(10), "started": date(2026, 1, 10)},
                    pauses=(services.NewPause(starts=date(2026, 3, 1), ends=date(2026, 4, 1)),),
                ),
            ),
        )
        for number in range(first, first + count)
    ]


def test_many_customers_are_written_at_once(alice: User, club: IncomeSource) -> None:
    written = services.billing_bulk_create(owner=alice, source=club, customers=_members(5))
    assert written == 5
    assert (
        Customer.objects.count(),
        BillingSubscription.objects.count(),
        SubscriptionPause.objects.count(),
    ) == (5, 5, 5)
    assert {s.currency for s in BillingSubscription.objects.all()} == {"EUR"}


@pytest.mark.parametrize(
    "bad",
    [
        services.NewCustomer(
            external_id="cus_bad",
            subscriptions=(
                services.NewSubscription(
                    fields={"amount": D(10), "started": date(2026, 2, 1), "ended": date(2026, 1, 1)}
                ),
            ),
        ),
        services.NewCustomer(
            external_id="cus_bad",
            subscriptions=(
                services.NewSubscription(
                    fields={"amount": D(10), "started": date(2026, 1, 1)},
                    pauses=(services.NewPause(starts=date(2026, 3, 1), ends=date(2026, 3, 1)),),
                ),
            ),
        ),
        services.NewCustomer(external_id="cus_1"),  # twice in one file
    ],
    ids=["ends before it starts", "a pause of no day", "a customer id twice"],
)
def test_one_bad_row_writes_nothing_and_names_its_customer(
    alice: User, club: IncomeSource, bad: services.NewCustomer
) -> None:
    with pytest.raises(DomainError) as refused:
        services.billing_bulk_create(owner=alice, source=club, customers=[*_members(3), bad])
    assert any(
        message.startswith(bad.external_id)
        for messages in refused.value.field_errors.values()
        for message in messages
    )
    assert not Customer.objects.exists()


def test_the_records_are_read_in_two_queries_however_many_customers(
    alice: User, club: IncomeSource
) -> None:
    services.billing_bulk_create(owner=alice, source=club, customers=_members(3))
    with CaptureQueriesContext(connection) as few:
        assert len(billing_records(source=club)) == 3
    services.billing_bulk_create(owner=alice, source=club, customers=_members(40, first=3))
    with CaptureQueriesContext(connection) as many:
        records = billing_records(source=club)
    assert len(records) == 43
    assert len(few.captured_queries) == len(many.captured_queries) == 2
    assert records[0].pauses[0].starts == date(2026, 3, 1)


def test_the_metrics_of_a_small_club_by_hand(alice: User, club: IncomeSource) -> None:
    """ana 10.00 a month from 10 January; ben a yearly 120.00 from 5 February; cem 12.00
    USD a month from 3 March, the dollar at 1.20 to the euro on the day of the figures
    (1.10 before: one rate for the whole history, the latest)."""
    ExchangeRate.objects.create(currency="USD", date=date(2026, 3, 2), rate=D("1.1000"))
    ExchangeRate.objects.create(currency="USD", date=date(2026, 4, 14), rate=D("1.2000"))
    for external_id, fields in (
        ("ana", {"amount": D(10), "started": date(2026, 1, 10)}),
        ("ben", {"amount": D(120), "started": date(2026, 2, 5), "interval": "year"}),
        ("cem", {"amount": D(12), "started": date(2026, 3, 3), "currency": "USD"}),
    ):
        customer = services.customer_create(owner=alice, source=club, external_id=external_id)
        services.billing_subscription_create(owner=alice, customer=customer, **fields)
    metrics = subscription_metrics(source=club, base="EUR", as_of=date(2026, 4, 15))
    # January 10.00; February + 120 / 12 = 20.00; March + 12 / 1.20 = 30.00; April 30.00.
    assert [row.movements.mrr_end for row in metrics.months] == [D(10), D(20), D(30), D(30)]
    assert (metrics.mrr, metrics.arr, metrics.paying) == (D(30), D(360), 3)
    assert metrics.arpa == D(10)  # 30.00 / 3
    assert metrics.complete is not None
    assert metrics.complete.movements.new == D(10)  # cem in March
    assert metrics.ltv is None  # nobody churned: undefined
    assert metrics.missing_rates == ()
