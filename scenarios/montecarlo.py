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
  with monthly compounding it is ``projections.project``'s capital.
- capital: the contribution is added at the start of the month, then the capital
  grows by g: ``C_t = (C_{t−1} + c) × g_t``.
- income: ``(C_{t−1} + c) × r / 12``, what the capital of the month pays at the plan's
  expected return, plus 1/12 of the additional yearly income. The income is not the
  random gain of the month: price swings are not income (and in Germany are not taxed
  until sold); they move the capital, and with it the income of later months.
- payout: the expected return is paid out and only the surprise stays in the capital
  (``E[g] = 1``), so with volatility 0 the capital is starting capital +
  contributions, as in ``project``.
- tax: the plan's rule (``projections._PlanTax``): per plan year, on
  ``max(0, income) × (1 − partial_exemption)`` beyond the allowance left, the allowance
  used by the earliest income. When reinvesting, the tax on the investment income is
  paid out of the capital in its month, as ``project`` does; that makes each month
  depend on the tax of the month before, so that case (and only that one, besides a
  numerical fallback) runs a loop over the months, each step vectorised over all
  paths.
- real values: deflated per plan year, ``(1 + inflation)^y`` (``projections.deflator``).

Linked sources are not simulated: they have no volatility of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from math import log, sqrt

import numpy as np
import numpy.typing as npt

from income.finance.figures import to_ratio
from income.finance.rounding import EXACT, to_cents
from income.finance.schedule import add_months, month_start
from scenarios.projections import COMPOUNDING_MONTHLY, Plan, validate_plan

Matrix = npt.NDArray[np.float64]

PERCENTILES = (10.0, 50.0, 90.0)
MAX_PATHS = 100_000


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


def _capital_paths(growth: Matrix, *, starting_capital: float, contribution: float) -> Matrix:
    """Capital at the end of each month of ``C_t = (C_{t−1} + c) × g_t``, without a loop.

    With ``G_t = g_1 ⋯ g_t`` (a cumulative product) the recurrence unrolls to
    ``C_t = G_t × (P + c × Σ_{k=1..t} 1 / G_{k−1})`` with ``G_0 = 1``: one cumulative
    product and one cumulative sum along the months. ``growth`` is overwritten.
    """
    cumulative = np.cumprod(growth, axis=1, out=growth)
    if contribution == 0.0:
        cumulative *= starting_capital
        return cumulative
    # Column t holds the t-th term of P + c × Σ 1 / G_{k−1}; its cumulative sum is the
    # whole bracket, the factors folded into the one division.
    discount = np.empty_like(cumulative)
    discount[:, 0] = starting_capital + contribution
    np.divide(contribution, cumulative[:, :-1], out=discount[:, 1:])
    np.cumsum(discount, axis=1, out=discount)
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
    ``(1 + annual_return)^(1/12)``, and unrolls ``C_t = (C_{t−1} + c) × g_t`` with
    cumulative products (``_capital_paths``). This is what ``make bench`` times at
    10,000 × 600.
    """
    rng = np.random.default_rng(seed)
    growth = _log_growth(
        rng,
        paths=paths,
        months=months,
        expected_monthly_growth=(1.0 + annual_return) ** (1.0 / 12.0),
        volatility=volatility,
    )
    np.exp(growth, out=growth)
    return _capital_paths(
        growth, starting_capital=starting_capital, contribution=monthly_contribution
    )


def _tax_step(
    income: Matrix, allowance_left: Matrix, *, exemption: float, rate: float
) -> tuple[Matrix, Matrix]:
    """The tax of one month for every path, and the allowance left after it.

    ``projections._PlanTax`` in floats: a loss pays no tax and uses no allowance.
    """
    base = np.maximum(income, 0.0) * (1.0 - exemption)
    used = np.minimum(base, allowance_left)
    return (base - used) * rate, allowance_left - used


def _tax_by_year(income: Matrix, *, plan: Plan) -> Matrix:
    """The tax of every month of every path, the allowance renewed each plan year.

    The months are reshaped to (paths, years, 12), so the loop runs over the 12 months
    of a year, each step covering every path and every year at once.
    """
    paths, months = income.shape
    by_year = income.reshape(paths, months // 12, 12)
    tax = np.empty_like(by_year)
    left = np.full(by_year.shape[:2], float(plan.yearly_allowance))
    for month in range(12):
        tax[:, :, month], left = _tax_step(
            by_year[:, :, month],
            left,
            exemption=float(plan.partial_exemption),
            rate=float(plan.tax_rate),
        )
    return tax.reshape(paths, months)


def _shifted(capital: Matrix, *, starting_capital: float) -> Matrix:
    """The capital at the start of each month, before its contribution: C_{t−1}."""
    previous = np.empty_like(capital)
    previous[:, 0] = starting_capital
    previous[:, 1:] = capital[:, :-1]
    return previous


def _month_by_month(
    growth: Matrix, *, plan: Plan, tax_from_capital: bool
) -> tuple[Matrix, Matrix, Matrix]:
    """Capital, gross income and tax of every path, by stepping through the months.

    Needed when the tax is paid out of a reinvested capital: each month's capital then
    depends on that month's tax, which depends on the capital and on the allowance left,
    so there is no closed form. Each step is vectorised over the paths; the tax on the
    investment income is its share of the month's tax, as in ``project``. Also the
    fallback when the closed form (``_capital_paths``) leaves the range of a float.
    """
    paths, months = growth.shape
    rate_monthly = float(plan.annual_return) / 12.0
    additional = float(plan.additional_yearly_income) / 12.0
    contribution = float(plan.monthly_contribution)
    capital = np.empty_like(growth)
    income = np.empty_like(growth)
    tax = np.empty_like(growth)
    current = np.full(paths, float(plan.starting_capital))
    left = np.empty(paths)
    for month in range(months):
        if month % 12 == 0:
            left.fill(float(plan.yearly_allowance))
        base = current + contribution
        investment = base * rate_monthly
        income[:, month] = investment + additional
        tax[:, month], left = _tax_step(
            income[:, month],
            left,
            exemption=float(plan.partial_exemption),
            rate=float(plan.tax_rate),
        )
        current = base * growth[:, month]
        if tax_from_capital:
            positive = np.maximum(investment, 0.0)
            share = np.divide(
                positive, positive + additional, out=np.zeros(paths), where=positive > 0.0
            )
            current -= tax[:, month] * share
        capital[:, month] = current
    return capital, income, tax


def _to_cents(values: Matrix) -> tuple[Decimal, ...]:
    """Floats to Decimal cents: rounded to 2 places, through ``str``, then ``to_cents``."""
    return tuple(to_cents(Decimal(str(round(float(value), 2)))) for value in values)


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
    annual_return = float(plan.annual_return)
    if plan.payout:
        expected = 1.0
    elif plan.compounding == COMPOUNDING_MONTHLY:
        expected = 1.0 + annual_return / 12.0
    else:
        expected = (1.0 + annual_return) ** (1.0 / 12.0)
    rng = np.random.default_rng(seed)
    growth = _log_growth(
        rng,
        paths=paths,
        months=months,
        expected_monthly_growth=expected,
        volatility=float(plan.volatility or 0),
    )
    np.exp(growth, out=growth)

    starting_capital = float(plan.starting_capital)
    contribution = float(plan.monthly_contribution)
    tax_from_capital = not plan.payout and plan.tax_rate > 0
    capital = None
    if not tax_from_capital:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            capital = _capital_paths(
                growth.copy(), starting_capital=starting_capital, contribution=contribution
            )
        if not np.isfinite(capital).all():  # a return near −100 % underflows 1 / G_t
            capital = None
    if capital is None:
        capital, income, tax = _month_by_month(growth, plan=plan, tax_from_capital=tax_from_capital)
    else:
        base = _shifted(capital, starting_capital=starting_capital) + contribution
        income = base * (annual_return / 12.0) + float(plan.additional_yearly_income) / 12.0
        tax = _tax_by_year(income, plan=plan)
    net = income - tax

    deflators = (1.0 + float(plan.inflation)) ** (np.arange(months) // 12)
    target = float(plan.target_monthly_income)
    reached = (net / deflators >= target) & (target > 0)
    by_year = reached.reshape(paths, plan.horizon_years, 12).any(axis=2)
    reached_by = np.logical_or.accumulate(by_year, axis=1).sum(axis=0)
    with localcontext(EXACT):
        probabilities = tuple(
            to_ratio(Decimal(int(count)) / Decimal(paths)) for count in reached_by
        )

    capital_pct = np.percentile(capital, PERCENTILES, axis=0)
    income_pct = np.percentile(net, PERCENTILES, axis=0)
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
