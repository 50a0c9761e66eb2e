"""A scenario saved from the calculator reproduces it exactly (PRODUCT.md §4 "Saved
calculations"; issue 17, item 5): taxed once at the end, not every year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.calculator import calculate
from finance.errors import DomainError
from scenarios.montecarlo import simulate
from scenarios.projection.engine import project
from scenarios.projection.inputs import TAX_AT_END, FlatSource, Plan

D = Decimal


def saved_calculation(**fields: Any) -> Plan:
    """The seed's calculation as a plan: 10,000 at 5 % for 10 years, 15 % tax at the end,
    1,000 one-off additional income, no inflation."""
    defaults: dict[str, Any] = {
        "start": date(2025, 3, 17),
        "horizon_years": 10,
        "starting_capital": D(10000),
        "monthly_contribution": D(0),
        "annual_return": D("0.05"),
        "compounding": "yearly",
        "payout": False,
        "tax_rate": D("0.15"),
        "yearly_allowance": D(0),
        "partial_exemption": D(0),
        "inflation": D(0),
        "additional_yearly_income": D(0),
        "target_monthly_income": D(0),
        "tax_timing": TAX_AT_END,
        "one_off_income": D(1000),
    }
    return Plan(**{**defaults, **fields})


SEED = saved_calculation()


def test_the_seeds_example_is_reproduced_to_the_cent() -> None:
    projection = project(SEED)
    # 10,000 × 1.05^10 = 16,288.946… → 16,288.95; gross 6,288.95;
    # 6,288.95 × 0.85 = 5,345.6075 → 5,345.61; tax 6,288.95 − 5,345.61 = 943.34;
    # net 5,345.61 + 1,000 = 6,345.61. Taxed every year it was 10,000 × 1.0425^10 = 15,162.13.
    assert projection.final_capital == D("16288.95")
    assert projection.years[-1].capital_end == D("16288.95")
    assert projection.calculation is not None
    assert projection.calculation.final_capital == D("16288.95")
    assert projection.calculation.gross_income == D("6288.95")
    assert projection.calculation.tax == D("943.34")
    assert projection.calculation.net_income == D("6345.61")
    assert projection.total_net_income == D("6345.61")


def test_the_year_rows_are_the_calculators_and_add_up_to_its_figures() -> None:
    projection = project(SEED)
    seed = calculate(
        initial_investment=D(10000),
        annual_return=D("0.05"),
        investment_period=10,
        tax_rate=D("0.15"),
        additional_income=D(1000),
    )
    assert [row.capital_end for row in projection.years] == [row.capital for row in seed.yearly]
    # the tax is paid once, in the last year; gains 500.00, 525.00, … add up to the gross
    assert [row.tax for row in projection.years] == [D(0)] * 9 + [D("943.34")]
    assert sum(row.plan_income for row in projection.years) == D("6288.95") + D(1000)
    assert projection.years[0].plan_income == D("500.00")  # 10,000 × 0.05
    assert projection.years[1].plan_income == D("525.00")  # 10,500 × 0.05
    assert sum(row.net_income for row in projection.months) == seed.net_income
    # the one-off income and the tax are in the very last month, nothing before month 12
    assert projection.months[-1].tax == D("943.34")
    assert projection.months[-1].plan_income == D("16288.95") - D("15513.28") + D(1000)
    assert all(row.plan_income == 0 for row in projection.months[:11])


def test_a_loss_pays_no_tax_and_the_net_is_gross_plus_additional() -> None:
    projection = project(
        saved_calculation(annual_return=D("-0.05"), horizon_years=3, one_off_income=D(500))
    )
    # 10,000 × 0.95^3 = 8,573.75; gross −1,426.25, no tax; net −1,426.25 + 500 = −926.25
    assert projection.calculation is not None
    assert projection.final_capital == D("8573.75")
    assert projection.calculation.gross_income == D("-1426.25")
    assert projection.calculation.tax == D(0)
    assert projection.calculation.net_income == D("-926.25")
    assert projection.total_net_income == D("-926.25")
    assert sum(row.tax for row in projection.years) == D(0)


def test_real_capital_keeps_the_deflator_rule() -> None:
    projection = project(saved_calculation(inflation=D("0.02")))
    # end of year 1 is one year ahead: 10,500 / 1.02 = 10,294.117… → 10,294.12
    assert projection.years[0].real_capital_end == D("10294.12")
    # end of year 10: 16,288.95 / 1.02^10 = 16,288.95 / 1.2189944… = 13,362.612… → 13,362.61
    assert projection.years[-1].real_capital_end == D("13362.61")
    # the nominal figures are the calculator's whatever the inflation
    assert projection.calculation == project(SEED).calculation


def test_linked_sources_add_their_net_beside_the_calculation() -> None:
    rent = FlatSource(
        name="Royalties",
        monthly_amount=D(100),
        annual_growth=D(0),
        monthly_costs=D(0),
        tax_rate=D(0),
    )
    projection = project(SEED, sources=[rent])
    # 120 months × 100 = 12,000 on top of the calculator's 6,345.61
    assert projection.total_net_income == D("6345.61") + D(12000)
    assert projection.calculation == project(SEED).calculation


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
returns = st.decimals(min_value=D("-0.99"), max_value=D("1"), places=4, allow_nan=False)
rates = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False)


@given(p=amounts, r=returns, n=st.integers(1, 40), tax=rates, additional=amounts)
@settings(max_examples=100, deadline=None)
def test_any_saved_calculation_equals_the_calculator(
    p: Decimal, r: Decimal, n: int, tax: Decimal, additional: Decimal
) -> None:
    projection = project(
        saved_calculation(
            starting_capital=p,
            annual_return=r,
            horizon_years=n,
            tax_rate=tax,
            one_off_income=additional,
        )
    )
    seed = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=tax,
        additional_income=additional,
    )
    assert projection.calculation == seed
    assert projection.final_capital == seed.final_capital
    assert projection.total_net_income == seed.net_income
    assert sum(row.tax for row in projection.years) == seed.tax


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("monthly_contribution", D(100)),
        ("compounding", "monthly"),
        ("payout", True),
        ("additional_yearly_income", D(1200)),
        ("yearly_allowance", D(1000)),
        ("partial_exemption", D("0.3")),
    ],
)
def test_a_saved_calculation_refuses_what_the_calculator_does_not_have(
    field: str, value: Any
) -> None:
    with pytest.raises(DomainError) as error:
        project(replace(SEED, **{field: value}))
    assert set(error.value.field_errors) == {field}


def test_only_a_saved_calculation_has_a_one_off_income() -> None:
    with pytest.raises(DomainError) as error:
        project(replace(SEED, tax_timing="yearly"))
    assert set(error.value.field_errors) == {"one_off_income"}
    assert project(replace(SEED, tax_timing="yearly", one_off_income=D(0))).calculation is None


def test_an_unknown_tax_timing_is_refused() -> None:
    with pytest.raises(DomainError) as error:
        project(replace(SEED, tax_timing="sometimes"))
    assert set(error.value.field_errors) == {"tax_timing"}


def test_monte_carlo_pays_no_tax_out_of_a_saved_calculations_capital() -> None:
    """Without volatility every path is the deterministic one: the capital grows untaxed
    to the calculator's end capital, where the yearly tax would have left 15,162.13."""
    fan = simulate(replace(SEED, volatility=D(0)), paths=10, seed=1)
    # (1.05^(1/12))^12 = 1.05 a year: 10,500.00 after year 1, 16,288.95 after year 10
    assert fan.capital_p50[11] == D("10500.00")
    assert fan.capital_p50[-1] == D("16288.95")
    yearly = simulate(
        replace(SEED, volatility=D(0), tax_timing="yearly", one_off_income=D(0)), paths=10, seed=1
    )
    assert yearly.capital_p50[-1] < D("16288.95")
