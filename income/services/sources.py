"""Income sources: add, change, delete, and the check that a source handed in is the
caller's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income.changes import owner_data_changed
from income.models import IncomeSource
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
    "tax_rate", "invested_capital", "expected_yield", "reinvest", "purchase_price",
    "monthly_rent", "vacancy_rate", "management_fee_rate", "monthly_running_costs",
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
