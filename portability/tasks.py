"""The data import's Celery task: it takes an id, calls one service, and is safe to run twice.

Found by ``app.autodiscover_tasks()`` as this installed app's ``tasks.py``. Transient
errors are retried as every job's are (``jobs.retrying.JobTask``); a retry, or the next
worker after one died, undoes what the broken attempt wrote before it starts again.
"""

from __future__ import annotations

import logging

from celery import shared_task

from jobs.retrying import JobTask
from jobs.watchdog import watchdog_at_worker_start

logger = logging.getLogger(__name__)

#: Progress kind in ``income.progress`` (the page and the API read it by job id).
PROGRESS_KIND = "data-import"


def _import_failed(*, error: BaseException, job_id: int) -> None:
    from portability.services.import_jobs import IMPORT_BROKE, data_import_fail

    data_import_fail(job_id=job_id, message=IMPORT_BROKE)


@shared_task(base=JobTask, job_fail=_import_failed, job_model="portability.DataImport")
def data_import_process(*, job_id: int) -> str | None:
    """Import one queued export, telling the progress cache how far it got."""
    from income.progress import progress_report
    from portability.services.import_jobs import data_import_run

    def on_progress(table: str, done: int, total: int) -> None:
        progress_report(
            kind=PROGRESS_KIND, job_id=job_id, phase=table, done=done, total=total,
            start=0, end=100,
        )  # fmt: skip

    job = data_import_run(job_id=job_id, on_progress=on_progress)
    return None if job is None else str(job.status)


@shared_task
def data_imports_watchdog() -> dict[str, int]:
    """Minutely (beat) and at every worker's start: hand on imports whose worker died."""
    from portability.services.import_jobs import data_imports_recover

    recovered = data_imports_recover()
    return {"requeued": len(recovered.requeued), "failed": len(recovered.failed)}


watchdog_at_worker_start(data_imports_watchdog)
