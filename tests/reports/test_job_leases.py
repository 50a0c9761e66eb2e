"""Leases on recompute jobs (issue 25): a job whose worker died is handed on in a
minute or two, not when the broker's visibility timeout (an hour) redelivers it.

The watchdog is called as beat calls it; "a new worker" is ``recompute_job_run`` on
the job it sends again. The real-process version is in tests/integration.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import redis
from celery.signals import worker_ready
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from config.celery import app as celery_app
from income import services
from income.models import Profile
from jobs.leases import worker_name
from reports.jobs import (
    LOST_CHANGE_GRACE,
    QUEUE_UNREACHABLE,
    SUPERSEDED,
    WORKER_LOST,
    jobs_watchdog,
    recompute_job_run,
    recompute_on_change,
)
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from reports.services import report_recompute
from tests.factories import SourceFactory
from tests.integration.test_report_worker import redis_url  # noqa: F401  (a fixture)
from tests.services import celery_sends_to

TODAY = date(2025, 6, 20)


def _running(owner: User, *, beat_ago: float, attempts: int = 1, **fields: Any) -> RecomputeJob:
    """A job as a worker left it that last beat ``beat_ago`` seconds ago."""
    beat = timezone.now() - timedelta(seconds=beat_ago)
    fields.setdefault("reason", JobReason.REQUEST)
    return RecomputeJob.objects.create(
        owner=owner,
        status=JobStatus.RUNNING,
        holder="dead-host:4242",
        started_at=beat,
        heartbeat_at=beat,
        attempts=attempts,
        **fields,
    )


def test_the_defaults_are_a_one_minute_lease_and_three_tries() -> None:
    assert settings.JOBS_LEASE_SECONDS == 60
    assert settings.JOBS_MAX_ATTEMPTS == 3


def test_the_watchdog_runs_every_minute_from_beat(db: None) -> None:
    task = PeriodicTask.objects.get(task="reports.tasks.jobs_watchdog")
    assert task.enabled
    assert task.interval is not None
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_a_running_job_records_its_holder_and_beats_at_every_phase(alice: User) -> None:
    SourceFactory.create(owner=alice, name="ETF")
    job = RecomputeJob.objects.create(owner=alice, reason=JobReason.REQUEST)
    seen: list[tuple[str, str, object]] = []

    def watch(phase: str, _done: int, _total: int) -> None:
        row = RecomputeJob.objects.get(pk=job.pk)
        seen.append((phase, row.holder, row.heartbeat_at))

    recompute_job_run(job_id=job.pk, today=TODAY, on_progress=watch)
    assert [phase for phase, _holder, _beat in seen] == ["load", "compute", "write", "done"]
    assert {holder for _phase, holder, _beat in seen} == {worker_name()}
    beats = [beat for _phase, _holder, beat in seen]
    assert beats == sorted(beats)  # type: ignore[type-var]
    assert beats[-1] > beats[0]  # type: ignore[operator]


def test_a_job_whose_holder_beats_is_left_alone(alice: User) -> None:
    job = _running(alice, beat_ago=settings.JOBS_LEASE_SECONDS - 5)
    outcome = jobs_watchdog()
    assert (outcome.requeued, outcome.failed) == ([], [])
    job.refresh_from_db()
    assert (job.status, job.holder) == (JobStatus.RUNNING, "dead-host:4242")


def test_a_job_whose_holder_stopped_beating_is_sent_again_and_finished_by_the_next_worker(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    SourceFactory.create(owner=alice, name="ETF")
    job = _running(alice, beat_ago=settings.JOBS_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        outcome = jobs_watchdog()
    assert outcome.requeued == [job.pk]
    assert len(sent) == 1  # one new message
    job.refresh_from_db()
    assert (job.status, job.holder, job.attempts) == (JobStatus.QUEUED, "", 1)
    assert job.get_status_display() == "Waiting for a worker"
    finished = recompute_job_run(job_id=job.pk, today=TODAY)
    assert finished is not None
    assert (finished.status, finished.attempts) == (JobStatus.DONE, 2)
    assert ReportSnapshot.objects.filter(owner=alice).exists()


def test_a_job_whose_worker_died_on_every_try_fails_after_the_last(alice: User) -> None:
    job = _running(alice, beat_ago=120, attempts=settings.JOBS_MAX_ATTEMPTS)
    outcome = jobs_watchdog()
    assert outcome.failed == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, WORKER_LOST)
    assert job.finished_at is not None


def test_a_queued_job_no_worker_took_is_sent_again_then_failed(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = recompute_on_change(owner_id=alice.pk)
    assert job is not None
    overdue = settings.JOBS_LEASE_SECONDS + settings.REPORTS_RECOMPUTE_DELAY + 1
    sends = []
    for _ in range(settings.JOBS_MAX_ATTEMPTS + 1):
        RecomputeJob.objects.filter(pk=job.pk).update(
            created_at=timezone.now() - timedelta(seconds=overdue),
            heartbeat_at=timezone.now() - timedelta(seconds=overdue),
        )
        with django_capture_on_commit_callbacks(execute=False) as sent:
            jobs_watchdog()
        sends.append(len(sent))
    job.refresh_from_db()
    assert sends == [1] * settings.JOBS_MAX_ATTEMPTS + [0]
    assert job.status == JobStatus.FAILED


def test_a_queued_job_within_its_delay_and_lease_is_not_sent_twice(alice: User) -> None:
    job = recompute_on_change(owner_id=alice.pk)
    assert job is not None
    assert jobs_watchdog().requeued == []


def test_a_stranded_change_job_gives_way_to_the_newer_one_waiting(alice: User) -> None:
    stranded = _running(alice, beat_ago=120, reason=JobReason.CHANGE)
    waiting = recompute_on_change(owner_id=alice.pk)
    assert waiting is not None
    outcome = jobs_watchdog()
    stranded.refresh_from_db()
    assert (stranded.status, stranded.error) == (JobStatus.FAILED, SUPERSEDED)
    assert outcome.failed == [stranded.pk]
    assert RecomputeJob.objects.get(pk=waiting.pk).status == JobStatus.QUEUED


def test_a_change_while_the_change_job_is_stranded_is_included(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The issue's 1,000 €: the second change finds the stranded job queued and queues
    nothing; the stranded one, sent again, reads the data after both changes."""
    source = SourceFactory.create(owner=alice, name="ETF", start_date=date(2025, 1, 1))
    with django_capture_on_commit_callbacks(execute=False):  # taken by a worker that died
        stranded = recompute_on_change(owner_id=alice.pk)
    assert stranded is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_create(
            owner=alice, source=source, date=date(2025, 6, 2), gross=Decimal("10.00")
        )
        services.payment_create(
            owner=alice, source=source, date=date(2025, 6, 3), gross=Decimal("1000.00")
        )
    assert RecomputeJob.objects.filter(owner=alice).count() == 1  # the debounce held
    overdue = timezone.now() - timedelta(
        seconds=settings.JOBS_LEASE_SECONDS + settings.REPORTS_RECOMPUTE_DELAY + 1
    )
    RecomputeJob.objects.filter(pk=stranded.pk).update(created_at=overdue)
    with django_capture_on_commit_callbacks(execute=False):
        assert jobs_watchdog().requeued == [stranded.pk]
    recompute_job_run(job_id=stranded.pk, today=TODAY)
    current = ReportSnapshot.objects.get(owner=alice, month=date(2025, 6, 1))
    assert current.passive_gross == Decimal("1010.00")


def test_a_user_changed_without_a_job_since_gets_one_from_the_watchdog(alice: User) -> None:
    SourceFactory.create(owner=alice, name="ETF")
    report_recompute(owner=alice, today=TODAY)
    lost = RecomputeJob.objects.create(
        owner=alice, reason=JobReason.CHANGE, status=JobStatus.FAILED, error=QUEUE_UNREACHABLE
    )
    changed = timezone.now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)
    ReportSnapshot.objects.filter(owner=alice).update(computed_at=changed - timedelta(hours=1))
    Profile.objects.filter(user=alice).update(data_changed_at=changed)
    RecomputeJob.objects.filter(pk=lost.pk).update(created_at=changed)
    created = jobs_watchdog().created
    assert len(created) == 1
    job = RecomputeJob.objects.get(pk=created[0])
    assert (job.owner_id, job.reason, job.status) == (alice.pk, JobReason.CHANGE, JobStatus.QUEUED)
    # The next minute: the new job covers the change, nothing more is queued.
    assert jobs_watchdog().created == []


def test_a_lost_change_is_picked_up_half_a_minute_after_it_was_made(alice: User) -> None:
    """Not a lease (a minute) later: the catch-up after a broker outage stays within two
    minutes (issue 25). A change younger than that may still be getting its job."""
    SourceFactory.create(owner=alice, name="ETF")
    report_recompute(owner=alice, today=TODAY)
    ReportSnapshot.objects.filter(owner=alice).update(
        computed_at=timezone.now() - timedelta(hours=1)
    )
    just_now = timezone.now() - timedelta(seconds=5)
    Profile.objects.filter(user=alice).update(data_changed_at=just_now)
    assert jobs_watchdog().created == []
    changed = timezone.now() - LOST_CHANGE_GRACE - timedelta(seconds=1)
    assert changed > timezone.now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    Profile.objects.filter(user=alice).update(data_changed_at=changed)
    assert len(jobs_watchdog().created) == 1


def test_a_user_whose_recompute_failed_for_good_is_left_to_the_nightly_sweep(
    alice: User,
) -> None:
    SourceFactory.create(owner=alice, name="ETF")
    report_recompute(owner=alice, today=TODAY)
    changed = timezone.now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)
    ReportSnapshot.objects.filter(owner=alice).update(computed_at=changed - timedelta(hours=1))
    Profile.objects.filter(user=alice).update(data_changed_at=changed)
    RecomputeJob.objects.create(
        owner=alice, reason=JobReason.CHANGE, status=JobStatus.FAILED, error="ValueError()"
    )
    assert jobs_watchdog().created == []


def test_a_starting_worker_runs_the_watchdog(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = _running(alice, beat_ago=120)
    with django_capture_on_commit_callbacks(execute=False):  # the tests' worker is eager
        worker_ready.send(sender=None)
    job.refresh_from_db()
    assert (job.status, job.holder) == (JobStatus.QUEUED, "")


def test_a_starting_worker_looks_again_when_a_change_job_of_its_start_is_overdue(
    redis_url: str,  # noqa: F811  (the fixture imported above)
) -> None:
    """At once, after a lease (a running job's holder is gone by then) and after a lease
    plus the debounce (a queued change-job made as the worker got ready is overdue only
    then): read back from a real broker, with the times the messages carry."""
    celery_app.loader.import_default_modules()  # the tasks modules, as a worker loads them
    sent_at = timezone.now()
    with celery_sends_to(redis_url):
        worker_ready.send(sender=None)
    messages = [json.loads(raw) for raw in redis.Redis.from_url(redis_url).lrange("celery", 0, -1)]
    delays = sorted(
        round((datetime.fromisoformat(m["headers"]["eta"]) - sent_at).total_seconds())
        if m["headers"]["eta"]
        else 0
        for m in messages
        if m["headers"]["task"] == "reports.tasks.jobs_watchdog"
    )
    lease, debounce = settings.JOBS_LEASE_SECONDS, settings.REPORTS_RECOMPUTE_DELAY
    assert delays == [0, lease + 5, lease + debounce + 5]


@pytest.mark.parametrize(("beat_ago", "stalled"), [(30, False), (90, True)])
def test_the_page_and_the_api_say_waiting_once_the_worker_stopped_beating(
    alice: User, client: Client, beat_ago: int, stalled: bool
) -> None:
    job = _running(alice, beat_ago=beat_ago)
    client.force_login(alice)
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert ("Waiting for a worker" in page) is stalled
    assert ("Computing" in page) is not stalled
    api = APIClient()
    api.force_authenticate(alice)
    data = api.get(f"/api/v1/reports/recompute/{job.pk}/").json()
    assert data["status"] == "running"
    assert data["stalled"] is stalled
