"""The stress test of PRODUCT.md §4: shocks to a user's current sources, before and after.

Pure code: each shock changes the inputs of the source models
(``scenarios.projection.inputs``), and both the unshocked and the shocked sources are
projected with the same ``project``, so "before" and "after" differ only by the shocks.

What each shock does (fractions, 0.1 = 10 %):

- ``dividend_cut``: every capital source's yield × (1 − cut): that share of capital
  income is lost, P2P interest included.
- ``p2p_default_rate``: a capital source tagged ``p2p`` loses that share of its
  capital a year. It is modelled as a lower yield, yield − rate: a default is a
  negative income (a write-off) of capital × rate / 12 a month, which lowers the
  taxable income, and shrinks a reinvested capital. A paid-out capital stays at its
  size, so the write-off repeats on the full capital every year: a simplification
  that can only overstate the loss.
- ``vacancy``: added to every rental source's vacancy rate, capped at 1.
- ``churn_spike``: added to every subscription source's monthly churn, capped at 1;
  it lasts the whole horizon, not one month.
- ``ad_revenue_drop``: a flat source tagged ``ads_or_affiliate`` loses that share of
  its monthly amount.
- ``currency_move``: the income of a source tagged ``foreign_currency``, in the base
  currency, changes by that fraction (−0.1: the currency is 10 % weaker): capital
  (and so its income), rent, subscription price, flat amount. Costs stay as they are:
  they are taken to be paid in the base currency.

Shocks compose by multiplication: an advertising source in dollars with a 20 % drop and
a 10 % weaker dollar keeps 0.8 × 0.9 of its amount.

A shock is held for the whole horizon, so its first month says little (a churn spike
costs a subscription a few subscribers in month one and most of them in the long run):
the result carries the monthly path before and after for ``PATH_MONTHS`` months, and,
for a person already independent, the month the shocks end it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext
from typing import assert_never

from finance.errors import DomainError
from finance.rounding import EXACT, to_cents
from finance.schedule import month_start
from scenarios.projection.engine import project
from scenarios.projection.inflation import grown_expenses
from scenarios.projection.inputs import (
    COMPOUNDING_MONTHLY,
    CapitalSource,
    FlatSource,
    Plan,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.projection.result import Projection
from scenarios.projection.sources import source_monthly_net

ZERO = Decimal(0)
ONE = Decimal(1)
#: How many months of the before/after path the result carries (three years).
PATH_MONTHS = 36


@dataclass(frozen=True)
class SourceTags:
    """What a source is exposed to, beyond its model: P2P defaults, ads, a currency."""

    p2p: bool = False
    ads_or_affiliate: bool = False
    foreign_currency: bool = False


@dataclass(frozen=True)
class Shocks:
    """The shocks of PRODUCT.md §4, as fractions; see the module doc for each one."""

    dividend_cut: Decimal = ZERO
    p2p_default_rate: Decimal = ZERO
    vacancy: Decimal = ZERO
    churn_spike: Decimal = ZERO
    ad_revenue_drop: Decimal = ZERO
    currency_move: Decimal = ZERO


@dataclass(frozen=True)
class StressMonth:
    """One month of the path: passive net before and after the shocks, in cents, and the
    expenses it is held against, grown with inflation (``grown_expenses``), in cents."""

    month: date
    net_before: Decimal
    net_after: Decimal
    expenses: Decimal


@dataclass(frozen=True)
class StressResult:
    """Monthly passive net and independence month, before and after the shocks.

    ``monthly_net_before`` / ``_after`` and ``per_source`` ((name, net before, net
    after)) are of the first projected month; ``path`` is the first ``PATH_MONTHS``
    months (fewer on a shorter horizon) of the same two projections.

    ``independent_now``: the first month's net before the shocks already covers that
    month's expenses (``independence_before`` is then that month). Only then are
    ``independence_ends_before`` / ``_after`` set: the first month within the horizon
    whose net falls below the expenses, without and with the shocks ("the shocks end it
    in …"); None when it holds through the horizon.
    """

    monthly_net_before: Decimal
    monthly_net_after: Decimal
    independence_before: date | None
    independence_after: date | None
    per_source: tuple[tuple[str, Decimal, Decimal], ...]
    path: tuple[StressMonth, ...]
    independent_now: bool
    independence_ends_before: date | None
    independence_ends_after: date | None


def _validate(shocks: Shocks) -> None:
    """Shares from 0 to 1; the currency move above −1 (worthless) and at most +1."""
    errors: dict[str, list[str]] = {}
    for name in ("dividend_cut", "p2p_default_rate", "vacancy", "churn_spike", "ad_revenue_drop"):
        value: Decimal = getattr(shocks, name)
        if not value.is_finite() or not ZERO <= value <= ONE:
            errors[name] = ["Must be between 0 and 1."]
    move = shocks.currency_move
    if not move.is_finite() or not -ONE < move <= ONE:
        errors["currency_move"] = ["Must be greater than -1 and at most 1."]
    if errors:
        raise DomainError(errors)


def _shocked(source: SourceModel, tags: SourceTags, shocks: Shocks) -> SourceModel:
    """One source with the shocks that hit it applied (module doc)."""
    currency = ONE + shocks.currency_move if tags.foreign_currency else ONE
    with localcontext(EXACT):
        match source:
            case CapitalSource():
                annual_yield = source.annual_yield * (ONE - shocks.dividend_cut)
                if tags.p2p:
                    annual_yield -= shocks.p2p_default_rate
                return replace(source, capital=source.capital * currency, annual_yield=annual_yield)
            case RentalSource():
                return replace(
                    source,
                    monthly_rent=source.monthly_rent * currency,
                    vacancy_rate=min(source.vacancy_rate + shocks.vacancy, ONE),
                )
            case SubscriptionSource():
                return replace(
                    source,
                    price=source.price * currency,
                    churn_rate=min(source.churn_rate + shocks.churn_spike, ONE),
                )
            case FlatSource():
                kept = ONE - shocks.ad_revenue_drop if tags.ads_or_affiliate else ONE
                return replace(source, monthly_amount=source.monthly_amount * kept * currency)
            case _:
                assert_never(source)


def apply_shocks(
    sources: Sequence[tuple[SourceModel, SourceTags]], shocks: Shocks
) -> list[SourceModel]:
    """The sources with the shocks applied, in the same order. Raises ``DomainError``.

    A P2P default larger than the yield leaves a negative yield; one that would take the
    yield to −100 % or below is refused by the projection's bounds (``DomainError``).
    """
    _validate(shocks)
    return [_shocked(source, tags, shocks) for source, tags in sources]


def zero_plan(
    *, start: date, horizon_years: int, monthly_expenses: Decimal, inflation: Decimal
) -> Plan:
    """A plan of nothing: no capital, no savings, no tax; only the sources count."""
    return Plan(
        start=start,
        horizon_years=horizon_years,
        starting_capital=ZERO,
        monthly_contribution=ZERO,
        annual_return=ZERO,
        compounding=COMPOUNDING_MONTHLY,
        payout=True,
        tax_rate=ZERO,
        yearly_allowance=ZERO,
        partial_exemption=ZERO,
        inflation=inflation,
        additional_yearly_income=ZERO,
        target_monthly_income=ZERO,
        monthly_expenses=monthly_expenses,
    )


def stress_test(
    *,
    sources: Sequence[tuple[SourceModel, SourceTags]],
    shocks: Shocks,
    monthly_expenses: Decimal,
    inflation: Decimal,
    start: date,
    horizon_years: int = 30,
) -> StressResult:
    """Monthly passive net "now", its path and the independence month, before and after.

    "Now" is the first projected month (``start``'s month): the sum of the sources' own
    net incomes (``source_monthly_net``, each within its start and end dates). The
    independence month comes from ``project`` on a plan of nothing plus the sources,
    with the user's expenses growing with ``inflation`` (§3); the path, and the month
    independence ends, are read from the same two projections (``StressResult``).
    Raises ``DomainError`` for shocks, sources or a horizon out of bounds.
    """
    models = [source for source, _ in sources]
    shocked = apply_shocks(sources, shocks)
    plan = zero_plan(
        start=start,
        horizon_years=horizon_years,
        monthly_expenses=monthly_expenses,
        inflation=inflation,
    )
    before = project(plan, sources=models)
    after = project(plan, sources=shocked)
    first = month_start(start)
    per_source = tuple(
        (
            source.name,
            source_monthly_net(source, months=1, start=first)[0],
            source_monthly_net(changed, months=1, start=first)[0],
        )
        for source, changed in zip(models, shocked, strict=True)
    )
    path = tuple(
        StressMonth(
            month=row.month,
            net_before=row.net_income,
            net_after=shocked_row.net_income,
            expenses=to_cents(grown_expenses(plan, index)),
        )
        for index, (row, shocked_row) in enumerate(
            zip(before.months[:PATH_MONTHS], after.months[:PATH_MONTHS], strict=True)
        )
    )
    independent_now = before.independence_month == first
    return StressResult(
        monthly_net_before=before.months[0].net_income,
        monthly_net_after=after.months[0].net_income,
        independence_before=before.independence_month,
        independence_after=after.independence_month,
        per_source=per_source,
        path=path,
        independent_now=independent_now,
        independence_ends_before=_first_shortfall(plan, before) if independent_now else None,
        independence_ends_after=_first_shortfall(plan, after) if independent_now else None,
    )


def _first_shortfall(plan: Plan, projection: Projection) -> date | None:
    """The first month whose net falls below the expenses of that month, as ``project``
    compares them (covered: net ≥ grown expenses); None when every month is covered."""
    for index, row in enumerate(projection.months):
        if row.net_income < grown_expenses(plan, index):
            return row.month
    return None
