"""monte_carlo: the scenario fan (``scenarios.montecarlo.simulate``), 10,000 paths × 600 months.

Ours is what a scenario page or ``/api/v1/scenarios/…`` runs for a plan with a
volatility: a typical German savings plan over 50 years, income reinvested, taxed with
the allowance and partial exemption (the month-by-month case), percentiles and target
probabilities included. The baseline is the least any such simulation does: one seeded
NumPy draw of the same shape, exponentiated, and its cumulative product along the months.
Goal (PRODUCT.md §6): ours ≤ 2 × the baseline.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from bench.common import finish, median_seconds, print_line, ratio_line
from scenarios.montecarlo import simulate
from scenarios.projection.inputs import COMPOUNDING_MONTHLY, Plan

PATHS = 10_000
YEARS = 50  # 600 months
GOAL = 2.0
SEED = 20260601

PLAN = Plan(
    start=date(2026, 1, 1),
    horizon_years=YEARS,
    starting_capital=Decimal("10000.00"),
    monthly_contribution=Decimal("500.00"),
    annual_return=Decimal("0.06"),
    compounding=COMPOUNDING_MONTHLY,
    payout=False,
    tax_rate=Decimal("0.26375"),
    yearly_allowance=Decimal("1000.00"),
    partial_exemption=Decimal("0.30"),
    inflation=Decimal("0.02"),
    additional_yearly_income=Decimal("0.00"),
    target_monthly_income=Decimal("2000.00"),
    volatility=Decimal("0.15"),
)


def baseline() -> None:
    """A log-normal draw of the same shape and its cumulative product, in place."""
    rng = np.random.default_rng(SEED)
    growth = rng.normal(0.004, 0.15 / 12**0.5, size=(PATHS, YEARS * 12))
    np.exp(growth, out=growth)
    np.cumprod(growth, axis=1, out=growth)


def ours() -> None:
    simulate(PLAN, paths=PATHS, seed=SEED)


def main() -> None:
    base = median_seconds(baseline)
    mine = median_seconds(ours)
    line = print_line(ratio_line("monte_carlo", baseline=base, ours=mine, goal=GOAL))
    finish([line])


if __name__ == "__main__":
    main()
