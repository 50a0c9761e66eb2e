"""Leases on job rows (issue 25): who runs a job, and whether it is still alive.

A worker killed in the middle of a job used to leave it "running" until the broker's
visibility timeout (an hour) redelivered its message. A job row now records its holder
(``host:pid``) and a heartbeat the holder renews while it works; a watchdog that runs
every minute, and at every worker's start, hands a job whose holder stopped beating to
the next worker, and fails it after ``JOBS_MAX_ATTEMPTS`` runs.

One mechanism for every job kind (recompute jobs, statement imports, data imports):
the functions take the job's model or queryset. A job model has ``status`` with the
values ``queued``, ``running`` and ``failed``, and the fields of ``LeasedJob``
(``RecomputeJob`` declares them itself, having had them first).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUEUED = "queued"
RUNNING = "running"
FAILED = "failed"


class LeaseLost(Exception):
    """The job is no longer this process's: the watchdog handed it on (this worker was
    paused or cut off longer than a lease). The work stops; the new holder does it."""


class LeasedJob(models.Model):
    """The lease's fields, for a job model to inherit."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The worker process running the job ("host:pid") and when it last said it is alive;
    # on a job sent again by the watchdog, when that was.
    holder = models.CharField(_("held by"), max_length=200, blank=True, default="")
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        abstract = True

    def stalled(self, *, now: datetime, lease: timedelta) -> bool:
        return job_stalled(self, now=now, lease=lease)


def worker_name() -> str:
    """Who holds a job: this host and process, as an admin finds it in ``ps``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def jobs_lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def job_stalled(job: Any, *, now: datetime, lease: timedelta) -> bool:
    """Running, but its holder has not beaten within ``lease``: it waits for the watchdog
    to hand it to another worker, whatever its last percentage said."""
    if job.status != RUNNING:
        return False
    last = job.heartbeat_at or job.started_at
    return last is not None and last < now - lease


def lease_claim(
    jobs: QuerySet[Any], *, pk: int, any_running: bool = True, now: datetime | None = None
) -> str | None:
    """Take the job for this process (one conditional UPDATE); the holder, or None.

    A queued job is taken; so is a running one whose worker died (a redelivered
    message). With ``any_running`` off, only a running job whose lease ran out is:
    for a job that must not run twice at once (an import), a second message while its
    holder is alive (the watchdog's, sent during a backlog) finds nothing to do.
    """
    now = now or timezone.now()
    holder = worker_name()
    taken = Q(status=QUEUED) | Q(status=RUNNING)
    if not any_running:
        stale = now - jobs_lease()
        taken = Q(status=QUEUED) | Q(
            Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True), status=RUNNING
        )
    claimed = jobs.filter(taken, pk=pk).update(
        status=RUNNING,
        started_at=now,
        attempts=F("attempts") + 1,
        holder=holder,
        heartbeat_at=now,
    )
    return holder if claimed else None


def lease_beat(jobs: QuerySet[Any], *, pk: int, holder: str) -> bool:
    """Renew ``holder``'s lease on a running job; False once the job is no longer its
    (the watchdog handed it on, or it finished)."""
    return bool(
        jobs.filter(pk=pk, status=RUNNING, holder=holder).update(heartbeat_at=timezone.now())
    )


def lease_release(jobs: QuerySet[Any], *, pk: int) -> bool:
    """Give back this process's running job (before a retry of its task): queued again,
    so the retry's claim takes it at once rather than after the lease."""
    return bool(
        jobs.filter(pk=pk, status=RUNNING, holder=worker_name()).update(
            status=QUEUED, holder="", heartbeat_at=timezone.now()
        )
    )


@dataclass
class Heartbeat:
    """A holder's beat, written at most every ``every`` seconds (an import reports its
    progress every few rows; the lease needs a sign of life a few times a minute).

    Calling it raises ``LeaseLost`` once the job is no longer the holder's. Call it
    outside a transaction: a beat inside one is seen by nobody until it commits.
    """

    jobs: QuerySet[Any]
    pk: int
    holder: str
    every: float = 0.0
    _last: float = field(default_factory=time.monotonic)

    def __call__(self) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        if not lease_beat(self.jobs, pk=self.pk, holder=self.holder):
            raise LeaseLost(f"{self.jobs.model.__name__} {self.pk} is no longer {self.holder}'s")


def heartbeat(jobs: QuerySet[Any], *, pk: int, holder: str) -> Heartbeat:
    """A throttled beat: six a lease, so two lost writes still leave the job alive."""
    return Heartbeat(jobs=jobs, pk=pk, holder=holder, every=settings.JOBS_LEASE_SECONDS / 6)


# ----------------------------------------------------------------------------- watchdog


@dataclass(frozen=True)
class Recovered:
    requeued: list[int]
    failed: list[int]


#: Told (job, the job's row as long as nobody else changed it): whether it failed it.
GiveUp = Callable[[Any, QuerySet[Any]], bool]


def leases_recover(
    jobs: QuerySet[Any],
    *,
    now: datetime,
    resend: Callable[[int], object],
    give_up: GiveUp,
    queued_overdue: datetime | None = None,
    superseded: GiveUp | None = None,
) -> Recovered:
    """Hand on the jobs of ``jobs`` whose holder stopped beating; the watchdog's core.

    - a running job whose holder has not beaten for a lease is put back in the queue
      ("waiting for a worker", holder cleared) and ``resend`` sends its message again;
      once it has run ``JOBS_MAX_ATTEMPTS`` times, ``give_up`` fails it instead;
    - a queued job whose last send is older than ``queued_overdue`` (no worker took
      it: the broker lost the message) is sent again, counting as a try;
    - a job that cannot go back to the queue (a unique constraint: a newer job of its
      kind waits) is handed to ``superseded``.

    Every hand-over is an UPDATE conditional on the row as it was read, so two
    watchdogs at once (beat and a starting worker) hand each job on once.
    """
    lease = jobs_lease()
    limit = settings.JOBS_MAX_ATTEMPTS
    stale_running = jobs.filter(status=RUNNING).filter(
        Q(heartbeat_at__lt=now - lease) | Q(heartbeat_at__isnull=True, started_at__lt=now - lease)
    )
    candidates = list(stale_running)
    if queued_overdue is not None:
        candidates += jobs.filter(status=QUEUED).filter(
            Q(heartbeat_at__lt=queued_overdue)
            | Q(heartbeat_at__isnull=True, created_at__lt=queued_overdue)
        )
    requeued: list[int] = []
    failed: list[int] = []
    for job in candidates:
        queued = job.status == QUEUED
        same = jobs.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at)
        if job.attempts + (1 if queued else 0) > limit or (not queued and job.attempts >= limit):
            if give_up(job, same):
                failed.append(job.pk)
            continue
        try:
            with transaction.atomic():
                taken = same.update(
                    status=QUEUED,
                    holder="",
                    heartbeat_at=now,
                    attempts=job.attempts + (1 if queued else 0),
                )
        except IntegrityError:
            if superseded is not None and superseded(job, same):
                failed.append(job.pk)
            continue
        if taken:
            resend(job.pk)
            requeued.append(job.pk)
    return Recovered(requeued=requeued, failed=failed)
