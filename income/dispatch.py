"""Sending a task to the workers once the transaction commits, whether or not the broker is there.

PRODUCT.md §7: with Redis down the web app keeps answering and saving. Every task the
services send goes through ``task_send_on_commit``: after commit (nothing is sent for a
transaction that rolls back), with one quick retry, so a dead broker costs the request
a fraction of a second instead of Celery's retries and connection timeouts. When the
message cannot be handed over, the caller's ``on_unreachable`` says what becomes of the
work instead (the mail is sent inline, the job is marked failed so the nightly sweep
does it); the request goes on either way.

The sender does not wait for results, so a send never touches the result backend
(whose client, once it has given up on an absent Redis, stays broken until restart).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)

#: One retry at once, then give up: the web process must not wait on a broker that is away.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


def task_send(
    task: Task[Any, Any],
    *,
    kwargs: dict[str, Any],
    on_unreachable: Callable[[], object],
    countdown: float | None = None,
) -> bool:
    """Send ``task`` with ``kwargs`` now; if the broker cannot be reached, run ``on_unreachable``.

    Returns whether the message was handed to the broker. Only a broker that cannot be
    reached is handled here: any other error (a bug, or a task run eagerly that fails)
    propagates as before. A fallback that fails is logged, not raised, since the data it
    was about is already committed.
    """
    options: dict[str, Any] = {"countdown": countdown} if countdown is not None else {}
    try:
        task.apply_async(
            kwargs=kwargs,
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
            **options,
        )
    except BrokerOperationalError as error:
        logger.warning("%s was not queued, the broker is unreachable: %s", task.name, error)
        try:
            on_unreachable()
        except Exception:
            logger.exception("%s: the fallback for an unreachable broker failed", task.name)
        return False
    return True


def task_send_on_commit(
    task: Task[Any, Any],
    *,
    kwargs: dict[str, Any],
    on_unreachable: Callable[[], object],
    countdown: float | None = None,
) -> None:
    """``task_send`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(
        lambda: task_send(task, kwargs=kwargs, on_unreachable=on_unreachable, countdown=countdown)
    )
