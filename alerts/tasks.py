"""Alert tasks: thin wrappers over ``alerts.services``."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from jobs.retrying import RetryingTask

logger = logging.getLogger(__name__)


@shared_task(base=RetryingTask, bind=True)
def alert_deliver(self: Any, *, delivery_id: int) -> str:
    """Send one delivery. A transient failure (``DeliveryFailed``, a ``ConnectionError``)
    is retried with the project's backoff; the last try writes the failure down."""
    from alerts.services import alert_delivery_attempt

    final = self.request.retries >= self.max_retries
    return alert_delivery_attempt(delivery_id=delivery_id, final=final).status


@shared_task(base=RetryingTask)
def alerts_evaluate_all() -> dict[str, int]:
    """Daily (the beat schedule, ``alerts/migrations``): every user's rules checked."""
    from alerts.services import alert_owners, alerts_evaluate

    today = timezone.localdate()
    owners = alert_owners()
    raised = 0
    for owner in owners:
        try:
            raised += alerts_evaluate(owner=owner, today=today)
        except Exception:  # one user's broken data must not keep the others' alerts back
            logger.exception("alerts_evaluate_all: user %s", owner.pk)
    return {"users": len(owners), "raised": raised}


@shared_task(base=RetryingTask)
def alerts_evaluate(*, owner_id: int) -> int:
    """One user's rules checked now (the "check now" button)."""
    from django.contrib.auth.models import User

    from alerts.services import alerts_evaluate as evaluate

    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    return 0 if owner is None else evaluate(owner=owner, today=timezone.localdate())
