"""Platform tasks: thin, safe to run twice. Found by ``app.autodiscover_tasks()``."""

from __future__ import annotations

from celery import shared_task

from income.tasks import MAX_RETRIES, TRANSIENT_ERRORS


@shared_task(
    autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_kwargs={"max_retries": MAX_RETRIES}
)
def access_log_prune() -> int:
    """Nightly: forget log-in records older than ``AXES_ACCESS_LOG_RETENTION_DAYS``."""
    from config.access_log import access_log_prune as prune

    return prune()
