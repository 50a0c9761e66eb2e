"""The Monte Carlo fan (PRODUCT.md §4 "Uncertainty"): seeded, vectorised, and consistent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from math import log, sqrt

import numpy as np
import pytest

from finance.errors import DomainError
from scenarios.montecarlo import simulate, simulate_capital_matrix
from scenarios.projection.engine import project
from scenarios.projection.inputs import Plan

D = Decimal

SAVINGS = Plan(
    start=date(2025, 1, 1),
    horizon_years=20,
    starting_capital=D(10000),
    monthly_contribution=D(250),
    annual_return=D("0.06"),
    compounding="monthly",
    payout=False,
    tax_rate=D(0),
    yearly_allowance=D(0),
    partial_exemption=D(0),
    inflation=D("0.02"),
    additional_yearly_income=D(0),
    target_monthly_income=D(300),
    volatility=D("0.15"),
)


def test_the_same_seed_gives_the_same_fan() -> None:
    assert simulate(SAVINGS, paths=300, seed=7) == simulate(SAVINGS, paths=300, seed=7)
    assert simulate(SAVINGS, paths=300, seed=7) != simulate(SAVINGS, paths=300, seed=8)


@pytest.mark.parametrize("volatility", [None, D(0)])
def test_without_volatility_every_percentile_is_the_deterministic_capital(
    volatility: Decimal | None,
) -> None:
    plan = replace(SAVINGS, volatility=volatility)
    fan = simulate(plan, paths=50)
    projection = project(plan)
    capital = tuple(row.capital for row in projection.months)
    assert fan.capital_p10 == fan.capital_p50 == fan.capital_p90
    assert max(abs(a - b) for a, b in zip(fan.capital_p50, capital, strict=True)) <= D("0.01")
    assert fan.months == tuple(row.month for row in projection.months)
    # the income is the capital's r / 12, as the deterministic plan income
    income = tuple(row.plan_income for row in projection.months)
    assert max(abs(a - b) for a, b in zip(fan.income_p50, income, strict=True)) <= D("0.01")


@pytest.mark.parametrize("payout", [True, False])
def test_without_volatility_the_tax_matches_the_deterministic_projection(payout: bool) -> None:
    plan = replace(
        SAVINGS,
        volatility=None,
        payout=payout,
        tax_rate=D("0.26375"),
        yearly_allowance=D(1000),
        partial_exemption=D("0.3"),
        additional_yearly_income=D(1200),
    )
    fan = simulate(plan, paths=20)
    months = project(plan).months
    # the deterministic one pays cent-rounded tax out of the capital, the simulation floats
    capital = tuple(row.capital for row in months)
    assert max(abs(a - b) for a, b in zip(fan.capital_p50, capital, strict=True)) <= D("0.10")
    net = tuple(row.plan_income - row.tax for row in months)
    assert max(abs(a - b) for a, b in zip(fan.income_p50, net, strict=True)) <= D("0.02")


def test_without_volatility_the_target_is_reached_in_the_deterministic_year() -> None:
    plan = replace(SAVINGS, volatility=None)
    target_month = project(plan).target_month
    assert target_month is not None
    reached_in = target_month.year - plan.start.year  # plan year index, January start
    probabilities = simulate(plan, paths=10).probability_by_year
    assert probabilities == tuple(
        D("0.0000") if year < reached_in else D("1.0000") for year in range(20)
    )


def test_percentiles_are_ordered_every_month() -> None:
    fan = simulate(replace(SAVINGS, payout=True, volatility=D("0.3")), paths=500, seed=3)
    for low, mid, high in zip(fan.capital_p10, fan.capital_p50, fan.capital_p90, strict=True):
        assert low <= mid <= high
    for low, mid, high in zip(fan.income_p10, fan.income_p50, fan.income_p90, strict=True):
        assert low <= mid <= high
    assert fan.capital_p10[-1] < fan.capital_p90[-1]


def test_probabilities_grow_by_year_and_stay_between_0_and_1() -> None:
    probabilities = simulate(SAVINGS, paths=1000, seed=1).probability_by_year
    assert len(probabilities) == 20
    assert list(probabilities) == sorted(probabilities)
    assert all(D(0) <= p <= D(1) and p == p.quantize(D("0.0001")) for p in probabilities)
    assert D(0) < probabilities[-1] < D(1)


def test_no_target_means_no_probability() -> None:
    fan = simulate(replace(SAVINGS, target_monthly_income=D(0)), paths=20)
    assert set(fan.probability_by_year) == {D("0.0000")}


def test_a_return_near_minus_100_percent_stays_finite() -> None:
    plan = replace(SAVINGS, annual_return=D("-0.99999999"), compounding="yearly", horizon_years=100)
    fan = simulate(plan, paths=20)
    assert all(value.is_finite() and value >= 0 for value in fan.capital_p10)


def test_paths_and_plan_are_validated() -> None:
    with pytest.raises(ValueError, match="paths"):
        simulate(SAVINGS, paths=0)
    with pytest.raises(DomainError):
        simulate(replace(SAVINGS, volatility=D(3)))


# ------------------------------------------------------------------------------ the matrix
def test_the_matrix_of_the_benchmark_has_its_shape() -> None:
    capital = simulate_capital_matrix(
        paths=10_000,
        months=600,
        annual_return=0.05,
        volatility=0.15,
        starting_capital=10_000.0,
        monthly_contribution=500.0,
        seed=0,
    )
    assert capital.shape == (10_000, 600)
    assert np.isfinite(capital).all()


@pytest.mark.parametrize("contribution", [0.0, 100.0])
def test_the_matrix_matches_a_naive_loop(contribution: float) -> None:
    paths, months, annual_return, volatility, start = 3, 5, 0.07, 0.2, 1000.0
    capital = simulate_capital_matrix(
        paths=paths,
        months=months,
        annual_return=annual_return,
        volatility=volatility,
        starting_capital=start,
        monthly_contribution=contribution,
        seed=42,
    )
    sigma = volatility / sqrt(12)
    mu = log(1 + annual_return) / 12 - sigma**2 / 2
    draws = np.random.default_rng(42).normal(mu, sigma, size=(paths, months))
    for path in range(paths):
        current = start
        for month in range(months):
            current = (current + contribution) * float(np.exp(draws[path, month]))
            assert capital[path, month] == pytest.approx(current, rel=1e-9)


def test_the_matrix_grows_at_the_expected_rate_on_average() -> None:
    capital = simulate_capital_matrix(
        paths=20_000,
        months=12,
        annual_return=0.05,
        volatility=0.2,
        starting_capital=100.0,
        monthly_contribution=0.0,
        seed=5,
    )
    # E[capital after a year] = 100 × 1.05; the sample mean is within 1 % of it
    assert capital[:, -1].mean() == pytest.approx(105.0, rel=0.01)
