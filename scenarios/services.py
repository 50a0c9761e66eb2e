"""Every write of scenarios: create, change, clone, delete, and storing the latest result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from income.finance.errors import DomainError
from income.models import IncomeSource
from scenarios.models import Scenario

SCENARIO_FIELDS: tuple[str, ...] = (
    "name", "description", "starting_capital", "monthly_contribution", "annual_return",
    "compounding", "payout", "tax_profile", "tax_rate", "inflation",
    "additional_yearly_income", "horizon_years", "target_monthly_income", "volatility",
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


@transaction.atomic
def scenario_create(
    *, owner: User, sources: Iterable[IncomeSource] = (), **fields: Any
) -> Scenario:
    _check_fields("scenario_create", fields)
    linked = _own_sources(owner, sources)
    scenario = Scenario(owner=owner, **fields)
    scenario.full_clean()
    scenario.save()
    scenario.sources.set(linked)
    return scenario


@transaction.atomic
def scenario_update(
    *, scenario: Scenario, sources: Iterable[IncomeSource] | None = None, **fields: Any
) -> Scenario:
    """Change inputs; the stored result is cleared, since it no longer matches them."""
    _check_fields("scenario_update", fields)
    for name, value in fields.items():
        setattr(scenario, name, value)
    scenario.result, scenario.result_computed_at = {}, None
    scenario.full_clean()
    scenario.save()
    if sources is not None:
        scenario.sources.set(_own_sources(scenario.owner, sources))
    return scenario


@transaction.atomic
def scenario_clone(*, scenario: Scenario) -> Scenario:
    """A copy with the same inputs and links, named "… (copy)", to vary one thing."""
    copy = Scenario.objects.get(pk=scenario.pk)
    copy.pk = None
    copy.name = _("%(name)s (copy)") % {"name": scenario.name}
    copy.name = copy.name[: Scenario._meta.get_field("name").max_length]
    copy.result, copy.result_computed_at = {}, None
    copy.full_clean()
    copy.save()
    copy.sources.set(scenario.sources.all())
    return copy


@transaction.atomic
def scenario_delete(*, scenario: Scenario) -> None:
    scenario.delete()
