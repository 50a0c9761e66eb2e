"""Months, expected payouts and the income calendar (PRODUCT.md §2 payout rhythm, §3 calendar).

A month is a ``date`` on day 1 (``month_start``): the key of every monthly series in
the product, so a month can be compared, sorted and used as a dict key without a
separate type.

The calendar answers §3: "for the coming 12 months, each expected payout (from the
payout rhythm and the source's model) beside what was actually received: received /
expected / overdue".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Literal

from finance.rounding import EXACT, to_cents

NOTHING = Decimal("0.00")

# Months between two payouts, per payout rhythm (PRODUCT.md §2). "irregular" is a rhythm
# too, but has no interval: nothing is expected of it, so it is never overdue.
PAYOUT_INTERVAL_MONTHS: dict[str, int] = {
    "monthly": 1,
    "quarterly": 3,
    "half_yearly": 6,
    "yearly": 12,
}
IRREGULAR = "irregular"

CalendarStatus = Literal["received", "expected", "overdue", "none"]


def month_start(d: date) -> date:
    """The month ``d`` falls in, as its first day: the one representation of a month.

    A day 1 is returned as it is: most callers pass months already (hundreds of
    thousands per report sweep), and reading ``day`` costs less than a new date.
    """
    return d if d.day == 1 else d.replace(day=1)


def add_months(month: date, n: int) -> date:
    """The month ``n`` months after ``month`` (before it when ``n`` is negative), on day 1.

    Counting whole months from a month index avoids the end-of-month question
    (31 January + 1 month) altogether: a month has no day to clip.
    """
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@lru_cache(maxsize=1024)
def _month_range(first: date, last: date) -> tuple[date, ...]:
    return tuple(add_months(first, n) for n in range(months_between(first, last) + 1))


def month_range(first: date, last: date) -> tuple[date, ...]:
    """Every month from ``first``'s to ``last``'s, both included; empty when ``last`` is before.

    Cached: a report sweep walks the same few ranges (a user's history, a source's
    active months) for every user, so each is built once instead of month by month.
    """
    return _month_range(month_start(first), month_start(last))


def months_between(start: date, end: date) -> int:
    """How many months ``end``'s month lies after ``start``'s (negative when before)."""
    return (end.year - start.year) * 12 + end.month - start.month


def monthly_totals(entries: Iterable[tuple[date, Decimal]]) -> dict[date, Decimal]:
    """Sum dated amounts per month, keyed by ``month_start``.

    Every monthly figure reads a series through this, so a payment dated the 17th
    counts toward its month however the caller keyed it. The sums are exact: amounts
    in cents add up to cents.
    """
    totals: dict[date, Decimal] = {}
    with localcontext(EXACT):  # a sum of cents is exact anyway; a longer amount is kept whole
        for day, amount in entries:
            month = month_start(day)
            totals[month] = totals.get(month, Decimal(0)) + amount
    return totals


def _is_month(day: date) -> bool:
    return day.day == 1


def by_month(series: Mapping[date, Decimal]) -> Mapping[date, Decimal]:
    """``series`` keyed by month: itself when every key is a month already (as the
    reports build their series), else its ``monthly_totals``."""
    if all(map(_is_month, series)):
        return series
    return monthly_totals(series.items())


def expected_payout_months(
    *,
    rhythm: str,
    next_payout: date | None,
    start: date,
    months: int = 12,
    from_month: date,
) -> list[date]:
    """The months in ``[from_month, from_month + months)`` in which a payout is expected.

    Payouts are anchored on ``next_payout`` (the user's "next expected date", §2), or on
    the source's ``start`` when none is given, and repeat every interval of the rhythm
    both backwards and forwards, so a quarterly dividend due in March is also expected
    in June, September and December, and was in the December before. No payout is
    expected before the month the source started: it did not exist yet. An irregular
    source has no schedule and expects nothing. An unknown rhythm is a programming
    error and raises ``ValueError`` rather than silently expecting nothing.
    """
    if rhythm == IRREGULAR:
        return []
    interval = PAYOUT_INTERVAL_MONTHS.get(rhythm)
    if interval is None:
        raise ValueError(f"Unknown payout rhythm {rhythm!r}.")
    anchor = month_start(next_payout if next_payout is not None else start)
    started = month_start(start)
    first = month_start(from_month)
    candidates = (add_months(first, offset) for offset in range(months))
    return [
        month
        for month in candidates
        if month >= started and months_between(anchor, month) % interval == 0
    ]


@dataclass(frozen=True)
class CalendarEntry:
    """One month of the income calendar: what was expected beside what arrived."""

    month: date
    expected: bool
    received: Decimal
    status: CalendarStatus


def calendar(
    *,
    expected_months: list[date],
    received: Mapping[date, Decimal],
    from_month: date,
    months: int = 12,
    today: date,
) -> list[CalendarEntry]:
    """The income calendar of ``months`` months from ``from_month`` (PRODUCT.md §3).

    Status of a month, in this order:

    - ``received``: something positive arrived, expected or not (a payment is what
      happened; it settles the month whatever the plan said);
    - ``overdue``: a payout was expected and the month has fully passed (it lies
      before ``today``'s month) without one; the current month is never overdue,
      since a payout may still arrive on its last day;
    - ``expected``: a payout is expected and its month has not passed;
    - ``none``: nothing expected and nothing received.

    ``received`` may be keyed by any day; amounts are summed per month.
    """
    expected = {month_start(month) for month in expected_months}
    totals = monthly_totals(received.items())
    current = month_start(today)
    first = month_start(from_month)
    entries: list[CalendarEntry] = []
    for offset in range(months):
        month = add_months(first, offset)
        amount = totals.get(month, NOTHING)
        is_expected = month in expected
        status: CalendarStatus
        if amount > 0:
            status = "received"
        elif is_expected and month < current:
            status = "overdue"
        elif is_expected:
            status = "expected"
        else:
            status = "none"
        entries.append(
            CalendarEntry(month=month, expected=is_expected, received=amount, status=status)
        )
    return entries


def expected_payout_amount(
    *, monthly_net: Mapping[date, Decimal], started: date, rhythm: str, today: date
) -> Decimal | None:
    """How much one expected payout of a source should bring, net, in cents.

    The source's average complete month of the last year (the 12 months before
    ``today``'s month, or those since it started when it is younger) times the months a
    payout of its rhythm covers: a quarterly dividend that brought 60 a month is expected
    at 180. The calendar looks at what a source did, not at its plan (the plan is a
    scenario's business and lives above ``income``), so a source with no complete month
    yet, one that earned nothing, and an irregular one have no expected amount (None):
    the calendar then says "expected" without a figure rather than inventing one.
    """
    interval = PAYOUT_INTERVAL_MONTHS.get(rhythm)
    if interval is None:
        return None
    current = month_start(today)
    months = [
        month
        for month in month_range(add_months(current, -12), add_months(current, -1))
        if month >= month_start(started)
    ]
    if not months:
        return None
    series = by_month(monthly_net)
    with localcontext(EXACT):
        total = sum((series.get(month, NOTHING) for month in months), NOTHING)
        if total <= 0:
            return None
        return to_cents(total / len(months) * interval)
