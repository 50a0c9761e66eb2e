"""The scenario projection (PRODUCT.md §4): exact Decimals, the seed, properties, an oracle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from finance.calculator import MAX_AMOUNT, calculate
from finance.errors import DomainError
from scenarios.projection.engine import project
from scenarios.projection.inflation import deflator
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    Plan,
    RentalSource,
    SubscriptionSource,
)
from scenarios.projection.sources import source_monthly_net

D = Decimal
START = date(2025, 1, 1)


def make_plan(**fields: Any) -> Plan:
    """A plan of nothing for three years, yearly compounding, reinvested, no tax."""
    defaults: dict[str, Any] = {
        "start": START,
        "horizon_years": 3,
        "starting_capital": D(0),
        "monthly_contribution": D(0),
        "annual_return": D(0),
        "compounding": "yearly",
        "payout": False,
        "tax_rate": D(0),
        "yearly_allowance": D(0),
        "partial_exemption": D(0),
        "inflation": D(0),
        "additional_yearly_income": D(0),
        "target_monthly_income": D(0),
    }
    return Plan(**{**defaults, **fields})


SEED_PLAN = make_plan(
    start=date(2025, 3, 17), horizon_years=10, starting_capital=D(10000), annual_return=D("0.05")
)


# ---------------------------------------------------------------------------------- seed
def test_the_seeds_example_comes_out_exactly_as_the_calculator() -> None:
    projection = project(SEED_PLAN)
    seed = calculate(
        initial_investment=D(10000),
        annual_return=D("0.05"),
        investment_period=10,
        tax_rate=D(0),
        additional_income=D(0),
    )
    # 10000 × 1.05^10 = 16288.946267774414... → 16288.95; gain 6288.95
    assert projection.final_capital == D("16288.95") == seed.final_capital
    assert sum(row.plan_income for row in projection.months) == D("6288.95") == seed.gross_income
    assert [row.capital_end for row in projection.years] == [row.capital for row in seed.yearly]


def test_months_start_on_the_first_of_the_start_month_and_years_count_from_one() -> None:
    projection = project(SEED_PLAN)
    assert len(projection.months) == 120
    assert projection.months[0].month == date(2025, 3, 1)
    assert projection.months[-1].month == date(2035, 2, 1)
    assert [row.year for row in projection.years] == list(range(1, 11))


def test_yearly_compounding_credits_the_return_in_the_twelfth_month_only() -> None:
    months = project(SEED_PLAN).months
    assert [row.plan_income for row in months[:12]] == [D("0.00")] * 11 + [D("500.00")]
    assert months[10].capital == D("10000.00")
    assert months[11].capital == D("10500.00")


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
returns = st.decimals(min_value=D("-0.99"), max_value=D("1"), places=4, allow_nan=False)


@given(p=amounts, r=returns, n=st.integers(1, 40))
@settings(max_examples=100, deadline=None)
def test_yearly_reinvested_without_tax_agrees_with_the_calculator(
    p: Decimal, r: Decimal, n: int
) -> None:
    projection = project(
        make_plan(horizon_years=n, starting_capital=p, annual_return=r, start=date(2031, 7, 9))
    )
    seed = calculate(
        initial_investment=p,
        annual_return=r,
        investment_period=n,
        tax_rate=D(0),
        additional_income=D(0),
    )
    assert projection.final_capital == seed.final_capital
    assert sum(row.plan_income for row in projection.months) == seed.gross_income
    assert sum(row.plan_income for row in projection.years) == seed.gross_income


# --------------------------------------------------------------------- hand-computed cases
def test_yearly_compounding_with_contributions_earns_pro_rata_within_the_year() -> None:
    projection = project(
        make_plan(starting_capital=D(1000), monthly_contribution=D(100), annual_return=D("0.06"))
    )
    # Σ (13 − k) for k = 1..12 = 78, so the contributions earn as 100 × 78 / 12 = 650 a full year
    # year 1: 0.06 × (1000 + 650) = 99.00; capital 1000 + 1200 + 99 = 2299.00
    # year 2: 0.06 × (2299 + 650) = 176.94; capital 2299 + 1200 + 176.94 = 3675.94
    # year 3: 0.06 × (3675.94 + 650) = 259.5564; capital 5135.4964 → 5135.50
    #         income shown 535.4964 → 535.50 − (99.00 + 176.94) = 259.56
    assert [(row.capital_end, row.plan_income, row.contributions) for row in projection.years] == [
        (D("2299.00"), D("99.00"), D("1200.00")),
        (D("3675.94"), D("176.94"), D("1200.00")),
        (D("5135.50"), D("259.56"), D("1200.00")),
    ]
    # months 1–11 of year 1 hold only the contributions: 1100, 1200, ..., 2100
    assert [row.capital for row in projection.months[:11]] == [
        D(1000 + 100 * k) for k in range(1, 12)
    ]
    assert projection.final_capital == D("5135.50")
    assert projection.total_contributions == D("3600.00")


def test_monthly_compounding_credits_a_twelfth_every_month() -> None:
    projection = project(
        make_plan(
            compounding="monthly",
            starting_capital=D(1200),
            monthly_contribution=D(100),
            annual_return=D("0.12"),
        )
    )
    # r / 12 = 0.01 on the capital after the month's contribution
    # m1: (1200 + 100) × 1.01 = 1313.00 (income 13.00)
    # m2: (1313 + 100) × 1.01 = 1427.13 (income 14.13)
    # m3: (1427.13 + 100) × 1.01 = 1542.4013 → 1542.40 (income 15.2713; running 42.4013 → 42.40)
    assert [(row.capital, row.plan_income) for row in projection.months[:3]] == [
        (D("1313.00"), D("13.00")),
        (D("1427.13"), D("14.13")),
        (D("1542.40"), D("15.27")),
    ]
    # 1200 × 1.01^36 + 100 × 1.01 × (1.01^36 − 1) / 0.01
    # = 1716.92254... + 4350.76471... = 6067.68725... → 6067.69
    assert projection.final_capital == D("6067.69")
    # all income = final − 1200 − 36 × 100 = 1267.69
    assert projection.total_net_income == D("1267.69")


def test_the_allowance_and_partial_exemption_reduce_the_tax() -> None:
    projection = project(
        make_plan(
            starting_capital=D(40000),
            annual_return=D("0.05"),
            payout=True,
            tax_rate=D("0.26375"),
            yearly_allowance=D(1000),
            partial_exemption=D("0.3"),
        )
    )
    # 40000 × 0.05 = 2000 income; 2000 × 0.7 = 1400 − 1000 allowance = 400 taxable
    # 400 × 0.26375 = 105.50 tax; net 1894.50, every year (paid out: the capital stays)
    for row in projection.years:
        assert (row.capital_end, row.plan_income, row.tax, row.net_income) == (
            D("40000.00"),
            D("2000.00"),
            D("105.50"),
            D("1894.50"),
        )
    assert projection.months[11].tax == D("105.50")
    assert projection.total_net_income == D("5683.50")


def test_when_reinvesting_the_tax_is_paid_out_of_the_capital() -> None:
    projection = project(
        make_plan(
            starting_capital=D(40000),
            annual_return=D("0.05"),
            tax_rate=D("0.26375"),
            yearly_allowance=D(1000),
            partial_exemption=D("0.3"),
        )
    )
    # y1: income 2000.00, tax 105.50 (as above); capital 40000 + 2000 − 105.50 = 41894.50
    # y2: income 0.05 × 41894.50 = 2094.725; shown 4094.725 → 4094.73 − 2000 = 2094.73
    #     taxable 2094.73 × 0.7 − 1000 = 466.311; tax 122.98952625 → 122.99
    #     capital 41894.50 + 2094.725 − 122.99 = 43866.235 → 43866.24
    # y3: income 0.05 × 43866.235 = 2193.31175; shown 6288.03675 → 6288.04 − 4094.73 = 2193.31
    #     taxable 2193.31 × 0.7 − 1000 = 535.317; tax 141.18985875 → 141.19
    #     capital 43866.235 + 2193.31175 − 141.19 = 45918.35675 → 45918.36
    assert [(row.capital_end, row.plan_income, row.tax) for row in projection.years] == [
        (D("41894.50"), D("2000.00"), D("105.50")),
        (D("43866.24"), D("2094.73"), D("122.99")),
        (D("45918.36"), D("2193.31"), D("141.19")),
    ]


def test_payout_keeps_the_capital_and_reinvest_grows_it() -> None:
    reinvested = project(make_plan(starting_capital=D(10000), annual_return=D("0.1")))
    paid_out = project(make_plan(starting_capital=D(10000), annual_return=D("0.1"), payout=True))
    # reinvested: 11000, 12100, 13310; income 1000, 1100, 1210
    assert [row.capital_end for row in reinvested.years] == [
        D("11000.00"),
        D("12100.00"),
        D("13310.00"),
    ]
    assert [row.net_income for row in reinvested.years] == [
        D("1000.00"),
        D("1100.00"),
        D("1210.00"),
    ]
    # paid out: 10000 stays; 1000 income every year
    assert [row.capital_end for row in paid_out.years] == [D("10000.00")] * 3
    assert [row.net_income for row in paid_out.years] == [D("1000.00")] * 3


def test_the_allowance_is_used_by_the_earliest_income_of_the_year() -> None:
    projection = project(
        make_plan(additional_yearly_income=D(2400), tax_rate=D("0.25"), yearly_allowance=D(1000))
    )
    # 200 a month; months 1–5 use the 1000 allowance; months 6–12 pay 200 × 0.25 = 50
    taxes = [row.tax for row in projection.months[:12]]
    assert taxes == [D("0.00")] * 5 + [D("50.00")] * 7
    # the allowance is renewed in month 13
    assert projection.months[12].tax == D("0.00")
    assert [row.tax for row in projection.years] == [D("350.00")] * 3
    assert [row.net_income for row in projection.years] == [D("2050.00")] * 3


def test_a_loss_pays_no_tax_and_keeps_the_allowance() -> None:
    projection = project(
        make_plan(
            compounding="monthly",
            starting_capital=D(12000),
            annual_return=D("-0.12"),
            payout=True,
            tax_rate=D("0.5"),
        )
    )
    # 12000 × −0.01 = −120 every month: no tax
    assert {row.plan_income for row in projection.months} == {D("-120.00")}
    assert {row.tax for row in projection.months} == {D("0.00")}


def test_additional_income_is_split_into_twelve_parts_that_add_up() -> None:
    projection = project(make_plan(additional_yearly_income=D(1000)))
    # 1000 / 12 = 83.333...: shown as a running total, 83.33, 83.34, 83.33, ...
    assert [row.plan_income for row in projection.months[:3]] == [
        D("83.33"),
        D("83.34"),
        D("83.33"),
    ]
    assert [row.plan_income for row in projection.years] == [D("1000.00")] * 3
    assert [row.monthly_net_average for row in projection.years] == [D("83.33")] * 3


def test_real_values_are_deflated_per_plan_year() -> None:
    projection = project(
        make_plan(starting_capital=D(10000), additional_yearly_income=D(12000), inflation=D("0.02"))
    )
    # 1000 a month; deflator 1, 1.02, 1.0404 for plan years 1, 2, 3
    # 1000 / 1.02 = 980.3921... → 980.39; 1000 / 1.0404 = 961.1687... → 961.17
    assert [projection.months[index].real_net_income for index in (0, 11, 12, 24)] == [
        D("1000.00"),
        D("1000.00"),
        D("980.39"),
        D("961.17"),
    ]
    assert [row.real_net_income for row in projection.years] == [
        D("12000.00"),
        D("11764.68"),  # 12 × 980.39
        D("11534.04"),  # 12 × 961.17
    ]
    # Issue #17.2: the capital at the end of plan year y is y years ahead, so it is
    # deflated by 1.02^y: 10000 / 1.02 = 9803.92; / 1.0404 = 9611.69; / 1.061208 = 9423.22
    assert [row.real_capital_end for row in projection.years] == [
        D("9803.92"),
        D("9611.69"),
        D("9423.22"),
    ]
    assert deflator(inflation=D("0.02"), year=2) == D("1.0404")


# ------------------------------------------------------------------------------- sources
def test_a_capital_source_pays_a_twelfth_of_its_yield_after_costs_and_tax() -> None:
    paid_out = CapitalSource(
        name="ETF",
        capital=D(12000),
        annual_yield=D("0.06"),
        reinvest=False,
        tax_rate=D("0.25"),
        monthly_costs=D(5),
    )
    # 12000 × 0.06 / 12 = 60 − 5 costs = 55; tax 13.75; net 41.25
    assert source_monthly_net(paid_out, months=3) == [D("41.25")] * 3
    # reinvested: m2 capital 12041.25 → 60.20625 − 5 = 55.20625 → 55.21; tax 13.8025 → 13.80
    # m3 capital 12082.66 → 60.4133 − 5 = 55.4133 → 55.41; tax 13.8525 → 13.85
    assert source_monthly_net(replace(paid_out, reinvest=True), months=3) == [
        D("41.25"),
        D("41.41"),
        D("41.56"),
    ]


def test_a_rental_source_nets_vacancy_fee_and_costs_and_grows_yearly() -> None:
    rental = RentalSource(
        name="Flat",
        monthly_rent=D(1000),
        vacancy_rate=D("0.05"),
        management_fee_rate=D("0.08"),
        monthly_running_costs=D(150),
        monthly_costs=D(20),
        tax_rate=D("0.3"),
        annual_rent_growth=D("0.02"),
    )
    nets = source_monthly_net(rental, months=36)
    # y1: 1000 × 0.95 = 950; fee 76; costs 76 + 150 + 20 = 246; profit 704; tax 211.20 → 492.80
    # y2: rent 1020 → 969; fee 77.52; profit 721.48; tax 216.444 → 216.44 → 505.04
    # y3: rent 1040.40 → 988.38; fee 79.0704; profit 739.3096 → 739.31; tax 221.79 → 517.52
    assert (nets[0], nets[11], nets[12], nets[35]) == (
        D("492.80"),
        D("492.80"),
        D("505.04"),
        D("517.52"),
    )


def test_a_subscription_source_churns_adds_and_tends_to_the_steady_state() -> None:
    saas = SubscriptionSource(
        name="SaaS",
        subscribers=D(100),
        price=D(10),
        new_per_month=D(5),
        churn_rate=D("0.1"),
        monthly_costs=D(50),
        tax_rate=D("0.2"),
    )
    nets = source_monthly_net(saas, months=240)
    # m1: 100 × 0.9 + 5 = 95 → 950 − 50 = 900; tax 180 → 720
    # m2: 95 × 0.9 + 5 = 90.5 → 905 − 50 = 855; tax 171 → 684
    # m3: 90.5 × 0.9 + 5 = 86.45 → 864.50 − 50 = 814.50; tax 162.90 → 651.60
    assert nets[:3] == [D("720.00"), D("684.00"), D("651.60")]
    # steady state new / churn = 50 → 500 − 50 = 450; tax 90 → 360
    assert abs(nets[-1] - D(360)) <= D("0.01")


def test_a_flat_source_grows_at_each_plan_year_and_may_lose_money() -> None:
    flat = FlatSource(
        name="Royalties",
        monthly_amount=D(100),
        annual_growth=D("0.1"),
        monthly_costs=D(10),
        tax_rate=D("0.5"),
    )
    nets = source_monthly_net(flat, months=36)
    # 100 − 10 = 90 → 45; 110 − 10 = 100 → 50; 121 − 10 = 111 → 55.50
    assert (nets[0], nets[12], nets[24]) == (D("45.00"), D("50.00"), D("55.50"))
    loss = replace(flat, monthly_amount=D(10), monthly_costs=D(30), annual_growth=D(0))
    assert source_monthly_net(loss, months=2) == [D("-20.00"), D("-20.00")]  # no tax on a loss


def test_sources_add_their_own_net_untouched_by_the_plans_allowance() -> None:
    flat = FlatSource(
        name="Blog",
        monthly_amount=D(100),
        annual_growth=D(0),
        monthly_costs=D(0),
        tax_rate=D("0.25"),
    )
    projection = project(
        make_plan(
            additional_yearly_income=D(1200),
            tax_rate=D("0.25"),
            yearly_allowance=D(10000),
        ),
        sources=[flat],
    )
    row = projection.months[0]
    # the plan's 100 is inside the allowance; the source pays its own 25 % anyway
    assert (row.plan_income, row.tax, row.sources_net, row.net_income) == (
        D("100.00"),
        D("0.00"),
        D("75.00"),
        D("175.00"),
    )


# ------------------------------------------------------------------- independence, target
GROWING = FlatSource(
    name="Royalties",
    monthly_amount=D(800),
    annual_growth=D("0.1"),
    monthly_costs=D(0),
    tax_rate=D(0),
)


def test_the_independence_month_is_the_first_that_covers_the_expenses() -> None:
    # 800, 880, 968 a month in plan years 1, 2, 3 against 900 of expenses
    projection = project(make_plan(monthly_expenses=D(900)), sources=[GROWING])
    assert projection.independence_month == date(2027, 1, 1)


def test_the_expenses_grow_with_inflation() -> None:
    # expenses 900 × 1.05^y: 900, 945, 992.25, 1041.86 against 800, 880, 968, 1064.80
    plan = make_plan(monthly_expenses=D(900), inflation=D("0.05"))
    assert project(plan, sources=[GROWING]).independence_month is None
    longer = replace(plan, horizon_years=4)
    assert project(longer, sources=[GROWING]).independence_month == date(2028, 1, 1)


def test_no_expenses_means_no_independence_month() -> None:
    assert project(make_plan(), sources=[GROWING]).independence_month is None


def test_the_target_month_reads_the_real_net_income() -> None:
    # without inflation 880 ≥ 850 in plan year 2; with 10 % inflation the real income is
    # 800, 880 / 1.1 = 800, 968 / 1.21 = 800: never 850
    assert project(make_plan(target_monthly_income=D(850)), sources=[GROWING]).target_month == date(
        2026, 1, 1
    )
    inflated = make_plan(target_monthly_income=D(850), inflation=D("0.1"))
    assert project(inflated, sources=[GROWING]).target_month is None
    assert project(make_plan(), sources=[GROWING]).target_month is None


# ----------------------------------------------------------------------------- properties
plans = st.builds(
    make_plan,
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    horizon_years=st.integers(1, 5),
    starting_capital=amounts,
    monthly_contribution=st.decimals(min_value=0, max_value=100_000, places=2),
    annual_return=returns,
    compounding=st.sampled_from(["yearly", "monthly"]),
    payout=st.booleans(),
    tax_rate=st.decimals(min_value=0, max_value=1, places=5),
    yearly_allowance=st.decimals(min_value=0, max_value=5000, places=2),
    partial_exemption=st.decimals(min_value=0, max_value=1, places=2),
    inflation=st.decimals(min_value=D("-0.05"), max_value=D("0.2"), places=3),
    additional_yearly_income=st.decimals(min_value=0, max_value=100_000, places=2),
)


@given(plan=plans)
@settings(max_examples=60, deadline=None)
def test_the_parts_always_add_up(plan: Plan) -> None:
    projection = project(plan)
    cent = D("0.01")
    for row in projection.months:
        assert row.net_income == row.plan_income - row.tax + row.sources_net
        assert D(0) <= row.tax <= max(row.plan_income, D(0))
        for value in (row.capital, row.plan_income, row.tax, row.net_income):
            assert value == value.quantize(cent)
    for index, year in enumerate(projection.years):
        rows = projection.months[12 * index : 12 * index + 12]
        assert year.tax == sum(row.tax for row in rows)
        assert year.net_income == sum(row.net_income for row in rows)
        assert year.capital_end == rows[-1].capital
    assert projection.total_net_income == sum(row.net_income for row in projection.months)
    assert projection.final_capital == projection.months[-1].capital


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")
@given(
    p=st.decimals(min_value=0, max_value=1_000_000, places=2),
    c=st.decimals(min_value=0, max_value=10_000, places=2),
    r=st.decimals(min_value=D("-0.5"), max_value=D("0.5"), places=4),
    n=st.integers(1, 50),
)
@settings(max_examples=100, deadline=None)
def test_numpy_financial_fv_agrees_within_a_cent_for_monthly_savings(
    p: Decimal, c: Decimal, r: Decimal, n: int
) -> None:
    """numpy-financial: the future value of an annuity due, an independent float oracle."""
    months = 12 * n
    future_value = float(
        npf.fv(rate=float(r) / 12, nper=months, pmt=-float(c), pv=-float(p), when="begin")
    )
    assume(abs(future_value) < 1e11)  # beyond that a float has no cents left to compare
    projection = project(
        make_plan(
            horizon_years=n,
            starting_capital=p,
            monthly_contribution=c,
            annual_return=r,
            compounding="monthly",
        )
    )
    assert abs(float(projection.final_capital) - future_value) <= 0.01


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_years", 0),
        ("horizon_years", 101),
        ("starting_capital", D("-0.01")),
        ("starting_capital", MAX_AMOUNT + D("0.01")),
        ("starting_capital", D("NaN")),
        ("monthly_contribution", D(-1)),
        ("annual_return", D(-1)),
        ("annual_return", D("10.00000001")),
        ("compounding", "daily"),
        ("tax_rate", D("1.01")),
        ("yearly_allowance", D(-1)),
        ("partial_exemption", D("-0.1")),
        ("inflation", D(-1)),
        ("inflation", D("Infinity")),
        ("additional_yearly_income", D(-1)),
        ("target_monthly_income", D(-1)),
        ("monthly_expenses", D(-1)),
        ("volatility", D("-0.1")),
        ("volatility", D("2.5")),
    ],
)
def test_inputs_outside_the_bounds_are_refused_with_their_field(field: str, value: Any) -> None:
    with pytest.raises(DomainError) as caught:
        project(replace(SEED_PLAN, **{field: value}))
    assert list(caught.value.field_errors) == [field]


def test_a_source_outside_the_bounds_is_refused() -> None:
    broken = replace(GROWING, tax_rate=D("1.5"))
    with pytest.raises(DomainError) as caught:
        source_monthly_net(broken, months=1)
    assert list(caught.value.field_errors) == ["tax_rate"]
    with pytest.raises(DomainError) as caught:
        project(make_plan(), sources=[broken])
    assert caught.value.field_errors == {
        "sources": ["Royalties: tax_rate: Must be between 0 and 1."]
    }


def _month_by_month_rental(source: RentalSource, months: int) -> list[Decimal]:
    """The rental series as the formula reads, one month at a time: an oracle."""
    nets = []
    for index in range(months):
        gross = source.monthly_rent * (1 + source.annual_rent_growth) ** (index // 12)
        gross *= 1 - source.vacancy_rate
        costs = gross * source.management_fee_rate + source.monthly_running_costs
        costs += source.monthly_costs
        profit = (gross - costs).quantize(D("0.01"), rounding="ROUND_HALF_UP")
        tax = (
            (profit * source.tax_rate).quantize(D("0.01"), rounding="ROUND_HALF_UP")
            if profit > 0
            else D(0)
        )
        nets.append(profit - tax)
    return nets


@given(
    months=st.integers(min_value=0, max_value=61),
    growth=st.decimals(min_value=0, max_value=D("0.1"), places=3),
    rent=st.decimals(min_value=0, max_value=5000, places=2),
    tax=st.decimals(min_value=0, max_value=1, places=2),
)
def test_a_yearly_series_equals_its_month_by_month_formula(
    months: int, growth: Decimal, rent: Decimal, tax: Decimal
) -> None:
    rental = RentalSource(
        name="Flat",
        monthly_rent=rent,
        vacancy_rate=D("0.05"),
        management_fee_rate=D("0.08"),
        monthly_running_costs=D(150),
        monthly_costs=D(20),
        tax_rate=tax,
        annual_rent_growth=growth,
    )
    assert source_monthly_net(rental, months=months) == _month_by_month_rental(rental, months)
    flat = FlatSource(
        name="Royalties",
        monthly_amount=rent,
        annual_growth=growth,
        monthly_costs=D(20),
        tax_rate=tax,
    )
    as_rental = replace(
        rental, vacancy_rate=D(0), management_fee_rate=D(0), monthly_running_costs=D(0)
    )
    assert source_monthly_net(flat, months=months) == _month_by_month_rental(as_rental, months)
