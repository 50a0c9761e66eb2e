"""When the watchdogs run: every minute from beat, and at once when a worker starts.

A worker that starts (often: after one died) looks for stranded jobs at once and again
once a lease has passed, when the jobs of a worker that died just before it started
have run out of time: it need not wait for beat's next minute. Each job kind has a
watchdog task of its own (in its app); this connects it to the worker's start.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import worker_ready
from django.conf import settings

logger = logging.getLogger(__name__)


def watchdog_at_worker_start(task: Task[Any, Any]) -> None:
    """Send ``task`` when a worker is ready, and again a lease (and a little) later.

    Sent as messages, so the check runs in a pool process and not in the parent.
    """

    def send(sender: object = None, **kwargs: object) -> None:
        try:
            task.apply_async()
            task.apply_async(countdown=settings.JOBS_LEASE_SECONDS + 5)
        except Exception:  # the broker went away again: the minutely beat will run it
            logger.warning("%s: could not be sent at worker start", task.name, exc_info=True)

    worker_ready.connect(send, weak=False, dispatch_uid=f"watchdog-at-start:{task.name}")
