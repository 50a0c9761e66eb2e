"""The import's Celery task: it takes an id, calls one service, and is safe to run twice.

Found by ``app.autodiscover_tasks()`` (``config/celery.py``) as this installed app's
``tasks.py``, under the name ``imports.tasks.payment_import_process``. Which errors are
transient, how long to wait before a retry, and failing the upload once the task gives
up are one rule for every job's task: ``jobs.retrying.JobTask``.
"""

from __future__ import annotations

import logging

from celery import shared_task

from jobs.retrying import JobTask
from jobs.watchdog import watchdog_at_worker_start

logger = logging.getLogger(__name__)


def _import_failed(*, error: BaseException, upload_id: int) -> None:
    from imports.jobs import IMPORT_BROKE, payment_import_fail

    payment_import_fail(upload_id=upload_id, message=IMPORT_BROKE)


@shared_task(
    base=JobTask, job_fail=_import_failed, job_model="imports.PaymentImport", job_key="upload_id"
)
def payment_import_process(*, upload_id: int) -> str | None:
    """Import one queued CSV upload, telling the progress cache how far it got."""
    from imports.jobs import payment_import_process as process
    from income.progress import progress_report

    def on_progress(phase: str, done: int, total: int) -> None:
        start, end = (0, 50) if phase == "parse" else (50, 100)
        progress_report(
            kind="import", job_id=upload_id, phase=phase, done=done, total=total,
            start=start, end=end,
        )  # fmt: skip

    upload = process(upload_id=upload_id, on_progress=on_progress)
    if upload is None:
        return None
    progress_report(
        kind="import", job_id=upload_id, phase="done", done=1, total=1, start=100, end=100
    )
    return str(upload.status)


@shared_task
def payment_import_cleanup() -> dict[str, int]:
    """Daily (the beat schedule, ``imports/migrations/0004``): old uploads' files go."""
    from imports.jobs import payment_import_cleanup as cleanup

    return cleanup()


@shared_task
def payment_imports_watchdog() -> dict[str, int]:
    """Minutely (beat) and at every worker's start: hand on imports whose worker died."""
    from imports.jobs import payment_imports_recover

    recovered = payment_imports_recover()
    return {"requeued": len(recovered.requeued), "failed": len(recovered.failed)}


watchdog_at_worker_start(payment_imports_watchdog)
