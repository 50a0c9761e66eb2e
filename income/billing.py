"""A subscription source's analytics from its billing data, read (issue 23).

Selectors only. ``billing_records`` loads a source's customers, subscriptions and pauses
in a fixed number of queries, whatever their count, as the engine's records;
``subscription_metrics`` runs the pure analytics (``finance.subscriptions``) on them:
the page, the API and the admin all answer from it, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.figures import arr
from finance.money import RateBook
from finance.rounding import EXACT
from finance.subscriptions.movements import MonthMovements, mrr_movements
from finance.subscriptions.mrr import CustomerMrr, customer_mrr
from finance.subscriptions.records import Interval, Pause, Subscription
from finance.subscriptions.retention import (
    Cohort,
    MeasuredModel,
    arpa,
    cohorts,
    customer_churn_rate,
    gross_mrr_churn,
    lifetime_value,
    measured_model,
    net_mrr_churn,
    net_revenue_retention,
    quick_ratio,
)
from income.models import BillingSubscription, Customer, IncomeSource, SubscriptionPause
from income.selectors import exchange_rates


def billing_records(*, source: IncomeSource) -> list[Subscription]:
    """Every subscription of ``source``'s customers as the engine's record (two queries:
    the subscriptions with their customers, and the pauses)."""
    rows = list(
        BillingSubscription.objects.filter(customer__source=source)
        .order_by("pk")
        .values_list(
            "pk", "customer__external_id", "amount", "currency", "interval", "interval_count",
            "quantity", "percent_off", "amount_off", "started", "trial_ends", "cancelled_on",
            "ended",
        )
    )  # fmt: skip
    pauses: dict[int, list[Pause]] = defaultdict(list)
    for subscription_id, starts, ends in (
        SubscriptionPause.objects.filter(subscription__customer__source=source)
        .order_by("starts", "pk")
        .values_list("subscription_id", "starts", "ends")
    ):
        pauses[subscription_id].append(Pause(starts=starts, ends=ends))
    return [
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
        for (
            pk, customer, amount, currency, interval, interval_count, quantity, percent_off,
            amount_off, started, trial_ends, cancelled_on, ended,
        ) in rows
    ]  # fmt: skip


def source_has_billing(source: IncomeSource) -> bool:
    """Whether ``source``'s figures come from billing data (it has a customer) rather than
    from its hand-typed months."""
    return Customer.objects.filter(source=source).exists()


@dataclass(frozen=True)
class MonthFigures:
    """One month's movements with its rates (None: undefined, its base is zero)."""

    movements: MonthMovements
    customer_churn: Decimal | None
    gross_mrr_churn: Decimal | None
    net_mrr_churn: Decimal | None
    quick_ratio: Decimal | None


@dataclass(frozen=True)
class SubscriptionMetrics:
    """A source's analytics as of a day, in ``currency`` (the owner's base currency).

    ``months`` run from the first subscription's month to the current one (month to
    date). ``mrr``, ``arr``, ``paying`` and ``arpa`` are the current month's; the rates
    (``complete``), ``ltv``, ``nrr`` and the measured ``model`` are the last complete
    month's (None before there is one), as a running month is left out of rates (§3).
    """

    currency: str
    as_of: date
    customers: int
    months: tuple[MonthFigures, ...]
    cohorts: tuple[Cohort, ...]
    mrr: Decimal
    arr: Decimal
    paying: int
    arpa: Decimal | None
    ltv: Decimal | None
    nrr: Decimal | None
    complete: MonthFigures | None
    model: MeasuredModel | None
    missing_rates: tuple[str, ...]


def _rates(records: list[Subscription], *, base: str, as_of: date) -> dict[str, Decimal]:
    """One rate per currency for the whole history: the latest on or before ``as_of``,
    as the base currency per unit (``finance.subscriptions.mrr``: a rate's move alone
    makes no MRR movement)."""
    currencies = {record.currency for record in records} - {base}
    if not currencies:
        return {}
    book = RateBook(exchange_rates(currencies=currencies | {base}, as_of=as_of))
    found = {}
    for currency in currencies:
        pair = book.pair(currency, base, as_of)
        if pair is not None:
            found[currency] = EXACT.divide(pair[1], pair[0])
    return found


def subscription_metrics(*, source: IncomeSource, base: str, as_of: date) -> SubscriptionMetrics:
    """``source``'s analytics from its billing data, in the ``base`` currency, as of
    ``as_of``: a fixed number of queries for any number of customers."""
    records = billing_records(source=source)
    mrr: CustomerMrr = customer_mrr(
        records, as_of=as_of, base_currency=base, rates=_rates(records, base=base, as_of=as_of)
    )
    movements = mrr_movements(mrr)
    figures = tuple(
        MonthFigures(
            movements=month,
            customer_churn=customer_churn_rate(month),
            gross_mrr_churn=gross_mrr_churn(month),
            net_mrr_churn=net_mrr_churn(month),
            quick_ratio=quick_ratio(month),
        )
        for month in movements
    )
    current = len(movements) - 1
    complete = current - 1 if current >= 1 else None
    now = movements[current] if movements else None
    zero = Decimal(0)
    return SubscriptionMetrics(
        currency=base,
        as_of=as_of,
        customers=len(mrr.by_customer),
        months=figures,
        cohorts=tuple(cohorts(mrr)),
        mrr=now.mrr_end if now else zero,
        arr=arr(mrr=now.mrr_end) if now else zero,
        paying=now.customers_end if now else 0,
        arpa=arpa(now) if now else None,
        ltv=lifetime_value(movements, index=complete) if complete is not None else None,
        nrr=net_revenue_retention(mrr, index=complete) if complete is not None else None,
        complete=figures[complete] if complete is not None else None,
        model=measured_model(movements, index=complete) if complete is not None else None,
        missing_rates=mrr.missing_rates,
    )
