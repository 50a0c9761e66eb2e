"""The one function that writes payments from a statement: ``payments_import`` (PRODUCT.md
§8). All of its rows or none (or the good ones, when asked), each to its source (found or
created by ``imports.sources``), none twice. The worker runs it for an upload
(``imports.jobs.payment_import_process``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance.errors import DomainError
from imports.parsing.statement import StatementResult, StatementRow
from imports.reading import Reading, default_currency_for, statement_read
from imports.sources import alias_key, sources_create, sources_plan
from income.changes import owner_data_changed
from income.collector import collector_paused
from income.models import IncomeSource, Payment
from income.payment_writes import NewPayment, payments_insert
from income.services import source_require_owner

logger = logging.getLogger(__name__)

#: Told (phase, done, total) while an import runs; phase is "parse" or "write".
ImportProgress = Callable[[str, int, int], None]
IMPORT_BATCH = 2000

NO_SOURCE = gettext_noop("Choose the source these payments belong to.")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, and what the reader saw."""

    created: int
    duplicates: int
    created_sources: int
    rejected: int
    reading: Reading

    @property
    def result(self) -> StatementResult:
        return self.reading.result


ErrorList = list[tuple[int | None, str | None, str]]


class ImportRejected(DomainError):
    """The file has errors; nothing was written. ``errors`` are (line, field, message)."""

    def __init__(self, *, reading: Reading, errors: ErrorList):
        self.reading = reading
        self.errors = errors
        messages = [
            (_("Line %(line)s: %(message)s") % {"line": line, "message": _(message)})
            if line
            else _(message)
            for line, _field, message in errors
        ]
        super().__init__({"file": messages})


def payments_import(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None = None,
    mapping: Mapping[str, Any] | None = None,
    preset: str = "",
    sources: Mapping[str, Mapping[str, Any]] | None = None,
    partial: bool = False,
    on_progress: ImportProgress | None = None,
) -> ImportSummary:
    """Import a statement: the income rows go to their sources, all of them or none.

    All or nothing is the default (PRODUCT.md §8); with ``partial`` the rows without an
    error are imported and the others counted as rejected (their list stays with the
    upload, to download). Rows go to ``source`` when one is given, else to the source
    their value names (``sources_plan``; missing sources are created). A row already
    imported — the same external id, or for rows without one the same row hash — is
    skipped, so importing a statement twice, or two that overlap, adds nothing twice.
    """
    if source is not None:
        source_require_owner(source=source, owner=owner)
    with collector_paused():
        return _payments_import(
            owner=owner, data=data, source=source, mapping=mapping, preset=preset,
            sources=sources, partial=partial, on_progress=on_progress,
        )  # fmt: skip


def _payments_import(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None,
    preset: str,
    sources: Mapping[str, Mapping[str, Any]] | None,
    partial: bool,
    on_progress: ImportProgress | None,
) -> ImportSummary:
    reading = statement_read(
        owner=owner,
        data=data,
        default_currency=default_currency_for(owner=owner, source=source),
        mapping=mapping,
        preset=preset,
        on_progress=(lambda done, total: on_progress("parse", done, total))
        if on_progress
        else None,
    )
    result = reading.result
    errors: ErrorList = [(None, None, m) for m in result.file_errors]
    errors += [(e.line, e.field, e.message) for e in result.errors]
    rows = result.rows
    if source is None:
        errors += [(row.line, "source", NO_SOURCE) for row in rows if not row.source]
        rows = tuple(row for row in rows if row.source)
    if result.file_errors or (errors and not partial):
        raise ImportRejected(reading=reading, errors=errors)
    rejected = len({line for line, _f, _m in errors if line is not None})
    for attempt in range(1, WRITE_TRIES + 1):
        try:
            written = _rows_write(
                owner=owner, rows=rows, source=source, reading=reading, sources=sources,
                on_progress=on_progress,
            )  # fmt: skip
        except IntegrityError:
            # Another import of the same rows committed between this one's look at what
            # is there and its insert (two uploads of one file at once): look again, and
            # its rows are counted as already there (issue 25).
            if attempt == WRITE_TRIES:
                raise
            logger.info("payments_import: rows written meanwhile by another import, again")
        else:
            break
    created, targets, created_sources = written
    return ImportSummary(
        created=created,
        duplicates=targets - created,
        created_sources=created_sources,
        rejected=rejected,
        reading=reading,
    )


#: How often an import looks again at what is there after a concurrent one wrote it.
WRITE_TRIES = 3


def _rows_write(
    *,
    owner: User,
    rows: tuple[StatementRow, ...],
    source: IncomeSource | None,
    reading: Reading,
    sources: Mapping[str, Mapping[str, Any]] | None,
    on_progress: ImportProgress | None,
) -> tuple[int, int, int]:
    """Write the rows not yet there, all in one transaction: (created, rows, sources created)."""
    with transaction.atomic():
        if source is not None:
            targets = [(row, source) for row in rows]
            created_sources = 0
        else:
            plans = sources_plan(owner=owner, rows=rows, preset=reading.preset, choices=sources)
            needed = {alias_key(row.source) for row in rows if row.source}
            by_key = sources_create(
                owner=owner,
                plans=plans,
                needed=needed,
                platform=reading.preset.name if reading.preset else "",
            )
            created_sources = sum(1 for key in needed if plans[key].source is None)
            targets = [(row, by_key[alias_key(row.source or "")]) for row in rows]
        new = _new_payments(targets)
        for first in range(0, len(new), IMPORT_BATCH):
            if on_progress is not None:
                on_progress("write", first, len(new))
            payments_insert(new[first : first + IMPORT_BATCH])
        if new:
            owner_data_changed(owner_id=owner.pk)
    return len(new), len(targets), created_sources


def _known_payments(source_ids: set[int]) -> set[tuple[int, str | None, str | None]]:
    """(source, external id, row hash) of the payments already in these sources."""
    return set(
        Payment.objects.filter(source_id__in=source_ids).values_list(
            "source_id", "external_id", "row_hash"
        )
    )


def _new_payments(targets: list[tuple[StatementRow, IncomeSource]]) -> list[NewPayment]:
    """The rows not yet in the database (by external id, else row hash), as payments."""
    known = _known_payments({target.pk for _row, target in targets})
    known_ids = {(s, e) for s, e, _h in known if e}
    known_hashes = {(s, h) for s, _e, h in known if h}
    new: list[NewPayment] = []
    for row, target in targets:
        if row.external_id:
            if (target.pk, row.external_id) in known_ids:
                continue
            known_ids.add((target.pk, row.external_id))
        else:
            if (target.pk, row.row_hash) in known_hashes:
                continue
            known_hashes.add((target.pk, row.row_hash))
        new.append(
            NewPayment(
                source_id=target.pk, date=row.date, gross=row.gross,
                tax_withheld=row.tax_withheld, fees=row.fees, currency=row.currency,
                note=row.note, external_id=row.external_id,
                row_hash=None if row.external_id else row.row_hash, foreign_tax=row.foreign_tax,
            )
        )  # fmt: skip
    return new
