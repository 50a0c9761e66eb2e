"""When the watchdogs run: every minute from beat, and at once when a worker starts.

A worker that starts (often: after one died) looks for stranded jobs at once and again
once a lease has passed, when the jobs of a worker that died just before it started
have run out of time: it need not wait for beat's next minute. A job kind whose queued
jobs count as lost only later than a lease (a recompute's change-job waits out its
debounce first) asks for one more look then: without it, a worker ready within seconds
of such a job's message dying with its worker looked too early twice, and the job waited
for beat, up to a minute past the two minutes a fault may cost (issue 25). Each job kind
has a watchdog task of its own (in its app); this connects it to the worker's start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.signals import worker_ready
from django.conf import settings

logger = logging.getLogger(__name__)


def watchdog_at_worker_start(
    task: Task[Any, Any], *, queued_grace: Callable[[], int] = lambda: 0
) -> None:
    """Send ``task`` when a worker is ready, again a lease (and a little) later, and, if
    ``queued_grace()`` is positive, once more when a queued job made as the worker got
    ready is overdue: a lease plus that grace (read at the signal, so settings apply).

    Sent as messages, so the check runs in a pool process and not in the parent.
    """

    def send(sender: object = None, **kwargs: object) -> None:
        try:
            task.apply_async()
            task.apply_async(countdown=settings.JOBS_LEASE_SECONDS + 5)
            if (grace := queued_grace()) > 0:
                task.apply_async(countdown=settings.JOBS_LEASE_SECONDS + grace + 5)
        except Exception:  # the broker went away again: the minutely beat will run it
            logger.warning("%s: could not be sent at worker start", task.name, exc_info=True)

    worker_ready.connect(send, weak=False, dispatch_uid=f"watchdog-at-start:{task.name}")
