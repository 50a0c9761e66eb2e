"""How every task retries (issue 26): Celery's own autoretry, one base class.

Only transient errors are retried (a database or broker connection that dropped, a
mail server that is away), with exponential backoff and a maximum; anything else is a
bug or bad data, and retrying it would only repeat it. The waits are 2, 4, 8, … seconds
capped at ten minutes: Celery's ``factor * 2 ** retries`` with a factor of 2 and no
jitter (``celery.utils.time.get_exponential_backoff_interval``), the same numbers as
the hand-written loops this replaced waited (``2 ** (retries + 1)``, capped).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)

#: Errors that may pass if the same work is tried again a little later.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 5
RETRY_BACKOFF_MAX = 600
#: Celery's backoff waits ``factor * 2 ** retries``: a factor of 2 starts at two seconds.
RETRY_BACKOFF_FACTOR = 2


class RetryingTask(Task):  # type: ignore[type-arg]
    """A task that retries ``TRANSIENT_ERRORS`` with backoff and gives up after
    ``MAX_RETRIES``. Its result is not kept unless the task asks for it
    (``ignore_result=False``, for the few whose callers wait on it)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = RETRY_BACKOFF_FACTOR
    retry_backoff_max = RETRY_BACKOFF_MAX
    retry_jitter = False
    max_retries = MAX_RETRIES


class JobTask(RetryingTask):
    """A task that runs one job row: when it fails for good (a bug, bad data, or a
    transient error past the last retry) ``job_fail`` marks the row failed, so the page
    and the API say so instead of "running".

    ``job_fail`` is given the task's keyword arguments (the job's id) and the error; a
    task sets it with ``@shared_task(base=JobTask, job_fail=...)``, a function that
    imports its service inside, as tasks do. A job that must not run twice at once
    (``lease_claim(any_running=False)``) names its model and id argument (``job_model``,
    ``job_key``): before a retry its lease is given back, so the retry can take it.
    """

    job_fail: Any = None
    job_model: str = ""
    job_key: str = "job_id"

    def on_retry(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        logger.warning("%s %s: %r, retry %d", self.name, kwargs, exc, self.request.retries + 1)
        if not self.job_model or self.job_key not in kwargs:
            return
        from django.apps import apps

        from jobs.leases import lease_release

        try:
            lease_release(apps.get_model(self.job_model).objects.all(), pk=kwargs[self.job_key])
        except Exception:  # the database is away: the lease runs out by itself
            logger.warning("%s %s: lease not given back", self.name, kwargs, exc_info=True)

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        from jobs.leases import LeaseLost

        if isinstance(exc, LeaseLost):  # another worker has the job now: not a failure
            logger.warning("%s %s: %s", self.name, kwargs, exc)
            return
        logger.error("%s %s failed for good: %r", self.name, kwargs, exc)
        fail = type(self).job_fail
        if fail is None:
            return
        try:
            fail(error=exc, **kwargs)
        except Exception:  # the database that broke the job may break this too
            logger.exception("%s %s: could not be marked failed", self.name, kwargs)
