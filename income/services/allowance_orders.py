"""Allowance orders (Freistellungsaufträge): set one bank's order for a year, change it,
take it back. What they add up to and what to give is read in ``income.allowance_orders``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income.models import AllowanceOrder
from income.services.rows import model_assign_and_save, reject_unknown, row_locked

#: What a person sets on an order; the owner is the caller.
ALLOWANCE_ORDER_FIELDS = ("year", "bank", "amount")


def _clean_bank(bank: Any) -> Any:
    """A bank as the sources' ``platform`` holds it: without surrounding spaces, so an
    order for " Trade Republic" is the order of the sources at "Trade Republic"."""
    return bank.strip() if isinstance(bank, str) else bank


def _duplicate(*, owner: User, year: Any, bank: Any, exclude: int | None = None) -> None:
    """One order per bank and year: another one is a field error on ``bank``."""
    twins = AllowanceOrder.objects.filter(owner=owner, year=year, bank=bank)
    if exclude is not None:
        twins = twins.exclude(pk=exclude)
    if twins.exists():
        raise DomainError(
            {"bank": [_("This bank already has an order for that year; change that one.")]}
        )


@transaction.atomic
def allowance_order_set(*, owner: User, year: int, bank: str, amount: Decimal) -> AllowanceOrder:
    """Give ``bank`` an order of ``amount`` for ``year``: a new one, or the bank's order of
    that year changed. One order per bank and year is what a bank holds (§44a EStG)."""
    bank = _clean_bank(bank)
    order = (
        AllowanceOrder.objects.select_for_update().filter(owner=owner, year=year, bank=bank).first()
    )
    if order is None:
        order = AllowanceOrder(owner=owner, year=year, bank=bank)
    # Two first orders of one bank at once: the second meets the first's row.
    return model_assign_and_save(
        instance=order,
        fields={"amount": amount},
        update_fields=None if order.pk is None else ["amount"],
        on_conflict=lambda: _duplicate(owner=owner, year=year, bank=bank),
    )


@transaction.atomic
def allowance_order_update(*, order: AllowanceOrder, **fields: Any) -> AllowanceOrder:
    """Change an order's year, bank or amount; a year and bank that already have an order
    are refused on ``bank`` (change that one instead)."""
    reject_unknown("allowance_order_update", fields, ALLOWANCE_ORDER_FIELDS)
    order = row_locked(order)
    if "bank" in fields:
        fields["bank"] = _clean_bank(fields["bank"])
    year, bank = fields.get("year", order.year), fields.get("bank", order.bank)
    _duplicate(owner=order.owner, year=year, bank=bank, exclude=order.pk)
    return model_assign_and_save(
        instance=order,
        fields=fields,
        update_fields=list(fields),
        on_conflict=lambda: _duplicate(owner=order.owner, year=year, bank=bank, exclude=order.pk),
    )


@transaction.atomic
def allowance_order_delete(*, order: AllowanceOrder) -> None:
    """Take an order back; of parallel deletes one deletes and the others find nothing (404)."""
    row_locked(order).delete()


@transaction.atomic
def allowance_orders_set_year(
    *, owner: User, year: int, amounts: Mapping[str, Decimal | None]
) -> None:
    """Set each bank's order of ``year`` at once, as the page's one form does: an amount
    sets the bank's order, None takes it back. All or nothing: a refused order leaves
    every order of the year as it was, its message naming the bank."""
    orders = {order.bank: order for order in _locked_orders(owner, year)}
    for bank, amount in amounts.items():
        try:
            if amount is None:
                if _clean_bank(bank) in orders:
                    allowance_order_delete(order=orders[_clean_bank(bank)])
            else:
                allowance_order_set(owner=owner, year=year, bank=bank, amount=amount)
        except (DomainError, ValidationError) as error:
            raise DomainError(
                {NON_FIELD_ERRORS: [f"{bank}: {message}" for message in _messages(error)]}
            ) from error


def _locked_orders(owner: User, year: int) -> list[AllowanceOrder]:
    """The owner's orders of ``year``, locked until the transaction ends."""
    return list(AllowanceOrder.objects.select_for_update().filter(owner=owner, year=year))


def _messages(error: DomainError | ValidationError) -> list[str]:
    if isinstance(error, DomainError):
        return [m for messages in error.field_errors.values() for m in messages]
    return list(error.messages)
