"""Payments one at a time: record, change, delete, with the questions a payment asks
(an external id used twice, a likely duplicate)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from finance.errors import DomainError
from finance.money import payment_amount_errors
from income import selectors
from income.changes import owner_data_changed
from income.models import IncomeSource, Payment
from income.services.rows import model_assign_and_save, reject_unknown, row_locked
from income.services.sources import source_require_owner

PAYMENT_FIELDS = frozenset(
    {
        "source",
        "date",
        "gross",
        "tax_withheld",
        "foreign_tax",
        "fees",
        "currency",
        "note",
        "external_id",
    }
)


def _payment_amount_errors(payment: Payment) -> dict[str, list[str]]:
    """``payment_amount_errors`` of the payment, translated, as field errors."""
    gross, tax, fees, foreign = (
        payment.gross,
        payment.tax_withheld,
        payment.fees,
        payment.foreign_tax,
    )
    if gross is None or tax is None or fees is None or foreign is None:
        return {}  # full_clean() names the missing amount
    problems = payment_amount_errors(gross=gross, tax_withheld=tax, fees=fees, foreign_tax=foreign)
    return {field: [_(message)] for field, message in problems.items()}


def _assign_payment(payment: Payment, fields: Mapping[str, Any]) -> None:
    """Set a payment's fields and check the rules that span several of them."""
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.external_id = (payment.external_id or "").strip() or None
    errors = _payment_amount_errors(payment)
    if (
        payment.external_id
        and Payment.objects.filter(source_id=payment.source_id, external_id=payment.external_id)
        .exclude(pk=payment.pk)
        .exists()
    ):
        errors["external_id"] = [_("This external id is already recorded for this source.")]
    if errors:
        raise DomainError(errors)


@transaction.atomic
def payment_create(
    *, owner: User, source: IncomeSource, allow_duplicate: bool = True, **fields: Any
) -> Payment:
    """Record a received amount. Without a currency it is the source's currency.

    An ``external_id`` already used for this source is a field error, so a re-import
    never doubles a row (PRODUCT.md §2). With ``allow_duplicate=False`` (a person typing
    it in the browser or an API client that did not confirm) a payment of the same
    source, day and gross as a recorded one is refused with the field error
    ``confirm_duplicate``: asking once catches the rent entered twice. Imports keep the
    default: their rows carry external ids and row hashes of their own.
    """
    reject_unknown("payment_create", fields, PAYMENT_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    fields = {**fields}
    fields.setdefault("currency", source.currency)
    payment = Payment(source=source)
    _assign_payment(payment, fields)
    if not allow_duplicate and payment.date is not None and payment.gross is not None:
        twin = selectors.payment_likely_duplicate(
            source=source, on=payment.date, gross=payment.gross
        )
        if twin is not None:
            # A parallel request with this external id may have committed between the
            # check in ``_assign_payment`` and this one: its answer is the sequential
            # case's external-id error, not a question about a duplicate (issue 20).
            _assign_payment(payment, {})
            raise DomainError({"confirm_duplicate": [duplicate_message(twin)]})
    payment = model_assign_and_save(
        instance=payment, fields={}, on_conflict=lambda: _assign_payment(payment, {})
    )
    owner_data_changed(owner_id=owner.pk)
    return payment


@transaction.atomic
def payment_update(*, owner: User, payment: Payment, **fields: Any) -> Payment:
    reject_unknown("payment_update", fields, PAYMENT_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
    payment = row_locked(payment)
    _assign_payment(payment, fields)
    payment = model_assign_and_save(
        instance=payment,
        fields={},
        update_fields=fields,
        on_conflict=lambda: _assign_payment(payment, {}),
    )
    owner_data_changed(owner_id=owner.pk)
    return payment


@transaction.atomic
def payment_delete(*, payment: Payment) -> None:
    payment = row_locked(payment)
    owner_data_changed(owner_id=payment.source.owner_id)
    payment.delete()


def duplicate_message(twin: Payment) -> str:
    """The question a likely duplicate asks, naming the recorded twin."""
    return _(
        "A payment of the same amount from this source on this day is already recorded "
        "(id %(id)s). Save it anyway if it really is a second payment."
    ) % {"id": twin.pk}
