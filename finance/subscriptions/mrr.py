"""MRR as the SaaS-metrics tools define it: each subscription's price normalised to a
month, and each customer's MRR at the end of every month.

ChartMogul's rules (help centre, "MRR"): a plan billed yearly counts a twelfth of its
price a month, one billed every 3 months a third, a weekly one 52/12 of its price, a
daily one 365/12; quantity and discounts apply; a trial is no MRR until it converts; a
paused subscription is no MRR while paused. Amounts in another currency are converted
into the base currency at one rate per currency for the whole history (the caller's
choice, the latest one), so that an exchange rate moving alone makes no MRR movement.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from types import MappingProxyType

from finance.rounding import EXACT, to_cents
from finance.schedule import month_range, month_start
from finance.subscriptions.records import ONE, ZERO, Interval, Subscription

#: A billing unit's price counted a month: × the first, ÷ the second (exact fractions).
_PER_MONTH = {
    Interval.DAY: (Decimal(365), Decimal(12)),
    Interval.WEEK: (Decimal(52), Decimal(12)),
    Interval.MONTH: (ONE, ONE),
    Interval.YEAR: (ONE, Decimal(12)),
}


def subscription_mrr(subscription: Subscription, *, rate: Decimal = ONE) -> Decimal:
    """The subscription's MRR while it pays, in the base currency, in cents.

    net = max(0, amount × quantity × (1 − percent_off) − amount_off) per period;
    MRR = net × (units per month) / interval_count × ``rate`` (the base currency per
    unit of the subscription's), rounded once. A yearly plan of 120.00 is 10.00 a
    month; a quarterly one of 30.00 (3 months) 10.00; a weekly one of 10.00 is 43.33.
    """
    times, per = _PER_MONTH[subscription.interval]
    with localcontext(EXACT):
        gross = subscription.amount * subscription.quantity * (ONE - subscription.percent_off)
        net = max(ZERO, gross - subscription.amount_off)
        return to_cents(net * times / (per * subscription.interval_count) * rate)


def snapshot_day(month: date, *, as_of: date) -> date:
    """The day a month's MRR is read on: its last day, or ``as_of`` within the running
    month (month to date)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, as_of)


def history_months(subscriptions: Iterable[Subscription], *, as_of: date) -> tuple[date, ...]:
    """Every month from the first subscription's start to ``as_of``'s month."""
    starts = [subscription.started for subscription in subscriptions]
    if not starts or min(starts) > as_of:
        return ()
    return month_range(month_start(min(starts)), month_start(as_of))


@dataclass(frozen=True)
class CustomerMrr:
    """Each customer's MRR at the end of each of ``months`` (``snapshot_day``), in the base
    currency; ``missing_rates`` the currencies without a rate, whose subscriptions are
    left out."""

    months: tuple[date, ...]
    by_customer: Mapping[str, tuple[Decimal, ...]]
    missing_rates: tuple[str, ...]


def customer_mrr(
    subscriptions: Sequence[Subscription],
    *,
    as_of: date,
    base_currency: str,
    rates: Mapping[str, Decimal],
) -> CustomerMrr:
    """Each customer's MRR month by month: the sum of their subscriptions' MRR
    (``subscription_mrr``) that pay on the month's ``snapshot_day``. ``rates`` hold the
    base currency per unit of each other currency."""
    months = history_months(subscriptions, as_of=as_of)
    days = [snapshot_day(month, as_of=as_of) for month in months]
    totals: dict[str, list[Decimal]] = {}
    missing: set[str] = set()
    for subscription in subscriptions:
        if subscription.currency == base_currency:
            rate = ONE
        elif subscription.currency in rates:
            rate = rates[subscription.currency]
        else:
            missing.add(subscription.currency)
            continue
        amount = subscription_mrr(subscription, rate=rate)
        series = totals.setdefault(subscription.customer, [ZERO] * len(months))
        if not amount:
            continue
        for index, day in enumerate(days):
            if subscription.pays_on(day):
                series[index] += amount
    return CustomerMrr(
        months=months,
        by_customer=MappingProxyType({name: tuple(values) for name, values in totals.items()}),
        missing_rates=tuple(sorted(missing)),
    )
