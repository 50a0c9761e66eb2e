"""Reads of scenarios, scoped to their owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet

from income.models import IncomeSource, Profile
from scenarios.models import Scenario
from scenarios.plans import scenario_plan, source_models
from scenarios.projections import Projection, project


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
