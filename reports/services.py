"""Every write of the reports app: snapshots, recompute jobs, the month-end close.

A recompute is an idempotent upsert keyed on (owner, month): running it twice, on two
workers at once, or again after a worker died in the middle leaves one row per month
with the same figures (PRODUCT.md §7). Tasks are sent only after commit.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone

from income.dispatch import task_send_on_commit
from income.finance.errors import DomainError
from income.finance.schedule import add_months, month_start
from income.models import TaxProfile
from income.reporting import overview_of, report_inputs
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from reports.snapshots import concentration_json, first_month, inputs_fingerprint, month_figures
from scenarios.selectors import independence_month

logger = logging.getLogger(__name__)

#: Told (phase, done, total) while a recompute runs.
RecomputeProgress = Callable[[str, int, int], None]

# The monthly figures, rewritten for every month on every recompute.
SERIES_FIELDS = [
    "currency", "passive_gross", "passive_net", "active_net", "passive_gross_ttm",
    "passive_net_ttm", "total_net_ttm", "passive_share", "expense_coverage",
    "monthly_expenses", "by_category", "fingerprint", "computed_at",
]  # fmt: skip
# The point-in-time figures, written for the current month only (frozen once closed).
DETAIL_FIELDS = ["sources", "concentration", "missing_rates", "independence_month"]
# The figures of a past month that a recompute can change: a stored month whose values
# equal the new ones is not rewritten, only stamped (see ``_months_write``).
FIGURE_FIELDS = [
    "passive_gross", "passive_net", "active_net", "passive_gross_ttm", "passive_net_ttm",
    "total_net_ttm", "passive_share", "expense_coverage", "by_category",
]  # fmt: skip


@dataclass(frozen=True)
class RecomputeOutcome:
    months_written: int
    skipped: bool


def _noop(_phase: str, _done: int, _total: int) -> None:
    return None


def _independence(owner: User, today: date) -> date | None:
    try:
        return independence_month(owner=owner, today=today)
    except DomainError as error:  # a source outside the projection's bounds
        logger.warning("report: no independence month for user %s: %s", owner.pk, error)
        return None


def report_recompute(
    *, owner: User, today: date, force: bool = False, on_progress: RecomputeProgress = _noop
) -> RecomputeOutcome:
    """Recompute every month of ``owner``'s reports up to ``today``'s month.

    Skipped when the inputs' fingerprint equals the one stored on the current month
    (nothing changed since), unless ``force``. Months that already have a snapshot are
    all rewritten, so a payment deleted from an early month is reflected there too.
    """
    on_progress("load", 0, 4)
    inputs = report_inputs(owner=owner, as_of=today)
    tax_rates = list(TaxProfile.objects.order_by("pk").values_list("pk", "rate"))
    fingerprint = inputs_fingerprint(inputs, extra=tax_rates)
    current = month_start(today)
    stored = ReportSnapshot.objects.filter(owner=owner, month=current).values_list(
        "fingerprint", flat=True
    )
    if not force and fingerprint in stored:
        on_progress("done", 4, 4)
        return RecomputeOutcome(months_written=0, skipped=True)
    on_progress("compute", 1, 4)
    view = overview_of(inputs, months=1)
    earliest = ReportSnapshot.objects.filter(owner=owner).aggregate(first=Min("month"))["first"]
    since = min(first_month(view), earliest or current)
    rows = month_figures(view, since=since)
    on_progress("project", 2, 4)
    independence = _independence(owner, today)
    on_progress("write", 3, 4)
    now = timezone.now()
    snapshots = [
        ReportSnapshot(
            owner=owner,
            month=row.month,
            currency=view.currency,
            passive_gross=row.passive_gross,
            passive_net=row.passive_net,
            active_net=row.active_net,
            passive_gross_ttm=row.passive_gross_ttm,
            passive_net_ttm=row.passive_net_ttm,
            total_net_ttm=row.total_net_ttm,
            passive_share=row.passive_share,
            expense_coverage=row.expense_coverage,
            monthly_expenses=inputs.profile.monthly_expenses,
            by_category=row.by_category,
            sources=row.sources,
            fingerprint=fingerprint,
            computed_at=now,
        )
        for row in rows
    ]
    latest = snapshots[-1]
    latest.independence_month = independence
    latest.concentration = concentration_json(view)
    latest.missing_rates = view.missing_rates
    with transaction.atomic():
        _months_write(
            owner=owner, snapshots=snapshots[:-1], since=since, until=current, stamp=latest
        )
        # A closed month keeps the figures it was closed with.
        update_fields = (
            SERIES_FIELDS if _is_closed(owner, current) else SERIES_FIELDS + DETAIL_FIELDS
        )
        ReportSnapshot.objects.bulk_create(
            [latest],
            update_conflicts=True,
            unique_fields=["owner", "month"],
            update_fields=update_fields,
        )
    on_progress("done", 4, 4)
    return RecomputeOutcome(months_written=len(snapshots), skipped=False)


def _months_write(
    *,
    owner: User,
    snapshots: list[ReportSnapshot],
    since: date,
    until: date,
    stamp: ReportSnapshot,
) -> None:
    """Upsert the months before the current one, rewriting only those whose figures changed.

    Every stored month in [``since``, ``until``) gets the new fingerprint, time, currency
    and expenses in one UPDATE; only a month that is new or whose ``FIGURE_FIELDS``
    differ from the stored ones goes through the upsert, so a recompute after a new
    payment rewrites the twelve months it moves, not the whole history. The stored rows
    end exactly as if every month had been rewritten (``SERIES_FIELDS``).
    """
    months = ReportSnapshot.objects.filter(owner=owner, month__gte=since, month__lt=until)
    stored = {row[0]: row[1:] for row in months.values_list("month", *FIGURE_FIELDS)}
    months.update(
        currency=stamp.currency,
        monthly_expenses=stamp.monthly_expenses,
        fingerprint=stamp.fingerprint,
        computed_at=stamp.computed_at,
    )
    changed = [
        snapshot
        for snapshot in snapshots
        if stored.get(snapshot.month) != tuple(getattr(snapshot, name) for name in FIGURE_FIELDS)
    ]
    ReportSnapshot.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["owner", "month"],
        update_fields=SERIES_FIELDS,
        batch_size=500,
    )


def _is_closed(owner: User, month: date) -> bool:
    return ReportSnapshot.objects.filter(owner=owner, month=month, closed_at__isnull=False).exists()


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def report_month_close(*, owner: User, month: date) -> bool:
    """Compute ``month`` one last time as of its last day and mark it closed.

    Its point-in-time figures (per source, concentration, independence month) are
    from then on those of the month's end. Closing a closed month does nothing, so the
    task is safe to run twice. Returns whether this call closed it.
    """
    month = month_start(month)
    if _is_closed(owner, month):
        return False
    report_recompute(owner=owner, today=last_day(month), force=True)
    closed = ReportSnapshot.objects.filter(owner=owner, month=month, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    return closed == 1


# ----------------------------------------------------------------------------- jobs


#: The error of a job whose message the broker did not take (``recompute_job_fail``).
#: A change it was for is recomputed by the nightly sweep (the change stamp committed).
QUEUE_UNREACHABLE = "The broker was unreachable, so the job was never queued."


def recompute_job_create(*, owner: User, reason: str, force: bool = False) -> RecomputeJob:
    """Queue a recompute of ``owner``'s reports; the worker gets it after commit.

    If the broker is unreachable the job fails at once (the page says to try again)
    instead of waiting for a message that was never sent.
    """
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
    *, job_id: int, today: date | None = None, on_progress: RecomputeProgress = _noop
) -> RecomputeJob | None:
    """Run one job. A job already done is not run again (a redelivered message);
    a running one is (its worker died, its transaction rolled back)."""
    claimed = RecomputeJob.objects.filter(
        pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).update(status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    job = RecomputeJob.objects.select_related("owner").get(pk=job_id)
    outcome = report_recompute(
        owner=job.owner,
        today=today or timezone.localdate(),
        force=job.force,
        on_progress=on_progress,
    )
    job.status = JobStatus.DONE
    job.months_written = outcome.months_written
    job.skipped = outcome.skipped
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "months_written", "skipped", "error", "finished_at"])
    return job


def recompute_job_fail(*, job_id: int, error: str) -> None:
    RecomputeJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def recompute_owner(
    *, owner_id: int, reason: str, today: date | None = None
) -> RecomputeJob | None:
    """Recompute one user as part of a fan-out (sweep, admin): a job row, then run it."""
    job = RecomputeJob.objects.create(owner_id=owner_id, reason=reason)
    try:
        return recompute_job_run(job_id=job.pk, today=today)
    except Exception as error:
        recompute_job_fail(job_id=job.pk, error=repr(error))
        raise


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
