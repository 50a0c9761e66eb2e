"""A worker killed in a statement import, on real processes (issue 25): with the default
settings (a one-hour visibility timeout, a one-minute lease) the import is finished by
the next worker within two minutes of its start, no row doubled, and meanwhile it says
"waiting for a worker" rather than a frozen percentage. Two imports of one file at
once: one imports the rows, the other finds them all already there.

No beat runs here: the worker that starts looks again once a lease has passed
(``jobs.watchdog.watchdog_at_worker_start``); beat's minutely run is the same service
(tests/imports/test_import_leases.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from imports.models import ImportStatus, PaymentImport
from income import services
from income.models import IncomeSource, Payment
from jobs.leases import jobs_lease
from tests.factories import SourceFactory
from tests.integration.test_job_leases import start_default_worker  # noqa: F401  (fixture)
from tests.integration.test_report_worker import (  # noqa: F401  (fixtures)
    _wait_for,
    sender,
)
from tests.integration.workers import WorkerProcess
from tests.services import TEST_REDIS_URL, require_redis

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

ROWS = 10_000


@pytest.fixture
def redis_url(worker_id: str) -> str:
    """A Redis database of this module's own (other integration tests use 8 on), emptied."""
    base = require_redis(TEST_REDIS_URL).rsplit("/", 1)[0]
    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    url = f"{base}/{15 - index}"
    redis.Redis.from_url(url).flushdb()
    return url


def _statement(rows: int) -> bytes:
    first = date(2020, 1, 1)
    lines = ["Datum;Betrag;Referenz"] + [
        f"{first + timedelta(days=n % 1800):%d.%m.%Y};{n % 90 + 10},{n % 100:02};R{n}"
        for n in range(rows)
    ]
    return "\n".join(lines).encode("utf-8")


def _owner_and_source() -> tuple[User, IncomeSource]:
    user = services.user_register(
        username=f"u{time.time_ns()}",
        email=f"u{time.time_ns()}@example.com",
        password="a-long-test-password-1",
    )
    return user, SourceFactory.create(owner=user, name="Bank")


def _queued(user: User, source: IncomeSource, content: bytes) -> PaymentImport:
    """Queued as ``payment_import_start`` queues it; the message goes from ``sender``."""
    return PaymentImport.objects.create(
        owner=user, source=source, filename="bank.csv", content=content,
        status=ImportStatus.QUEUED, heartbeat_at=timezone.now(),
    )  # fmt: skip


def test_a_worker_killed_in_an_import_is_replaced_within_two_minutes(
    start_default_worker: Callable[[str], WorkerProcess],  # noqa: F811  (the fixture above)
    sender: Celery,  # noqa: F811
) -> None:
    assert settings.CELERY_VISIBILITY_TIMEOUT == 3600  # the broker will not rescue it
    user, source = _owner_and_source()
    upload = _queued(user, source, _statement(ROWS))
    first = start_default_worker("first")
    sender.send_task("imports.tasks.payment_import_process", kwargs={"upload_id": upload.pk})
    # Killed as soon as it runs: the rows are written in one transaction at the end, and
    # a fast CPU reads and writes 10,000 of them in under half a second, so a pause here
    # would let the run finish before the kill (seen on an Intel Xeon). The status is
    # polled every 5 ms; the run takes far longer than that.
    deadline = time.monotonic() + 60
    running = PaymentImport.objects.filter(pk=upload.pk, status=ImportStatus.RUNNING)
    while not running.exists():
        assert time.monotonic() < deadline, "never ran; worker log:\n" + first.log()[-4000:]
        time.sleep(0.005)
    first.kill()
    assert not Payment.objects.filter(source=source).exists(), "killed before writing"
    upload.refresh_from_db()
    assert upload.holder.endswith(f":{first.process.pid}")

    second = start_default_worker("second")
    started = time.monotonic()
    states: set[tuple[str, bool]] = set()

    def done() -> bool:
        current = PaymentImport.objects.defer("content").get(pk=upload.pk)
        states.add((current.status, current.stalled(now=timezone.now(), lease=jobs_lease())))
        return current.status == ImportStatus.DONE

    _wait_for(done, timeout=120, logs=[first, second])
    took = time.monotonic() - started
    upload.refresh_from_db()
    print(f"finished {took:.1f} s after the second worker started; states seen: {states}")
    assert upload.attempts == 2  # the killed run, then the one the watchdog sent again
    assert upload.holder.endswith(f":{second.process.pid}")
    assert (upload.created_rows, upload.duplicate_rows) == (ROWS, 0)
    assert Payment.objects.filter(source=source).count() == ROWS  # nothing doubled
    # Meanwhile it said the truth: once the lease ran out, "stalled", then "queued".
    assert (ImportStatus.RUNNING, True) in states or (ImportStatus.QUEUED, False) in states


def test_two_imports_of_one_file_at_once_end_in_already_there_not_failed(
    start_default_worker: Callable[[str], WorkerProcess],  # noqa: F811
    sender: Celery,  # noqa: F811
) -> None:
    user, source = _owner_and_source()
    content = _statement(3000)
    uploads = [_queued(user, source, content) for _ in range(2)]
    workers = [start_default_worker("one"), start_default_worker("two")]
    for worker in workers:
        worker.wait_until_ready(timeout=180)
    for upload in uploads:
        sender.send_task("imports.tasks.payment_import_process", kwargs={"upload_id": upload.pk})
    _wait_for(
        lambda: (
            PaymentImport.objects.filter(
                pk__in=[u.pk for u in uploads], status__in=(ImportStatus.DONE, ImportStatus.FAILED)
            ).count()
            == 2
        ),
        timeout=120,
        logs=workers,
    )
    outcomes = sorted(
        PaymentImport.objects.filter(pk__in=[u.pk for u in uploads]).values_list(
            "status", "created_rows", "duplicate_rows"
        )
    )
    assert outcomes == [("done", 0, 3000), ("done", 3000, 0)], outcomes
    assert Payment.objects.filter(source=source).count() == 3000
