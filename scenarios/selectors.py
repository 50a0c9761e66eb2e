"""Reads of scenarios, scoped to their owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet

from income.models import IncomeSource, Profile
from income.services import profile_get_or_create
from scenarios.models import Scenario
from scenarios.plans import scenario_plan, source_models
from scenarios.projections import Projection, project
from scenarios.stress import zero_plan

#: The inflation the independence month of the reports assumes (the scenarios' default).
REPORT_INFLATION = Decimal("0.02")
REPORT_HORIZON_YEARS = 30


def scenario_list(*, owner: User) -> QuerySet[Scenario]:
    return (
        Scenario.objects.filter(owner=owner)
        .select_related("tax_profile")
        .prefetch_related("sources")
    )


@dataclass(frozen=True)
class ScenarioPreview:
    projection: Projection
    missing_rates: list[str]


def scenario_preview(
    *,
    owner: User,
    profile: Profile,
    scenario: Scenario,
    sources: Sequence[IncomeSource],
    today: date,
) -> ScenarioPreview:
    """Project a scenario that is not saved (the form's live preview), storing nothing.

    The same plan and engine as ``services.scenario_run`` (``scenario_plan`` +
    ``source_models`` + ``project``), without the Monte Carlo fan and without writing
    the result: the inputs are still being typed. Raises ``DomainError`` for a plan or
    a source outside the engine's bounds.
    """
    plan = scenario_plan(scenario=scenario, profile=profile, today=today)
    inputs = source_models(owner=owner, sources=list(sources), today=today)
    projection = project(plan, sources=[model for model, _tags in inputs.models])
    return ScenarioPreview(projection=projection, missing_rates=inputs.missing_rates)


def current_passive_sources(*, owner: User) -> QuerySet[IncomeSource]:
    """The sources a forward look starts from: active and passive."""
    return (
        IncomeSource.objects.filter(owner=owner, status="active", category__is_passive=True)
        .select_related("category", "tax_profile")
        .order_by("name", "pk")
    )


def independence_month(
    *,
    owner: User,
    today: date,
    inflation: Decimal = REPORT_INFLATION,
    horizon_years: int = REPORT_HORIZON_YEARS,
) -> date | None:
    """The financial-independence month of §3 from the owner's current sources.

    The first projected month in which the sources' own after-tax projections cover the
    monthly expenses grown with ``inflation`` (no savings plan, no withdrawal rule): the
    stress test's "before" figure. None without expenses, or if not reached within
    ``horizon_years``.
    """
    profile = profile_get_or_create(user=owner)
    if profile.monthly_expenses <= 0:
        return None
    inputs = source_models(
        owner=owner, sources=list(current_passive_sources(owner=owner)), today=today
    )
    plan = zero_plan(
        start=today,
        horizon_years=horizon_years,
        monthly_expenses=profile.monthly_expenses,
        inflation=inflation,
    )
    return project(plan, sources=[model for model, _tags in inputs.models]).independence_month
