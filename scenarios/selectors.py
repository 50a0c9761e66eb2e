"""Reads of scenarios, scoped to their owner."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import User
from django.db.models import QuerySet

from finance.money import RateBook
from finance.schedule import month_start
from finance.tax.facts import TaxYearFacts
from income.models import IncomeSource, Profile
from income.services.users import profile_get_or_create
from scenarios.models import Scenario
from scenarios.plans import (
    projection_facts,
    rates_of,
    scenario_plan,
    source_models,
    source_models_key,
    source_models_of,
)
from scenarios.projection.engine import independence_of, project
from scenarios.projection.inputs import Plan, SourceModel
from scenarios.projection.result import Projection
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


def is_current_passive(source: IncomeSource) -> bool:
    """``current_passive_sources``' filter, for sources already loaded."""
    return source.status == "active" and source.category.is_passive


#: Part of every ``IndependenceQuestion.key``: raised when the engine answers the same
#: inputs differently, so that no answer of the old engine is reused.
QUESTION_VERSION = 3  # 3: the German tax year's rules (issue 22)


class IndependenceQuestion:
    """The projection that answers "from which month do my sources cover my expenses?".

    ``key`` names the question exactly (the plan, with its start month, and what every
    source's model is built from: ``plans.source_models_key``), so an answer stored
    under it is the answer: the report recompute reuses it while no source, rate,
    expense or month changed, instead of projecting 360 months again for a new payment,
    which changes none of these. The models are built only for an answer.
    """

    def __init__(
        self,
        *,
        plan: Plan,
        profile: Profile,
        sources: Sequence[IncomeSource],
        rates: RateBook,
        today: date,
        facts: TaxYearFacts | None,
    ) -> None:
        self.plan = plan
        self._inputs = (profile, sources, rates, today, facts)

    @cached_property
    def key(self) -> str:
        profile, sources, rates, today, facts = self._inputs
        built_from = source_models_key(
            profile=profile, sources=sources, rates=rates, today=today, facts=facts
        )
        return hashlib.sha256(repr((QUESTION_VERSION, self.plan, built_from)).encode()).hexdigest()

    @cached_property
    def sources(self) -> tuple[SourceModel, ...]:
        """The sources' models, in the base currency."""
        profile, sources, rates, today, facts = self._inputs
        inputs = source_models_of(
            profile=profile, sources=list(sources), rates=rates, today=today, facts=facts
        )
        return tuple(model for model, _tags in inputs.models)

    def answer(self) -> date | None:
        """Raises ``DomainError`` for a source outside the engine's bounds."""
        return independence_of(self.plan, sources=self.sources)


def independence_question(
    *,
    profile: Profile,
    sources: Sequence[IncomeSource],
    rates: RateBook,
    today: date,
    facts: TaxYearFacts | None,
    inflation: Decimal = REPORT_INFLATION,
    horizon_years: int = REPORT_HORIZON_YEARS,
) -> IndependenceQuestion | None:
    """The financial-independence question of §3 from loaded rows (no queries).

    ``sources`` are the owner's, all of them or already filtered: only the active,
    passive ones count. The first projected month in which the sources' own after-tax
    projections cover the monthly expenses grown with ``inflation`` (no savings plan, no
    withdrawal rule): the stress test's "before" figure. Each source is taxed as the
    yearly tax report taxes it, by ``facts`` (``plans.projection_facts``). None without
    expenses; the answer is None if not reached within ``horizon_years``.
    """
    if profile.monthly_expenses <= 0:
        return None
    plan = zero_plan(
        start=month_start(today),
        horizon_years=horizon_years,
        monthly_expenses=profile.monthly_expenses,
        inflation=inflation,
    )
    return IndependenceQuestion(
        plan=plan,
        profile=profile,
        sources=[source for source in sources if is_current_passive(source)],
        rates=rates,
        today=today,
        facts=facts,
    )


def independence_month(
    *,
    owner: User,
    today: date,
    inflation: Decimal = REPORT_INFLATION,
    horizon_years: int = REPORT_HORIZON_YEARS,
) -> date | None:
    """``independence_question``'s answer for ``owner``'s current sources, loaded here."""
    profile = profile_get_or_create(user=owner)
    if profile.monthly_expenses <= 0:
        return None
    sources = list(current_passive_sources(owner=owner))
    question = independence_question(
        profile=profile,
        sources=sources,
        rates=rates_of(profile, sources, today),
        today=today,
        facts=projection_facts(today=today),
        inflation=inflation,
        horizon_years=horizon_years,
    )
    return None if question is None else question.answer()
