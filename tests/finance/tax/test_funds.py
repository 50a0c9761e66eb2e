"""The Vorabpauschale (§18 InvStG) and the partial exemption: hand-computed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.rounding import to_cents
from finance.tax.facts import KNOWN_FACTS, FundType
from finance.tax.funds import first_working_day, fund_taxable, vorabpauschale

D = Decimal
FACTS_2025 = KNOWN_FACTS[2025]


def test_an_equity_etf_bought_in_march_pays_ten_twelfths_of_its_vorabpauschale() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("110.00"),
        distributions_per_unit=D(0),
        units=D(20),
        bought_on=date(2025, 3, 14),
    )
    # base yield per unit = 100.00 × 2.53 % × 0.7 = 1.771
    assert result.base_yield_per_unit == D("1.771")
    # gain per unit = 110.00 − 100.00 + 0 = 10.00 > 1.771: no cap
    assert result.per_unit == D("1.771")
    # bought in March: January and February are full months before it → 10/12
    assert result.months == 10
    # gross = 1.771 × 10/12 × 20 = 29.5166… → 29.52
    assert result.gross == D("29.52")
    # taxable = 29.52 × (1 − 30 %) = 20.664 → 20.66
    assert result.taxable == D("20.66")
    # received on the first working day of 2026: Friday 2 January
    assert result.received_on == date(2026, 1, 2)


def test_a_fund_that_lost_value_has_no_vorabpauschale() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("90.00"),
        distributions_per_unit=D(0),
        units=D(20),
    )
    # base yield 1.771, capped at the gain 90 − 100 + 0 = −10 → below zero → 0
    assert result.gain_per_unit == D("-10.00")
    assert result.per_unit == D(0)
    assert result.gross == D("0.00")
    assert result.taxable == D("0.00")


def test_a_small_gain_caps_the_base_yield() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.MIXED,
        start_price=D("100.00"),
        end_price=D("101.00"),
        distributions_per_unit=D(0),
        units=D(10),
    )
    # min(1.771, 101 − 100) = 1.00 per unit, × 12/12 × 10 = 10.00
    assert result.per_unit == D("1.00")
    assert result.gross == D("10.00")
    # mixed fund: 10.00 × (1 − 15 %) = 8.50
    assert result.taxable == D("8.50")


def test_distributions_are_deducted_from_the_base_yield() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("105.00"),
        distributions_per_unit=D("1.00"),
        units=D(10),
    )
    # min(1.771, 105 − 100 + 1) − 1.00 = 0.771; × 10 = 7.71
    assert result.per_unit == D("0.771")
    assert result.gross == D("7.71")
    # 7.71 × 0.7 = 5.397 → 5.40
    assert result.taxable == D("5.40")


def test_distributions_above_the_base_yield_leave_no_vorabpauschale() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("105.00"),
        distributions_per_unit=D("2.00"),
        units=D(10),
    )
    # min(1.771, 7.00) − 2.00 < 0 → 0
    assert result.gross == D("0.00")


def test_units_bought_in_an_earlier_year_count_the_whole_year() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("110.00"),
        distributions_per_unit=D(0),
        units=D(1),
        bought_on=date(2024, 11, 5),
    )
    assert result.months == 12
    assert result.gross == D("1.77")  # 1.771 → 1.77


def test_units_bought_in_december_count_one_twelfth() -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("110.00"),
        distributions_per_unit=D(0),
        units=D(12),
        bought_on=date(2025, 12, 31),
    )
    # 1.771 × 1/12 × 12 = 1.771 → 1.77
    assert result.months == 1
    assert result.gross == D("1.77")


def test_units_bought_after_the_year_raise() -> None:
    with pytest.raises(ValueError, match="not held"):
        vorabpauschale(
            facts=FACTS_2025,
            fund_type=FundType.EQUITY,
            start_price=D(100),
            end_price=D(110),
            distributions_per_unit=D(0),
            units=D(1),
            bought_on=date(2026, 1, 5),
        )


def test_a_negative_price_raises() -> None:
    with pytest.raises(ValueError, match="negative"):
        vorabpauschale(
            facts=FACTS_2025,
            fund_type=FundType.EQUITY,
            start_price=D(-1),
            end_price=D(110),
            distributions_per_unit=D(0),
            units=D(1),
        )


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2026, date(2026, 1, 2)),  # 2 January a Friday
        (2024, date(2024, 1, 2)),  # a Tuesday
        (2022, date(2022, 1, 3)),  # 2 January a Sunday → Monday
        (2021, date(2021, 1, 4)),  # 2 January a Saturday → Monday
    ],
)
def test_the_first_working_day_skips_new_year_and_the_weekend(year: int, day: date) -> None:
    assert first_working_day(year) == day


def test_fund_taxable_leaves_out_the_partial_exemption() -> None:
    # 100.00 × (1 − 80 %) = 20.00 for a foreign real-estate fund
    assert fund_taxable(
        gross=D("100.00"), fund_type=FundType.FOREIGN_REAL_ESTATE, facts=FACTS_2025
    ) == D("20.00")
    assert fund_taxable(gross=D("0.05"), fund_type=FundType.EQUITY, facts=FACTS_2025) == D(
        "0.04"
    )  # 0.035 → 0.04, half up


prices = st.decimals(min_value=0, max_value=10_000, places=2)


@settings(max_examples=200, deadline=None)
@given(
    start=prices,
    end=prices,
    distributions=st.decimals(min_value=0, max_value=100, places=2),
    units=st.decimals(min_value=0, max_value=10_000, places=3),
    month=st.integers(min_value=1, max_value=12),
    fund_type=st.sampled_from(FundType),
)
def test_the_vorabpauschale_is_never_negative_nor_above_the_base_yield(
    start: Decimal,
    end: Decimal,
    distributions: Decimal,
    units: Decimal,
    month: int,
    fund_type: FundType,
) -> None:
    result = vorabpauschale(
        facts=FACTS_2025,
        fund_type=fund_type,
        start_price=start,
        end_price=end,
        distributions_per_unit=distributions,
        units=units,
        bought_on=date(2025, month, 1),
    )
    assert D(0) <= result.per_unit <= result.base_yield_per_unit
    assert D(0) <= result.taxable <= result.gross
    assert result.gross <= to_cents(result.base_yield_per_unit * units)
