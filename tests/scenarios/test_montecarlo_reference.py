"""The Monte Carlo paths stay bit for bit what they were before issue 21's speed-ups.

``scenarios.montecarlo`` computes the capital and net income paths in whatever order
is fastest (drawn in blocks, the month loop in reused buffers). A seed is a promise: the
same plan and seed give the same fan, release after release. So a copy of the
algorithm as it stood before those changes (one (paths, months) draw, exponentiated,
transposed; the closed form, or the month loop) is kept here, frozen, and the paths of
a few hundred random plans (payout, yearly compounding, tax at the end, additional
income, no target, returns that overflow to infinity and NaN, or underflow into the
fallback) must equal it in every bit, the sign of a zero and every NaN included, and
so must the fan shown from them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from math import log, sqrt

import numpy as np
import numpy.typing as npt
import pytest

from bench import monte_carlo as monte_carlo_bench
from scenarios import montecarlo
from scenarios.montecarlo import simulate
from scenarios.projection.inputs import COMPOUNDING_MONTHLY, TAX_YEARLY, Plan
from scenarios.projection.validation import validate_plan
from tests.scenarios.test_montecarlo_exact_percentiles import (
    PATH_COUNTS,
    _cents,
    _shown,
    random_plan,
)

Matrix = npt.NDArray[np.float64]

PLANS = 300


# --------------------------------------------------- the frozen reference (do not speed up)


def _reference_growth(plan: Plan, *, paths: int, seed: int) -> Matrix:
    """One (paths, months) draw, exponentiated in place, copied to (months, paths)."""
    sigma = float(plan.volatility or 0) / sqrt(12.0)
    mu = log(montecarlo.expected_monthly_growth(plan)) - sigma * sigma / 2.0
    draws = np.random.default_rng(seed).normal(mu, sigma, size=(paths, plan.horizon_years * 12))
    np.exp(draws, out=draws)
    return np.ascontiguousarray(draws.T)


def _reference_closed_form(growth: Matrix, *, plan: Plan) -> tuple[Matrix, Matrix] | None:
    """Capital by cumulative products, income and the yearly tax from it; None where the
    capital leaves the range of a float."""
    starting_capital = float(plan.starting_capital)
    contribution = float(plan.monthly_contribution)
    capital: Matrix
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        cumulative = np.cumprod(growth, axis=0)
        if contribution == 0.0:
            capital = np.multiply(cumulative, starting_capital)
        else:
            discount = np.empty_like(cumulative)
            discount[0] = starting_capital + contribution
            np.divide(contribution, cumulative[:-1], out=discount[1:])
            np.cumsum(discount, axis=0, out=discount)
            capital = np.multiply(discount, cumulative)
    if not np.isfinite(capital).all():
        return None
    income = np.empty_like(capital)
    income[0] = starting_capital
    income[1:] = capital[:-1]
    income += contribution
    income *= float(plan.annual_return) / 12.0
    income += float(plan.additional_yearly_income) / 12.0
    months, paths = income.shape
    by_year = income.reshape(months // 12, 12, paths)
    tax = np.empty_like(by_year)
    left = np.full((months // 12, paths), float(plan.yearly_allowance))
    for month in range(12):
        base = np.maximum(by_year[:, month], 0.0) * (1.0 - float(plan.partial_exemption))
        used = np.minimum(base, left)
        tax[:, month], left = (base - used) * float(plan.tax_rate), left - used
    net: Matrix = income - tax.reshape(months, paths)
    return capital, net


def _reference_month_by_month(
    growth: Matrix, *, plan: Plan, tax_from_capital: bool
) -> tuple[Matrix, Matrix, Matrix]:
    """The month loop, one fresh array per operation; and each year's largest net."""
    months, paths = growth.shape
    rate_monthly = float(plan.annual_return) / 12.0
    additional = float(plan.additional_yearly_income) / 12.0
    untaxed = 1.0 - float(plan.partial_exemption)
    capital = np.empty_like(growth)
    net = np.empty_like(growth)
    best = np.empty((plan.horizon_years, paths))
    current = np.full(paths, float(plan.starting_capital))
    left = np.empty(paths)
    for month in range(months):
        if month % 12 == 0:
            left = np.full(paths, float(plan.yearly_allowance))
        base = current + float(plan.monthly_contribution)
        investment = base * rate_monthly
        income = investment + additional
        taxable = np.maximum(income, 0.0) * untaxed
        used = np.minimum(taxable, left)
        tax = (taxable - used) * float(plan.tax_rate)
        left = left - used
        net[month] = income - tax
        if month % 12 == 0:
            best[month // 12] = net[month]
        else:
            best[month // 12] = np.fmax(best[month // 12], net[month])
        current = growth[month] * base
        if tax_from_capital:
            if additional != 0.0:
                positive = np.maximum(investment, 0.0)
                gained = positive > 0.0
                share = np.zeros(paths)
                share[gained] = positive[gained] / (positive[gained] + additional)
                tax = tax * share
            current = current - tax
        capital[month] = current
    return capital, net, best


def reference_paths(
    plan: Plan, *, paths: int, seed: int
) -> tuple[Matrix, Matrix, Matrix | None, bool]:
    """Capital, net income, each year's best net (with a target: what the target
    probability is counted from), as before; and whether the month loop ran."""
    growth = _reference_growth(plan, paths=paths, seed=seed)
    tax_from_capital = not plan.payout and plan.tax_rate > 0 and plan.tax_timing == TAX_YEARLY
    with np.errstate(all="ignore"):
        if not tax_from_capital:
            closed = _reference_closed_form(growth, plan=plan)
            if closed is not None:
                capital, net = closed
                best = np.fmax.reduce(net.reshape(plan.horizon_years, 12, paths), axis=1)
                return capital, net, best if plan.target_monthly_income > 0 else None, False
        capital, net, best = _reference_month_by_month(
            growth, plan=plan, tax_from_capital=tax_from_capital
        )
    return capital, net, best if plan.target_monthly_income > 0 else None, True


def overflowing_plan(rng: np.random.Generator) -> Plan:
    """A random plan at 1,000 % a year, compounded monthly over 100 years: its capital
    overflows to infinity, and income minus the tax on it becomes NaN."""
    return replace(
        random_plan(rng),
        horizon_years=100,
        annual_return=Decimal(10),
        compounding=COMPOUNDING_MONTHLY,
        payout=False,
        tax_timing=TAX_YEARLY,
        one_off_income=Decimal(0),
    )


def _paths(plan: Plan, *, paths: int, seed: int) -> tuple[Matrix, Matrix, Matrix | None]:
    """``montecarlo._paths`` with its blocks of net income put together."""
    capital, blocks, best = montecarlo._paths(plan, paths=paths, seed=seed)
    net = np.concatenate([block.copy() for block in blocks])
    return capital, net, best


def _same_bits(found: Matrix | None, expected: Matrix | None) -> bool:
    """Equal as stored: NaN where NaN, and the sign of every zero."""
    if found is None or expected is None:
        return found is None and expected is None
    return found.shape == expected.shape and bool(
        np.array_equal(found, expected, equal_nan=True)
        and np.array_equal(np.signbit(found), np.signbit(expected))
    )


def reference_fan_figures(plan: Plan, *, paths: int, seed: int) -> tuple[tuple[str, ...], ...]:
    """The fan's percentile figures, as shown, from the reference paths by
    ``np.percentile`` (``_shown``'s order, the months and probabilities left out)."""
    capital, net, _, _ = reference_paths(plan, paths=paths, seed=seed)
    with np.errstate(invalid="ignore"):
        percentiles = [
            *np.percentile(capital, montecarlo.PERCENTILES, axis=1),
            *np.percentile(net, montecarlo.PERCENTILES, axis=1),
        ]
    return tuple(tuple(str(value) for value in _cents(row)) for row in percentiles)


# ----------------------------------------------------------------------------- tests


def test_the_paths_of_random_plans_equal_the_frozen_reference_bit_for_bit() -> None:
    rng = np.random.default_rng(20261206)
    seen = {"payout": 0, "yearly": 0, "at end": 0, "additional": 0, "no target": 0}
    seen |= {"month loop": 0, "month loop with additional": 0, "nan": 0, "inf": 0}
    for _ in range(PLANS):
        plan = overflowing_plan(rng) if rng.random() < 0.05 else random_plan(rng)
        validate_plan(plan)
        paths = int(rng.choice(PATH_COUNTS))
        seed = int(rng.integers(0, 2**31))
        expected = reference_paths(plan, paths=paths, seed=seed)
        with np.errstate(all="ignore"):
            found = _paths(plan, paths=paths, seed=seed)
            fan = simulate(plan, paths=paths, seed=seed)
        for name, mine, theirs in zip(("capital", "net", "best"), found, expected[:3], strict=True):
            assert _same_bits(mine, theirs), (name, plan, paths, seed)
        assert _shown(fan)[1:7] == reference_fan_figures(plan, paths=paths, seed=seed)
        seen["payout"] += plan.payout
        seen["yearly"] += plan.compounding != COMPOUNDING_MONTHLY
        seen["at end"] += plan.tax_timing != TAX_YEARLY
        seen["additional"] += plan.additional_yearly_income > 0
        seen["no target"] += plan.target_monthly_income == 0
        in_loop = expected[3]
        seen["month loop"] += in_loop
        seen["month loop with additional"] += in_loop and plan.additional_yearly_income > 0
        seen["nan"] += bool(np.isnan(expected[1]).any())
        seen["inf"] += bool(np.isinf(expected[0]).any())
    assert min(seen.values()) >= 5, seen


def test_the_bench_plan_equals_the_frozen_reference_bit_for_bit() -> None:
    """``bench/monte_carlo.py``'s plan and size: the month loop over 10,000 paths."""
    plan, paths, seed = monte_carlo_bench.PLAN, monte_carlo_bench.PATHS, monte_carlo_bench.SEED
    expected = reference_paths(plan, paths=paths, seed=seed)
    found = _paths(plan, paths=paths, seed=seed)
    assert expected[3]
    for mine, theirs in zip(found, expected[:3], strict=True):
        assert _same_bits(mine, theirs)
    fan = simulate(plan, paths=paths, seed=seed)
    assert _shown(fan)[1:7] == reference_fan_figures(plan, paths=paths, seed=seed)


@pytest.mark.parametrize("annual_return", ["-0.5", "0", "0.05"])
@pytest.mark.parametrize("payout", [False, True])
@pytest.mark.parametrize("volatility", [None, "0", "0.3"])
def test_plans_of_nothing_keep_every_zero_as_it_was(
    annual_return: str, payout: bool, volatility: str | None
) -> None:
    """No capital, no contribution: every figure is a zero, whose sign (a −0.00 shown)
    depends on the order of operations; with a negative return the income is −0 × r."""
    plan = Plan(
        start=date(2026, 1, 1),
        horizon_years=3,
        starting_capital=Decimal(0),
        monthly_contribution=Decimal(0),
        annual_return=Decimal(annual_return),
        compounding=COMPOUNDING_MONTHLY,
        payout=payout,
        tax_rate=Decimal("0.26375"),
        yearly_allowance=Decimal(0),
        partial_exemption=Decimal(0),
        inflation=Decimal("0.02"),
        additional_yearly_income=Decimal(0),
        target_monthly_income=Decimal(0),
        volatility=None if volatility is None else Decimal(volatility),
    )
    expected = reference_paths(plan, paths=64, seed=1)
    with np.errstate(all="ignore"):
        found = _paths(plan, paths=64, seed=1)
        fan = simulate(plan, paths=64, seed=1)
    for mine, theirs in zip(found, expected[:3], strict=True):
        assert _same_bits(mine, theirs)
    assert _shown(fan)[1:7] == reference_fan_figures(plan, paths=64, seed=1)
