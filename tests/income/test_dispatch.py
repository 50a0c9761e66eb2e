"""A task the broker cannot take: the request goes on, and the work is not silently lost.

The broker is a real Redis address where nothing listens (PRODUCT.md §7: with Redis
down the web app keeps answering and saving; the nightly sweep catches up).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from imports import jobs as import_jobs
from imports import services as import_services
from imports.models import ImportStatus
from income import services
from income.models import IncomeSource, Payment
from reports.jobs import MESSAGE_LOST, QUEUE_UNREACHABLE, recompute_job_create, recompute_on_change
from reports.models import JobReason, JobStatus, RecomputeJob
from reports.selectors import owners_changed_since_report, snapshot_latest
from reports.tasks import report_sweep
from tests.factories import PaymentFactory, SourceFactory
from tests.services import celery_sends_to, free_port

#: What a send may cost the request when the broker is away (it is refused at once here).
BOUND = 2.0


@pytest.fixture
def broker_unreachable() -> Iterator[None]:
    with celery_sends_to(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.fixture
def etf(alice: User, django_capture_on_commit_callbacks: Any) -> IncomeSource:
    """Alice's source, made while the broker was there: her reports are up to date."""
    with django_capture_on_commit_callbacks(execute=True):
        return SourceFactory.create(owner=alice, name="ETF")


def test_a_change_job_fails_at_once_and_the_nightly_sweep_catches_up(
    alice: User, etf: IncomeSource, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    with celery_sends_to(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            PaymentFactory.create(source=etf, date=today, gross=Decimal("100.00"))
        assert time.monotonic() - started < BOUND
        job = RecomputeJob.objects.get(owner=alice, status=JobStatus.FAILED)
        assert (job.reason, job.status, job.error) == (
            JobReason.CHANGE, JobStatus.FAILED, QUEUE_UNREACHABLE
        )  # fmt: skip
        # Not left queued: the debounce constraint lets the next change make a job.
        with django_capture_on_commit_callbacks(execute=True):
            PaymentFactory.create(source=etf, date=today, gross=Decimal("50.00"))
        jobs = RecomputeJob.objects.filter(owner=alice, reason=JobReason.CHANGE)
        assert list(jobs.values_list("status", flat=True)) == [
            JobStatus.FAILED, JobStatus.FAILED, JobStatus.DONE
        ]  # fmt: skip
    before = snapshot_latest(owner=alice)
    assert before is not None
    assert before.passive_gross == Decimal("0.00")
    assert list(owners_changed_since_report(today=today)) == [alice]

    report_sweep.apply()  # what beat sends at 02:30; tasks run eagerly in unit tests

    snapshot = snapshot_latest(owner=alice)
    assert snapshot is not None
    assert snapshot.passive_gross == Decimal("150.00")
    assert list(owners_changed_since_report(today=today)) == []


@pytest.mark.usefixtures("broker_unreachable")
def test_a_requested_recompute_fails_at_once(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    assert time.monotonic() - started < BOUND
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, QUEUE_UNREACHABLE)
    assert job.finished_at is not None


@pytest.mark.usefixtures("broker_unreachable")
def test_mail_goes_out_inline(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.email_send(subject="Reset", body="Follow the link", to=["alice@example.com"])
    assert [(m.subject, m.to) for m in mail.outbox] == [("Reset", ["alice@example.com"])]


@pytest.mark.usefixtures("broker_unreachable")
def test_an_import_fails_with_a_message_the_user_can_read(
    alice: User, etf: IncomeSource, django_capture_on_commit_callbacks: Any
) -> None:
    upload = import_services.payment_import_upload(
        owner=alice, filename="bank.csv", content=b"Date;Amount\n31.12.2025;12,50\n", source=etf
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_jobs.payment_import_start(upload=upload)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.FAILED
    assert upload.errors == [
        {"line": None, "field": None, "message": import_jobs.IMPORT_NOT_QUEUED}
    ]
    assert not Payment.objects.exists()
    with translation.override("de"):
        assert gettext(import_jobs.IMPORT_NOT_QUEUED) != import_jobs.IMPORT_NOT_QUEUED


def test_a_job_whose_message_was_lost_is_failed_by_the_sweep(alice: User) -> None:
    # Its message is never sent (the test's transaction does not commit): as if it had
    # been queued in a Redis that then restarted empty.
    stuck = recompute_on_change(owner_id=alice.pk)
    assert stuck is not None
    RecomputeJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert recompute_on_change(owner_id=alice.pk) is None  # held back by the stuck one

    report_sweep.apply()

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (JobStatus.FAILED, MESSAGE_LOST)
    fresh = recompute_on_change(owner_id=alice.pk)
    assert fresh is not None
    report_sweep.apply()
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.QUEUED  # waiting a few seconds is not lost
