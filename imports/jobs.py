"""Import jobs: an upload queued by the person (``payment_import_start``, or the API's
``payment_import_submit`` in one go), run by a worker under a lease
(``payment_import_process``), handed on by the watchdog when its worker died (issue 25),
failed with a reason a person can read, and its file emptied once it is old. The import
itself is ``imports.writing``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from finance.errors import DomainError
from imports.billing import BillingRejected, billing_file_import
from imports.models import ImportStatus, PaymentImport
from imports.services import payment_import_configure, payment_import_upload
from imports.signals import import_ended_announce
from imports.writing import NO_SOURCE, ImportProgress, ImportRejected, payments_import
from income.dispatch import task_send_on_commit
from income.models import IncomeSource
from jobs.leases import Recovered, heartbeat, jobs_lease, lease_claim, leases_recover

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
        status=ImportStatus.QUEUED, heartbeat_at=timezone.now()
    )
    upload.refresh_from_db(fields=["status"])  # not the file: it may be tens of MB
    if claimed:
        task_send_on_commit(
            payment_import_process,
            kwargs={"upload_id": upload.pk},
            on_unreachable=lambda: payment_import_fail(
                upload_id=upload.pk, message=IMPORT_NOT_QUEUED
            ),
        )
    return upload


def payment_import_submit(
    *,
    owner: User,
    filename: str,
    content: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    sources: Mapping[str, Any] | None = None,
    partial: bool = False,
    save_as: str = "",
) -> PaymentImport:
    """Upload, map and queue a file in one go (the API): all of it, or nothing is kept.

    The upload is read again once the transaction has committed and the task was sent
    (or not): with the broker away it is failed by then, and the answer says so rather
    than "queued" (issue 25).
    """
    with transaction.atomic():
        upload = payment_import_upload(
            owner=owner, filename=filename, content=content, source=source
        )
        upload = payment_import_configure(
            upload=upload, source=source, mapping=mapping, sources=sources, partial=partial,
            save_as=save_as,
        )  # fmt: skip
        upload = payment_import_start(upload=upload)
    upload.refresh_from_db(fields=[*OUTCOME_FIELDS, "started_at"])
    return upload


def payment_import_process(
    *, upload_id: int, on_progress: ImportProgress | None = None
) -> PaymentImport | None:
    """Import a queued file; the outcome is kept on the upload.

    Safe to run twice: a finished upload is left as it is, and one whose worker died in
    the middle (its transaction rolled back) runs again from the start, once the
    watchdog has sent it again or its message comes back. The claim takes the lease
    (``jobs.leases``), renewed while the file is read; the rows are written in one
    transaction after that. A second message while the holder is alive finds nothing
    to do. Returns None when there is nothing (left) to do.
    """
    jobs = PaymentImport.objects.all()
    holder = lease_claim(jobs, pk=upload_id, any_running=False)
    if holder is None:
        return None
    upload = PaymentImport.objects.select_related("source", "owner").get(pk=upload_id)
    beat = heartbeat(jobs, pk=upload_id, holder=holder)

    def beating(phase: str, done: int, total: int) -> None:
        if phase == "parse":  # the rows are written in a transaction: a beat there is unseen
            beat()
        if on_progress is not None:
            on_progress(phase, done, total)

    if upload.is_billing:
        _billing_process(upload, on_progress=beating)
    else:
        _payments_process(upload, on_progress=beating)
    upload.finished_at = timezone.now()
    # The outcome only: writing the file back would cost as much as storing it did. The
    # first attempt to finish writes it (one that lost its lease too, since its rows are
    # in); a later one found them all there and leaves the outcome as it is.
    finished = PaymentImport.objects.filter(pk=upload_id, status__in=PENDING).update(
        **{name: getattr(upload, name) for name in OUTCOME_FIELDS}
    )
    if finished:
        import_ended_announce(owner_id=upload.owner_id, import_id=upload_id)
    return upload


def _payments_process(upload: PaymentImport, *, on_progress: ImportProgress) -> None:
    """A statement's import, its outcome set on ``upload``."""
    try:
        summary = payments_import(
            owner=upload.owner,
            data=bytes(upload.content),
            source=upload.source,
            mapping=upload.mapping or None,
            preset=upload.preset,
            sources=upload.sources,
            partial=upload.partial,
            on_progress=on_progress,
        )
    except ImportRejected as rejected:
        reading = rejected.reading
        result = reading.result
        upload.status = ImportStatus.REJECTED
        upload.errors = _error_rows(rejected.errors)
        upload.created_rows = upload.duplicate_rows = upload.created_sources = 0
        upload.rejected_rows = len({line for line, _f, _m in rejected.errors if line})
    else:
        reading = summary.reading
        result = reading.result
        upload.status = ImportStatus.DONE
        upload.errors = _error_rows(
            [(int(e.line), e.field, e.message) for e in result.errors]
            + [
                (r.line, "source", NO_SOURCE)
                for r in result.rows
                if not r.source and not upload.source_id
            ]
        )
        upload.created_rows, upload.duplicate_rows = summary.created, summary.duplicates
        upload.created_sources, upload.rejected_rows = summary.created_sources, summary.rejected
    upload.preset = reading.preset.key if reading.preset else upload.preset
    upload.total_rows = result.total_rows
    upload.skipped_rows = len(result.skipped)


def _billing_process(upload: PaymentImport, *, on_progress: ImportProgress) -> None:
    """A billing export's import (``imports.billing``), its outcome set on ``upload``:
    the rows are its subscriptions, "imported" the new ones, "updated" the known ones
    the file changed, "already there" the known ones it did not."""
    try:
        summary = billing_file_import(
            owner=upload.owner, data=bytes(upload.content), source=upload.source,
            preset=upload.preset, partial=upload.partial, on_progress=on_progress,
        )  # fmt: skip
    except BillingRejected as rejected:
        result = rejected.result
        upload.status = ImportStatus.REJECTED
        upload.errors = _error_rows(
            [(None, None, m) for m in result.file_errors]
            + [(e.line, e.field, e.message) for e in result.errors]
        )
        upload.created_rows = upload.duplicate_rows = upload.updated_rows = 0
        upload.created_sources = 0
        upload.rejected_rows = len({e.line for e in result.errors})
    except DomainError as error:
        # A row the file reader let pass that the model refuses, or a source that is no
        # subscription source any more: nothing was written, and the reason is shown.
        upload.status = ImportStatus.REJECTED
        upload.errors = _error_rows(
            [(None, field, message) for field, messages in error.field_errors.items()
             for message in messages]
        )  # fmt: skip
        upload.created_rows = upload.duplicate_rows = upload.updated_rows = 0
        upload.created_sources = upload.rejected_rows = 0
        return
    else:
        result = summary.result
        written = summary.written
        upload.status = ImportStatus.DONE
        upload.errors = _error_rows([(e.line, e.field, e.message) for e in result.errors])
        upload.created_rows, upload.updated_rows = written.created, written.updated
        upload.duplicate_rows, upload.rejected_rows = written.unchanged, summary.rejected
        upload.created_sources = summary.created_sources
        upload.source = summary.source  # where the result page links to
    upload.total_rows = result.total_rows
    upload.skipped_rows = len(result.skipped)


OUTCOME_FIELDS = (
    "status", "errors", "preset", "source", "total_rows", "created_rows", "duplicate_rows",
    "updated_rows", "skipped_rows", "rejected_rows", "created_sources", "finished_at",
)  # fmt: skip


def _error_rows(errors: Sequence[tuple[int | None, str | None, str]]) -> list[dict[str, Any]]:
    return [{"line": line, "field": field, "message": message} for line, field, message in errors]


#: An import a worker has, or will have.
PENDING = (ImportStatus.QUEUED, ImportStatus.RUNNING)
#: An import that has ended: its file is only needed for the rejected lines.
ENDED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


def payment_import_cleanup(*, now: datetime | None = None) -> dict[str, int]:
    """Empty the files of ended imports older than ``IMPORT_KEEP_DAYS`` (their outcome
    stays) and delete uploads of that age that were never imported; a queued or running
    one is left alone. Safe to run twice: the second run finds nothing."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_KEEP_DAYS)
    old = PaymentImport.objects.filter(created_at__lt=cutoff)
    with transaction.atomic():
        emptied = old.filter(status__in=ENDED).exclude(content=b"").update(content=b"")
        _total, per_model = old.filter(status=ImportStatus.UPLOADED).delete()
    return {"emptied": emptied, "deleted": per_model.get(PaymentImport._meta.label, 0)}


def payment_import_fail(*, upload_id: int, message: str) -> None:
    """Give up on an upload whose import broke (not for a file with errors: that is rejected)."""
    _imports_fail(PaymentImport.objects.filter(pk=upload_id, status__in=PENDING), message=message)


def _imports_fail(uploads: QuerySet[PaymentImport], *, message: str) -> int:
    ended = list(uploads.values_list("pk", "owner_id"))
    failed = uploads.filter(pk__in=[pk for pk, _owner in ended]).update(
        status=ImportStatus.FAILED,
        errors=[{"line": None, "field": None, "message": message}],
        finished_at=timezone.now(),
    )
    for pk, owner_id in ended if failed else ():
        import_ended_announce(owner_id=owner_id, import_id=pk)
    return failed


#: Shown when the import broke for a reason that is not a line of the file.
IMPORT_BROKE = "The import could not be finished."
#: Shown when every worker that took the import stopped before it finished.
IMPORT_WORKER_LOST = gettext_noop(
    "The import was started several times, but its worker stopped each time before it "
    "finished. Nothing of it was kept."
)


def payment_imports_recover(*, now: datetime | None = None) -> Recovered:
    """Hand on the imports whose worker died (the minutely watchdog, issue 25).

    A running import whose holder stopped beating goes back to the queue ("waiting for
    a worker") and its message is sent again; one queued that long after its last send
    is sent again too (the broker lost it). After ``JOBS_MAX_ATTEMPTS`` runs it fails
    with ``IMPORT_WORKER_LOST``. Nothing is doubled: an attempt's rows are one
    transaction, which died with its worker.
    """
    now = now or timezone.now()
    return leases_recover(
        PaymentImport.objects.all(),
        now=now,
        resend=_import_resend,
        give_up=lambda _upload, same: bool(_imports_fail(same, message=IMPORT_WORKER_LOST)),
        queued_overdue=now - QUEUED_OVERDUE * jobs_lease(),
    )


#: A queued import not taken within this many leases of its last send is sent again.
QUEUED_OVERDUE = 5


def _import_resend(upload_id: int) -> None:
    """Send the import's message again; with the broker away it stays queued, and the
    watchdog sends it again later (up to ``JOBS_MAX_ATTEMPTS`` times)."""
    from imports.tasks import payment_import_process

    task_send_on_commit(
        payment_import_process, kwargs={"upload_id": upload_id}, on_unreachable=lambda: None
    )
