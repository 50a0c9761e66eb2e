"""A worker killed in a recompute, on real processes (issue 25): with the default
settings (a one-hour visibility timeout, a one-minute lease) the job is finished by
the next worker within two minutes of its start, not after an hour.

No beat runs here: the worker that starts looks again once a lease has passed
(``jobs.watchdog.watchdog_at_worker_start``); beat's minutely run is the same service
(tests/reports/test_job_leases.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from jobs.leases import jobs_lease
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from tests.integration.test_report_worker import (  # noqa: F401  (fixtures)
    _assert_current_month_is_right,
    _snapshots_per_month,
    _user_with_income,
    _wait_for,
    redis_url,
    sender,
)
from tests.integration.workers import WorkerProcess

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]


@pytest.fixture
def start_default_worker(
    postgres_url: str,
    redis_url: str,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> Iterator[Callable[[str], WorkerProcess]]:
    """Workers with production's settings but for the database and the broker."""
    started: list[WorkerProcess] = []

    def start(name: str) -> WorkerProcess:
        env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
        worker = WorkerProcess(env=env, log_path=tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_a_worker_killed_in_a_recompute_is_replaced_within_two_minutes(
    start_default_worker: Callable[[str], WorkerProcess],
    sender: Celery,  # noqa: F811  (the fixture imported above)
) -> None:
    assert settings.CELERY_VISIBILITY_TIMEOUT == 3600  # the broker will not rescue it
    # 48,000 payments: about 2 s from the claim to the commit, so a kill half a second
    # after the claim lands in the middle.
    user = _user_with_income(sources=400, months=120)
    job = RecomputeJob.objects.create(owner=user, reason=JobReason.REQUEST, force=True)
    first = start_default_worker("first")
    sender.send_task("reports.tasks.report_recompute_job", kwargs={"job_id": job.pk})
    _wait_for(
        lambda: RecomputeJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists(),
        timeout=60,
        logs=[first],
    )
    time.sleep(0.5)
    first.kill()
    assert not ReportSnapshot.objects.filter(owner=user).exists(), "killed before writing"
    job.refresh_from_db()
    assert job.holder.endswith(f":{first.process.pid}")

    second = start_default_worker("second")
    started = time.monotonic()
    states: set[tuple[str, bool]] = set()

    def done() -> bool:
        current = RecomputeJob.objects.get(pk=job.pk)
        states.add((current.status, current.stalled(now=timezone.now(), lease=jobs_lease())))
        return current.status == JobStatus.DONE

    _wait_for(done, timeout=120, logs=[first, second])
    took = time.monotonic() - started
    job.refresh_from_db()
    print(f"finished {took:.1f} s after the second worker started; states seen: {states}")
    assert job.attempts == 2  # the killed run, then the one the watchdog sent again
    assert job.holder.endswith(f":{second.process.pid}")
    assert _snapshots_per_month(user) == {1}
    _assert_current_month_is_right(user)
    # Meanwhile it said the truth: once the lease ran out, "stalled", then "queued".
    assert (JobStatus.RUNNING, True) in states or (JobStatus.QUEUED, False) in states
