"""Payments in bulk: delete with undo (a signed token of the deleted rows), restore,
move to another source, set the date or the currency of a selection.

A bulk write names its rows by id. Every id must be one of the owner's payments, else
the whole request is refused with ``Payment.DoesNotExist`` (a 404 in the views) and
nothing changes: a list mixing in another user's id reveals nothing about that row.
Each write is one UPDATE or DELETE, inside one transaction, announced once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils.translation import gettext as _

from finance.currencies import CURRENCY_CODES
from finance.errors import DomainError
from income.changes import owner_data_changed
from income.models import IncomeSource, Payment

#: At most this many ids a request: a page holds 50, "select all" a few hundred.
PAYMENT_BULK_LIMIT = 500
#: How long a deletion can be undone.
PAYMENT_UNDO_SECONDS = 15 * 60
_UNDO_SALT = "income.payments.undo"
_RESTORED_FIELDS = (
    "id", "source_id", "date", "gross", "tax_withheld", "foreign_tax", "fees", "currency", "note",
    "external_id", "row_hash", "created_at",
)  # fmt: skip


def _owned_payments(*, owner: User, ids: Sequence[int]) -> Any:
    """The owner's payments of ``ids``; refuses an empty, oversized or foreign selection."""
    wanted = set(ids)
    if not wanted:
        raise DomainError({"ids": [_("Select at least one payment.")]})
    if len(wanted) > PAYMENT_BULK_LIMIT:
        raise DomainError(
            {
                "ids": [
                    _("At most %(limit)s payments can be changed at once; %(count)s were sent.")
                    % {"limit": PAYMENT_BULK_LIMIT, "count": len(wanted)}
                ]
            }
        )
    payments = Payment.objects.filter(source__owner=owner, pk__in=wanted)
    # Locked, so of parallel deletes of one payment one deletes and the others find it
    # gone (a 404, not a second 204). ``of``: the payments, not their sources' rows.
    found = payments.select_for_update(of=("self",)).only("pk")
    if len(list(found)) != len(wanted):
        raise Payment.DoesNotExist("Not every id is one of the owner's payments.")
    return payments


@transaction.atomic
def payments_bulk_delete(*, owner: User, ids: Sequence[int]) -> tuple[int, str]:
    """Delete the owner's payments ``ids``; returns their count and an undo token.

    The token is the deleted rows themselves, signed with the site's secret key and the
    owner's id (``django.core.signing``), valid for ``PAYMENT_UNDO_SECONDS``. It needs no
    table, cache or migration, works the same for the browser (kept in the session) and
    the API (handed to the client), and cannot be forged or replayed by another user:
    ``payments_restore`` checks the signature, the age and the owner.
    """
    payments = _owned_payments(owner=owner, ids=ids)
    rows = [
        {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name, value in row.items()
        }
        for row in payments.order_by("pk").values(*_RESTORED_FIELDS)
    ]
    for row in rows:
        for name in ("gross", "tax_withheld", "foreign_tax", "fees"):
            row[name] = str(row[name])
    token = signing.dumps({"owner": owner.pk, "rows": rows}, salt=_UNDO_SALT, compress=True)
    Payment.objects.filter(pk__in=[row["id"] for row in rows]).delete()
    owner_data_changed(owner_id=owner.pk)
    return len(rows), token


def _restored_insert(rows: Sequence[Payment]) -> None:
    """Insert the rows of a restore; the insert, not the checks before it, claims them.

    The checks read; a parallel undo of the same token (or an import of one of its
    external ids) that committed in between makes the insert break a unique constraint
    (the primary key, the external id). The answer is then the refusal the later request
    would have had a moment after, not a 500 (issue 20). A savepoint, so the refused
    insert leaves the transaction usable on PostgreSQL.
    """
    try:
        with transaction.atomic():
            Payment.objects.bulk_create(rows)
    except IntegrityError:
        if Payment.objects.filter(pk__in=[row.pk for row in rows]).exists():
            raise DomainError({"token": [_("These payments were already restored.")]}) from None
        raise DomainError(
            {"token": [_("Some of these payments were imported again; nothing was restored.")]}
        ) from None


@transaction.atomic
def payments_restore(*, owner: User, token: str) -> int:
    """Put back the payments a ``payments_bulk_delete`` removed: same ids, same fields.

    Refused (a ``DomainError``, nothing changes) when the token is forged, expired, made
    for another user, already used (a row with one of the ids exists again) or when a
    source of the rows was deleted since. The rows' primary keys make a token single-use
    even under parallel undos: of two at once one inserts, the other meets the key and
    gets the "already restored" refusal.
    """
    try:
        data = signing.loads(token, salt=_UNDO_SALT, max_age=PAYMENT_UNDO_SECONDS)
    except signing.SignatureExpired:
        raise DomainError({"token": [_("This deletion can no longer be undone.")]}) from None
    except signing.BadSignature:
        raise DomainError({"token": [_("This undo link is not valid.")]}) from None
    if data.get("owner") != owner.pk:
        raise DomainError({"token": [_("This undo link is not valid.")]})
    rows: list[dict[str, Any]] = data["rows"]
    ids = [row["id"] for row in rows]
    if Payment.objects.filter(pk__in=ids).exists():
        raise DomainError({"token": [_("These payments were already restored.")]})
    source_ids = {row["source_id"] for row in rows}
    if IncomeSource.objects.filter(owner=owner, pk__in=source_ids).count() != len(source_ids):
        raise DomainError(
            {"token": [_("A source of these payments was deleted; they cannot be restored.")]}
        )
    external = [row["external_id"] for row in rows if row["external_id"]]
    # Only other rows count: a parallel undo that restored these very rows since the
    # check above is "already restored" (the insert's key says so), not an import.
    if (
        external
        and Payment.objects.filter(source_id__in=source_ids, external_id__in=external)
        .exclude(pk__in=ids)
        .exists()
    ):
        raise DomainError(
            {"token": [_("Some of these payments were imported again; nothing was restored.")]}
        )
    restored = [
        Payment(
            **{
                **row,
                "date": date.fromisoformat(row["date"]),
                "gross": Decimal(row["gross"]),
                "tax_withheld": Decimal(row["tax_withheld"]),
                # A token signed before the foreign tax existed has none.
                "foreign_tax": Decimal(row.get("foreign_tax", "0")),
                "fees": Decimal(row["fees"]),
            }
        )
        for row in rows
    ]
    _restored_insert(restored)
    # ``auto_now_add`` stamped them now; put back when they were first recorded.
    Payment.objects.filter(pk__in=ids).update(
        created_at=Case(
            *(
                When(pk=row["id"], then=Value(datetime.fromisoformat(row["created_at"])))
                for row in rows
            ),
            output_field=DateTimeField(),
        )
    )
    owner_data_changed(owner_id=owner.pk)
    return len(restored)


def _refuse_external_id_clash(payments: Any, *, source: IncomeSource) -> None:
    """Moving rows must not give ``source`` two payments with one external id."""
    moving = [i for i in payments.values_list("external_id", flat=True) if i is not None]
    clash = len(moving) != len(set(moving)) or (
        Payment.objects.filter(source=source, external_id__in=moving)
        .exclude(pk__in=payments.values("pk"))
        .exists()
    )
    if clash:
        raise DomainError(
            {
                "source": [
                    _("The target source already has a payment with one of these external ids.")
                ]
            }
        )


@transaction.atomic
def payments_bulk_move(*, owner: User, ids: Sequence[int], source: IncomeSource) -> int:
    """Move the owner's payments ``ids`` to another of the owner's sources.

    Each keeps its own currency and amounts; a source of another user is a 404
    (``IncomeSource.DoesNotExist``), like a foreign id.
    """
    if source.owner_id != owner.pk:
        raise IncomeSource.DoesNotExist("The target source is not the owner's.")
    payments = _owned_payments(owner=owner, ids=ids)
    _refuse_external_id_clash(payments, source=source)
    count = int(payments.update(source=source))
    owner_data_changed(owner_id=owner.pk)
    return count


@transaction.atomic
def payments_bulk_set_date(*, owner: User, ids: Sequence[int], on: date) -> int:
    """Give the owner's payments ``ids`` the date ``on`` (a batch booked on the wrong day)."""
    payments = _owned_payments(owner=owner, ids=ids)
    count = int(payments.update(date=on))
    owner_data_changed(owner_id=owner.pk)
    return count


@transaction.atomic
def payments_bulk_set_currency(*, owner: User, ids: Sequence[int], currency: str) -> int:
    """Give the owner's payments ``ids`` the currency ``currency``; amounts stay as typed.

    This corrects a wrong currency, it does not convert: 100 typed as EUR but paid in
    USD is 100 USD.
    """
    if currency not in CURRENCY_CODES:
        raise DomainError({"currency": [_("Unknown currency.")]})
    payments = _owned_payments(owner=owner, ids=ids)
    count = int(payments.update(currency=currency))
    owner_data_changed(owner_id=owner.pk)
    return count
