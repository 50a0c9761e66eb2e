"""The import's Celery task: it takes an id, calls one service, and is safe to run twice.

Found by ``app.autodiscover_tasks()`` (``config/celery.py``) as this installed app's
``tasks.py``, under the name ``imports.tasks.payment_import_process``. Which errors are
transient, and how long to wait before a retry, is one rule for every task: ``income.tasks``.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from income.tasks import MAX_RETRIES, TRANSIENT_ERRORS, retry_delay

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def payment_import_process(self: Task, *, upload_id: int) -> str | None:  # type: ignore[type-arg]
    """Import one queued CSV upload, telling the progress cache how far it got."""
    from imports.services import payment_import_fail
    from imports.services import payment_import_process as process
    from income.progress import progress_report

    def on_progress(phase: str, done: int, total: int) -> None:
        start, end = (0, 50) if phase == "parse" else (50, 100)
        progress_report(
            kind="import", job_id=upload_id, phase=phase, done=done, total=total,
            start=start, end=end,
        )  # fmt: skip

    try:
        upload = process(upload_id=upload_id, on_progress=on_progress)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            logger.error("payment_import_process: upload %s failed for good: %r", upload_id, error)
            payment_import_fail(upload_id=upload_id, message="The import could not be finished.")
            raise
        logger.warning(
            "payment_import_process: upload %s hit %r, retry %d", upload_id, error,
            self.request.retries + 1,
        )  # fmt: skip
        raise self.retry(
            exc=error if isinstance(error, Exception) else None,
            countdown=retry_delay(self.request.retries),
        ) from error
    except Exception:
        logger.exception("payment_import_process: upload %s failed", upload_id)
        payment_import_fail(upload_id=upload_id, message="The import could not be finished.")
        raise
    if upload is None:
        return None
    progress_report(
        kind="import", job_id=upload_id, phase="done", done=1, total=1, start=100, end=100
    )
    return str(upload.status)


@shared_task
def payment_import_cleanup() -> dict[str, int]:
    """Daily (the beat schedule, ``imports/migrations/0004``): old uploads' files go."""
    from imports.services import payment_import_cleanup as cleanup

    return cleanup()
