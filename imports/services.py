"""Every write of the CSV payment import goes through one function here.

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (tasks) only after commit, as ``income.services``
does; what a payment, a source and a profile are stays there, and this module asks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imports.models import ImportStatus, PaymentImport
from income.changes import owner_data_changed
from income.dispatch import task_send_on_commit
from income.finance.csv_payments import FIELDS as CSV_FIELDS
from income.finance.csv_payments import ParsedPayment, ParseResult, parse_payments
from income.finance.currencies import CURRENCY_CODES
from income.finance.errors import DomainError
from income.models import IncomeSource, Payment
from income.services import model_assign_and_save, profile_get_or_create, source_require_owner


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: rows written, rows already there, and what the parser saw."""

    created: int
    duplicates: int
    parsed: ParseResult


#: Told (phase, done, total) while an import runs; phase is "parse" or "write".
ImportProgress = Callable[[str, int, int], None]
IMPORT_BATCH = 2000


class ImportRejected(DomainError):
    """The file has errors; nothing was written. ``errors`` are (line, field, message)."""

    def __init__(self, *, parsed: ParseResult, errors: list[tuple[int | None, str | None, str]]):
        self.parsed = parsed
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
    mapping: Mapping[str, str] | None = None,
    on_progress: ImportProgress | None = None,
) -> ImportSummary:
    """Import a CSV file of payments: all rows or none (PRODUCT.md: atomic rollback).

    Rows name their source in a "source" column (by name, case-insensitive) or go to
    ``source``. A row already imported — same external id, or for rows without one the
    same row hash — is skipped, so importing the same file twice adds nothing.
    ``on_progress(phase, done, total)`` hears of the parsing and the writing.
    """
    default_currency = (
        source.currency if source else profile_get_or_create(user=owner).base_currency
    )
    parsed = parse_payments(
        data,
        currencies=CURRENCY_CODES,
        default_currency=default_currency,
        mapping=mapping,
        on_progress=(lambda done, total: on_progress("parse", done, total))
        if on_progress
        else None,
    )
    errors: list[tuple[int | None, str | None, str]] = [(None, None, m) for m in parsed.file_errors]
    errors += [(e.line, e.field, e.message) for e in parsed.errors]
    if source is not None:
        source_require_owner(source=source, owner=owner)
    by_name = {s.name.casefold(): s for s in IncomeSource.objects.filter(owner=owner)}
    targets: list[tuple[ParsedPayment, IncomeSource]] = []
    for row in parsed.rows:
        target = by_name.get(row.source.casefold()) if row.source else source
        if target is None:
            message = (
                gettext_noop("No source of yours has this name.")
                if row.source
                else gettext_noop("Choose the source these payments belong to.")
            )
            errors.append((row.line, "source", message))
            continue
        targets.append((row, target))
    if errors:
        raise ImportRejected(parsed=parsed, errors=errors)
    with transaction.atomic():
        source_ids = {target.pk for _row, target in targets}
        known = set(
            Payment.objects.filter(source_id__in=source_ids).values_list(
                "source_id", "external_id", "row_hash"
            )
        )
        known_ids = {(s, e) for s, e, _h in known if e}
        known_hashes = {(s, h) for s, _e, h in known if h}
        new: list[Payment] = []
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
                Payment(
                    source=target, date=row.date, gross=row.gross, tax_withheld=row.tax_withheld,
                    fees=row.fees, currency=row.currency, note=row.note,
                    external_id=row.external_id or None,
                    row_hash=None if row.external_id else row.row_hash,
                )
            )  # fmt: skip
        for first in range(0, len(new), IMPORT_BATCH):
            if on_progress is not None:
                on_progress("write", first, len(new))
            Payment.objects.bulk_create(new[first : first + IMPORT_BATCH])
        if new:
            owner_data_changed(owner_id=owner.pk)
    return ImportSummary(created=len(new), duplicates=len(targets) - len(new), parsed=parsed)


@transaction.atomic
def payment_import_upload(
    *, owner: User, filename: str, content: bytes, source: IncomeSource | None
) -> PaymentImport:
    """Keep an uploaded file for preview; nothing is imported yet."""
    if source is not None:
        source_require_owner(source=source, owner=owner)
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise DomainError(
            {
                "file": [
                    _("The file is larger than %(size)s MB.")
                    % {"size": settings.IMPORT_MAX_BYTES // 2**20}
                ]
            }
        )
    upload = PaymentImport(owner=owner, filename=filename[:255], content=content, source=source)
    return model_assign_and_save(instance=upload, fields={})


def payment_import_preview(*, upload: PaymentImport) -> ParseResult:
    """Parse the stored file with its current mapping, writing nothing."""
    default_currency = (
        upload.source.currency
        if upload.source
        else profile_get_or_create(user=upload.owner).base_currency
    )
    return parse_payments(
        bytes(upload.content),
        currencies=CURRENCY_CODES,
        default_currency=default_currency,
        mapping=upload.mapping or None,
    )


@transaction.atomic
def payment_import_set_mapping(
    *, upload: PaymentImport, mapping: Mapping[str, str], source: IncomeSource | None
) -> PaymentImport:
    """Change which column holds which field (and the default source) before importing."""
    if source is not None:
        source_require_owner(source=source, owner=upload.owner)
    unknown = set(mapping) - set(CSV_FIELDS)
    if unknown:
        raise DomainError(
            {"mapping": [_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}]}
        )
    return model_assign_and_save(
        instance=upload, fields={"mapping": dict(mapping), "source": source}
    )


#: Shown (translated) when the broker cannot take an import: the upload is failed at once
#: rather than left "queued" with nobody to run it; the user uploads it again.
IMPORT_NOT_QUEUED = gettext_noop(
    "The import could not be started because the background service is unreachable. "
    "Please upload the file again in a few minutes."
)


def payment_import_start(*, upload: PaymentImport) -> PaymentImport:
    """Queue the stored file for import by a worker; the page and the API follow its progress.

    Only an upload not yet started is queued, so a double click queues it once (the
    claim is one conditional UPDATE). The task is sent after commit; if the broker is
    unreachable the upload fails with ``IMPORT_NOT_QUEUED`` (nothing was imported).
    """
    from imports.tasks import payment_import_process

    claimed = PaymentImport.objects.filter(pk=upload.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.QUEUED
    )
    upload.refresh_from_db()
    if claimed:
        task_send_on_commit(
            payment_import_process,
            kwargs={"upload_id": upload.pk},
            on_unreachable=lambda: payment_import_fail(
                upload_id=upload.pk, message=IMPORT_NOT_QUEUED
            ),
        )
    return upload


@transaction.atomic
def payment_import_submit(
    *,
    owner: User,
    filename: str,
    content: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, str] | None = None,
) -> PaymentImport:
    """Upload, map and queue a file in one go (the API): all of it, or nothing is kept."""
    upload = payment_import_upload(owner=owner, filename=filename, content=content, source=source)
    if mapping is not None:
        upload = payment_import_set_mapping(upload=upload, mapping=mapping, source=source)
    return payment_import_start(upload=upload)


def payment_import_process(
    *, upload_id: int, on_progress: ImportProgress | None = None
) -> PaymentImport | None:
    """Import a queued file: all rows or none; the outcome is kept on the upload.

    Safe to run twice: a finished upload is left as it is, and a redelivered one (its
    worker died in the middle, so its transaction rolled back) runs again from the
    start. Returns None when there is nothing (left) to do.
    """
    claimed = PaymentImport.objects.filter(
        pk=upload_id, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    upload = PaymentImport.objects.select_related("source", "owner").get(pk=upload_id)
    try:
        summary = payments_import(
            owner=upload.owner,
            data=bytes(upload.content),
            source=upload.source,
            mapping=upload.mapping or None,
            on_progress=on_progress,
        )
    except ImportRejected as rejected:
        upload.status = ImportStatus.REJECTED
        upload.errors = [
            {"line": line, "field": field, "message": message}
            for line, field, message in rejected.errors
        ]
        upload.total_rows = len(rejected.parsed.rows) + len(rejected.parsed.errors)
        upload.created_rows = upload.duplicate_rows = 0
    else:
        upload.status = ImportStatus.DONE
        upload.errors = []
        upload.total_rows = len(summary.parsed.rows)
        upload.created_rows, upload.duplicate_rows = summary.created, summary.duplicates
    upload.finished_at = timezone.now()
    upload.save()
    return upload


def payment_import_fail(*, upload_id: int, message: str) -> None:
    """Give up on an upload whose import broke (not for a file with errors: that is rejected)."""
    PaymentImport.objects.filter(
        pk=upload_id, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
    ).update(status=ImportStatus.FAILED, errors=[{"line": None, "field": None, "message": message}],
             finished_at=timezone.now())  # fmt: skip
