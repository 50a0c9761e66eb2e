"""What the German tax year needs beside payments (PRODUCT.md §9, issue 22): the costs of
a source (Anlage V, a creator's expenses) and a fund's units and prices per year (the
Vorabpauschale). Each write checks the caller owns the source and that the record fits
it, and marks the owner's figures stale, as the asset values' services do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance.errors import DomainError
from income.changes import owner_data_changed
from income.models import CalculationModel, Cost, FundYear, IncomeSource, TaxTreatment
from income.services.rows import model_assign_and_save, reject_unknown, row_locked
from income.services.sources import source_require_owner

COST_FIELDS = frozenset({"source", "date", "kind", "amount", "currency", "note"})
FUND_YEAR_FIELDS = frozenset(
    {"source", "year", "units", "start_price", "end_price", "bought_on", "note"}
)

#: The tax treatments whose income costs are deducted from: Anlage V, and a creator's or
#: freelancer's business income (§§15, 18 EStG). Capital income has a flat allowance
#: instead (§20 (9) EStG), so its costs count for nothing.
COST_TREATMENTS = frozenset({TaxTreatment.RENT, TaxTreatment.BUSINESS})


#: The refusals that turn on the stored source or on two fields together, which no
#: schema states: the API fuzzer accepts exactly these as right (tests/fuzz).
COSTS_NOT_FOR_SOURCE = gettext_noop(
    "Costs can be recorded for rental properties and for business or creator income only."
)
FUND_TYPE_FIRST = gettext_noop(
    "Set the source's fund type first: fund years are kept for investment funds only."
)
BOUGHT_ON_IN_YEAR = gettext_noop("The day of purchase must lie in %(year)s, or stay blank.")
YEAR_TAKEN = gettext_noop("This year is already recorded for this source.")


def source_takes_costs(source: IncomeSource) -> bool:
    """Whether costs can be recorded on ``source``: a rental, or a category whose income
    is rent or business income. The source page shows its costs section by this."""
    category = source.category
    return category.model == CalculationModel.RENTAL or category.tax_treatment in COST_TREATMENTS


def source_takes_fund_years(source: IncomeSource) -> bool:
    """Whether fund years can be recorded on ``source``: only a fund owes the
    Vorabpauschale, and a source is a fund when its fund type is set."""
    return bool(source.fund_type)


def _require_costs(source: IncomeSource) -> None:
    if not source_takes_costs(source):
        raise DomainError({"source": [_(COSTS_NOT_FOR_SOURCE)]})


def _require_fund(source: IncomeSource) -> None:
    if not source_takes_fund_years(source):
        raise DomainError({"fund_type": [_(FUND_TYPE_FIRST)]})


R = TypeVar("R", Cost, FundYear)


def _save(
    record: R,
    *,
    owner: User,
    check: Callable[[R], None] | None = None,
    update_fields: Iterable[str] | None = None,
) -> R:
    """Check, validate, save and mark the owner's figures stale. ``check`` runs again on
    a conflict, so a parallel twin gets the same field error as a sequential one."""
    if check is not None:
        check(record)
    record = model_assign_and_save(
        instance=record,
        fields={},
        update_fields=update_fields,
        on_conflict=None if check is None else lambda: check(record),
    )
    owner_data_changed(owner_id=owner.pk)
    return record


def _delete(record: Cost | FundYear, *, owner: User) -> None:
    record = row_locked(record)
    source_require_owner(source=record.source, owner=owner)
    owner_data_changed(owner_id=owner.pk)
    record.delete()


# ----------------------------------------------------------------------------- costs


def _assign_cost(cost: Cost, fields: dict[str, Any]) -> None:
    """Set fields; a blank currency is the source's, as a cost is usually paid in it."""
    for name, value in fields.items():
        setattr(cost, name, value)
    if not cost.currency:
        cost.currency = cost.source.currency


@transaction.atomic
def cost_create(*, owner: User, source: IncomeSource, **fields: Any) -> Cost:
    """Record money spent on a source on a day, deductible in that day's year.

    In the source's currency unless another is given; a refund of a cost is a
    negative amount on its own date, not an edit of the cost it refunds.
    """
    reject_unknown("cost_create", fields, COST_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_costs(source)
    cost = Cost(source=source, currency=source.currency)
    _assign_cost(cost, fields)
    return _save(cost, owner=owner)


@transaction.atomic
def cost_update(*, owner: User, cost: Cost, **fields: Any) -> Cost:
    reject_unknown("cost_update", fields, COST_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_costs(fields["source"])
    cost = row_locked(cost)
    source_require_owner(source=cost.source, owner=owner)
    _assign_cost(cost, fields)
    return _save(cost, owner=owner, update_fields=fields)


@transaction.atomic
def cost_delete(*, owner: User, cost: Cost) -> None:
    _delete(cost, owner=owner)


# ----------------------------------------------------------------------------- fund years


def _check_fund_year(fund_year: FundYear) -> None:
    """The day of purchase lies in the year (the database's constraint is the backstop,
    this is the field error), and a source has one row per year."""
    errors: dict[str, list[str]] = {}
    bought_on, year = fund_year.bought_on, fund_year.year
    if bought_on is not None and year is not None and bought_on.year != year:
        errors["bought_on"] = [_(BOUGHT_ON_IN_YEAR) % {"year": year}]
    taken = (
        year is not None
        and FundYear.objects.filter(source_id=fund_year.source_id, year=year)
        .exclude(pk=fund_year.pk)
        .exists()
    )
    if taken:
        errors["year"] = [_(YEAR_TAKEN)]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def fund_year_create(*, owner: User, source: IncomeSource, **fields: Any) -> FundYear:
    """Record a fund's units at the end of a year and its price per unit at the start
    and the end, from which the year's Vorabpauschale follows (§18 InvStG)."""
    reject_unknown("fund_year_create", fields, FUND_YEAR_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_fund(source)
    fund_year = FundYear(source=source)
    for name, value in fields.items():
        setattr(fund_year, name, value)
    return _save(fund_year, owner=owner, check=_check_fund_year)


@transaction.atomic
def fund_year_update(*, owner: User, fund_year: FundYear, **fields: Any) -> FundYear:
    reject_unknown("fund_year_update", fields, FUND_YEAR_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_fund(fields["source"])
    fund_year = row_locked(fund_year)
    source_require_owner(source=fund_year.source, owner=owner)
    for name, value in fields.items():
        setattr(fund_year, name, value)
    return _save(fund_year, owner=owner, check=_check_fund_year, update_fields=fields)


@transaction.atomic
def fund_year_delete(*, owner: User, fund_year: FundYear) -> None:
    _delete(fund_year, owner=owner)
