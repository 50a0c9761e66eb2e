"""Creator income at the personal rate and the Kleinunternehmer monitor (§19 UStG)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance.tax.business import (
    KLEINUNTERNEHMER_WARNING_SHARE,
    business_year,
    kleinunternehmer_status,
)
from finance.tax.facts import KNOWN_FACTS

D = Decimal
FACTS = KNOWN_FACTS[2025]


def months(amounts: list[str], year: int = 2025) -> dict[date, Decimal]:
    return {date(year, index + 1, 1): D(amount) for index, amount in enumerate(amounts)}


def test_creator_profit_is_income_less_costs_at_the_marginal_rate() -> None:
    year = business_year(income=D("30000.00"), costs=D("8250.50"), marginal_rate=D("0.35"))
    # 30,000.00 − 8,250.50 = 21,749.50; × 35 % = 7,612.325 → 7,612.33 (half up)
    assert year.profit == D("21749.50")
    assert year.tax == D("7612.33")


def test_a_loss_saves_tax() -> None:
    year = business_year(income=D("1000.00"), costs=D("1500.00"), marginal_rate=D("0.3"))
    assert year.profit == D("-500.00")
    assert year.tax == D("-150.00")


def test_creator_income_crossing_100000_in_october_ends_the_status_there() -> None:
    status = kleinunternehmer_status(
        facts=FACTS,
        previous_year_turnover=D("20000.00"),
        monthly_turnover=months(["9000.00"] * 9 + ["20000.00", "5000.00", "5000.00"]),
    )
    # previous year 20,000 ≤ 25,000: the status applies in 2025
    assert not status.ruled_out_by_previous_year
    # running: Jan 9,000, Feb 18,000, Mar 27,000, … Aug 72,000, Sep 81,000, Oct 101,000
    # 80 % of 100,000 = 80,000 first reached in September
    assert status.current_limit * KLEINUNTERNEHMER_WARNING_SHARE == D("80000.0")
    assert status.current_limit_warning == date(2025, 9, 1)
    # over 100,000 in October: the status ends with October's crossing sale
    assert status.current_limit_exceeded == date(2025, 10, 1)
    assert status.current_limit_ends_status
    # next year: 80 % of 25,000 = 20,000, reached in March (27,000), crossed then too
    assert status.next_year_limit_warning == date(2025, 3, 1)
    assert status.next_year_limit_exceeded == date(2025, 3, 1)
    assert status.turnover == D("111000.00")


def test_exactly_the_limit_is_not_over_it_but_warns() -> None:
    status = kleinunternehmer_status(
        facts=FACTS, previous_year_turnover=D(0), monthly_turnover=months(["25000.00"])
    )
    assert status.next_year_limit_exceeded is None
    assert status.next_year_limit_warning == date(2025, 1, 1)


def test_last_years_turnover_over_25000_rules_the_status_out() -> None:
    status = kleinunternehmer_status(
        facts=FACTS, previous_year_turnover=D("25000.01"), monthly_turnover={}
    )
    assert status.ruled_out_by_previous_year
    assert status.turnover == D(0)
    assert status.current_limit_exceeded is None


def test_a_business_started_this_year_has_the_25000_limit() -> None:
    status = kleinunternehmer_status(
        facts=FACTS,
        previous_year_turnover=D(0),
        monthly_turnover={date(2025, 7, 20): D("15000.00"), date(2025, 8, 3): D("12000.00")},
        started_this_year=True,
    )
    # July 15,000; August 27,000 > 25,000
    assert status.current_limit == D(25_000)
    assert status.current_limit_exceeded == date(2025, 8, 1)
    assert not status.ruled_out_by_previous_year


def test_2024_had_the_old_limits_as_a_forecast() -> None:
    status = kleinunternehmer_status(
        facts=KNOWN_FACTS[2024],
        previous_year_turnover=D("21000.00"),
        monthly_turnover=months(["30000.00", "30000.00"], year=2024),
        next_year_facts=FACTS,
    )
    assert not status.ruled_out_by_previous_year  # 21,000 ≤ 22,000
    assert status.current_limit == D(50_000)
    assert status.current_limit_exceeded == date(2024, 2, 1)
    assert not status.current_limit_ends_status
    assert status.next_year_limit == D(25_000)  # 2025's previous-year limit


def test_turnover_outside_the_year_raises() -> None:
    with pytest.raises(ValueError, match="2025"):
        kleinunternehmer_status(
            facts=FACTS,
            previous_year_turnover=D(0),
            monthly_turnover={date(2024, 12, 1): D(1)},
        )
