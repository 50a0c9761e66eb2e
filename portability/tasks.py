"""The data import's Celery task: it takes an id, calls one service, and is safe to run twice.

Found by ``app.autodiscover_tasks()`` as this installed app's ``tasks.py``. Transient
errors are retried as every task's are (``income.tasks``); a retry finds the job
running and undoes what the broken attempt wrote before it starts again.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from income.tasks import MAX_RETRIES, TRANSIENT_ERRORS, retry_delay

logger = logging.getLogger(__name__)

#: Progress kind in ``income.progress`` (the page and the API read it by job id).
PROGRESS_KIND = "data-import"


@shared_task(bind=True, max_retries=MAX_RETRIES)
def data_import_process(self: Task, *, job_id: int) -> str | None:  # type: ignore[type-arg]
    """Import one queued export, telling the progress cache how far it got."""
    from income.progress import progress_report
    from portability.services import IMPORT_BROKE, data_import_fail, data_import_run

    def on_progress(table: str, done: int, total: int) -> None:
        progress_report(
            kind=PROGRESS_KIND, job_id=job_id, phase=table, done=done, total=total,
            start=0, end=100,
        )  # fmt: skip

    try:
        job = data_import_run(job_id=job_id, on_progress=on_progress)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            logger.error("data_import_process: job %s failed for good: %r", job_id, error)
            data_import_fail(job_id=job_id, message=IMPORT_BROKE)
            raise
        logger.warning(
            "data_import_process: job %s hit %r, retry %d", job_id, error,
            self.request.retries + 1,
        )  # fmt: skip
        raise self.retry(
            exc=error if isinstance(error, Exception) else None,
            countdown=retry_delay(self.request.retries),
        ) from error
    except Exception:
        logger.exception("data_import_process: job %s failed", job_id)
        data_import_fail(job_id=job_id, message=IMPORT_BROKE)
        raise
    return None if job is None else str(job.status)
