"""Uncertainty of a scenario (PRODUCT.md §4): a seeded, vectorised Monte Carlo run.

NumPy floats are used here on purpose: a percentile of 2,000 random paths is an
estimate, not an amount anyone is paid, so float precision is more than enough; only
the shown results are converted to Decimal cents (half up) at the end.

The model, month by month for each path:

- growth: a log-normal factor ``g = exp(mu + sigma × Z)`` with Z standard normal,
  ``sigma = volatility / sqrt(12)`` and ``mu = ln(expected growth) − sigma² / 2``, so
  that E[g] is the plan's expected monthly growth: ``1 + r / 12`` with "monthly"
  compounding, ``(1 + r)^(1/12)`` with "yearly" (the same yearly growth, spread over
  the months). With volatility 0 (or None) every path is the deterministic one, and
  with monthly compounding it is ``projection.engine.project``'s capital.
- capital: the contribution is added at the start of the month, then the capital
  grows by g: ``C_t = (C_{t−1} + c) × g_t``.
- income: ``(C_{t−1} + c) × r / 12``, what the capital of the month pays at the plan's
  expected return, plus 1/12 of the additional yearly income. The income is not the
  random gain of the month: price swings are not income (and in Germany are not taxed
  until sold); they move the capital, and with it the income of later months.
- payout: the expected return is paid out and only the surprise stays in the capital
  (``E[g] = 1``), so with volatility 0 the capital is starting capital +
  contributions, as in ``project``.
- tax: the plan's rule (``projection.tax.PlanTax``): per plan year, on
  ``max(0, income) × (1 − partial_exemption)`` beyond the allowance left, the allowance
  used by the earliest income. When reinvesting, the tax on the investment income is
  paid out of the capital in its month, as ``project`` does; that makes each month
  depend on the tax of the month before, so that case (and only that one, besides a
  numerical fallback) runs a loop over the months, each step vectorised over all
  paths.
- a reinvesting plan taxed as a German fund (``projection.inputs.TAX_FUND``) pays no tax
  on its investment income in the month; each path's Vorabpauschale, the base yield
  capped at that path's gain of the plan year (its capital at the end of the year less
  its capital at the start and the year's contributions: a path that lost owes none), is
  taxed in the first month of the next plan year and paid out of the capital, as
  ``project`` does; its additional income is taxed month by month.
- real values: deflated per plan year, ``(1 + inflation)^y`` (``projection.inflation.deflator``).
- a plan taxed at the end (a saved calculation, ``projection.inputs.TAX_AT_END``) pays no tax
  out of its capital in the years: its capital paths are untaxed, as ``project``'s
  capital is shown before the tax due at the end (with volatility 0 the year-end
  capital is the calculator's ``P × (1 + r)^y``). Its income paths are still after the
  plan's rate: the income the capital would pay after tax, which is what the target is
  measured against. The one-off income is added once at the end: it is neither capital
  nor a monthly income, so it is in neither fan.

Linked sources are not simulated: they have no volatility of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from math import log, sqrt

import numpy as np
import numpy.typing as npt

from finance.figures import to_ratio
from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, month_start
from scenarios.order_statistics import order_statistics
from scenarios.projection.inputs import COMPOUNDING_MONTHLY, TAX_FUND, TAX_YEARLY, Plan
from scenarios.projection.validation import validate_plan

Matrix = npt.NDArray[np.float64]

PERCENTILES = (10.0, 50.0, 90.0)
MAX_PATHS = 100_000
#: Paths per block when the draw is transposed (``_growth_by_month``); measured.
_TRANSPOSE_BLOCK = 256
#: Paths drawn at a time by ``_drawn_growth``: a block of a 50-year plan (240 KB) stays
#: in cache from its draw through its exponential to its transposed copy.
_DRAW_BLOCK = 64
#: Months of net income kept at a time by the month loop (``_month_by_month``): 10 years
#: of 10,000 paths are 9.6 MB.
_NET_BLOCK_MONTHS = 120
#: Figures below this magnitude are formatted with ``.2f`` (``_to_cents``).
_FORMATTED_BELOW = 1e13


@dataclass(frozen=True)
class Fan:
    """The 10th / 50th / 90th percentile paths, in cents, and the target's probability.

    ``capital_*`` is the capital at the end of each month (as ``MonthRow.capital``);
    ``income_*`` the month's nominal plan income after the plan's tax. The
    percentiles are taken month by month, so a percentile line is not one path.
    ``probability_by_year[y]`` is the share of paths (0..1, four places) whose real
    monthly income after tax reached ``target_monthly_income`` in some month up to the
    end of plan year y + 1; all 0 when the plan has no target, as ``project`` then has
    no ``target_month``.
    """

    months: tuple[date, ...]
    capital_p10: tuple[Decimal, ...]
    capital_p50: tuple[Decimal, ...]
    capital_p90: tuple[Decimal, ...]
    income_p10: tuple[Decimal, ...]
    income_p50: tuple[Decimal, ...]
    income_p90: tuple[Decimal, ...]
    probability_by_year: tuple[Decimal, ...]


def _log_growth(
    rng: np.random.Generator,
    *,
    paths: int,
    months: int,
    expected_monthly_growth: float,
    volatility: float,
) -> Matrix:
    """Monthly log growth ``mu + sigma × Z`` of shape (paths, months), drawn in one call.

    ``mu`` is chosen so that ``E[exp(mu + sigma Z)] = expected_monthly_growth``
    (the log-normal mean is ``exp(mu + sigma² / 2)``).
    """
    sigma = volatility / sqrt(12.0)
    mu = log(expected_monthly_growth) - sigma * sigma / 2.0
    return rng.normal(mu, sigma, size=(paths, months))


def _growth_by_month(draws: Matrix) -> Matrix:
    """The growth factors ``exp(draws)`` of a (paths, months) draw, months first.

    The draw keeps its (paths, months) shape, so a seed gives the same numbers it always
    has; but everything after it reads one month of every path at a time (the month
    loop, the percentiles, the yearly target check), which in that layout is a column
    with one value per cache line. So the factors are copied once into a contiguous
    (months, paths) array. ``draws`` is exponentiated in place first, in its own
    layout, so each factor comes from the very ``np.exp`` call it always did (NumPy may
    pick another kernel for a strided input); its memory is free afterwards, and the
    result is always a new array, as ``simulate`` reuses that memory. The copy goes in
    blocks of ``_TRANSPOSE_BLOCK`` paths, whose rows stay in cache while their columns
    are written: about twice as fast as one transposed copy at 10,000 × 600.
    """
    np.exp(draws, out=draws)
    paths, months = draws.shape
    growth = np.empty((months, paths))
    for first in range(0, paths, _TRANSPOSE_BLOCK):
        block = slice(first, first + _TRANSPOSE_BLOCK)
        growth[:, block] = draws[block].T
    return growth


def _drawn_growth(
    rng: np.random.Generator,
    *,
    paths: int,
    months: int,
    expected_monthly_growth: float,
    volatility: float,
) -> Matrix:
    """``_growth_by_month(_log_growth(...))``, bit for bit, without the full-size draw.

    The generator hands out its normal numbers one after another, so drawing
    ``_DRAW_BLOCK`` paths at a time gives the very numbers of the one (paths, months)
    call, each ``mu + sigma × Z`` computed alike; every block is exponentiated in its
    own contiguous (paths, months) layout, as the whole draw was, and copied into its
    columns of the (months, paths) result while it is still in cache. That saves two
    passes over a draw that does not fit in any cache (about 6 ms of 90 at 10,000 × 600).
    """
    sigma = volatility / sqrt(12.0)
    mu = log(expected_monthly_growth) - sigma * sigma / 2.0
    growth = np.empty((months, paths))
    for first in range(0, paths, _DRAW_BLOCK):
        block = rng.normal(mu, sigma, size=(min(_DRAW_BLOCK, paths - first), months))
        np.exp(block, out=block)
        growth[:, first : first + _DRAW_BLOCK] = block.T
    return growth


def _capital_paths(growth: Matrix, *, starting_capital: float, contribution: float) -> Matrix:
    """Capital at the end of each month of ``C_t = (C_{t−1} + c) × g_t``, without a loop.

    With ``G_t = g_1 ⋯ g_t`` (a cumulative product) the recurrence unrolls to
    ``C_t = G_t × (P + c × Σ_{k=1..t} 1 / G_{k−1})`` with ``G_0 = 1``: one cumulative
    product and one cumulative sum along the months. ``growth`` is (months, paths), as
    ``_growth_by_month`` gives it, and is overwritten.
    """
    cumulative = np.cumprod(growth, axis=0, out=growth)
    if contribution == 0.0:
        cumulative *= starting_capital
        return cumulative
    # Row t holds the t-th term of P + c × Σ 1 / G_{k−1}; its cumulative sum is the
    # whole bracket, the factors folded into the one division.
    discount = np.empty_like(cumulative)
    discount[0] = starting_capital + contribution
    np.divide(contribution, cumulative[:-1], out=discount[1:])
    np.cumsum(discount, axis=0, out=discount)
    discount *= cumulative
    return discount


def simulate_capital_matrix(
    *,
    paths: int,
    months: int,
    annual_return: float,
    volatility: float,
    starting_capital: float,
    monthly_contribution: float,
    seed: int,
) -> Matrix:
    """The (paths, months) capital matrix of a reinvested savings plan, fully vectorised.

    Draws ``default_rng(seed).normal(mu, sigma, size=(paths, months))`` (the one
    random call), exponentiates it to monthly growth factors with expected value
    ``(1 + annual_return)^(1/12)``, and unrolls ``C_t = (C_{t−1} + c) × g_t``
    with cumulative products (``_capital_paths``, months first; the result is its
    transposed view).
    """
    rng = np.random.default_rng(seed)
    draws = _log_growth(
        rng,
        paths=paths,
        months=months,
        expected_monthly_growth=(1.0 + annual_return) ** (1.0 / 12.0),
        volatility=volatility,
    )
    capital = _capital_paths(
        _growth_by_month(draws),
        starting_capital=starting_capital,
        contribution=monthly_contribution,
    )
    return capital.T


def _tax_step(
    income: Matrix, allowance_left: Matrix, *, exemption: float, rate: float
) -> tuple[Matrix, Matrix]:
    """The tax of one month for every path, and the allowance left after it.

    ``projection.tax.PlanTax`` in floats: a loss pays no tax and uses no allowance.
    """
    base = np.maximum(income, 0.0) * (1.0 - exemption)
    used = np.minimum(base, allowance_left)
    return (base - used) * rate, allowance_left - used


def _tax_by_year(income: Matrix, *, plan: Plan) -> Matrix:
    """The tax of every month of every path, the allowance renewed each plan year.

    The (months, paths) income is reshaped to (years, 12, paths), so the loop runs over
    the 12 months of a year, each step covering every path and every year at once.
    """
    months, paths = income.shape
    by_year = income.reshape(months // 12, 12, paths)
    tax = np.empty_like(by_year)
    left = np.full((months // 12, paths), float(plan.yearly_allowance))
    for month in range(12):
        tax[:, month], left = _tax_step(
            by_year[:, month],
            left,
            exemption=float(plan.partial_exemption),
            rate=float(plan.tax_rate),
        )
    return tax.reshape(months, paths)


def _shifted(capital: Matrix, *, starting_capital: float) -> Matrix:
    """The capital at the start of each month, before its contribution: C_{t−1}."""
    previous = np.empty_like(capital)
    previous[0] = starting_capital
    previous[1:] = capital[:-1]
    return previous


def _month_by_month(
    growth: Matrix, *, plan: Plan, tax_from_capital: bool, net: Matrix, best: Matrix | None
) -> Iterator[Matrix]:
    """Capital and net income (after tax) of every path, by stepping through the months.

    Needed when the tax is paid out of a reinvested capital: each month's capital then
    depends on that month's tax, which depends on the capital and on the allowance left,
    so there is no closed form. Each step is vectorised over the paths; the tax on the
    investment income is its share of the month's tax, as in ``project``. Also the
    fallback when the closed form (``_capital_paths``) leaves the range of a float.

    ``growth`` is (months, paths), so a month is one contiguous row, and the capital
    overwrites it (each month's growth is read once, in that month). The net income is
    written to ``net``, (block months, paths), and each full block (the last one may be
    shorter) is yielded as it is done, then overwritten by the next: the caller takes
    what it needs from it (its percentiles) while it is in cache, and the 48 MB of a
    full net matrix are never allocated (first-touching them costs 9 ms, a tenth of the
    draw). The capital is complete once the iterator is exhausted. The arithmetic is
    ``_tax_step``'s, operation for operation, written into buffers allocated once: the
    loop runs 600 times for a 50-year plan, and fresh arrays each step cost more than
    the arithmetic. Without additional income the investment income's share of the tax
    is 1 whenever that income is positive, and otherwise the tax is exactly 0, so the
    share is not computed: ``C − tax × 1`` and ``C − 0 × 0`` are ``C − tax``, bit for bit.
    With ``best`` (years, paths), each plan year's largest net income (``fmax``) is kept
    there too, while the month is in cache (``_probability_by_year`` needs only that).
    """
    months, paths = growth.shape
    block = net.shape[0]
    rate_monthly = float(plan.annual_return) / 12.0
    additional = float(plan.additional_yearly_income) / 12.0
    contribution = float(plan.monthly_contribution)
    allowance = float(plan.yearly_allowance)
    untaxed = 1.0 - float(plan.partial_exemption)
    rate = float(plan.tax_rate)
    fund = plan.tax_timing == TAX_FUND and not plan.payout
    # The base yield's weight of a year's contributions: the one of month k (1..12) is
    # held 13 − k months of twelve (§18 (2) InvStG), so Σ (13 − k) / 12 = 78 / 12.
    held_contributions = contribution * 78.0 / 12.0
    base_share = float(plan.basiszins) * 0.7
    capital = growth
    current = np.full(paths, float(plan.starting_capital))
    base, investment, income, taxable, used, tax, left, positive, share = np.empty((9, paths))
    year_start, due, fund_tax = np.empty((3, paths))
    zeros = np.zeros(paths)
    due.fill(0.0)
    gained = np.empty(paths, dtype=bool)
    for month in range(months):
        if month % 12 == 0:
            left.fill(allowance)
            if fund:
                # Last year's Vorabpauschale, the year's first income: it uses the
                # allowance first, and its tax leaves the capital.
                np.multiply(due, untaxed, out=fund_tax)
                np.minimum(fund_tax, left, out=used)
                fund_tax -= used
                fund_tax *= rate
                left -= used
                # Paid out of this month's capital; last month's row stays as it ended.
                np.subtract(current, fund_tax, out=year_start)
        np.add(current, contribution, out=base)
        if fund and month % 12 == 0:
            base -= fund_tax
        np.multiply(base, rate_monthly, out=investment)
        np.add(investment, additional, out=income)
        if fund:
            taxable.fill(max(additional, 0.0))
        else:
            np.maximum(income, zeros, out=taxable)
        taxable *= untaxed
        np.minimum(taxable, left, out=used)
        np.subtract(taxable, used, out=tax)
        tax *= rate
        left -= used
        row = net[month % block]
        np.subtract(income, tax, out=row)
        if fund and month % 12 == 0:
            row -= fund_tax
        if best is not None:
            if month % 12 == 0:
                np.copyto(best[month // 12], row)
            else:
                np.fmax(best[month // 12], row, out=best[month // 12])
        current = capital[month]
        current *= base
        if fund:
            if month % 12 == 11:
                # gain = end − start − contributions; due = max(0, min(base yield, gain))
                np.subtract(current, year_start, out=due)
                due -= 12.0 * contribution
                np.add(year_start, held_contributions, out=share)
                share *= base_share
                np.minimum(due, share, out=due)
                np.maximum(due, zeros, out=due)
        elif tax_from_capital:
            if additional == 0.0:
                current -= tax
            else:
                np.maximum(investment, 0.0, out=positive)
                np.greater(positive, 0.0, out=gained)
                np.add(positive, additional, out=share)
                np.divide(positive, share, out=share, where=gained)
                share[~gained] = 0.0
                tax *= share
                current -= tax
        if month % block == block - 1 or month == months - 1:
            yield net[: month % block + 1]


def _percentiles_by_month(values: Matrix, *, random: bool = True) -> Matrix:
    """``np.percentile(values, PERCENTILES, axis=1)`` of (months, paths), bit for bit.

    NumPy's "linear" method step by step (the virtual index ``(n − 1) × q``, its
    neighbours, the two-sided lerp, NaN for a month with a NaN path) on order statistics
    from ``order_statistics``, which is many times faster than ``np.percentile``'s
    multi-rank partition. ``values`` may be partitioned in place; ``random``: see
    ``order_statistics``.
    """
    paths = values.shape[1]
    virtual = (paths - 1) * np.true_divide(PERCENTILES, 100)
    previous = np.floor(virtual)
    following = previous + 1
    beyond = virtual >= paths - 1  # the 100th percentile, or a single path: the largest
    previous[beyond] = -1
    following[beyond] = -1
    lower_ranks = [int(index) % paths for index in previous]
    upper_ranks = [int(index) % paths for index in following]
    found, with_nan = order_statistics(values, [*lower_ranks, *upper_ranks], random=random)
    lower = np.stack([found[rank] for rank in lower_ranks])
    upper = np.stack([found[rank] for rank in upper_ranks])
    gamma = (virtual - previous.astype(np.intp))[:, np.newaxis]
    step = upper - lower
    result: Matrix = lower + step * gamma
    np.subtract(upper, step * (1 - gamma), out=result, where=gamma >= 0.5)
    result[:, with_nan] = np.nan
    return result


def _probability_by_year(best: Matrix | None, *, plan: Plan, paths: int) -> tuple[Decimal, ...]:
    """The share of paths whose real net income reached the target by each plan year.

    A path reaches it in a year when ``net / deflator ≥ target`` in one of its months.
    The deflator is the same for the 12 months of a year, and rounded division by a
    positive number never reverses an order, so that holds exactly when it holds for
    the year's largest net income (``fmax``: a NaN month never reaches anything): one
    comparison per path and year instead of one per month. ``best`` is that largest
    net income of each (year, path) (``_paths``), None without a target.
    """
    years = plan.horizon_years
    target = float(plan.target_monthly_income)
    if target > 0 and best is not None:
        deflators = (1.0 + float(plan.inflation)) ** (np.arange(years * 12) // 12)
        best /= deflators[::12, np.newaxis]
        reached_by = np.logical_or.accumulate(best >= target, axis=0).sum(axis=1)
    else:
        reached_by = np.zeros(years, dtype=np.intp)
    with localcontext(EXACT):
        return tuple(to_ratio(Decimal(int(count)) / Decimal(paths)) for count in reached_by)


def _to_cents(values: Matrix) -> tuple[Decimal, ...]:
    """Floats to Decimal cents: rounded to 2 places, through ``str``, then ``to_cents``.

    Below 10^13 in magnitude, ``f"{value:.2f}"`` is the same decimal as
    ``str(round(value, 2))`` (both round the float's exact value half to even; a number
    of at most 15 digits survives the round trip through a float), in a third less
    time for the 3,600 figures of a 50-year fan; above, a float has no cents to show,
    and ``round`` decides, as it always has. A formatted figure has exactly two places,
    which ``to_cents`` would give back unchanged (sign of a zero included), so only the
    others go through it.
    """
    return tuple(
        Decimal(f"{value:.2f}")
        if -_FORMATTED_BELOW < value < _FORMATTED_BELOW
        else to_cents(Decimal(str(round(value, 2))))
        for value in values.tolist()
    )


def expected_monthly_growth(plan: Plan) -> float:
    """E[g] of a month (see the module doc): 1 when the expected return is paid out,
    ``1 + r / 12`` with monthly compounding, ``(1 + r)^(1/12)`` with yearly."""
    annual_return = float(plan.annual_return)
    if plan.payout:
        return 1.0
    if plan.compounding == COMPOUNDING_MONTHLY:
        return 1.0 + annual_return / 12.0
    return float((1.0 + annual_return) ** (1.0 / 12.0))


def _paths(plan: Plan, *, paths: int, seed: int) -> tuple[Matrix, Iterator[Matrix], Matrix | None]:
    """The capital of every month and path (months, paths); the net income (after tax)
    as blocks of months, (block months, paths) each, in order; and, with a target, each
    plan year's largest net income (years, paths), ``fmax`` (a NaN month never counts).

    The capital and the yearly best are complete only once the blocks are exhausted
    (the month loop yields them as it goes, ``_month_by_month``); a block may be
    overwritten by the next. Drawn as (paths, months), computed as (months, paths)
    (``_drawn_growth``), so that each month of all paths is one contiguous row.
    """
    months = plan.horizon_years * 12
    annual_return = float(plan.annual_return)
    growth = _drawn_growth(
        np.random.default_rng(seed),
        paths=paths,
        months=months,
        expected_monthly_growth=expected_monthly_growth(plan),
        volatility=float(plan.volatility or 0),
    )
    starting_capital = float(plan.starting_capital)
    contribution = float(plan.monthly_contribution)
    tax_from_capital = (
        not plan.payout and plan.tax_rate > 0 and plan.tax_timing in (TAX_YEARLY, TAX_FUND)
    )
    with_target = plan.target_monthly_income > 0
    if not tax_from_capital:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            capital = _capital_paths(
                growth.copy(), starting_capital=starting_capital, contribution=contribution
            )
        if np.isfinite(capital).all():  # a return near −100 % underflows 1 / G_t
            income = _shifted(capital, starting_capital=starting_capital)
            income += contribution
            income *= annual_return / 12.0
            income += float(plan.additional_yearly_income) / 12.0
            net = np.subtract(income, _tax_by_year(income, plan=plan), out=income)
            best = (
                np.fmax.reduce(net.reshape(plan.horizon_years, 12, paths), axis=1)
                if with_target
                else None
            )
            return capital, iter([net]), best
    best = np.empty((plan.horizon_years, paths)) if with_target else None
    blocks = _month_by_month(
        growth,
        plan=plan,
        tax_from_capital=tax_from_capital,
        net=np.empty((min(months, _NET_BLOCK_MONTHS), paths)),
        best=best,
    )
    return growth, blocks, best


def simulate(plan: Plan, *, paths: int = 2000, seed: int = 0) -> Fan:
    """The Monte Carlo fan of ``plan`` (PRODUCT.md §4 "Uncertainty"); see the module doc.

    Seeded with ``numpy.random.default_rng(seed)``: the same plan and seed give the same
    fan. Raises ``DomainError`` for a plan outside the bounds (``validate_plan``) and
    ``ValueError`` for ``paths`` outside 1..``MAX_PATHS``.
    """
    validate_plan(plan)
    if not 1 <= paths <= MAX_PATHS:
        raise ValueError(f"paths must be from 1 to {MAX_PATHS}, not {paths}.")
    months = plan.horizon_years * 12
    capital, net_blocks, best = _paths(plan, paths=paths, seed=seed)
    random = bool(plan.volatility)
    income_pct = np.concatenate(
        [_percentiles_by_month(block, random=random) for block in net_blocks], axis=1
    )
    capital_pct = _percentiles_by_month(capital, random=random)
    probabilities = _probability_by_year(best, plan=plan, paths=paths)
    first = month_start(plan.start)
    return Fan(
        months=tuple(add_months(first, index) for index in range(months)),
        capital_p10=_to_cents(capital_pct[0]),
        capital_p50=_to_cents(capital_pct[1]),
        capital_p90=_to_cents(capital_pct[2]),
        income_p10=_to_cents(income_pct[0]),
        income_p50=_to_cents(income_pct[1]),
        income_p90=_to_cents(income_pct[2]),
        probability_by_year=probabilities,
    )
