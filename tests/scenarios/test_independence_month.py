"""``independence_of`` answers exactly what ``project`` says, for any plan and sources.

The report recompute asks for the independence month through ``independence_of``, which
skips the schedule for a plan that earns nothing itself; these tests hold its answer,
and its errors, equal to the full projection's on random plans and sources of every kind
(with start and end dates, losses, growth, deflation), and on plans that do earn, for
which it must fall back to the projection.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.errors import DomainError
from scenarios.projection.engine import independence_of, project
from scenarios.projection.inputs import (
    FlatSource,
    Plan,
    SourceModel,
)
from scenarios.stress import zero_plan
from tests.scenarios.source_models import sources


def nothing_plans() -> st.SearchStrategy[Plan]:
    """Plans of nothing, as the report recompute asks with (``zero_plan``)."""
    return st.builds(
        zero_plan,
        start=st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31)),
        horizon_years=st.integers(1, 30),
        monthly_expenses=st.decimals(min_value=0, max_value=20_000, places=2),
        inflation=st.decimals(min_value=D("-0.05"), max_value=D("0.2"), places=3),
    )


def answer(plan: Plan, models: list[SourceModel]) -> tuple[str, object]:
    """What ``project`` says of the independence month, or its error."""
    try:
        return "month", project(plan, sources=models).independence_month
    except DomainError as error:
        return "error", error.field_errors


def lean(plan: Plan, models: list[SourceModel]) -> tuple[str, object]:
    try:
        return "month", independence_of(plan, sources=models)
    except DomainError as error:
        return "error", error.field_errors


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=nothing_plans(), models=sources)
def test_a_plan_of_nothing_has_the_projections_independence_month(
    plan: Plan, models: list[SourceModel]
) -> None:
    assert lean(plan, models) == answer(plan, models)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=nothing_plans(),
    models=sources,
    capital_=st.decimals(min_value=0, max_value=500_000, places=2),
    contribution=st.decimals(min_value=0, max_value=2_000, places=2),
    additional=st.decimals(min_value=0, max_value=20_000, places=2),
    rate=st.decimals(min_value=D("-0.2"), max_value=D("0.2"), places=3),
)
def test_a_plan_that_earns_has_the_projections_independence_month(
    plan: Plan,
    models: list[SourceModel],
    capital_: D,
    contribution: D,
    additional: D,
    rate: D,
) -> None:
    earning = Plan(
        **{
            **plan.__dict__,
            "starting_capital": capital_,
            "monthly_contribution": contribution,
            "additional_yearly_income": additional,
            "annual_return": rate,
            "tax_rate": D("0.26375"),
        }
    )
    assert lean(earning, models) == answer(earning, models)


def test_the_first_covering_month_is_found_against_each_years_grown_expenses() -> None:
    """A book pays 1,150 a month; a course adds 100 from March 2027 (month 15)."""
    models: list[SourceModel] = [
        FlatSource("Book", D("1150"), D(0), D(0), D(0)),
        FlatSource("Course", D("100"), D(0), D(0), D(0), starts=date(2027, 3, 1)),
    ]

    def plan(expenses: str) -> Plan:
        return zero_plan(
            start=date(2026, 1, 1),
            horizon_years=5,
            monthly_expenses=D(expenses),
            inflation=D("0.05"),
        )

    # 1,150 covers 1,100 from the first month, and 1,150 exactly as well.
    assert independence_of(plan("1100"), sources=models) == date(2026, 1, 1)
    assert independence_of(plan("1150"), sources=models) == date(2026, 1, 1)
    # 1,180 is not covered in 2026; 2027 needs 1,239, which 1,250 covers from March.
    assert independence_of(plan("1180"), sources=models) == date(2027, 3, 1)
    # 1,200 grows faster than 1,250 can follow: 1,260 in 2027, 1,323 in 2028.
    assert independence_of(plan("1200"), sources=models) is None
    for expenses in ("1100", "1150", "1180", "1200"):
        assert independence_of(plan(expenses), sources=models) == (
            project(plan(expenses), sources=models).independence_month
        )


def test_a_source_outside_the_bounds_is_refused_as_the_projection_refuses_it() -> None:
    plan = zero_plan(
        start=date(2026, 1, 1), horizon_years=3, monthly_expenses=D("100"), inflation=D(0)
    )
    bad = FlatSource("Book", D("-5"), D(0), D(0), D(0))
    with pytest.raises(DomainError) as caught:
        independence_of(plan, sources=[bad])
    assert caught.value.field_errors == answer(plan, [bad])[1]
