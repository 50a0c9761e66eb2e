"""Months, expected payouts and the income calendar (PRODUCT.md §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.schedule import (
    PAYOUT_INTERVAL_MONTHS,
    CalendarEntry,
    add_months,
    calendar,
    expected_payout_months,
    month_start,
    monthly_totals,
    months_between,
)

D = Decimal


def m(year: int, month: int) -> date:
    return date(year, month, 1)


# ------------------------------------------------------------------------------ months
def test_a_month_is_its_first_day() -> None:
    assert month_start(date(2024, 2, 29)) == m(2024, 2)
    assert month_start(m(2024, 2)) == m(2024, 2)


def test_add_months_crosses_years_both_ways() -> None:
    assert add_months(m(2024, 11), 3) == m(2025, 2)
    assert add_months(m(2024, 1), -1) == m(2023, 12)
    # 2024-03 − 15 months = 2022-12
    assert add_months(m(2024, 3), -15) == m(2022, 12)
    assert add_months(m(2024, 3), 0) == m(2024, 3)


def test_add_months_has_no_end_of_month_to_clip() -> None:
    assert add_months(date(2024, 1, 31), 1) == m(2024, 2)


def test_months_between_counts_whole_months() -> None:
    assert months_between(m(2024, 11), m(2025, 2)) == 3
    assert months_between(date(2025, 2, 28), date(2024, 11, 1)) == -3
    assert months_between(m(2024, 5), date(2024, 5, 31)) == 0


def test_monthly_totals_sum_dated_amounts_per_month() -> None:
    totals = monthly_totals(
        [
            (date(2024, 5, 3), D("10.10")),
            (date(2024, 5, 28), D("5.05")),
            (date(2024, 6, 1), D("-1.00")),
        ]
    )
    # 10.10 + 5.05 = 15.15
    assert totals == {m(2024, 5): D("15.15"), m(2024, 6): D("-1.00")}
    assert monthly_totals([]) == {}


# -------------------------------------------------------------------- expected payouts
def test_the_intervals_of_the_rhythms() -> None:
    assert PAYOUT_INTERVAL_MONTHS == {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def test_a_quarterly_payout_repeats_every_three_months_from_the_next_one() -> None:
    result = expected_payout_months(
        rhythm="quarterly",
        next_payout=date(2025, 3, 15),
        start=date(2020, 1, 1),
        from_month=m(2025, 1),
    )
    assert result == [m(2025, 3), m(2025, 6), m(2025, 9), m(2025, 12)]


def test_the_phase_is_kept_backwards_from_a_later_next_payout() -> None:
    # next payout in September: June and March lie 3 and 6 months before it
    result = expected_payout_months(
        rhythm="quarterly",
        next_payout=date(2025, 9, 10),
        start=date(2020, 1, 1),
        from_month=m(2025, 1),
    )
    assert result == [m(2025, 3), m(2025, 6), m(2025, 9), m(2025, 12)]


def test_a_monthly_payout_is_expected_every_month() -> None:
    result = expected_payout_months(
        rhythm="monthly",
        next_payout=date(2025, 2, 1),
        start=date(2020, 1, 1),
        from_month=m(2025, 1),
    )
    assert result == [m(2025, i) for i in range(1, 13)]


def test_without_a_next_payout_the_start_is_the_anchor() -> None:
    result = expected_payout_months(
        rhythm="yearly", next_payout=None, start=date(2019, 5, 20), from_month=m(2025, 1)
    )
    assert result == [m(2025, 5)]


def test_a_half_yearly_payout_over_two_years() -> None:
    result = expected_payout_months(
        rhythm="half_yearly",
        next_payout=date(2025, 2, 28),
        start=date(2024, 1, 1),
        months=24,
        from_month=m(2025, 1),
    )
    assert result == [m(2025, 2), m(2025, 8), m(2026, 2), m(2026, 8)]


def test_nothing_is_expected_before_the_source_started() -> None:
    result = expected_payout_months(
        rhythm="monthly", next_payout=None, start=date(2025, 6, 15), from_month=m(2025, 1)
    )
    assert result == [m(2025, i) for i in range(6, 13)]


def test_an_irregular_source_expects_nothing() -> None:
    result = expected_payout_months(
        rhythm="irregular",
        next_payout=date(2025, 3, 1),
        start=date(2020, 1, 1),
        from_month=m(2025, 1),
    )
    assert result == []


def test_an_empty_window_expects_nothing() -> None:
    result = expected_payout_months(
        rhythm="monthly", next_payout=None, start=date(2020, 1, 1), months=0, from_month=m(2025, 1)
    )
    assert result == []


def test_an_unknown_rhythm_is_refused() -> None:
    with pytest.raises(ValueError, match="weekly"):
        expected_payout_months(
            rhythm="weekly", next_payout=None, start=date(2020, 1, 1), from_month=m(2025, 1)
        )


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(
    rhythm=st.sampled_from(sorted(PAYOUT_INTERVAL_MONTHS)),
    next_payout=st.none() | days,
    start=days,
    from_day=days,
    window=st.integers(min_value=0, max_value=36),
)
@settings(max_examples=300, deadline=None)
def test_expected_months_keep_the_anchors_phase(
    rhythm: str, next_payout: date | None, start: date, from_day: date, window: int
) -> None:
    interval = PAYOUT_INTERVAL_MONTHS[rhythm]
    result = expected_payout_months(
        rhythm=rhythm, next_payout=next_payout, start=start, months=window, from_month=from_day
    )
    anchor = next_payout or start
    first = month_start(from_day)
    assert all(month.day == 1 for month in result)
    assert all(first <= month < add_months(first, window) for month in result)
    assert all(month >= month_start(start) for month in result)
    assert all(months_between(anchor, month) % interval == 0 for month in result)
    assert all(months_between(a, b) == interval for a, b in pairwise(result))
    # no expected month is missed: every in-phase month of the window after the start is there
    in_phase = [
        add_months(first, i)
        for i in range(window)
        if months_between(anchor, add_months(first, i)) % interval == 0
        and add_months(first, i) >= month_start(start)
    ]
    assert result == in_phase


# ---------------------------------------------------------------------------- calendar
def test_the_calendar_sets_each_months_status() -> None:
    entries = calendar(
        expected_months=[m(2025, 1), m(2025, 3), m(2025, 4), m(2025, 7)],
        received={date(2025, 1, 12): D("50.00"), date(2025, 2, 3): D("10.00")},
        from_month=m(2025, 1),
        today=date(2025, 4, 15),
    )
    assert len(entries) == 12
    assert entries[:7] == [
        CalendarEntry(month=m(2025, 1), expected=True, received=D("50.00"), status="received"),
        # received though nothing was expected: what happened settles the month
        CalendarEntry(month=m(2025, 2), expected=False, received=D("10.00"), status="received"),
        # March has passed without the expected payout
        CalendarEntry(month=m(2025, 3), expected=True, received=D("0.00"), status="overdue"),
        # April is the current month: a payout may still come
        CalendarEntry(month=m(2025, 4), expected=True, received=D("0.00"), status="expected"),
        CalendarEntry(month=m(2025, 5), expected=False, received=D("0.00"), status="none"),
        CalendarEntry(month=m(2025, 6), expected=False, received=D("0.00"), status="none"),
        CalendarEntry(month=m(2025, 7), expected=True, received=D("0.00"), status="expected"),
    ]
    assert [entry.status for entry in entries[7:]] == ["none"] * 5
    assert entries[-1].month == m(2025, 12)


def test_the_calendar_sums_the_payments_of_a_month() -> None:
    entries = calendar(
        expected_months=[m(2025, 1)],
        received={date(2025, 1, 5): D("20.00"), date(2025, 1, 25): D("30.55")},
        from_month=m(2025, 1),
        months=1,
        today=date(2025, 3, 1),
    )
    # 20.00 + 30.55 = 50.55
    assert entries == [
        CalendarEntry(month=m(2025, 1), expected=True, received=D("50.55"), status="received")
    ]


def test_a_refund_does_not_settle_an_expected_month() -> None:
    entries = calendar(
        expected_months=[m(2025, 1)],
        received={m(2025, 1): D("-5.00")},
        from_month=m(2025, 1),
        months=1,
        today=date(2025, 3, 1),
    )
    assert entries[0].status == "overdue"
    assert entries[0].received == D("-5.00")


def test_a_calendar_without_payments_or_expectations_is_all_none() -> None:
    entries = calendar(
        expected_months=[], received={}, from_month=m(2025, 1), today=date(2025, 6, 1)
    )
    assert [entry.status for entry in entries] == ["none"] * 12
    assert all(entry.received == 0 for entry in entries)
