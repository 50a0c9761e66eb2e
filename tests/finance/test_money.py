"""Currency conversion with ECB rates: units of the currency per 1 EUR."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.money import EUR_RATE, convert, rate_on, to_eur
from finance.rounding import to_cents

D = Decimal
USD = D("1.0850")
GBP = D("0.8400")
JPY = D("162.50")


# ----------------------------------------------------------------------------- to_eur
def test_to_eur_divides_by_the_rate() -> None:
    # USD 108.50 / 1.0850 = EUR 100
    assert to_eur(amount=D("108.50"), rate=USD) == D("100")
    assert to_eur(amount=D("12.34"), rate=EUR_RATE) == D("12.34")


def test_to_eur_is_not_rounded() -> None:
    # 100 / 3 = 33.333…: kept to the end, rounded only by the caller
    result = to_eur(amount=D("100"), rate=D("3"))
    assert to_cents(result) == D("33.33")
    assert result != to_cents(result)
    assert abs(result * 3 - 100) < D("1e-1000")


@pytest.mark.parametrize("rate", [D("0"), D("-1.0850"), D("NaN"), D("Infinity")])
def test_to_eur_refuses_a_rate_that_is_not_positive(rate: Decimal) -> None:
    with pytest.raises(ValueError, match="rate"):
        to_eur(amount=D("100"), rate=rate)


# ---------------------------------------------------------------------------- convert
def test_convert_goes_through_the_euro_and_rounds_to_cents() -> None:
    # USD 100 / 1.0850 = 92.1658986… → EUR 92.17
    assert convert(amount=D("100"), from_rate=USD, to_rate=EUR_RATE) == D("92.17")
    # EUR 100 × 1.0850 = USD 108.50
    assert convert(amount=D("100"), from_rate=EUR_RATE, to_rate=USD) == D("108.50")
    # USD 100 / 1.0850 × 0.8400 = 77.4193548… → GBP 77.42
    assert convert(amount=D("100"), from_rate=USD, to_rate=GBP) == D("77.42")
    # JPY 1000 / 162.50 = 6.1538… → EUR 6.15
    assert convert(amount=D("1000"), from_rate=JPY, to_rate=EUR_RATE) == D("6.15")


def test_convert_rounds_half_up() -> None:
    # 0.125 → 0.13; −0.125 → −0.13 (away from zero)
    assert convert(amount=D("0.125"), from_rate=EUR_RATE, to_rate=EUR_RATE) == D("0.13")
    assert convert(amount=D("-0.125"), from_rate=EUR_RATE, to_rate=EUR_RATE) == D("-0.13")


def test_converting_nothing_is_nothing() -> None:
    assert convert(amount=D("0"), from_rate=USD, to_rate=GBP) == D("0.00")


@pytest.mark.parametrize(("from_rate", "to_rate"), [(D("0"), USD), (USD, D("0")), (USD, D("-1"))])
def test_convert_refuses_a_rate_that_is_not_positive(from_rate: Decimal, to_rate: Decimal) -> None:
    with pytest.raises(ValueError, match="rate"):
        convert(amount=D("100"), from_rate=from_rate, to_rate=to_rate)


# ---------------------------------------------------------------------------- rate_on
RATES = [
    (date(2024, 3, 4), D("1.0900")),
    (date(2024, 3, 1), D("1.0800")),
    (date(2024, 3, 5), D("1.1000")),
]


def test_the_rate_of_a_day_is_the_latest_on_or_before_it() -> None:
    assert rate_on(RATES, date(2024, 3, 4)) == D("1.0900")
    # Sunday 3 March: no fixing, Friday's rate applies
    assert rate_on(RATES, date(2024, 3, 3)) == D("1.0800")
    assert rate_on(RATES, date(2030, 1, 1)) == D("1.1000")


def test_there_is_no_rate_before_the_first_one() -> None:
    assert rate_on(RATES, date(2024, 2, 29)) is None
    assert rate_on([], date(2024, 3, 4)) is None


def test_of_two_rates_on_one_date_the_later_one_wins() -> None:
    rates = [(date(2024, 3, 1), D("1.0800")), (date(2024, 3, 1), D("1.0811"))]
    assert rate_on(rates, date(2024, 3, 2)) == D("1.0811")


def test_rate_on_leaves_its_input_alone() -> None:
    rates = list(RATES)
    rate_on(rates, date(2024, 3, 4))
    assert rates == RATES


# ------------------------------------------------------------------------- properties
amounts = st.decimals(
    min_value=-10_000_000, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
)
rates = st.decimals(
    min_value=D("0.0001"), max_value=D("100000"), places=4, allow_nan=False, allow_infinity=False
)


@given(amount=amounts, from_rate=rates, to_rate=rates)
@settings(max_examples=500, deadline=None)
def test_a_round_trip_through_a_smaller_unit_comes_back_within_a_cent(
    amount: Decimal, from_rate: Decimal, to_rate: Decimal
) -> None:
    # there and back: error ≤ 0.005 × from_rate / to_rate + 0.005, a cent when to ≥ from
    low, high = sorted((from_rate, to_rate))
    there = convert(amount=amount, from_rate=low, to_rate=high)
    back = convert(amount=there, from_rate=high, to_rate=low)
    assert abs(back - amount) <= D("0.01")


@given(amount=amounts, from_rate=rates, to_rate=rates)
@settings(max_examples=500, deadline=None)
def test_a_round_trip_errs_by_at_most_half_a_cent_scaled_back(
    amount: Decimal, from_rate: Decimal, to_rate: Decimal
) -> None:
    there = convert(amount=amount, from_rate=from_rate, to_rate=to_rate)
    back = convert(amount=there, from_rate=to_rate, to_rate=from_rate)
    assert abs(back - amount) <= D("0.005") * from_rate / to_rate + D("0.005")


@given(
    pairs=st.lists(
        st.tuples(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), rates),
        max_size=30,
    ),
    day=st.dates(min_value=date(1999, 1, 1), max_value=date(2031, 12, 31)),
)
@settings(max_examples=300, deadline=None)
def test_rate_on_agrees_with_a_linear_scan(pairs: list[tuple[date, Decimal]], day: date) -> None:
    expected = None
    latest = None
    for rate_date, rate in pairs:  # the later of equal dates wins, as documented
        if rate_date <= day and (latest is None or rate_date >= latest):
            latest, expected = rate_date, rate
    assert rate_on(pairs, day) == expected
