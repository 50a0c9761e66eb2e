"""Where a statement's rows go (PRODUCT.md §8): for each source value of its rows (an
ISIN, a product, a payer) the owner's source it names, or a source to create, and the
value remembered as an alias of its source, so the next statement's rows go there by
themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from finance.errors import DomainError
from imports.models import SourceAlias
from imports.parsing.presets import Preset
from imports.parsing.statement import StatementRow
from income.models import IncomeCategory, IncomeSource
from income.services import source_create

#: The category of a source created from a file no preset knows.
DEFAULT_CATEGORY = "other-passive"
MAX_SOURCE_NAME = 120  # IncomeSource.name


def alias_key(value: str) -> str:
    """A source value as remembered: case-folded, spaces collapsed (``IE00B3RBWM25`` and
    ``ie00b3rbwm25 `` are one security)."""
    return " ".join(value.split()).casefold()[:255]


@dataclass(frozen=True)
class SourcePlan:
    """Where the rows of one source value go: an existing source, or one to create."""

    key: str
    value: str
    label: str
    rows: int
    currency: str
    first_date: date
    source: IncomeSource | None
    #: "chosen" (in the preview), "alias" (remembered), "name" (a source of that name),
    #: or "create".
    how: str
    category: IncomeCategory | None


def _categories() -> dict[str, IncomeCategory]:
    return {c.slug: c for c in IncomeCategory.objects.all()}


def sources_plan(
    *,
    owner: User,
    rows: tuple[StatementRow, ...],
    preset: Preset | None,
    choices: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, SourcePlan]:
    """For each source value of the rows, the source its rows go to (see ``SourcePlan``).

    Order: what the person chose in the preview, a remembered alias, a source of theirs
    with that name (case-insensitive); else a new source is planned, named after the
    value's label (a security's name) or the value, in the chosen category or the
    preset's. Three queries, whatever the number of rows.
    """
    choices = choices or {}
    seen: dict[str, list[StatementRow]] = {}
    for row in rows:
        if row.source:
            seen.setdefault(alias_key(row.source), []).append(row)
    if not seen:
        return {}
    own = {s.pk: s for s in IncomeSource.objects.filter(owner=owner).select_related("category")}
    by_name = {alias_key(s.name): s for s in own.values()}
    aliases = dict(
        SourceAlias.objects.filter(owner=owner, value__in=list(seen)).values_list(
            "value", "source_id"
        )
    )
    categories = _categories()
    fallback = categories.get(preset.category if preset else DEFAULT_CATEGORY) or categories.get(
        DEFAULT_CATEGORY
    )
    # The rows without a value of their own go to the platform's source (its interest).
    platform_key = alias_key(preset.options.source_fallback or "") if preset else ""
    platform_category = (
        categories.get(preset.fallback_category or "") if preset else None
    ) or fallback
    plans: dict[str, SourcePlan] = {}
    for key, group in seen.items():
        first = group[0]
        choice = choices.get(key) or {}
        chosen_id = choice.get("source")
        chosen = own.get(chosen_id) if isinstance(chosen_id, int) else None
        target, how = None, "create"
        if chosen is not None:
            target, how = chosen, "chosen"
        elif not choice.get("category") and key in aliases and aliases[key] in own:
            target, how = own[aliases[key]], "alias"
        elif not choice.get("category") and key in by_name:
            target, how = by_name[key], "name"
        default = platform_category if key == platform_key else fallback
        category = categories.get(choice.get("category") or "") or default
        plans[key] = SourcePlan(
            key=key,
            value=first.source or "",
            label=first.source_label or first.source or "",
            rows=len(group),
            currency=first.currency,
            first_date=min(row.date for row in group),
            source=target,
            how=how,
            category=None if target else category,
        )
    return plans


def check_choices(*, owner: User, choices: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The preview's source choices, each an own source's id or a category's slug."""
    if not isinstance(choices, Mapping) or len(choices) > 10_000:
        raise DomainError({"sources": [_("Choose a source or a category for each value.")]})
    own = set(IncomeSource.objects.filter(owner=owner).values_list("pk", flat=True))
    slugs = set(_categories())
    clean: dict[str, dict[str, Any]] = {}
    for value, choice in choices.items():
        if not isinstance(value, str) or not isinstance(choice, Mapping):
            raise DomainError({"sources": [_("Choose a source or a category for each value.")]})
        source_id, slug = choice.get("source"), choice.get("category")
        if source_id is not None:
            if (
                not isinstance(source_id, int)
                or isinstance(source_id, bool)
                or source_id not in own
            ):
                raise DomainError({"sources": [_("Select one of your own sources.")]})
            clean[alias_key(value)] = {"source": source_id}
        elif slug is not None:
            if slug not in slugs:
                raise DomainError({"sources": [_("Choose one of the categories.")]})
            clean[alias_key(value)] = {"category": slug}
    return clean


def sources_create(
    *, owner: User, plans: Mapping[str, SourcePlan], needed: set[str], platform: str
) -> dict[str, IncomeSource]:
    """The planned sources of the values in ``needed`` created, and every value remembered
    as an alias of its source (the next statement's rows go there by themselves)."""
    targets: dict[str, IncomeSource] = {}
    for key in sorted(needed):
        plan = plans[key]
        if plan.source is not None:
            targets[key] = plan.source
            continue
        targets[key] = source_create(
            owner=owner,
            name=(plan.label or plan.value)[:MAX_SOURCE_NAME],
            category=plan.category or _categories()[DEFAULT_CATEGORY],
            currency=plan.currency,
            start_date=plan.first_date,
            platform=platform[:MAX_SOURCE_NAME],
        )
    SourceAlias.objects.bulk_create(
        [SourceAlias(owner=owner, value=key, source=source) for key, source in targets.items()],
        update_conflicts=True,
        unique_fields=["owner", "value"],
        update_fields=["source"],
    )
    return targets
