"""The return of an asset still owned (PRODUCT.md §3, issue #17.6): total return and
income yield, pure, with the hand arithmetic beside each case."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finance import figures
from finance.rounding import EXACT

D = Decimal


def test_the_etf_that_kept_its_value_gained_instead_of_losing_95_percent() -> None:
    # 60,000 put in, 2,800 net income to date, recorded value 63,000:
    # total return = 2,800 + 63,000 − 60,000 = 5,800; 5,800 / 60,000 = 0.09666… → 9.67 %
    put_in = figures.money_put_in(upfront=D("60000.00"), costs=D("0.00"))
    gained = figures.total_return(income=D("2800.00"), value=D("63000.00"), put_in=put_in)
    assert put_in == D("60000.00")
    assert gained == figures.TotalReturn(amount=D("5800.00"), ratio=D("0.0967"))
    # the cash ROI of the same ETF counts the 60,000 as spent: (2,800 − 60,000) / 60,000
    assert figures.cash_roi(net_income=D("2800.00"), costs=D(0), upfront=D("60000.00")) == D(
        "-0.9533"
    )


def test_money_put_in_is_the_upfront_money_plus_the_costs_to_date() -> None:
    # a flat: 36,000 equity upfront and 37 months of 180 costs = 6,660; 42,660 in all
    assert figures.money_put_in(upfront=D("36000.00"), costs=D("6660.00")) == D("42660.00")


def test_a_fallen_value_can_make_the_total_return_negative() -> None:
    # 20,000 + 1,200 costs = 21,200 put in; 3,000 income; value down to 15,000:
    # 3,000 + 15,000 − 21,200 = −3,200; −3,200 / 21,200 = −0.150943… → −15.09 %
    put_in = figures.money_put_in(upfront=D("20000.00"), costs=D("1200.00"))
    gained = figures.total_return(income=D("3000.00"), value=D("15000.00"), put_in=put_in)
    assert gained == figures.TotalReturn(amount=D("-3200.00"), ratio=D("-0.1509"))


def test_the_ratio_divides_the_unrounded_amount_and_rounds_once() -> None:
    # 0.005 income, value 0, 3.00 put in: amount −2.995 → −3.00 shown (half up, away from
    # zero), but the ratio is −2.995 / 3 = −0.998333… → −0.9983, not −3.00 / 3 = −1.0000
    gained = figures.total_return(income=D("0.005"), value=D(0), put_in=D("3.00"))
    assert gained == figures.TotalReturn(amount=D("-3.00"), ratio=D("-0.9983"))


def test_a_return_on_nothing_put_in_has_an_amount_but_no_ratio() -> None:
    # an inherited ETF: nothing upfront, no costs; 500 income + 10,000 value − 0
    gained = figures.total_return(income=D("500.00"), value=D("10000.00"), put_in=D(0))
    assert gained == figures.TotalReturn(amount=D("10500.00"), ratio=None)


def test_the_income_yield_divides_the_last_twelve_months_by_the_value() -> None:
    # 1,134.00 net in the last 12 months on a depot worth 63,000: 0.018 → 1.80 %
    assert figures.income_yield(income_ttm=D("1134.00"), base=D("63000.00")) == D("0.0180")
    # 8,280 rent after costs on a flat worth 43,800 (equity): 0.189041… → 18.90 %
    assert figures.income_yield(income_ttm=D("8280.00"), base=D("43800.00")) == D("0.1890")


def test_the_income_yield_of_nothing_is_undefined() -> None:
    assert figures.income_yield(income_ttm=D("100.00"), base=D(0)) is None
    assert figures.income_yield(income_ttm=D("100.00"), base=D("-1.00")) is None


cents = st.decimals(min_value=D("-1e9"), max_value=D("1e9"), places=2)
positive = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2)


@given(income=cents, value=cents, put_in=positive)
def test_the_parts_always_add_up(income: Decimal, value: Decimal, put_in: Decimal) -> None:
    """Amounts in cents: the total return is exactly income + value − put in, and its
    ratio is that amount per unit put in, rounded once to four places."""
    gained = figures.total_return(income=income, value=value, put_in=put_in)
    assert gained.amount == income + value - put_in
    assert gained.ratio == figures.to_ratio(EXACT.divide(gained.amount, put_in))
