"""A subscription source's analytics from its billing data, read (issue 23).

Selectors only. ``billing_records`` loads a source's customers, subscriptions and pauses
in a fixed number of queries, whatever their count, as the engine's records;
``subscription_metrics`` runs the pure analytics (``finance.subscriptions.metrics``) on
them: the page, the API and the admin all answer from it, and the source's figures
(``income.source_figures``) from the same composition, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from finance.money import RateBook
from finance.subscriptions.metrics import (
    MonthFigures,
    SubscriptionMetrics,
    engine_rates,
    subscription_metrics_of,
)
from finance.subscriptions.records import Interval, Pause, Subscription
from income.models import BillingSubscription, Customer, IncomeSource, SubscriptionPause
from income.selectors import exchange_rates

__all__ = [
    "MonthFigures", "SubscriptionMetrics", "billing_records", "billing_records_many",
    "source_has_billing",
    "subscription_metrics",
]  # fmt: skip


def billing_records(*, source: IncomeSource) -> list[Subscription]:
    """Every subscription of ``source``'s customers as the engine's record (two queries:
    the subscriptions with their customers, and the pauses)."""
    return billing_records_many(source_ids=[source.pk]).get(source.pk, [])


def billing_records_many(*, source_ids: Collection[int]) -> dict[int, list[Subscription]]:
    """``billing_records`` of several sources, keyed by source id, in the same two queries
    (a recompute loads every subscription source of a batch of users at once)."""
    if not source_ids:
        return {}
    rows = list(
        BillingSubscription.objects.filter(customer__source_id__in=source_ids)
        .order_by("pk")
        .values_list(
            "pk", "customer__source_id", "customer__external_id", "amount", "currency",
            "interval", "interval_count", "quantity", "percent_off", "amount_off", "started",
            "trial_ends", "cancelled_on", "ended",
        )
    )  # fmt: skip
    if not rows:  # no source has billing data: no pauses to look for
        return {}
    pauses: dict[int, list[Pause]] = defaultdict(list)
    for subscription_id, starts, ends in (
        SubscriptionPause.objects.filter(subscription__customer__source_id__in=source_ids)
        .order_by("starts", "pk")
        .values_list("subscription_id", "starts", "ends")
    ):
        pauses[subscription_id].append(Pause(starts=starts, ends=ends))
    records: dict[int, list[Subscription]] = defaultdict(list)
    for (
        pk, source_id, customer, amount, currency, interval, interval_count, quantity,
        percent_off, amount_off, started, trial_ends, cancelled_on, ended,
    ) in rows:  # fmt: skip
        records[source_id].append(
            Subscription(
                customer=customer,
                amount=amount,
                currency=currency,
                interval=Interval(interval),
                interval_count=interval_count,
                quantity=quantity,
                percent_off=percent_off,
                amount_off=amount_off,
                started=started,
                trial_ends=trial_ends,
                cancelled_on=cancelled_on,
                ended=ended,
                pauses=tuple(pauses[pk]),
            )
        )
    return dict(records)


def source_has_billing(source: IncomeSource) -> bool:
    """Whether ``source``'s figures come from billing data (it has a customer) rather than
    from its hand-typed months."""
    return Customer.objects.filter(source=source).exists()


def subscription_metrics(*, source: IncomeSource, base: str, as_of: date) -> SubscriptionMetrics:
    """``source``'s analytics from its billing data, in the ``base`` currency, as of
    ``as_of``: a fixed number of queries for any number of customers."""
    records = billing_records(source=source)
    currencies = {record.currency for record in records} - {base}
    book = RateBook(
        exchange_rates(currencies=currencies | {base}, as_of=as_of) if currencies else []
    )
    rates = engine_rates(book, currencies=currencies, base=base, as_of=as_of)
    return subscription_metrics_of(records, base=base, as_of=as_of, rates=rates)
