"""Report tasks: thin, take ids, call one service, safe to run twice (PRODUCT.md §7).

Work over all users is fanned out in chunks, each a message of its own, so more workers
take more chunks at once: a recompute chunk is one batch (``recompute_owners``), a
month-end close chunk one task per user (``chunks`` inside a ``group``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import Task, group, shared_task
from django.conf import settings
from django.utils import timezone

from jobs.retrying import JobTask, RetryingTask
from jobs.watchdog import watchdog_at_worker_start

logger = logging.getLogger(__name__)


def _fan_out(task: Task, arguments: Iterable[tuple[object, ...]]) -> int:  # type: ignore[type-arg]
    items = list(arguments)
    if items:
        task.chunks(items, settings.REPORTS_FANOUT_CHUNK).group().apply_async()
    return len(items)


def _recompute_job_failed(*, error: BaseException, job_id: int) -> None:
    from reports.jobs import recompute_job_fail

    recompute_job_fail(job_id=job_id, error=repr(error))


@shared_task(base=JobTask, job_fail=_recompute_job_failed, ignore_result=False)
def report_recompute_job(*, job_id: int) -> dict[str, object] | None:
    """Run one recompute job (a change, the user's button, the API), with progress."""
    from income.progress import progress_report
    from reports.jobs import recompute_job_run

    def on_progress(phase: str, done: int, total: int) -> None:
        progress_report(
            kind="recompute", job_id=job_id, phase=phase, done=done, total=total, start=0, end=100
        )

    job = recompute_job_run(job_id=job_id, on_progress=on_progress)
    if job is None:
        return None
    return {"job": job.pk, "months": job.months_written, "skipped": job.skipped}


@shared_task(base=RetryingTask, ignore_result=False)  # bench/recompute.py waits on it
def report_recompute_owners(owner_ids: list[int], reason: str) -> int:
    """One chunk of a fan-out, recomputed as one batch; returns the months written."""
    from reports.jobs import recompute_owners

    jobs = recompute_owners(owner_ids=owner_ids, reason=reason)
    return sum(job.months_written for job in jobs)


def _fan_out_recompute(owner_ids: Iterable[int], reason: str) -> int:
    """``REPORTS_FANOUT_CHUNK`` users per message: each worker takes a chunk at a time
    and recomputes it as one batch (a fixed number of queries per chunk)."""
    ids = list(owner_ids)
    size = settings.REPORTS_FANOUT_CHUNK
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    if chunks:
        group(report_recompute_owners.s(chunk, reason) for chunk in chunks).apply_async()
    return len(ids)


@shared_task(base=RetryingTask)
def report_close_owner(owner_id: int, month: str) -> bool:
    """Close one user's month (ISO date of its first day) as part of the month-end fan-out."""
    from datetime import date

    from django.contrib.auth.models import User

    from reports.services import report_month_close

    return report_month_close(owner=User.objects.get(pk=owner_id), month=date.fromisoformat(month))


@shared_task(ignore_result=False)  # read by tests/integration/test_report_worker.py
def report_recompute_all(*, reason: str = "admin", owner_ids: list[int] | None = None) -> int:
    """Recompute every active user (or ``owner_ids``), fanned out over the workers."""
    from reports.selectors import owners_with_reports

    ids = owner_ids if owner_ids is not None else owners_with_reports().values_list("pk", flat=True)
    sent = _fan_out_recompute(ids, reason)
    logger.info("report_recompute_all: %d users sent (%s)", sent, reason)
    return sent


@shared_task(ignore_result=False)  # read by tests/integration/test_report_worker.py
def report_sweep() -> int:
    """Nightly: recompute every user changed since their last snapshot; forget old jobs.

    Jobs whose message was lost (a broker outage) are failed first, so they no longer
    hold back their users' next change-jobs; the users themselves are recomputed here.
    """
    from reports.jobs import jobs_expire_waiting, jobs_prune
    from reports.models import JobReason
    from reports.selectors import owners_changed_since_report

    expired = jobs_expire_waiting()
    if expired:
        logger.warning("report_sweep: %d jobs never taken by a worker marked failed", expired)
    ids = owners_changed_since_report(today=timezone.localdate()).values_list("pk", flat=True)
    sent = _fan_out_recompute(ids, JobReason.SWEEP.value)
    pruned = jobs_prune()
    logger.info("report_sweep: %d users sent, %d old jobs pruned", sent, pruned)
    return sent


@shared_task(ignore_result=False)  # read by tests/integration/test_report_worker.py
def report_month_end_close() -> int:
    """On the first of a month: close last month for every user, fanned out."""
    from reports.jobs import month_before
    from reports.selectors import owners_with_reports

    month = month_before(timezone.localdate()).isoformat()
    ids = owners_with_reports().values_list("pk", flat=True)
    sent = _fan_out(report_close_owner, ((owner_id, month) for owner_id in ids))
    logger.info("report_month_end_close: %s for %d users", month, sent)
    return sent


@shared_task(base=RetryingTask, ignore_result=False)  # read by tests/integration
def digest_send_weekly() -> int:
    """Monday morning: last week's digest to every user who opted in, once per week."""
    from reports.digest.sending import digest_send_weekly as send_weekly

    return send_weekly(today=timezone.localdate())


@shared_task
def jobs_watchdog() -> dict[str, int]:
    """Minutely (beat) and at every worker's start: hand on jobs whose worker died."""
    from reports.jobs import jobs_watchdog as watchdog

    outcome = watchdog()
    return {
        "requeued": len(outcome.requeued),
        "failed": len(outcome.failed),
        "created": len(outcome.created),
    }


# A queued change-job counts as lost only after its debounce and a lease (``jobs_watchdog``
# in reports.jobs): one more look then, so a job whose message died just before this
# worker was ready is not left to beat's next minute.
watchdog_at_worker_start(jobs_watchdog, queued_grace=lambda: settings.REPORTS_RECOMPUTE_DELAY)
