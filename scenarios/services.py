"""Every write of scenarios: create, change, clone, delete, and storing the latest result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income.models import IncomeSource
from income.services.rows import model_assign_and_save, row_locked
from income.services.users import profile_get_or_create
from scenarios.models import Scenario
from scenarios.montecarlo import Fan, simulate
from scenarios.plans import scenario_plan, source_models
from scenarios.projection.engine import project
from scenarios.projection.result import Projection
from scenarios.projection.validation import tax_timing_conflicts
from scenarios.selectors import current_passive_sources
from scenarios.stress import Shocks, StressMonth, stress_test

SCENARIO_FIELDS: tuple[str, ...] = (
    "name", "description", "starting_capital", "monthly_contribution", "annual_return",
    "compounding", "payout", "tax_profile", "tax_rate", "tax_timing", "inflation",
    "additional_yearly_income", "one_off_income", "horizon_years", "target_monthly_income",
    "volatility",
)  # fmt: skip


def _check_fields(function: str, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(SCENARIO_FIELDS)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def _own_sources(owner: User, sources: Iterable[IncomeSource]) -> list[IncomeSource]:
    """Linked sources must be the owner's; another user's is "not one of yours"."""
    sources = list(sources)
    if any(source.owner_id != owner.pk for source in sources):
        raise DomainError({"sources": [_("Select only your own sources.")]})
    return sources


def _tax_timing_messages() -> dict[str, str]:
    """What each input ``tax_timing_conflicts`` names says, by the form's field."""
    tax_profile = _(
        "A plan taxed once at the end is taxed at one rate, without allowance or partial "
        "exemption: choose no tax profile and enter your own rate."
    )
    return {
        "monthly_contribution": _(
            "A plan taxed once at the end has no monthly contribution: set it to 0, or "
            "choose tax every year."
        ),
        "compounding": _("A plan taxed once at the end compounds yearly, as the calculator does."),
        "payout": _("A plan taxed once at the end reinvests its income, as the calculator does."),
        "additional_yearly_income": _(
            "A plan taxed once at the end has no additional yearly income; its one-off "
            "additional income is added at the end."
        ),
        "yearly_allowance": tax_profile,
        "partial_exemption": tax_profile,
        "one_off_income": _(
            "Only a plan taxed once at the end has a one-off additional income: set it to 0, "
            "or choose that tax timing."
        ),
    }


def scenario_tax_timing_check(*, scenario: Scenario) -> None:
    """Refuse the inputs a scenario's tax timing cannot have, each at its field.

    The rule is the engine's (``projection.validation.tax_timing_conflicts``): a plan taxed at the
    end reproduces the calculator, so it has none of the inputs the calculator lacks.
    Checked before saving, so a scenario that could not be projected is never stored,
    and by the form's live preview, so the same message shows while typing.
    """
    tax_profile = scenario.tax_profile
    conflicts = tax_timing_conflicts(
        tax_timing=scenario.tax_timing,
        monthly_contribution=scenario.monthly_contribution,
        compounding=scenario.compounding,
        payout=scenario.payout,
        additional_yearly_income=scenario.additional_yearly_income,
        yearly_allowance=tax_profile.yearly_allowance if tax_profile else Decimal(0),
        partial_exemption=tax_profile.partial_exemption if tax_profile else Decimal(0),
        one_off_income=scenario.one_off_income,
    )
    if conflicts:
        messages = _tax_timing_messages()
        errors: dict[str, list[str]] = {}
        for name in conflicts:
            field = "tax_profile" if name in ("yearly_allowance", "partial_exemption") else name
            if messages[name] not in errors.get(field, []):
                errors.setdefault(field, []).append(messages[name])
        raise DomainError(errors)


@transaction.atomic
def scenario_create(
    *, owner: User, sources: Iterable[IncomeSource] = (), **fields: Any
) -> Scenario:
    _check_fields("scenario_create", fields)
    linked = _own_sources(owner, sources)
    scenario = Scenario(owner=owner, **fields)
    scenario.full_clean()
    scenario_tax_timing_check(scenario=scenario)
    scenario.save()
    scenario.sources.set(linked)
    return scenario


@transaction.atomic
def scenario_update(
    *, scenario: Scenario, sources: Iterable[IncomeSource] | None = None, **fields: Any
) -> Scenario:
    """Change inputs; the stored result is cleared, since it no longer matches them."""
    _check_fields("scenario_update", fields)
    scenario = row_locked(scenario)  # a parallel edit of other fields is kept (issue 20)
    for name, value in fields.items():
        setattr(scenario, name, value)
    scenario.result, scenario.result_computed_at = {}, None
    scenario.full_clean()
    scenario_tax_timing_check(scenario=scenario)
    model_assign_and_save(
        instance=scenario,
        fields={},
        update_fields=[*fields, "result", "result_computed_at"],
    )
    if sources is not None:
        scenario.sources.set(_own_sources(scenario.owner, sources))
    return scenario


@transaction.atomic
def scenario_clone(*, scenario: Scenario) -> Scenario:
    """A copy with the same inputs and links, named "… (copy)", to vary one thing.

    It keeps the original's Monte Carlo seed (common random numbers, PRODUCT.md §4): a
    variant with one input changed differs from its original by that input, not by
    chance.
    """
    copy = Scenario.objects.get(pk=scenario.pk)
    copy.monte_carlo_seed = scenario_seed(scenario=scenario)
    copy.pk = None
    copy.name = _("%(name)s (copy)") % {"name": scenario.name}
    copy.name = copy.name[: Scenario._meta.get_field("name").max_length]
    copy.result, copy.result_computed_at = {}, None
    copy.full_clean()
    copy.save()
    copy.sources.set(scenario.sources.all())
    return copy


def scenario_seed(*, scenario: Scenario) -> int:
    """The seed of a scenario's Monte Carlo run: its own id, unless it is a clone, which
    draws what its original draws."""
    if scenario.monte_carlo_seed is not None:
        return scenario.monte_carlo_seed
    return int(scenario.pk)  # saved before it is run


@transaction.atomic
def scenario_delete(*, scenario: Scenario) -> None:
    """Locked first: of parallel deletes one deletes, the others find it gone (404)."""
    row_locked(scenario).delete()


@dataclass(frozen=True)
class ScenarioOutcome:
    scenario: Scenario
    projection: Projection
    fan: Fan | None
    missing_rates: list[str]


def scenario_run(*, scenario: Scenario, today: date, paths: int = 2000) -> ScenarioOutcome:
    """Project a scenario (with its linked sources) and store the summary as its result.

    The Monte Carlo fan is computed only when the scenario has a volatility; it is
    seeded by ``scenario_seed``, so the same scenario shows the same fan, and a clone
    its original's draws.
    """
    profile = profile_get_or_create(user=scenario.owner)
    plan = scenario_plan(scenario=scenario, profile=profile, today=today)
    inputs = source_models(owner=scenario.owner, sources=list(scenario.sources.all()), today=today)
    projection = project(plan, sources=[model for model, _tags in inputs.models])
    fan = (
        simulate(plan, paths=paths, seed=scenario_seed(scenario=scenario))
        if scenario.volatility
        else None
    )
    scenario.result = {
        "final_capital": str(projection.final_capital),
        "total_contributions": str(projection.total_contributions),
        "total_net_income": str(projection.total_net_income),
        "last_year_monthly_net": str(projection.years[-1].monthly_net_average),
        "independence_month": projection.independence_month.isoformat()
        if projection.independence_month
        else None,
        "target_month": projection.target_month.isoformat() if projection.target_month else None,
    }
    scenario.result_computed_at = timezone.now()
    Scenario.objects.filter(pk=scenario.pk).update(
        result=scenario.result, result_computed_at=scenario.result_computed_at
    )
    return ScenarioOutcome(
        scenario=scenario, projection=projection, fan=fan, missing_rates=inputs.missing_rates
    )


@dataclass(frozen=True)
class StressOutcome:
    """``stress.StressResult`` in the shapes the page and the API show (see its doc)."""

    monthly_net_before: Decimal
    monthly_net_after: Decimal
    independence_before: date | None
    independence_after: date | None
    sources: list[dict[str, Any]]
    missing_rates: list[str]
    path: list[StressMonth]
    independent_now: bool
    independence_ends_before: date | None
    independence_ends_after: date | None


def stress_run(
    *, owner: User, today: date, inflation: Decimal, horizon_years: int, **shocks: Decimal
) -> StressOutcome:
    """The stress test of PRODUCT.md §4 on the owner's active passive sources (reads only)."""
    inputs = source_models(
        owner=owner, sources=list(current_passive_sources(owner=owner)), today=today
    )
    profile = profile_get_or_create(user=owner)
    result = stress_test(
        sources=inputs.models,
        shocks=Shocks(**shocks),
        monthly_expenses=profile.monthly_expenses,
        inflation=inflation,
        start=today,
        horizon_years=horizon_years,
    )
    return StressOutcome(
        monthly_net_before=result.monthly_net_before,
        monthly_net_after=result.monthly_net_after,
        independence_before=result.independence_before,
        independence_after=result.independence_after,
        sources=[
            {"name": name, "monthly_net_before": before, "monthly_net_after": after}
            for name, before, after in result.per_source
        ],
        missing_rates=inputs.missing_rates,
        path=list(result.path),
        independent_now=result.independent_now,
        independence_ends_before=result.independence_ends_before,
        independence_ends_after=result.independence_ends_after,
    )
