"""How long django-axes keeps who logged in from where, and forgetting a deleted account.

Axes records every log-in (address, browser, time) in ``AccessLog`` and the failures that
count towards a lockout in ``AccessAttempt`` (and ``AccessFailureLog`` where enabled), and
never deletes any of it. These are personal data kept only as long as they serve: the
lockout needs minutes of history (``AXES_COOLOFF_TIME``), a look at who logged in needs
weeks, so everything older than ``AXES_ACCESS_LOG_RETENTION_DAYS`` goes every night.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

MODELS = (AccessLog, AccessAttempt, AccessFailureLog)


@transaction.atomic
def access_log_prune(*, now: datetime | None = None) -> int:
    """Delete log-in records older than the retention; returns how many rows went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AXES_ACCESS_LOG_RETENTION_DAYS)
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[0] for model in MODELS)


@transaction.atomic
def access_log_forget(*, names: list[str]) -> int:
    """Delete every log-in record made under one of ``names`` (an account's username and
    e-mail address, whatever case it was typed in): an account deleted leaves none."""
    match = Q(pk__in=[])
    for name in filter(None, names):
        match |= Q(username__iexact=name)
    return sum(model.objects.filter(match).delete()[0] for model in MODELS)
