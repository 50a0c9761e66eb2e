"""A subscription business's analytics as of a day, composed from the engine's parts: the
one function every surface asks (issue 23). The source page, the API's
``subscription-metrics``, the admin, and the source's figures on the dashboard, in the
reports and in ``/sources/{id}/figures/`` all answer from ``subscription_metrics_of``,
so a figure is the same wherever it is shown.

Pure: records and rates in, figures out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.figures import arr, steady_state_subscribers
from finance.money import RateBook
from finance.rounding import EXACT, to_whole
from finance.subscriptions.movements import MonthMovements, mrr_movements
from finance.subscriptions.mrr import customer_mrr
from finance.subscriptions.records import Subscription
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

ZERO = Decimal(0)


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
    """A source's analytics as of a day, in ``currency``.

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
    #: The paying customers the measured rates converge to (§4: new ÷ churn), a whole
    #: number; None before a complete month or at zero churn.
    steady_state: Decimal | None = None


def engine_rates(
    book: RateBook, *, currencies: Collection[str], base: str, as_of: date
) -> dict[str, Decimal]:
    """One rate per currency for the whole history: the latest on or before ``as_of``,
    as the base currency per unit (``finance.subscriptions.mrr``: a rate's move alone
    makes no MRR movement); a currency without one is left out (a missing rate)."""
    found = {}
    for currency in set(currencies) - {base}:
        pair = book.pair(currency, base, as_of)
        if pair is not None:
            found[currency] = EXACT.divide(pair[1], pair[0])
    return found


def subscription_metrics_of(
    records: Sequence[Subscription],
    *,
    base: str,
    as_of: date,
    rates: dict[str, Decimal],
    with_cohorts: bool = True,
) -> SubscriptionMetrics:
    """The analytics of ``records`` in ``base`` as of ``as_of`` (see ``SubscriptionMetrics``);
    ``with_cohorts`` False leaves the cohort tables out, for a caller that shows none."""
    mrr = customer_mrr(records, as_of=as_of, base_currency=base, rates=rates)
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
    model = measured_model(movements, index=complete) if complete is not None else None
    steady = (
        None
        if model is None
        else steady_state_subscribers(new=model.new_per_month, churn_rate=model.churn_rate)
    )
    return SubscriptionMetrics(
        currency=base,
        as_of=as_of,
        customers=len(mrr.by_customer),
        months=figures,
        cohorts=tuple(cohorts(mrr)) if with_cohorts else (),
        mrr=now.mrr_end if now else ZERO,
        arr=arr(mrr=now.mrr_end) if now else ZERO,
        paying=now.customers_end if now else 0,
        arpa=arpa(now) if now else None,
        ltv=lifetime_value(movements, index=complete) if complete is not None else None,
        nrr=net_revenue_retention(mrr, index=complete) if complete is not None else None,
        complete=figures[complete] if complete is not None else None,
        model=model,
        missing_rates=mrr.missing_rates,
        steady_state=None if steady is None else to_whole(steady),
    )
