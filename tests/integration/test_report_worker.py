"""Report recomputes on real Celery workers, on Redis, against PostgreSQL (PRODUCT.md §7).

The test process writes the data and sends task messages; separate ``celery worker``
processes, configured from the environment as in production, compute and write the
snapshots into the same PostgreSQL test database. Each test gets a Redis database of
its own, so workers of parallel test processes never take each other's messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from imports.models import PaymentImport
from income import reporting, services
from income.models import IncomeCategory, IncomeSource, Payment, Profile
from income.tasks import email_deliver  # noqa: F401  (registers the task names for the sender)
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from tests.integration.workers import WorkerProcess
from tests.services import TEST_REDIS_URL, require_redis

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

# Short enough to wait for in a test; the production value is in the settings (3600 s).
VISIBILITY_TIMEOUT = 12


@pytest.fixture
def redis_url(worker_id: str) -> str:
    """A Redis database for this test process only, emptied before the test."""
    base = require_redis(TEST_REDIS_URL).rsplit("/", 1)[0]
    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    url = f"{base}/{8 + index}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def start_worker(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def start(name: str = "worker") -> WorkerProcess:
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "DATABASE_URL": postgres_url,
            "REDIS_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_TASK_SOFT_TIME_LIMIT": str(VISIBILITY_TIMEOUT - 2),
            "CELERY_TASK_TIME_LIMIT": str(VISIBILITY_TIMEOUT - 1),
            "REPORTS_RECOMPUTE_DELAY": "1",
            "REPORTS_FANOUT_CHUNK": "2",  # several messages even for a handful of users
        }
        worker = WorkerProcess(env=env, log_path=tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def sender(redis_url: str) -> Iterator[Celery]:
    """A client like the web process: it only puts messages on the broker."""
    # Not the current app: the shared tasks of the test process stay on its own (eager) app.
    app = Celery("sender", broker=redis_url, backend=redis_url, set_as_current=False)
    yield app
    app.close()


def _wait_for(check: Callable[[], bool], *, timeout: float, logs: list[WorkerProcess]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail("timed out; worker logs:\n" + "\n".join(w.log()[-4000:] for w in logs))


def _user_with_income(*, sources: int = 3, months: int = 24) -> User:
    """A user whose payments are written in bulk (the set-up is not what is tested)."""
    user = services.user_register(
        username=f"u{time.time_ns()}", email=f"u{time.time_ns()}@example.com",
        password="a-long-test-password-1",
    )  # fmt: skip
    services.profile_update(user=user, monthly_expenses=Decimal("1500.00"))
    category = IncomeCategory.objects.get(slug="etf-dividends")
    made = IncomeSource.objects.bulk_create(
        IncomeSource(
            owner=user, name=f"ETF {n:03}", category=category, currency="EUR",
            start_date=date(2020, 1, 1), invested_capital=Decimal("10000.00"),
            expected_yield=Decimal("0.03"),
        )
        for n in range(sources)
    )  # fmt: skip
    today = timezone.localdate()
    Payment.objects.bulk_create(
        (
            Payment(source=source, date=date(today.year - 1 - m // 12, m % 12 + 1, 3),
                    gross=Decimal("10.01") + n, currency="EUR")
            for n, source in enumerate(made)
            for m in range(months)
        ),
        batch_size=5000,
    )  # fmt: skip
    # The set-up's own change recompute ran in this process (eager); start from nothing.
    RecomputeJob.objects.filter(owner=user).delete()
    ReportSnapshot.objects.filter(owner=user).delete()
    return user


def _snapshots_per_month(user: User) -> set[int]:
    return set(
        ReportSnapshot.objects.filter(owner=user)
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def _assert_current_month_is_right(user: User) -> None:
    today = timezone.localdate()
    live = reporting.overview(owner=user, as_of=today)
    snapshot = ReportSnapshot.objects.get(owner=user, month=today.replace(day=1))
    assert snapshot.passive_net_ttm == live.passive_net_ttm
    assert snapshot.total_net_ttm == live.total_net_ttm
    assert snapshot.passive_share == live.passive_share


def test_a_recompute_job_runs_on_a_real_worker(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    user = _user_with_income()
    job = RecomputeJob.objects.create(owner=user, reason=JobReason.REQUEST, force=True)
    worker = start_worker()
    result = sender.send_task("reports.tasks.report_recompute_job", kwargs={"job_id": job.pk})
    assert result.get(timeout=90)["job"] == job.pk, worker.log()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert _snapshots_per_month(user) == {1}
    assert job.months_written == ReportSnapshot.objects.filter(owner=user).count() > 12
    _assert_current_month_is_right(user)


def test_the_same_recompute_twice_on_two_workers_leaves_one_snapshot_per_month(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    user = _user_with_income(sources=20, months=36)
    workers = [start_worker("one"), start_worker("two")]
    # Admin-requested: a user's own requests are one pending at a time (issue 19).
    jobs = [
        RecomputeJob.objects.create(owner=user, reason=JobReason.ADMIN, force=True)
        for _ in range(6)
    ]
    results = [
        sender.send_task("reports.tasks.report_recompute_job", kwargs={"job_id": job.pk})
        for job in jobs
    ]
    done = [result.get(timeout=120) for result in results]
    assert {outcome["job"] for outcome in done} == {job.pk for job in jobs}
    assert _snapshots_per_month(user) == {1}
    assert RecomputeJob.objects.filter(owner=user, status=JobStatus.DONE).count() == 6
    _assert_current_month_is_right(user)
    # Both workers did some of the work.
    assert all("report_recompute_job" in w.log() for w in workers)


def test_a_thousand_row_import_causes_one_recompute(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    user = _user_with_income(sources=1, months=1)
    source = IncomeSource.objects.get(owner=user)
    lines = ["Datum;Betrag;Referenz"] + [
        f"{day:%d.%m.%Y};{n % 90 + 10},{n % 100:02};R{n}"
        for n, day in enumerate(
            date(2024, 1, 1) + (date(2024, 1, 2) - date(2024, 1, 1)) * (n % 360)
            for n in range(1000)
        )
    ]
    upload = PaymentImport.objects.create(
        owner=user, source=source, filename="bank.csv",
        content="\n".join(lines).encode("utf-8"), status="queued",
    )  # fmt: skip
    worker = start_worker()
    sender.send_task("imports.tasks.payment_import_process", kwargs={"upload_id": upload.pk})
    _wait_for(
        lambda: RecomputeJob.objects.filter(owner=user, status=JobStatus.DONE).exists(),
        timeout=90,
        logs=[worker],
    )
    upload.refresh_from_db()
    assert (upload.status, upload.created_rows) == ("done", 1000), upload.errors
    time.sleep(3)  # a second recompute, if one had been queued, would have run by now
    jobs = RecomputeJob.objects.filter(owner=user)
    assert [(j.reason, j.status) for j in jobs] == [(JobReason.CHANGE, JobStatus.DONE)]
    _assert_current_month_is_right(user)


def test_a_worker_killed_in_the_middle_loses_nothing(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    # 48,000 payments: about 2 s from the job's claim to its commit (the second worker's
    # run below), so a kill half a second after the claim lands before the commit.
    user = _user_with_income(sources=400, months=120)
    job = RecomputeJob.objects.create(owner=user, reason=JobReason.REQUEST, force=True)
    first = start_worker("first")
    sent_at = time.monotonic()
    sender.send_task("reports.tasks.report_recompute_job", kwargs={"job_id": job.pk})
    _wait_for(
        lambda: RecomputeJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists(),
        timeout=60,
        logs=[first],
    )
    time.sleep(0.5)
    first.kill()
    assert not ReportSnapshot.objects.filter(owner=user).exists(), "killed before writing"
    second = start_worker("second")
    _wait_for(
        lambda: RecomputeJob.objects.filter(pk=job.pk, status=JobStatus.DONE).exists(),
        timeout=VISIBILITY_TIMEOUT * 4,
        logs=[first, second],
    )
    redelivered_after = time.monotonic() - sent_at
    job.refresh_from_db()
    assert job.attempts == 2  # the killed run, then the redelivered one
    assert _snapshots_per_month(user) == {1}
    _assert_current_month_is_right(user)
    print(f"redelivered and done {redelivered_after:.1f} s after sending "
          f"(visibility timeout {VISIBILITY_TIMEOUT} s)")  # fmt: skip
    assert redelivered_after >= VISIBILITY_TIMEOUT


def test_the_nightly_sweep_fans_out_over_two_workers_and_the_month_end_close_follows(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    users = [_user_with_income(sources=2, months=14) for _ in range(6)]
    unchanged = _user_with_income(sources=1, months=2)
    Profile.objects.filter(user=unchanged).update(data_changed_at=None)
    workers = [start_worker("one"), start_worker("two")]
    sent = sender.send_task("reports.tasks.report_sweep").get(timeout=60)
    assert sent == 6
    _wait_for(
        lambda: (
            RecomputeJob.objects.filter(reason=JobReason.SWEEP, status=JobStatus.DONE).count() == 6
        ),
        timeout=120,
        logs=workers,
    )
    for user in users:
        assert _snapshots_per_month(user) == {1}
        _assert_current_month_is_right(user)
    assert not ReportSnapshot.objects.filter(owner=unchanged).exists()

    closed = sender.send_task("reports.tasks.report_month_end_close").get(timeout=60)
    assert closed == 6
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    _wait_for(
        lambda: (
            ReportSnapshot.objects.filter(month=last_month, closed_at__isnull=False).count() == 6
        ),
        timeout=120,
        logs=workers,
    )
    assert all(_snapshots_per_month(user) == {1} for user in users)


def test_recompute_all_fans_out_over_the_workers(
    start_worker: Callable[..., WorkerProcess], sender: Celery
) -> None:
    users = [_user_with_income(sources=2, months=6) for _ in range(5)]
    workers = [start_worker("one"), start_worker("two")]
    owner_ids = [user.pk for user in users]
    sent = sender.send_task(
        "reports.tasks.report_recompute_all", kwargs={"reason": "admin", "owner_ids": owner_ids}
    ).get(timeout=60)
    assert sent == 5
    _wait_for(
        lambda: (
            RecomputeJob.objects.filter(reason=JobReason.ADMIN, status=JobStatus.DONE).count() == 5
        ),
        timeout=120,
        logs=workers,
    )
    for user in users:
        assert _snapshots_per_month(user) == {1}
        _assert_current_month_is_right(user)


def test_the_weekly_digest_task_twice_sends_one_mail(
    start_worker: Callable[..., WorkerProcess], sender: Celery, tmp_path: Path
) -> None:
    user = _user_with_income(sources=1, months=3)
    services.profile_update(user=user, weekly_digest=True)
    worker = start_worker()
    first = sender.send_task("reports.tasks.digest_send_weekly").get(timeout=60)
    second = sender.send_task("reports.tasks.digest_send_weekly").get(timeout=60)
    assert (first, second) == (1, 0)
    mail = tmp_path / "mail"
    _wait_for(lambda: mail.exists() and any(mail.iterdir()), timeout=60, logs=[worker])
    time.sleep(1)  # a second mail, had one been queued, would be written by now
    written = "".join(path.read_text() for path in mail.iterdir())
    assert written.count("\nSubject: ") == 1
    assert user.email in written
