"""Every task retries on Celery's own mechanism (issue 26): one base class, the same
waits as the hand-written loops had, and a job failed once its task gives up.
Results are kept only for the tasks whose callers read them.

The tasks are applied as a worker runs them (``throw=False``): the unit tests' eager
mode otherwise raises the error before Celery's failure hook runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.contrib.auth.models import User
from django.db import OperationalError

from config import tasks as config_tasks
from config.celery import app
from imports import jobs as import_jobs
from imports import services as import_services
from imports.models import ImportStatus, PaymentImport
from imports.tasks import payment_import_process
from income import tasks as income_tasks
from jobs.leases import LeaseLost
from jobs.retrying import MAX_RETRIES, TRANSIENT_ERRORS, JobTask, RetryingTask
from portability import tasks as portability_tasks
from reports.models import JobReason, JobStatus, RecomputeJob
from reports.tasks import report_recompute_job
from tests.factories import SourceFactory

#: Every app's tasks, registered as a worker's autodiscovery would.
MODULES = (config_tasks, income_tasks, portability_tasks)
JOB_TASKS = [
    "reports.tasks.report_recompute_job",
    "imports.tasks.payment_import_process",
    "portability.tasks.data_import_process",
]
RETRYING_TASKS = [
    *JOB_TASKS,
    "income.tasks.email_deliver",
    "reports.tasks.report_recompute_owners",
    "reports.tasks.report_close_owner",
    "reports.tasks.digest_send_weekly",
    "config.tasks.access_log_prune",
]
#: Read with ``.get()`` on a real worker by tests/integration and bench/.
RESULTS_READ = {
    "income.tasks.email_deliver",
    "reports.tasks.report_recompute_job",
    "reports.tasks.report_recompute_owners",
    "reports.tasks.report_recompute_all",
    "reports.tasks.report_sweep",
    "reports.tasks.report_month_end_close",
    "reports.tasks.digest_send_weekly",
}


def test_the_waits_are_2_4_8_seconds_up_to_ten_minutes_without_jitter() -> None:
    task: Any = app.tasks["reports.tasks.report_recompute_job"]
    waits = [
        get_exponential_backoff_interval(
            factor=int(task.retry_backoff),
            retries=retries,
            maximum=task.retry_backoff_max,
            full_jitter=task.retry_jitter,
        )
        for retries in range(MAX_RETRIES + 6)
    ]
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]
    # The hand-written loops' formula, which this replaced.
    assert waits == [min(2 ** (retries + 1), 600) for retries in range(MAX_RETRIES + 6)]


@pytest.mark.parametrize("name", RETRYING_TASKS)
def test_every_retrying_task_is_on_the_one_base(name: str) -> None:
    task = app.tasks[name]
    assert isinstance(task, RetryingTask)
    assert set(TRANSIENT_ERRORS) <= set(task.autoretry_for)
    assert (task.max_retries, task.retry_jitter, task.retry_backoff_max) == (
        MAX_RETRIES,
        False,
        600,
    )


@pytest.mark.parametrize("name", JOB_TASKS)
def test_every_job_task_fails_its_job_when_it_gives_up(name: str) -> None:
    task = app.tasks[name]
    assert isinstance(task, JobTask)
    assert callable(type(task).job_fail)


def test_results_are_kept_only_where_they_are_read() -> None:
    assert app.conf.task_ignore_result is True
    assert app.conf.task_track_started is False
    ours = {
        name
        for name in app.tasks
        if name.split(".")[0] in {"income", "imports", "reports", "portability", "config"}
    }
    assert ours >= RESULTS_READ
    assert {name for name in ours if not app.tasks[name].ignore_result} == RESULTS_READ


def test_a_job_whose_task_breaks_is_failed_with_a_message(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = _queued_upload(alice)

    def broken(**_kwargs: Any) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(import_jobs, "payment_import_process", broken)
    result = payment_import_process.apply(kwargs={"upload_id": upload.pk}, throw=False)
    assert isinstance(result.result, ValueError)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.FAILED
    assert upload.errors[0]["message"] == import_jobs.IMPORT_BROKE


def test_a_transient_error_on_the_last_retry_fails_the_job(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = RecomputeJob.objects.create(owner=alice, reason=JobReason.REQUEST)

    def database_away(**_kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("reports.jobs.recompute_job_run", database_away)
    result = report_recompute_job.apply(kwargs={"job_id": job.pk}, retries=MAX_RETRIES, throw=False)
    assert isinstance(result.result, OperationalError)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "OperationalError" in job.error


def test_a_job_whose_lease_went_to_another_worker_is_not_failed(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = _queued_upload(alice)

    def handed_on(**_kwargs: Any) -> None:
        raise LeaseLost("the watchdog gave it to another worker")

    monkeypatch.setattr(import_jobs, "payment_import_process", handed_on)
    result = payment_import_process.apply(kwargs={"upload_id": upload.pk}, throw=False)
    assert isinstance(result.result, LeaseLost)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.QUEUED


def _queued_upload(owner: User) -> PaymentImport:
    source = SourceFactory.create(owner=owner, name="ETF")
    upload = import_services.payment_import_upload(
        owner=owner, filename="bank.csv", content=b"Date;Amount\n31.12.2025;12,50\n", source=source
    )
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.QUEUED)
    return upload
