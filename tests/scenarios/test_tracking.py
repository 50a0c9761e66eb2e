"""Plan vs actual: 20 % behind for three complete months flags a source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scenarios.tracking import track

D = Decimal
START = date(2025, 1, 1)


def test_three_months_more_than_20_percent_behind_flag_the_source() -> None:
    # expected 100 a month; 79.99 is more than 20 % short, 80.00 is exactly 20 % (not behind)
    actual = {date(2025, 2, 1): D("79.99"), date(2025, 3, 1): D("50"), date(2025, 4, 1): D("0")}
    tracking = track(
        name="Blog", expected=[D(100)] * 4, actual={START: D(100), **actual}, start=START
    )
    assert [m.behind for m in tracking.months] == [False, True, True, True]
    assert tracking.flagged
    assert tracking.shortfall == D("170.01")  # 0 + 20.01 + 50 + 100


def test_exactly_20_percent_short_is_not_behind() -> None:
    tracking = track(
        name="Blog", expected=[D(100)] * 3,
        actual={START: D(80), date(2025, 2, 1): D(80), date(2025, 3, 1): D(80)}, start=START,
    )  # fmt: skip
    assert not tracking.flagged


def test_two_bad_months_are_not_enough() -> None:
    tracking = track(name="Blog", expected=[D(100)] * 2, actual={}, start=START)
    assert [m.behind for m in tracking.months] == [True, True]
    assert not tracking.flagged


def test_a_plan_that_expected_nothing_cannot_be_missed() -> None:
    tracking = track(name="Flat", expected=[D(0), D(-10), D(0)], actual={}, start=START)
    assert not any(m.behind for m in tracking.months)
    assert not tracking.flagged
