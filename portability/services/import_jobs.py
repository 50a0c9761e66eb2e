"""The import as a worker's job: queued at once, run by a worker under a lease with a
journal of what it wrote, undone by that journal when it breaks, handed on by the
watchdog when its worker died."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income import services as income_services
from income.dispatch import task_send_on_commit
from jobs.leases import (
    LeaseLost,
    Recovered,
    heartbeat,
    jobs_lease,
    lease_claim,
    leases_recover,
)
from portability.document import ExportUnreadable, gettext_noop, read_export
from portability.models import DataImport, DataImportStatus
from portability.services.columns import PROFILE_FIELDS, row_plain, row_values
from portability.services.importing import (
    ImportProgress,
    account_import,
    account_import_check,
    account_import_undo,
)

#: Shown (translated) when the broker cannot take the import: nothing was written.
IMPORT_NOT_QUEUED = gettext_noop(
    "The import could not be started because the background service is unreachable. "
    "Please try again in a few minutes."
)
#: Shown (translated) when the import broke for a reason that is not a row of the file.
IMPORT_BROKE = gettext_noop("The import could not be finished; nothing of it was kept.")


PENDING = (DataImportStatus.QUEUED, DataImportStatus.RUNNING)


def data_import_start(*, user: User, document: Any) -> DataImport:
    """Check the document, keep it for a worker, and queue its import.

    The checks that need no writing (the document's shape, an account without data,
    no other import of the user's under way) answer at once; the rows are written by
    ``data_import_run`` in a worker, which the page and the API follow by the job.
    """
    account_import_check(user=user, document=document)
    if DataImport.objects.filter(owner=user, status__in=PENDING).exists():
        raise DomainError({"file": [_("An import into this account is already under way.")]})
    from portability.tasks import data_import_process

    try:
        with transaction.atomic():
            job = DataImport.objects.create(owner=user, document=document)
    except IntegrityError as error:  # the same user's second upload at the same moment
        raise DomainError(
            {"file": [_("An import into this account is already under way.")]}
        ) from error
    task_send_on_commit(
        data_import_process,
        kwargs={"job_id": job.pk},
        on_unreachable=lambda: data_import_fail(job_id=job.pk, message=IMPORT_NOT_QUEUED),
    )
    return job


def data_import_run(*, job_id: int, on_progress: ImportProgress | None = None) -> DataImport | None:
    """Run a queued import; the outcome is kept on the job. Safe to run twice.

    A finished job is left as it is. A job that ran before (its worker died half-way
    and the watchdog or the broker sent it again, or its task is retrying) is first
    undone by its journal, then run from the start. The claim takes the lease
    (``jobs.leases``); every batch renews it, and writes the journal only while the
    lease is still this worker's. Returns None when there is nothing (left) to do.
    """
    jobs = DataImport.objects.all()
    before = jobs.filter(pk=job_id, status__in=PENDING).first()
    if before is None:
        return None
    holder = lease_claim(jobs, pk=job_id, any_running=False)
    if holder is None:
        return None
    job = DataImport.objects.select_related("owner").get(pk=job_id)
    ran_before = (
        before.status == DataImportStatus.RUNNING
        or before.attempts > 0
        or bool(before.created_sources or before.created_scenarios)
    )
    if ran_before:
        _attempt_undo(job)
        job.created_sources, job.created_scenarios = [], []
        job.save(update_fields=["created_sources", "created_scenarios"])
    profile = income_services.profile_get_or_create(user=job.owner)
    if not ran_before:
        job.profile_before = row_plain(row_values(profile, PROFILE_FIELDS))
        job.save(update_fields=["profile_before"])
    mine = jobs.filter(pk=job_id, status=DataImportStatus.RUNNING, holder=holder)
    beat = heartbeat(jobs, pk=job_id, holder=holder)

    def journal(source_ids: list[int], scenario_ids: list[int]) -> None:
        job.created_sources = [*job.created_sources, *source_ids]
        job.created_scenarios = [*job.created_scenarios, *scenario_ids]
        # In the batch's transaction: a batch of a worker that lost the job rolls back.
        if not mine.update(
            created_sources=job.created_sources, created_scenarios=job.created_scenarios
        ):
            raise LeaseLost(f"data import {job_id} is no longer {holder}'s")

    def beating(table: str, done: int, total: int) -> None:
        beat()
        if on_progress is not None:
            on_progress(table, done, total)

    try:
        # Refusals are kept as text: in the user's language, as the page would have said.
        with translation.override(profile.language or None):
            summary = account_import(
                user=job.owner, document=job.document, on_progress=beating, journal=journal
            )
    except DomainError as refused:
        job.status = DataImportStatus.FAILED
        job.errors = [str(text) for texts in refused.field_errors.values() for text in texts]
    else:
        job.status = DataImportStatus.DONE
        job.counts = summary.counts
    job.document = {}
    job.finished_at = timezone.now()
    if not mine.update(
        status=job.status,
        errors=job.errors,
        counts=job.counts,
        document=job.document,
        finished_at=job.finished_at,
    ):
        raise LeaseLost(f"data import {job_id} is no longer {holder}'s")
    return job


def _attempt_undo(job: DataImport) -> None:
    """Take back what an earlier attempt of ``job`` wrote, by its journal."""
    account_import_undo(
        user=job.owner,
        source_ids=job.created_sources,
        scenario_ids=job.created_scenarios,
        profile=job.profile_before,
    )


def data_import_fail(*, job_id: int, message: str) -> None:
    """Give up on an import that broke (not for a refused row: that ends the job itself).

    What it wrote is undone by its journal, so a failed import leaves the account as it was.
    """
    job = DataImport.objects.filter(pk=job_id, status__in=PENDING).select_related("owner").first()
    if job is None:
        return
    if job.status == DataImportStatus.RUNNING or job.attempts > 0:
        _attempt_undo(job)
    DataImport.objects.filter(pk=job_id, status__in=PENDING).update(
        status=DataImportStatus.FAILED,
        errors=[message],
        document={},
        finished_at=timezone.now(),
    )


#: Shown (translated) when every worker that took the import stopped before it finished.
IMPORT_WORKER_LOST = gettext_noop(
    "The import was started several times, but its worker stopped each time before it "
    "finished. Nothing of it was kept."
)


def data_imports_recover(*, now: datetime | None = None) -> Recovered:
    """Hand on the data imports whose worker died (the minutely watchdog, issue 25).

    A running import whose holder stopped beating goes back to the queue ("waiting for
    a worker"), its message sent again; the next worker undoes the broken attempt by
    its journal and runs it from the start. After ``JOBS_MAX_ATTEMPTS`` runs it is
    undone and failed with ``IMPORT_WORKER_LOST``.
    """
    now = now or timezone.now()

    def give_up(job: DataImport, same: QuerySet[DataImport]) -> bool:
        # Held by the watchdog while it undoes, so no redelivered message takes it.
        if not same.update(holder="watchdog", heartbeat_at=now):
            return False
        data_import_fail(job_id=job.pk, message=IMPORT_WORKER_LOST)
        return True

    return leases_recover(
        DataImport.objects.all(),
        now=now,
        resend=_import_resend,
        give_up=give_up,
        queued_overdue=now - QUEUED_OVERDUE * jobs_lease(),
    )


#: A queued import not taken within this many leases of its last send is sent again.
QUEUED_OVERDUE = 5


def _import_resend(job_id: int) -> None:
    """Send the import's message again; with the broker away it stays queued, and the
    watchdog sends it again later (up to ``JOBS_MAX_ATTEMPTS`` times)."""
    from portability.tasks import data_import_process

    task_send_on_commit(data_import_process, kwargs={"job_id": job_id}, on_unreachable=_nothing)


def _nothing() -> None:
    return None


def account_import_file(*, user: User, content: bytes) -> DataImport:
    """An uploaded export: the zip the export makes, or its ``ertrag.json`` alone,
    queued for a worker (``data_import_start``)."""
    try:
        document = read_export(content)  # bounded: size, zip shape, nesting
    except ExportUnreadable as error:
        raise DomainError({"file": [_(error.message)]}) from error
    return data_import_start(user=user, document=document)
