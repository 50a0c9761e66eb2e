"""A plan taxed as a German fund (issue 22, "projections use the same engine"): reinvesting,
it pays the tax on each year's Vorabpauschale early in the next year and nothing else;
distributing, it pays the tax on its payouts, as a plan taxed every year does.
The Vorabpauschale is ``finance.tax.funds``'s, the one rule the tax report uses too."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from finance.errors import DomainError
from scenarios.montecarlo import simulate
from scenarios.plans import scenario_plan
from scenarios.projection.engine import project
from scenarios.projection.inputs import TAX_FUND, TAX_YEARLY, Plan

D = Decimal

FUND = Plan(
    start=date(2026, 1, 1),
    horizon_years=3,
    starting_capital=D(100000),
    monthly_contribution=D(0),
    annual_return=D("0.07"),
    compounding="yearly",
    payout=False,
    tax_rate=D("0.26375"),
    yearly_allowance=D(1000),
    partial_exemption=D("0.3"),
    inflation=D(0),
    additional_yearly_income=D(0),
    target_monthly_income=D(0),
    tax_timing=TAX_FUND,
    basiszins=D("0.0253"),
)


def test_a_reinvesting_fund_pays_the_vorabpauschale_tax_of_each_year_in_the_next() -> None:
    years = project(FUND).years
    # Year 1: 7 % on 100,000 = 7,000.00 credited, reinvested, untaxed: capital 107,000.00.
    # Its Vorabpauschale: base yield 100,000 × 2.53 % × 0.7 = 1,771.00 < gain 7,000.00.
    assert (years[0].capital_end, years[0].tax) == (D("107000.00"), D("0.00"))
    # Year 2, first month: 1,771.00 × (1 − 30 %) = 1,239.70, less the allowance of 1,000
    # = 239.70, × 26.375 % = 63.2208… → 63.22, out of the capital: 106,936.78. At its end
    # 7 % of that, 7,485.5746, gives 114,422.3546 → 114,422.35.
    assert years[1].tax == D("63.22")
    assert years[1].capital_end == D("114422.35")
    # Its Vorabpauschale: 106,936.78 × 2.53 % × 0.7 = 1,893.8503… → 1,893.85. Year 3:
    # 1,893.85 × 0.7 = 1,325.695 − 1,000 = 325.695 × 26.375 % = 85.9020… → 85.90;
    # capital 114,422.3546 − 85.90 = 114,336.4546, × 1.07 = 122,340.0064 → 122,340.01.
    assert years[2].tax == D("85.90")
    assert years[2].capital_end == D("122340.01")


def test_taxed_every_year_the_same_plan_pays_on_its_whole_income() -> None:
    # 7,000 × 0.7 − 1,000 = 3,900 × 26.375 % = 1,028.625 → 1,028.63 in year 1 already.
    assert project(replace(FUND, tax_timing=TAX_YEARLY)).years[0].tax == D("1028.63")


def test_contributions_count_for_the_months_they_were_held() -> None:
    plan = replace(FUND, starting_capital=D(0), monthly_contribution=D(1200), horizon_years=2)
    years = project(plan).years
    # 1,200 a month; month k's is held 13 − k twelfths: 1,200 × 78 / 12 = 7,800.00 held.
    # Base yield 7,800 × 2.53 % × 0.7 = 138.138 → 138.14 (the gain, 546.00, is larger).
    # × 0.7 = 96.698 within the allowance: no tax in year 2.
    assert years[1].tax == D("0.00")
    high = replace(plan, yearly_allowance=D(0))
    # Without an allowance: 138.14 × 0.7 = 96.698 × 26.375 % = 25.5040… → 25.50.
    assert project(high).years[1].tax == D("25.50")


def test_a_year_without_gain_or_with_a_negative_basiszins_owes_nothing() -> None:
    assert project(replace(FUND, annual_return=D("-0.1"))).years[1].tax == D("0.00")
    assert project(replace(FUND, basiszins=D("-0.0045"))).years[1].tax == D("0.00")


def test_a_distributing_fund_is_taxed_on_its_payouts_as_every_year() -> None:
    paid = replace(FUND, payout=True)
    assert project(paid) == project(replace(paid, tax_timing=TAX_YEARLY))


def test_the_basiszins_is_bounded() -> None:
    with pytest.raises(DomainError) as error:
        project(replace(FUND, basiszins=D("0.5")))
    assert "basiszins" in error.value.field_errors


def test_without_volatility_the_fan_follows_the_projection() -> None:
    plan = replace(
        FUND, compounding="monthly", horizon_years=10, monthly_contribution=D(500),
        additional_yearly_income=D(1200), volatility=None,
    )  # fmt: skip
    fan = simulate(plan, paths=20)
    months = project(plan).months
    capital = tuple(row.capital for row in months)
    assert max(abs(a - b) for a, b in zip(fan.capital_p50, capital, strict=True)) <= D("0.10")
    net = tuple(row.plan_income - row.tax for row in months)
    assert max(abs(a - b) for a, b in zip(fan.income_p50, net, strict=True)) <= D("0.05")
    assert sum(row.tax for row in months) > D(0)


def test_a_path_that_lost_owes_no_vorabpauschale() -> None:
    calm = simulate(replace(FUND, horizon_years=2, volatility=D(0)), paths=10)
    wild = simulate(replace(FUND, horizon_years=2, volatility=D("0.9")), paths=400, seed=3)
    # The worst paths fell: their income after tax in the first month of year 2 is the
    # untaxed income (no Vorabpauschale), never less than what the capital pays.
    assert wild.income_p10[12] <= calm.income_p50[12]


@pytest.mark.django_db
def test_a_scenario_takes_the_basiszins_of_the_latest_tax_year() -> None:
    from income.models import TaxYear
    from scenarios.models import Scenario, TaxTiming
    from tests.factories import ScenarioFactory, UserFactory

    owner = UserFactory.create()
    scenario: Scenario = ScenarioFactory.create(owner=owner, tax_timing=TaxTiming.FUND)
    profile = owner.profile
    plan = scenario_plan(scenario=scenario, profile=profile, today=date(2026, 12, 6))
    assert plan.basiszins == TaxYear.objects.get(year=2026).basiszins == D("0.032")
    earlier = scenario_plan(scenario=scenario, profile=profile, today=date(2025, 6, 1))
    assert earlier.basiszins == D("0.0253")
