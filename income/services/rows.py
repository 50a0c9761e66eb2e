"""How a service writes one row: every field validated, saved in a savepoint, read again
under lock. Every write of ours goes through these, the import's and the scenarios' too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, Model
from django.http import Http404

M = TypeVar("M", bound=Model)


def reject_unknown(function: str, fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Unknown fields are a programming error, not input: an ``owner`` or ``id`` handed
    to a service fails loudly instead of being written."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields: {sorted(unknown)}")


def model_assign_and_save(
    *,
    instance: M,
    fields: Mapping[str, Any],
    update_fields: Iterable[str] | None = None,
    on_conflict: Callable[[], None] | None = None,
) -> M:
    """Set fields, validate the whole row (fields, choices, constraints), then save.

    Public because the import's services write through it too: no row of ours is saved
    without ``full_clean()``. A negative zero amount (``"-0"``) is stored as 0.00, not
    -0.00. ``update_fields`` writes only those columns (and the ``auto_now`` stamp): an
    edit saves what it changed, never a stale copy of the rest of the row.

    The uniqueness rules are checked before saving, so the sequential duplicate gets
    its field error; a parallel request can still take the value between the check and
    the save, and then the database's unique constraint refuses it. The save runs in a
    savepoint so that refusal leaves the transaction usable, and ``on_conflict`` runs
    the same check again: it now sees the committed twin and raises the same field
    error, a 400 and not a 500 (issue 20).
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    _positive_zeros(instance)
    try:
        instance.full_clean()
    except ValidationError:
        # A twin committed between the check and here fails the model's own unique
        # validation: the check again gives the sequential case's field error.
        if on_conflict is not None:
            on_conflict()
        raise
    written = None if update_fields is None else _with_timestamps(instance, update_fields)
    try:
        with transaction.atomic():
            instance.save(update_fields=written)
    except IntegrityError:
        if on_conflict is not None:
            on_conflict()
        raise
    return instance


def _positive_zeros(instance: Model) -> None:
    """``Decimal("-0.00") == 0`` but prints as "-0.00": store every zero amount as 0."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, DecimalField):
            value = getattr(instance, field.attname)
            if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
                setattr(instance, field.attname, abs(value))


def _with_timestamps(instance: Model, names: Iterable[str]) -> list[str]:
    """``names`` and the ``auto_now`` fields, which ``save(update_fields=…)`` skips unless
    named."""
    stamps = {
        field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)
    }
    return sorted({*names, *stamps})


def row_locked(instance: M) -> M:
    """The row as committed now, locked until the transaction ends.

    Views read the row before the service's transaction begins; saving that copy would
    write back every field as it was then and undo a change committed since (two PATCHes
    of different fields of one source: one was lost, issue 20). Read again under
    ``select_for_update``, a parallel writer of the same row waits for this one on
    PostgreSQL; on SQLite the lock is a no-op, and the IMMEDIATE transaction
    (``config/settings.py``) already makes every writer wait its turn. A row deleted
    meanwhile is ``Http404`` for the API and the pages alike: of parallel deletes of one
    row one deletes it and the others find it gone, and an edit never saves a deleted
    row back into being.
    """
    model = type(instance)
    try:  # in place: a caller holding ``instance`` sees the row it edited
        instance.refresh_from_db(from_queryset=model._default_manager.select_for_update())
    except ObjectDoesNotExist:
        raise Http404(f"{model.__name__} {instance.pk} was deleted meanwhile.") from None
    return instance
