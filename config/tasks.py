"""Platform tasks: thin, safe to run twice. Found by ``app.autodiscover_tasks()``."""

from __future__ import annotations

from celery import shared_task

from jobs.retrying import RetryingTask


@shared_task(base=RetryingTask)
def access_log_prune() -> int:
    """Nightly: forget log-in records older than ``AXES_ACCESS_LOG_RETENTION_DAYS``."""
    from config.access_log import access_log_prune as prune

    return prune()
