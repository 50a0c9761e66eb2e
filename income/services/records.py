"""The records kept per source and month (or day) beside payments: subscription periods,
logged hours (effort) and asset values. Each is one per source and month/day, and every
write of one marks the owner's figures stale."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from finance.errors import DomainError
from finance.schedule import month_start
from income.changes import owner_data_changed
from income.models import (
    ASSET_MODELS,
    AssetValue,
    CalculationModel,
    EffortLog,
    IncomeSource,
    SubscriptionPeriod,
)
from income.services.rows import model_assign_and_save, reject_unknown, row_locked
from income.services.sources import source_require_owner


def _assign_month_fields(
    instance: SubscriptionPeriod | EffortLog, fields: Mapping[str, Any]
) -> None:
    """Set fields; a month is stored as its first day, whatever day was sent."""
    for name, value in fields.items():
        setattr(instance, name, month_start(value) if name == "month" and value else value)


# ----------------------------------------------------------------------------- subscription periods

PERIOD_FIELDS = frozenset(
    {
        "source", "month", "subscribers_start", "new_subscribers", "churned_subscribers",
        "reactivated_subscribers", "mrr_new", "mrr_expansion", "mrr_contraction",
        "mrr_churned", "mrr_reactivation", "revenue",
    }
)  # fmt: skip


def _require_subscription(source: IncomeSource) -> None:
    if source.category.model != CalculationModel.SUBSCRIPTION:
        raise DomainError(
            {"source": [_("Subscription periods belong to subscription sources only.")]}
        )


R = TypeVar("R", SubscriptionPeriod, EffortLog, AssetValue)


def _record_save(
    record: R,
    *,
    check: Callable[[R], None],
    owner: User,
    update_fields: Iterable[str] | None = None,
) -> R:
    """Check, save and mark the owner's figures stale: the end of every write of a
    per-source record (subscription period, logged hours, asset value). An update names
    the fields it was sent (``update_fields``) and saves only those."""
    check(record)
    record = model_assign_and_save(
        instance=record, fields={}, update_fields=update_fields, on_conflict=lambda: check(record)
    )
    owner_data_changed(owner_id=owner.pk)
    return record


def _record_delete(record: SubscriptionPeriod | EffortLog | AssetValue) -> None:
    record = row_locked(record)
    owner_data_changed(owner_id=record.source.owner_id)
    record.delete()


def _taken_on_source(record: SubscriptionPeriod | EffortLog | AssetValue, field: str) -> bool:
    """Whether another row of ``record``'s source already has its ``field`` (a month,
    a day): periods, logged hours and asset values are one per source and month/day."""
    value = getattr(record, field)
    return bool(
        value
        and type(record)
        .objects.filter(source_id=record.source_id, **{field: value})
        .exclude(pk=record.pk)
        .exists()
    )


def _check_period(period: SubscriptionPeriod) -> None:
    errors: dict[str, list[str]] = {}
    if period.churned_subscribers > period.subscribers_start:
        errors["churned_subscribers"] = [
            _("More subscribers cannot churn than there were at the start of the month.")
        ]
    if _taken_on_source(period, "month"):
        errors["month"] = [_("This month is already recorded for this source.")]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def period_create(*, owner: User, source: IncomeSource, **fields: Any) -> SubscriptionPeriod:
    """Record one month of a subscription source; the month is stored as its first day."""
    reject_unknown("period_create", fields, PERIOD_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_subscription(source)
    period = SubscriptionPeriod(source=source)
    _assign_month_fields(period, fields)
    return _record_save(period, check=_check_period, owner=owner)


@transaction.atomic
def period_update(*, owner: User, period: SubscriptionPeriod, **fields: Any) -> SubscriptionPeriod:
    reject_unknown("period_update", fields, PERIOD_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_subscription(fields["source"])
    period = row_locked(period)
    _assign_month_fields(period, fields)
    return _record_save(period, check=_check_period, owner=owner, update_fields=fields)


@transaction.atomic
def period_delete(*, period: SubscriptionPeriod) -> None:
    _record_delete(period)


# ----------------------------------------------------------------------------- effort

EFFORT_FIELDS = frozenset({"source", "month", "hours", "note"})


def _check_effort_log(effort_log: EffortLog) -> None:
    if _taken_on_source(effort_log, "month"):
        raise DomainError({"month": [_("This month is already recorded for this source.")]})


@transaction.atomic
def effort_log_create(*, owner: User, source: IncomeSource, **fields: Any) -> EffortLog:
    """Record the hours spent on a source in a month (one row per month)."""
    reject_unknown("effort_log_create", fields, EFFORT_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    effort_log = EffortLog(source=source)
    _assign_month_fields(effort_log, fields)
    return _record_save(effort_log, check=_check_effort_log, owner=owner)


@transaction.atomic
def effort_log_update(*, owner: User, effort_log: EffortLog, **fields: Any) -> EffortLog:
    reject_unknown("effort_log_update", fields, EFFORT_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
    effort_log = row_locked(effort_log)
    _assign_month_fields(effort_log, fields)
    return _record_save(effort_log, check=_check_effort_log, owner=owner, update_fields=fields)


@transaction.atomic
def effort_log_delete(*, effort_log: EffortLog) -> None:
    _record_delete(effort_log)


# ----------------------------------------------------------------------------- asset values

ASSET_VALUE_FIELDS = frozenset({"source", "date", "value", "note"})


def _require_asset(source: IncomeSource) -> None:
    if source.category.model not in ASSET_MODELS:
        raise DomainError(
            {"source": [_("A value can be recorded for capital and rental sources only.")]}
        )


def _check_asset_value(asset_value: AssetValue) -> None:
    if _taken_on_source(asset_value, "date"):
        raise DomainError({"date": [_("A value is already recorded for this day.")]})


@transaction.atomic
def asset_value_create(*, owner: User, source: IncomeSource, **fields: Any) -> AssetValue:
    """Record what the asset of a capital or rental source was worth on a day.

    In the source's currency, one value per day. A later value replaces an earlier one
    in the figures (total return, income yield), so recording one marks the reports stale.
    """
    reject_unknown("asset_value_create", fields, ASSET_VALUE_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_asset(source)
    asset_value = AssetValue(source=source)
    for name, value in fields.items():
        setattr(asset_value, name, value)
    return _record_save(asset_value, check=_check_asset_value, owner=owner)


@transaction.atomic
def asset_value_update(*, owner: User, asset_value: AssetValue, **fields: Any) -> AssetValue:
    reject_unknown("asset_value_update", fields, ASSET_VALUE_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_asset(fields["source"])
    asset_value = row_locked(asset_value)
    for name, value in fields.items():
        setattr(asset_value, name, value)
    return _record_save(asset_value, check=_check_asset_value, owner=owner, update_fields=fields)


@transaction.atomic
def asset_value_delete(*, asset_value: AssetValue) -> None:
    _record_delete(asset_value)
