"""Recompute jobs: queued on a change, the user's button or the API, run by a worker
under a lease, handed on by the watchdog when their worker died (issue 25), failed with
a reason a person can read. The recompute itself is ``reports.services``."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from finance.schedule import add_months, month_start
from income.dispatch import task_send_on_commit
from jobs.leases import (
    jobs_lease,
    lease_beat,
    lease_claim,
    leases_recover,
    worker_name,
)
from reports.models import JobReason, JobStatus, RecomputeJob
from reports.services import (
    RecomputeProgress,
    no_progress,
    report_recompute,
    report_recompute_many,
)

logger = logging.getLogger(__name__)


#: The error of a job whose message the broker did not take (``recompute_job_fail``).
#: A change it was for is recomputed by the nightly sweep (the change stamp committed).
QUEUE_UNREACHABLE = "The broker was unreachable, so the job was never queued."


def recompute_job_create(*, owner: User, reason: str, force: bool = False) -> RecomputeJob:
    """Queue a recompute of ``owner``'s reports; the worker gets it after commit.

    If the broker is unreachable the job fails at once (the page says to try again)
    instead of waiting for a message that was never sent. A user's own request goes
    through ``recompute_request``: one pending at a time.
    """
    if reason == JobReason.REQUEST:
        return recompute_request(owner=owner, force=force).job
    return _job_queue(owner=owner, reason=reason, force=force)


@dataclass(frozen=True)
class RecomputeRequest:
    """The job a user's request is answered with, and whether the request made it."""

    job: RecomputeJob
    created: bool


#: A requested job still queued this long had its message lost (a broker restart): it
#: no longer holds back the user's next request (``recompute_request``).
REQUEST_LOST_AFTER = timedelta(minutes=15)


def recompute_request(*, owner: User, force: bool = True) -> RecomputeRequest:
    """A recompute the user asked for (the button, the API): at most one pending per user.

    Issue 19: sixty forced recomputes in three seconds held back every other user's
    work on the shared queue. A request while one of the user's is queued or running
    gets that job back, and nothing is queued; a partial unique constraint makes this
    hold for two requests at the same moment too. A job whose message was lost (queued
    past ``REQUEST_LOST_AFTER``) or whose worker was killed (running past the hard time
    limit) is failed first, so a user is never locked out of recomputing.
    """
    now = timezone.now()
    pending = RecomputeJob.objects.filter(owner=owner, reason=JobReason.REQUEST)
    pending.filter(status=JobStatus.QUEUED, created_at__lt=now - REQUEST_LOST_AFTER).update(
        status=JobStatus.FAILED, error=MESSAGE_LOST, finished_at=now
    )
    killed_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    pending.filter(status=JobStatus.RUNNING, started_at__lt=killed_before).update(
        status=JobStatus.FAILED, error=WORKER_LOST, finished_at=now
    )
    active = pending.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    existing = active.first()
    if existing is not None:
        return RecomputeRequest(job=existing, created=False)
    try:
        with transaction.atomic():
            job = _job_queue(owner=owner, reason=JobReason.REQUEST, force=force)
    except IntegrityError:
        # Another request of the user's won the race between the look and the insert.
        existing = active.first()
        if existing is None:
            raise
        return RecomputeRequest(job=existing, created=False)
    return RecomputeRequest(job=job, created=True)


def _job_queue(*, owner: User, reason: str, force: bool) -> RecomputeJob:
    from reports.tasks import report_recompute_job

    job = RecomputeJob.objects.create(owner=owner, reason=reason, force=force)
    task_send_on_commit(
        report_recompute_job,
        kwargs={"job_id": job.pk},
        on_unreachable=lambda: recompute_job_fail(job_id=job.pk, error=QUEUE_UNREACHABLE),
    )
    return job


def recompute_on_change(*, owner_id: int) -> RecomputeJob | None:
    """Debounce: queue one recompute a little later, unless one is already waiting.

    At most one queued change-job exists per user (a partial unique constraint), so a
    burst of changes (a 1,000-row import, ten quick edits) is computed once, after
    ``REPORTS_RECOMPUTE_DELAY`` seconds. Once a worker has taken the job, the next
    change queues a new one, so no change is left out.

    If the broker is unreachable the job fails at once: a job left queued would block
    every later change-job of the user. The change stamp (``Profile.data_changed_at``)
    is already committed, so the nightly sweep recomputes the user.
    """
    from reports.tasks import report_recompute_job

    try:
        with transaction.atomic():
            job = RecomputeJob.objects.create(owner_id=owner_id, reason=JobReason.CHANGE)
    except IntegrityError:
        return None
    task_send_on_commit(
        report_recompute_job,
        kwargs={"job_id": job.pk},
        countdown=settings.REPORTS_RECOMPUTE_DELAY,
        on_unreachable=lambda: recompute_job_fail(job_id=job.pk, error=QUEUE_UNREACHABLE),
    )
    return job


def recompute_job_run(
    *, job_id: int, today: date | None = None, on_progress: RecomputeProgress = no_progress
) -> RecomputeJob | None:
    """Run one job. A job already done is not run again (a redelivered message);
    a running one is (its worker died, its transaction rolled back).

    The claim takes the lease (this process and the time); every progress report
    renews it, so the watchdog can tell a job that is being worked on from one whose
    worker died (``jobs_watchdog``).
    """
    holder = lease_claim(RecomputeJob.objects.all(), pk=job_id)
    if holder is None:
        return None
    job = RecomputeJob.objects.select_related("owner").get(pk=job_id)

    def beating(phase: str, done: int, total: int) -> None:
        recompute_job_beat(job_id=job_id, holder=holder)
        on_progress(phase, done, total)

    outcome = report_recompute(
        owner=job.owner,
        today=today or timezone.localdate(),
        force=job.force,
        on_progress=beating,
    )
    job.status = JobStatus.DONE
    job.months_written = outcome.months_written
    job.skipped = outcome.skipped
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "months_written", "skipped", "error", "finished_at"])
    return job


def recompute_job_beat(*, job_id: int, holder: str) -> bool:
    """Renew ``holder``'s lease on a running job; False once the job is no longer its
    (the watchdog handed it on, or it finished)."""
    return lease_beat(RecomputeJob.objects.all(), pk=job_id, holder=holder)


def recompute_job_fail(*, job_id: int, error: str) -> None:
    recompute_jobs_fail(job_ids=[job_id], error=error)


def recompute_jobs_fail(*, job_ids: Sequence[int], error: str) -> None:
    RecomputeJob.objects.filter(pk__in=job_ids).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def recompute_owners(
    *, owner_ids: Sequence[int], reason: str, today: date | None = None
) -> list[RecomputeJob]:
    """Recompute several users as one batch (a chunk of a fan-out: sweep, admin).

    A job row each, so every user's recompute is on record; the reports in one pass
    (``report_recompute_many``); then each job done or failed on its own. Running the
    same chunk again (a redelivered message) is another batch with the same result.
    """
    owners = list(User.objects.filter(pk__in=owner_ids).order_by("pk"))
    started, holder = timezone.now(), worker_name()
    jobs = RecomputeJob.objects.bulk_create(
        RecomputeJob(
            owner=owner,
            reason=reason,
            status=JobStatus.RUNNING,
            started_at=started,
            attempts=1,
            holder=holder,
            heartbeat_at=started,
        )
        for owner in owners
    )
    try:
        batch = report_recompute_many(owners=owners, today=today or timezone.localdate())
    except Exception as error:
        recompute_jobs_fail(job_ids=[job.pk for job in jobs], error=repr(error))
        raise
    finished = timezone.now()
    for job in jobs:
        job.finished_at = finished
        if job.owner_id in batch.errors:
            job.status, job.error = JobStatus.FAILED, repr(batch.errors[job.owner_id])[:2000]
            recompute_jobs_fail(job_ids=[job.pk], error=job.error)
        else:
            outcome = batch.outcomes[job.owner_id]
            job.status = JobStatus.DONE
            job.months_written, job.skipped = outcome.months_written, outcome.skipped
    # One UPDATE per outcome (most of a batch share one), not a CASE per job.
    by_outcome: dict[tuple[int, bool], list[int]] = {}
    for job in jobs:
        if job.status == JobStatus.DONE:
            by_outcome.setdefault((job.months_written, job.skipped), []).append(job.pk)
    for (months_written, skipped), job_ids in by_outcome.items():
        RecomputeJob.objects.filter(pk__in=job_ids).update(
            status=JobStatus.DONE,
            finished_at=finished,
            months_written=months_written,
            skipped=skipped,
        )
    return jobs


#: The error of a requested job still running past the hard time limit: its worker died.
WORKER_LOST = "The worker running the job stopped before it finished."

#: The error of a job no worker took within ``jobs_expire_waiting``'s limit.
MESSAGE_LOST = (
    "No worker took the job (its message was lost, e.g. with a Redis that restarted "
    "empty); the nightly sweep recomputes this user."
)


def jobs_expire_waiting(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Fail jobs still queued after ``older_than``: their message is gone.

    Redis keeps no queue across a restart without persistence, so a change-job queued
    just before an outage would wait forever, and as the one queued change-job of its
    user (the debounce constraint) it would absorb every later change. The nightly
    sweep calls this first and then recomputes every changed user, these included.
    """
    return RecomputeJob.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=timezone.now() - older_than
    ).update(status=JobStatus.FAILED, error=MESSAGE_LOST, finished_at=timezone.now())


def jobs_prune(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Forget finished jobs older than ``older_than``; the snapshots stay."""
    deleted, _ = RecomputeJob.objects.filter(finished_at__lt=timezone.now() - older_than).delete()
    return deleted


def month_before(today: date) -> date:
    return add_months(month_start(today), -1)


# ----------------------------------------------------------------------------- watchdog


#: The error of a job handed back while a newer change-job of its user already waited:
#: that one reads the data later, so it includes whatever this one was for.
SUPERSEDED = "Its worker stopped; a newer job of the same user includes its changes."


@dataclass(frozen=True)
class WatchdogOutcome:
    requeued: list[int]
    failed: list[int]
    created: list[int]  # change-jobs for users changed since their figures with none


def jobs_watchdog(*, now: datetime | None = None) -> WatchdogOutcome:
    """Hand on the jobs whose worker died, and recompute users whose change was lost.

    Issue 25: a worker killed in a recompute left its job "running" for an hour (the
    broker's visibility timeout), and its user's later changes were dropped meanwhile
    (one queued change-job per user). Run every minute by beat and by every worker as
    it starts; safe to run twice at once (every hand-over is a conditional update).

    - a running job whose holder has not beaten for ``JOBS_LEASE_SECONDS``, and a
      queued one whose message no worker took within the change delay and the lease,
      is sent again, as "waiting for a worker"; after ``JOBS_MAX_ATTEMPTS`` runs (or
      sends) it is failed instead;
    - a user whose data changed after their figures were computed, more than
      ``LOST_CHANGE_GRACE`` ago, with no job that started since (or only one the broker
      never took), gets a change-job: the nightly sweep is no longer the first to notice.
    """
    now = now or timezone.now()
    lease = jobs_lease()

    def give_up(_job: RecomputeJob, same: QuerySet[RecomputeJob]) -> bool:
        return bool(same.update(status=JobStatus.FAILED, error=WORKER_LOST, finished_at=now))

    def superseded(_job: RecomputeJob, same: QuerySet[RecomputeJob]) -> bool:
        # A newer change-job of the user is already waiting (the debounce constraint).
        return bool(same.update(status=JobStatus.FAILED, error=SUPERSEDED, finished_at=now))

    recovered = leases_recover(
        RecomputeJob.objects.all(),
        now=now,
        resend=_job_resend,
        give_up=give_up,
        queued_overdue=now - lease - timedelta(seconds=settings.REPORTS_RECOMPUTE_DELAY),
        superseded=superseded,
    )
    requeued, failed = recovered.requeued, recovered.failed
    if requeued or failed:
        logger.warning("jobs_watchdog: %d jobs sent again, %d failed", len(requeued), len(failed))
    created = [
        new.pk
        for owner_id in _owners_with_lost_changes(now=now)
        if (new := recompute_on_change(owner_id=owner_id)) is not None
    ]
    return WatchdogOutcome(requeued=requeued, failed=failed, created=created)


def _job_resend(job_id: int) -> None:
    """Send the job's message again; if the broker is unreachable it stays queued and
    the next watchdog run sends it (up to ``JOBS_MAX_ATTEMPTS`` times)."""
    from reports.tasks import report_recompute_job

    task_send_on_commit(report_recompute_job, kwargs={"job_id": job_id}, on_unreachable=_noop_send)


def _noop_send() -> None:
    return None


#: How old a change must be before the watchdog calls it lost. A change's job is made in
#: the same breath as its stamp (on the commit that stamps it), so this only covers that
#: moment and the clocks of several web hosts; a lease (a minute) made the catch-up after
#: a broker outage up to a minute slower for nothing (issue 25: within two minutes).
LOST_CHANGE_GRACE = timedelta(seconds=30)


def _owners_with_lost_changes(*, now: datetime) -> list[int]:
    """Users changed since their figures, over ``LOST_CHANGE_GRACE`` ago, with no job
    covering it.

    A job covers a change when it is unfinished, or was created after the change and
    did not fail for want of a broker: so a user whose recompute fails for good is
    retried by the nightly sweep, not every minute.
    """
    from reports.selectors import owners_changed_since_report

    covering = RecomputeJob.objects.filter(owner_id=OuterRef("pk")).filter(
        Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
        | (
            Q(created_at__gte=OuterRef("profile__data_changed_at"))
            & ~Q(status=JobStatus.FAILED, error=QUEUE_UNREACHABLE)
        )
    )
    return list(
        owners_changed_since_report(today=timezone.localdate())
        .filter(profile__data_changed_at__lt=now - LOST_CHANGE_GRACE)
        .exclude(Exists(covering))
        .values_list("pk", flat=True)[:1000]
    )
