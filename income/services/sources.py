"""Income sources: add, change, delete, and the check that a source handed in is the
caller's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income.changes import owner_data_changed
from income.models import ZERO, CalculationModel, IncomeSource
from income.services.rows import model_assign_and_save, reject_unknown, row_locked


def source_require_owner(*, source: IncomeSource, owner: User) -> None:
    """A related source must be the caller's own; another user's looks like no source at all.

    Public because every service that is handed a source asks it, the import's too.
    """
    if source.owner_id != owner.pk:
        raise DomainError({"source": [_("Select one of your own sources.")]})


# The fields a user sets on a source, in form order; the form and the API use this list.
SOURCE_FIELDS: tuple[str, ...] = (
    "name", "category", "currency", "status", "start_date", "end_date", "tax_profile",
    "tax_rate", "invested_capital", "expected_yield", "reinvest", "fund_type",
    "purchase_price", "monthly_rent", "vacancy_rate", "management_fee_rate",
    "monthly_running_costs", "acquired_on", "building_share", "completion_year",
    "price_per_subscriber", "current_subscribers", "new_subscribers_per_month",
    "monthly_churn_rate", "expected_monthly_amount", "annual_growth_rate",
    "upfront_investment", "setup_hours", "maintenance_hours_per_month", "monthly_costs",
    "payout_rhythm", "next_payout_date", "platform", "country", "notes",
)  # fmt: skip


def _normalise_source(source: IncomeSource) -> None:
    source.country = (source.country or "").upper()
    source.platform = (source.platform or "").strip()
    if source.start_date and source.end_date and source.end_date < source.start_date:
        raise DomainError({"end_date": [_("The end date cannot be before the start date.")]})
    errors = _tax_field_errors(source)
    if errors:
        raise DomainError(errors)


#: The tax fields of a rental property (Anlage V, depreciation) and of a fund (InvStG).
RENTAL_TAX_FIELDS = ("acquired_on", "building_share", "completion_year")


def _tax_field_errors(source: IncomeSource) -> dict[str, list[str]]:
    """The tax fields a source's calculation model cannot use, and an impossible purchase day.

    A building share, completion year or purchase day depreciates a let property only
    (§7 (4) EStG); a fund type sets the partial exemption of fund income (§20 InvStG),
    which only a capital source earns. Set on another kind of source they would be kept
    and never used, so they are refused: the person clears them (a value of the model's
    default: none, 0 or blank). ``acquired_on`` lies in the past and not after the
    source's end: a property is not let before it is bought.
    """
    errors: dict[str, list[str]] = {}
    # Without a category ``full_clean()`` names the missing one; the kind waits for it.
    model = source.category.model if source.category_id is not None else None
    if model is not None and model != CalculationModel.RENTAL:
        for name in RENTAL_TAX_FIELDS:
            if getattr(source, name) not in (None, ZERO):
                errors[name] = [_("Only a rental property has this; leave it empty.")]
    if source.fund_type and model is not None and model != CalculationModel.CAPITAL:
        errors["fund_type"] = [_("Only a capital source can be a fund; leave it empty.")]
    acquired = source.acquired_on
    if acquired is not None and "acquired_on" not in errors:
        if acquired > timezone.localdate():
            errors["acquired_on"] = [_("The day of purchase cannot be in the future.")]
        elif source.end_date is not None and acquired > source.end_date:
            errors["acquired_on"] = [_("The day of purchase cannot be after the end date.")]
    return errors


@transaction.atomic
def source_create(*, owner: User, **fields: Any) -> IncomeSource:
    """Add an income source for ``owner``; ids or owners in ``fields`` are refused."""
    reject_unknown("source_create", fields, SOURCE_FIELDS)
    source = IncomeSource(owner=owner)
    for name, value in fields.items():
        setattr(source, name, value)
    _normalise_source(source)
    source = model_assign_and_save(instance=source, fields={})
    owner_data_changed(owner_id=owner.pk)
    return source


@transaction.atomic
def source_update(*, source: IncomeSource, **fields: Any) -> IncomeSource:
    reject_unknown("source_update", fields, SOURCE_FIELDS)
    source = row_locked(source)
    for name, value in fields.items():
        setattr(source, name, value)
    _normalise_source(source)
    source = model_assign_and_save(instance=source, fields={}, update_fields=fields)
    owner_data_changed(owner_id=source.owner_id)
    return source


@transaction.atomic
def source_delete(*, source: IncomeSource) -> None:
    """Delete a source with its payments, periods and effort logs.

    Locked first, so of parallel deletes one deletes and the others find nothing (404).
    """
    source = row_locked(source)
    owner_data_changed(owner_id=source.owner_id)
    source.delete()
