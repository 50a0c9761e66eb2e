"""The compare page's difference column: each scenario's figures less the first one's.

Pure (no Django): the figures are the projections' own; only the subtraction is here, so
the page, and any client that wants it, read one definition of "difference to the first".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from finance.schedule import months_between
from scenarios.projection.result import Projection


@dataclass(frozen=True)
class ComparedFigures:
    """The figures of one scenario that the comparison puts side by side."""

    starting_capital: Decimal
    monthly_contribution: Decimal
    annual_return: Decimal  # a fraction: 0.05 is 5 %
    horizon_years: int
    final_capital: Decimal
    real_final_capital: Decimal
    net_income: Decimal
    monthly_net: Decimal | None  # None for a plan taxed once at the end: it pays nothing out
    independence_month: date | None
    target_month: date | None


@dataclass(frozen=True)
class Difference:
    """``other − first`` per figure; None where one side has no figure (a month not
    reached, or no monthly income). Months are whole months: later is positive."""

    starting_capital: Decimal
    monthly_contribution: Decimal
    annual_return: Decimal  # percentage points, as a fraction: 0.01 is one point
    horizon_years: int
    final_capital: Decimal
    real_final_capital: Decimal
    net_income: Decimal
    monthly_net: Decimal | None
    independence_months: int | None
    target_months: int | None


def _months(first: date | None, other: date | None) -> int | None:
    if first is None or other is None:
        return None
    return months_between(first, other)


def difference(*, first: ComparedFigures, other: ComparedFigures) -> Difference:
    """``other``'s figures less ``first``'s. Amounts are cents on both sides, so the
    differences are exact and need no rounding."""
    monthly = (
        None
        if first.monthly_net is None or other.monthly_net is None
        else other.monthly_net - first.monthly_net
    )
    return Difference(
        starting_capital=other.starting_capital - first.starting_capital,
        monthly_contribution=other.monthly_contribution - first.monthly_contribution,
        annual_return=other.annual_return - first.annual_return,
        horizon_years=other.horizon_years - first.horizon_years,
        final_capital=other.final_capital - first.final_capital,
        real_final_capital=other.real_final_capital - first.real_final_capital,
        net_income=other.net_income - first.net_income,
        monthly_net=monthly,
        independence_months=_months(first.independence_month, other.independence_month),
        target_months=_months(first.target_month, other.target_month),
    )


class PlanInputs(Protocol):
    """The inputs of a scenario the comparison shows (a ``Scenario`` has them)."""

    @property
    def starting_capital(self) -> Decimal: ...
    @property
    def monthly_contribution(self) -> Decimal: ...
    @property
    def annual_return(self) -> Decimal: ...
    @property
    def horizon_years(self) -> int: ...
    @property
    def target_monthly_income(self) -> Decimal: ...


def compared_figures(*, plan: PlanInputs, projection: Projection) -> ComparedFigures:
    """A scenario's inputs and its projection's last year, as the comparison shows them.

    A target month only for a plan with a target; no monthly income for a plan taxed once
    at the end (a saved calculation), which pays nothing out along the way.
    """
    last_year = projection.years[-1]
    return ComparedFigures(
        starting_capital=plan.starting_capital,
        monthly_contribution=plan.monthly_contribution,
        annual_return=plan.annual_return,
        horizon_years=plan.horizon_years,
        final_capital=projection.final_capital,
        real_final_capital=last_year.real_capital_end,
        net_income=projection.total_net_income,
        monthly_net=None if projection.calculation else last_year.monthly_net_average,
        independence_month=projection.independence_month,
        target_month=projection.target_month if plan.target_monthly_income else None,
    )


def differences_to_first(
    compared: Sequence[tuple[PlanInputs, Projection]],
) -> list[Difference | None]:
    """Each scenario's difference to the first one, in order; None for the first itself.

    The compare page's column and the API's ``difference`` both come from here.
    """
    figures = [compared_figures(plan=plan, projection=projection) for plan, projection in compared]
    return [
        difference(first=figures[0], other=other) if index else None
        for index, other in enumerate(figures)
    ]
