"""Two interleaved recomputes of one user on two real workers: the newer figures stay
(issue 25, the compare-and-set write of ``reports.services``).

A slow forced recompute runs on one worker. Between its read and its write the user
records a payment; that change's job runs on the other worker, reads after the payment,
and finishes first. The slow one then reaches its write with figures that lack the
payment: the data version it read has moved, so it writes nothing and the newer figures
stay. ``tests/reports/test_recompute_cas.py`` proves the same in one process.

Where the slow one is, the test reads from its progress in the shared cache (the worker
reports "compute" once it has read everything and "write" before it writes), so the
order is observed, not assumed. It is also made certain rather than likely: data size
alone does not do it here (a forced recompute of 48,000-144,000 payments computes for
0.2-0.5 s; the change-job takes 0.4-1 s on a worker of a busy two-core machine, most of
it the fixed cost of a job). So while the slow one computes, the test holds its job's
row locked, as any other database client may: the slow one's next lease beat, which it
writes before it reports "write" and writes its figures, waits for the lock. Nothing
of the change-job's waits for it (its own job row, the profile row the write locks).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from income import services
from income.models import IncomeSource
from income.progress import progress_read
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from reports.services import COMPARED_FIELDS, report_recompute
from tests.integration.test_job_leases import start_default_worker  # noqa: F401  (a fixture)
from tests.integration.test_report_worker import (  # noqa: F401  (fixtures)
    _assert_current_month_is_right,
    _snapshots_per_month,
    _user_with_income,
    _wait_for,
    redis_url,
    sender,
)
from tests.integration.workers import WorkerProcess
from tests.services import celery_sends_to

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]


def _months(user: User) -> dict[object, tuple[object, ...]]:
    return {
        month: tuple(values)
        for month, *values in ReportSnapshot.objects.filter(owner=user).values_list(
            "month", *COMPARED_FIELDS
        )
    }


def _poll(check: Callable[[], bool], *, timeout: float, logs: list[WorkerProcess]) -> None:
    """``_wait_for`` with a tighter step: the phase of interest lasts a few seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    pytest.fail("timed out; worker logs:\n" + "\n".join(w.log()[-4000:] for w in logs))


@contextmanager
def _job_row_locked(job_id: int) -> Iterator[None]:
    """Hold ``job_id``'s row locked (``SELECT … FOR UPDATE``) in a connection of its own
    until the block ends: a worker's update of the row (its lease beat) waits meanwhile."""
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                rows = RecomputeJob.objects.select_for_update().filter(pk=job_id)
                assert list(rows.values_list("pk", flat=True)) == [job_id]
                locked.set()
                release.wait(timeout=180)
        except BaseException as error:  # handed to the test's thread
            errors.append(error)
        finally:
            locked.set()
            connection.close()

    thread = threading.Thread(target=hold, name="job-row-lock")
    thread.start()
    locked.wait(timeout=30)
    try:
        if errors:
            raise errors[0]
        yield
    finally:
        release.set()
        thread.join(timeout=30)


def test_a_change_recomputed_on_another_worker_while_a_slow_recompute_computes_stays(
    start_default_worker: Callable[..., WorkerProcess],  # noqa: F811  (imported above)
    sender: Celery,  # noqa: F811  (the fixture imported above)
    redis_url: str,  # noqa: F811
) -> None:
    """The slow recompute is forced over 48,000 payments in 120 months: it loads every
    payment and computes every month. The change-job is not forced and the user's older
    months are stored (``ReportHistory``), so it loads only this year's payments and
    writes the current month. The payment is made once the slow one has read (it reports
    "compute"), and its job is done while the slow one still reports "compute", held
    before its write by its job row's lock; if that was not so, the test fails and says
    why, as it then proved nothing.
    """
    today = timezone.localdate()
    month = today.replace(day=1)
    user = _user_with_income(sources=400, months=120)
    report_recompute(owner=user, today=today)  # stored figures and history: the change is fast
    before = ReportSnapshot.objects.get(owner=user, month=month).passive_gross
    source = IncomeSource.objects.filter(owner=user).order_by("pk").first()
    assert source is not None
    workers = [
        start_default_worker("one", REPORTS_RECOMPUTE_DELAY="0"),
        start_default_worker("two", REPORTS_RECOMPUTE_DELAY="0"),
    ]
    for worker in workers:
        worker.wait_until_ready(timeout=180)
    time.sleep(2)  # the watchdog messages each worker sends itself as it starts are done

    # The cache the workers report progress to (the test process has one of its own).
    shared_cache = {"default": {**settings.CACHES["default"], "LOCATION": redis_url}}
    with override_settings(CACHES=shared_cache, REPORTS_RECOMPUTE_DELAY=0):
        slow = RecomputeJob.objects.create(owner=user, reason=JobReason.REQUEST, force=True)
        sent_at = time.monotonic()
        sender.send_task("reports.tasks.report_recompute_job", kwargs={"job_id": slow.pk})

        def slow_phase() -> str:
            progress = progress_read(kind="recompute", job_id=slow.pk)
            return "" if progress is None else progress.phase

        _poll(lambda: slow_phase() not in ("", "load"), timeout=120, logs=workers)
        read_after = time.monotonic() - sent_at
        seen: dict[str, str] = {}
        with _job_row_locked(slow.pk):
            # Its lease beat before "write" now waits, unless it was past it already.
            seen["locked"] = slow_phase()
            assert seen["locked"] == "compute", (
                f"not interleaved: the slow recompute was at {seen['locked']!r} when its "
                "row was locked, already past its read and its compute phase (0.2 s or "
                "more), which the test polls every 0.02 s"
            )
            # Taken before the payment: its job is sent on commit and may start on the
            # other worker before ``payment_create`` has returned here.
            paid_at = timezone.now()
            with celery_sends_to(redis_url):  # as the web process sends it
                services.payment_create(
                    owner=user, source=source, date=today, gross=Decimal("1000.00")
                )
            newer = RecomputeJob.objects.get(owner=user, reason=JobReason.CHANGE)

            def newer_done() -> bool:
                if RecomputeJob.objects.filter(pk=newer.pk, status=JobStatus.DONE).exists():
                    # Read after the newer job was seen done: "compute" here means the
                    # slow one had not yet reported "write", which it does before it writes.
                    seen["newer done"] = slow_phase()
                    return True
                return False

            _poll(newer_done, timeout=120, logs=workers)
            newer_after = time.monotonic() - sent_at
            released_at = timezone.now()
        _wait_for(
            lambda: (
                not RecomputeJob.objects.filter(
                    owner=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
                ).exists()
            ),
            timeout=120,
            logs=workers,
        )
        slow_after = time.monotonic() - sent_at

    slow.refresh_from_db()
    newer.refresh_from_db()
    assert slow.started_at is not None
    assert slow.finished_at is not None
    assert newer.started_at is not None
    assert newer.finished_at is not None
    snapshot = ReportSnapshot.objects.get(owner=user, month=month)
    print(
        f"after the send: slow read by {read_after:.2f} s, newer done by {newer_after:.2f} s, "
        f"slow done by {slow_after:.2f} s; slow ran {slow.started_at:%H:%M:%S.%f}–"
        f"{slow.finished_at:%H:%M:%S.%f} on {slow.holder}, newer ran "
        f"{newer.started_at:%H:%M:%S.%f}–{newer.finished_at:%H:%M:%S.%f} on {newer.holder}; "
        f"the slow one's phase when locked: {seen['locked']!r}, when the newer was done: "
        f"{seen['newer done']!r}, lock released {released_at:%H:%M:%S.%f}; "
        f"current month computed at {snapshot.computed_at:%H:%M:%S.%f}"
    )
    # The interleaving happened: the slow one read before the payment, the newer one was
    # taken after it by the other worker and finished before the slow one reached its write.
    assert seen["newer done"] == "compute", (
        f"not interleaved: the slow recompute was at {seen['newer done']!r}, not between "
        "its read and its write, when the change-job was done: its lease beat, an update "
        "of its locked row, did not hold it"
    )
    assert slow.holder != newer.holder, "both ran on one worker"
    assert slow.started_at < paid_at < newer.started_at
    assert newer.finished_at < released_at < slow.finished_at
    assert (slow.status, newer.status) == (JobStatus.DONE, JobStatus.DONE)
    # The newer figures stayed: the payment is in them and they are the newer job's.
    assert snapshot.passive_gross == before + Decimal("1000.00")
    assert newer.started_at <= snapshot.computed_at <= newer.finished_at
    # The slow one found the data version moved and wrote nothing (forced, it skips only then).
    assert (slow.skipped, slow.months_written) == (True, 0)
    assert (newer.skipped, newer.months_written) == (False, 1)
    assert _snapshots_per_month(user) == {1}
    _assert_current_month_is_right(user)
    assert not RecomputeJob.objects.filter(
        owner=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).exists()
    # Every month equals a fresh computation in this process: it finds none to change.
    stored = _months(user)
    outcome = report_recompute(owner=user, today=today, force=True)
    assert (outcome.superseded, outcome.months_written) == (False, 1)  # the current month
    assert _months(user) == stored
