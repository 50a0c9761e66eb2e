"""The seed's calculator (seeds/004): exact Decimals, properties, and an independent oracle."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from finance.calculator import MAX_AMOUNT, calculate
from finance.errors import DomainError
from finance.rounding import EXACT

D = Decimal
SEED: dict[str, Any] = {
    "initial_investment": D("10000"),
    "annual_return": D("0.05"),
    "investment_period": 10,
    "tax_rate": D("0.15"),
    "additional_income": D("1000"),
}


def test_the_seeds_worked_example_comes_out_to_the_cent() -> None:
    result = calculate(**SEED)
    # 10000 × 1.05^10 = 16288.946267774414... → gross 6288.95 (rounded first)
    assert result.gross_income == D("6288.95")
    # 6288.95 × 0.85 = 5345.6075 → 5345.61; + 1000 = 6345.61
    assert result.net_income == D("6345.61")
    # tax shown is gross minus the after-tax amount, so the parts add up
    assert result.tax == D("943.34")
    assert result.final_capital == D("16288.95")


def test_each_year_is_computed_from_the_exact_capital() -> None:
    rows = calculate(**SEED).yearly
    assert [row.year for row in rows] == list(range(1, 11))
    # year 1: 10500.00; gain 500.00; tax 75.00; net 425.00 + 1000
    assert (rows[0].capital, rows[0].gross_income, rows[0].tax, rows[0].net_income) == (
        D("10500.00"),
        D("500.00"),
        D("75.00"),
        D("1425.00"),
    )
    # year 3: 10000 × 1.157625 = 11576.25; 1576.25 × 0.85 = 1339.8125 → 1339.81; tax 236.44
    assert (rows[2].capital, rows[2].tax, rows[2].net_income) == (
        D("11576.25"),
        D("236.44"),
        D("2339.81"),
    )


def test_rounding_is_half_up_on_the_gross() -> None:
    # 1000 × 1.00005^1 − 1000 = 0.05 exactly; 100.10 × 1.00005 = 100.105005 → gain 0.005005 → 0.01
    result = calculate(
        initial_investment=D("100.10"),
        annual_return=D("0.00005"),
        investment_period=1,
        tax_rate=D("0"),
        additional_income=D("0"),
    )
    assert result.gross_income == D("0.01")


def test_net_rounds_the_after_tax_amount_not_the_tax() -> None:
    # gross 0.05 × (1 − 0.5) = 0.025 → 0.03 after tax; tax shown 0.02 (not 0.025 → 0.03)
    result = calculate(
        initial_investment=D("1.00"),
        annual_return=D("0.05"),
        investment_period=1,
        tax_rate=D("0.5"),
        additional_income=D("0"),
    )
    assert (result.gross_income, result.tax, result.net_income) == (D("0.05"), D("0.02"), D("0.03"))


def test_a_loss_pays_no_tax() -> None:
    # 10000 × 0.9^2 = 8100 → gross −1900; net = −1900 + 500
    result = calculate(
        initial_investment=D("10000"),
        annual_return=D("-0.1"),
        investment_period=2,
        tax_rate=D("0.26375"),
        additional_income=D("500"),
    )
    assert result.gross_income == D("-1900.00")
    assert result.tax == D("0.00")
    assert result.net_income == D("-1400.00")


def test_zero_years_earns_nothing_but_the_additional_income() -> None:
    result = calculate(**{**SEED, "investment_period": 0})
    assert result.yearly == ()
    assert (result.gross_income, result.tax, result.net_income) == (
        D("0.00"),
        D("0.00"),
        D("1000.00"),
    )
    assert result.final_capital == D("10000.00")


def test_the_largest_inputs_stay_exact() -> None:
    result = calculate(
        initial_investment=MAX_AMOUNT,
        annual_return=D("10"),
        investment_period=100,
        tax_rate=D("1"),
        additional_income=MAX_AMOUNT,
    )
    with localcontext(EXACT):  # an integer number of cents: nothing to round
        exact_capital = MAX_AMOUNT * D(11) ** 100
        exact_gross = exact_capital - MAX_AMOUNT
    assert len(str(exact_capital)) == 121
    assert result.final_capital == exact_capital
    assert result.gross_income == exact_gross
    assert result.net_income == MAX_AMOUNT  # 100 % tax leaves only the additional income


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("initial_investment", D("-0.01")),
        ("initial_investment", D("NaN")),
        ("initial_investment", D("Infinity")),
        ("annual_return", D("-1")),
        ("annual_return", D("10.00000001")),
        ("investment_period", -1),
        ("investment_period", 101),
        ("tax_rate", D("1.01")),
        ("tax_rate", D("-0.01")),
        ("additional_income", D("-1")),
        ("additional_income", MAX_AMOUNT + D("0.01")),
    ],
)
def test_inputs_outside_the_bounds_are_refused_with_their_field(field: str, value: object) -> None:
    with pytest.raises(DomainError) as caught:
        calculate(**{**SEED, field: value})
    assert list(caught.value.field_errors) == [field]


# ---------------------------------------------------------------------------- properties
amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
returns = st.decimals(min_value=D("-0.99"), max_value=D("1"), places=4, allow_nan=False)
taxes = st.decimals(min_value=0, max_value=1, places=5, allow_nan=False)
years = st.integers(min_value=0, max_value=60)


@given(p=amounts, r=returns, n=years, tax=taxes, extra=amounts)
@settings(max_examples=300, deadline=None)
def test_the_parts_always_add_up(
    p: Decimal, r: Decimal, n: int, tax: Decimal, extra: Decimal
) -> None:
    result = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=tax,
        additional_income=extra,
    )
    assert result.gross_income - result.tax + extra == result.net_income
    assert result.tax >= 0
    assert result.tax <= max(result.gross_income, D(0))
    if result.gross_income <= 0:
        assert result.tax == 0
    for value in (result.gross_income, result.tax, result.net_income, result.final_capital):
        assert value == value.quantize(D("0.01"))
    if n:
        last = result.yearly[-1]
        assert (last.gross_income, last.tax, last.net_income) == (
            result.gross_income,
            result.tax,
            result.net_income,
        )


@given(
    p=amounts, r=st.decimals(min_value=0, max_value=1, places=4), n=st.integers(1, 40), tax=taxes
)
@settings(max_examples=200, deadline=None)
def test_capital_never_shrinks_with_a_non_negative_return(
    p: Decimal, r: Decimal, n: int, tax: Decimal
) -> None:
    rows = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=tax,
        additional_income=D(0),
    ).yearly
    capitals = [row.capital for row in rows]
    assert capitals == sorted(capitals)


@given(p=amounts, r=returns, n=years, extra=amounts)
@settings(max_examples=200, deadline=None)
def test_without_tax_net_is_gross_plus_additional(
    p: Decimal, r: Decimal, n: int, extra: Decimal
) -> None:
    result = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=D(0),
        additional_income=extra,
    )
    assert result.net_income == result.gross_income + extra


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")
@given(p=amounts, r=returns, n=st.integers(0, 60))
@settings(max_examples=300, deadline=None)
def test_numpy_financial_fv_agrees_within_a_cent(p: Decimal, r: Decimal, n: int) -> None:
    """numpy-financial is an independent float implementation of the same future value."""
    future_value = float(npf.fv(float(r), n, 0, -float(p)))
    assume(abs(future_value) < 1e11)  # beyond that a float has no cents left to compare
    result = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=D(0),
        additional_income=D(0),
    )
    assert abs(float(result.final_capital) - future_value) <= 0.01
    assert abs(float(result.gross_income) - (future_value - float(p))) <= 0.01
