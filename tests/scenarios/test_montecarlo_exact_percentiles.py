"""The Monte Carlo fan's percentiles are exact: bit for bit ``np.percentile``'s (issue 21).

``scenarios.montecarlo`` selects the 10th/50th/90th percentile of each month from sampled
value bands instead of partitioning whole rows (much faster on CPUs whose AVX-512
partition is slow). A percentile is a promise about every path, so these tests hold the
fan of a few hundred random plans, over the whole valid range, to a reference kept here:
the same paths, ``np.percentile(values, PERCENTILES, axis=1)`` and the target probability
counted month by month as its definition reads; and the selection itself, on matrices
built to break it (NaN, infinities, ties, equal rows, sorted rows whose first paths are
no random sample), to ``np.percentile``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, localcontext

import numpy as np
import numpy.typing as npt
import pytest

from bench import monte_carlo as monte_carlo_bench
from finance.errors import DomainError
from finance.figures import to_ratio
from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, month_start
from scenarios import montecarlo, order_statistics
from scenarios.montecarlo import PERCENTILES, Fan, simulate
from scenarios.projection.inputs import (
    COMPOUNDINGS,
    TAX_AT_END,
    TAX_YEARLY,
    Plan,
)
from scenarios.projection.validation import validate_plan

Matrix = npt.NDArray[np.float64]

#: Path counts either side of the sampled selection's threshold, and the tiny ones.
PATH_COUNTS = (1, 2, 3, 7, 64, 1535, 1536, 2000, 3001, 4097)
PLANS = 300


def _amount(rng: np.random.Generator, high: float) -> Decimal:
    choice = rng.choice([0.0, rng.uniform(0, high), rng.uniform(0, 9.9e12)], p=[0.2, 0.7, 0.1])
    return Decimal(str(round(float(choice), 2)))


def _share(rng: np.random.Generator) -> Decimal:
    choice = rng.choice([0.0, rng.uniform(0, 1), 1.0], p=[0.3, 0.6, 0.1])
    return Decimal(str(round(float(choice), 5)))


def random_plan(rng: np.random.Generator) -> Plan:
    """A valid plan: payout or not, monthly or yearly compounding, taxed yearly or at
    the end, no or zero volatility, returns up to 1,000 % and down to −99.99 % (where the
    closed form underflows and the month-by-month fallback runs)."""
    while True:
        kind = int(rng.integers(6))
        if kind == 0:
            annual_return = rng.uniform(2, 10)
        elif kind == 1:  # the growth underflows within the horizon: 1 / G_t overflows
            annual_return = 10 ** -rng.uniform(4, 8) - 1
        else:
            annual_return = rng.uniform(-0.5, 0.5)
        at_end = bool(rng.random() < 0.15)
        volatility = rng.choice([0.0, rng.uniform(0, 0.5), rng.uniform(0, 2)], p=[0.15, 0.6, 0.25])
        plan = Plan(
            start=date(int(rng.integers(2000, 2040)), int(rng.integers(1, 13)), 1),
            horizon_years=int(
                rng.integers(70, 101)
                if kind == 1
                else rng.choice(
                    [rng.integers(1, 6), rng.integers(1, 41), rng.integers(1, 101)],
                    p=[0.4, 0.5, 0.1],
                )
            ),
            starting_capital=_amount(rng, 1e6),
            monthly_contribution=Decimal(0) if at_end else _amount(rng, 5000),
            annual_return=Decimal(str(round(annual_return, 10))),
            compounding="yearly" if at_end or kind == 1 else str(rng.choice(COMPOUNDINGS)),
            payout=False if at_end else bool(rng.random() < 0.3),
            tax_rate=_share(rng),
            yearly_allowance=Decimal(0) if at_end else _amount(rng, 5000),
            partial_exemption=Decimal(0) if at_end else _share(rng),
            inflation=Decimal(str(round(rng.uniform(-0.5, 1.0), 4))),
            additional_yearly_income=Decimal(0) if at_end else _amount(rng, 50000),
            target_monthly_income=_amount(rng, 20000),
            volatility=None if rng.random() < 0.1 else Decimal(str(round(float(volatility), 4))),
            tax_timing=TAX_AT_END if at_end else TAX_YEARLY,
            one_off_income=_amount(rng, 1e5) if at_end else Decimal(0),
        )
        try:
            validate_plan(plan)
        except DomainError:
            continue
        return plan


def _reference_paths(plan: Plan, *, paths: int, seed: int) -> tuple[Matrix, Matrix, str]:
    """``simulate``'s capital and net income matrices (months, paths), step by step as
    ``simulate`` takes them, and how: the closed form, the month-by-month loop for a tax
    paid out of the capital, or that loop as the fallback of a closed form that left the
    range of a float."""
    months = plan.horizon_years * 12
    draws = montecarlo._log_growth(
        np.random.default_rng(seed),
        paths=paths,
        months=months,
        expected_monthly_growth=montecarlo.expected_monthly_growth(plan),
        volatility=float(plan.volatility or 0),
    )
    growth = montecarlo._growth_by_month(draws)
    net = draws.reshape(months, paths)
    tax_from_capital = not plan.payout and plan.tax_rate > 0 and plan.tax_timing == TAX_YEARLY
    if not tax_from_capital:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            capital = montecarlo._capital_paths(
                growth.copy(),
                starting_capital=float(plan.starting_capital),
                contribution=float(plan.monthly_contribution),
            )
        if np.isfinite(capital).all():
            income = montecarlo._shifted(capital, starting_capital=float(plan.starting_capital))
            income += float(plan.monthly_contribution)
            income *= float(plan.annual_return) / 12.0
            income += float(plan.additional_yearly_income) / 12.0
            np.subtract(income, montecarlo._tax_by_year(income, plan=plan), out=net)
            return capital, net, "closed form"
    for _ in montecarlo._month_by_month(
        growth, plan=plan, tax_from_capital=tax_from_capital, net=net, best=None
    ):
        pass  # one block of all months, written to ``net``; the capital overwrites ``growth``
    return growth, net, "month by month" if tax_from_capital else "fallback"


def _cents(values: Matrix) -> tuple[Decimal, ...]:
    return tuple(to_cents(Decimal(str(round(value, 2)))) for value in values.tolist())


def reference_fan(plan: Plan, *, paths: int, seed: int) -> tuple[Fan, str]:
    """The fan with ``np.percentile`` and the probability counted month by month."""
    capital, net, way = _reference_paths(plan, paths=paths, seed=seed)
    months, _ = capital.shape
    target = float(plan.target_monthly_income)
    if target > 0:
        deflators = (1.0 + float(plan.inflation)) ** (np.arange(months) // 12)
        with np.errstate(invalid="ignore", over="ignore"):
            reached = net / deflators[:, np.newaxis] >= target
        by_year = reached.reshape(plan.horizon_years, 12, paths).any(axis=1)
        counts = np.logical_or.accumulate(by_year, axis=0).sum(axis=1)
    else:
        counts = np.zeros(plan.horizon_years, dtype=np.intp)
    with localcontext(EXACT):
        probabilities = tuple(to_ratio(Decimal(int(count)) / Decimal(paths)) for count in counts)
    with np.errstate(invalid="ignore"):
        capital_pct = np.percentile(capital, PERCENTILES, axis=1)
        income_pct = np.percentile(net, PERCENTILES, axis=1)
    fan = Fan(
        months=tuple(add_months(month_start(plan.start), index) for index in range(months)),
        capital_p10=_cents(capital_pct[0]),
        capital_p50=_cents(capital_pct[1]),
        capital_p90=_cents(capital_pct[2]),
        income_p10=_cents(income_pct[0]),
        income_p50=_cents(income_pct[1]),
        income_p90=_cents(income_pct[2]),
        probability_by_year=probabilities,
    )
    return fan, way


def _shown(fan: Fan) -> tuple[tuple[str, ...], ...]:
    """Every figure as it is shown (so a −0.00 for a 0.00 would count as a change)."""
    return tuple(
        tuple(str(value) for value in getattr(fan, name)) for name in Fan.__dataclass_fields__
    )


def test_the_fan_of_random_plans_equals_the_reference_cent_for_cent() -> None:
    rng = np.random.default_rng(20260601)
    sampled = 0
    ways: dict[str, int] = {}
    for _ in range(PLANS):
        plan = random_plan(rng)
        paths = int(rng.choice(PATH_COUNTS))
        seed = int(rng.integers(0, 2**31))
        expected, way = reference_fan(plan, paths=paths, seed=seed)
        with np.errstate(all="ignore"):
            fan = simulate(plan, paths=paths, seed=seed)
        assert _shown(fan) == _shown(expected), (plan, paths, seed)
        assert fan == expected
        sampled += paths >= order_statistics.SAMPLED_MIN_PATHS
        ways[way] = ways.get(way, 0) + 1
    # Both sizes of selection (sampled where this CPU partitions slowly), and every way
    # of computing the paths, were exercised.
    assert sampled >= PLANS // 4
    assert ways["closed form"] >= 10
    assert ways["month by month"] >= 10
    assert ways.get("fallback", 0) >= 3, ways


def test_the_bench_plan_with_many_paths_equals_the_reference() -> None:
    plan = replace(
        monte_carlo_bench.PLAN, horizon_years=10, target_monthly_income=Decimal("200.00")
    )
    for paths in (10_000, 20_001):
        expected, _ = reference_fan(plan, paths=paths, seed=paths)
        assert _shown(simulate(plan, paths=paths, seed=paths)) == _shown(expected)


def _hard_matrix(rng: np.random.Generator, kind: int, rows: int, paths: int) -> Matrix:
    values = rng.lognormal(0, rng.uniform(0, 2), size=(rows, paths)) * 10 ** rng.uniform(-300, 300)
    if kind == 1:
        values[rng.random(values.shape) < 0.01] = np.inf
    elif kind == 2:
        values[rng.random(values.shape) < 0.001] = np.nan
    elif kind == 3:
        values = np.round(values / values.mean(), 1)  # heavy ties
    elif kind == 4:
        values[:] = values[:, :1]  # every path equal, as with zero volatility
    elif kind == 5:
        values[rng.random(values.shape) < 0.3] = -np.inf
        values[rng.random(values.shape) < 0.3] = -0.0
    elif kind == 6:
        values.sort(axis=1)  # the first paths are the smallest: the sample misleads
    elif kind == 7:
        values = -np.sort(values, axis=1)
    elif kind == 8:
        values[:, : paths // 2] = 1.0  # half the row one value
    return values


@pytest.mark.parametrize("kind", range(9))
def test_the_percentiles_equal_numpys_on_hard_matrices(kind: int) -> None:
    rng = np.random.default_rng(kind)
    for paths in (1, 2, 3, 7, 1024, 1535, 1536, 1537, 2000, 2047, 4099, 10_000):
        rows = int(rng.integers(1, 25))
        values = _hard_matrix(rng, kind, rows, paths)
        with np.errstate(all="ignore"):
            expected = np.percentile(values, PERCENTILES, axis=1)
            found = montecarlo._percentiles_by_month(values.copy())
        assert np.array_equal(found, expected, equal_nan=True), (kind, paths)


@pytest.mark.parametrize("kind", range(9))
def test_the_sampled_selection_equals_partitions_on_hard_matrices(kind: int) -> None:
    """The sampled selection itself, whichever way this CPU's ``simulate`` selects."""
    rng = np.random.default_rng(100 + kind)
    for paths in (1024, 1025, 2000, 2047, 4099, 10_000):
        rows = int(rng.integers(1, 25))
        values = _hard_matrix(rng, kind, rows, paths)
        virtual = (paths - 1) * np.asarray(PERCENTILES) / 100
        ranks = sorted({*np.floor(virtual).astype(int), *(np.floor(virtual).astype(int) + 1)})
        with np.errstate(all="ignore"):
            found, with_nan = order_statistics.sampled_order_statistics(values.copy(), ranks)
        expected = np.partition(values, ranks, axis=1)
        for rank in ranks:
            assert np.array_equal(found[rank], expected[:, rank], equal_nan=True), (paths, rank)
        assert np.array_equal(with_nan, np.isnan(values).any(axis=1))
