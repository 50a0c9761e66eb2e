"""Redis goes away and comes back (PRODUCT.md §7).

"With Redis down the web app keeps answering and saving; the missed recomputes happen
when it is back (the nightly sweep catches every user whose data changed after their
last snapshot)."

Each test starts a ``redis-server`` of its own on a free port, so the shared Redis's
keys and queues are never touched, and points this process's cache and task sends at
it. Alice's reports are computed while it runs; then it is killed (SIGKILL, as when the
machine goes) and she logs in, reads her pages and records payments through the form
and the API. After a restart on the same port the sweep brings her reports up to date:
run in this process, and on PostgreSQL by a real ``celery worker`` as in production.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from config.cache import FailSoftRedisCacheClient
from income.dispatch import task_send
from income.models import IncomeSource, Payment
from reports.jobs import QUEUE_UNREACHABLE
from reports.models import JobReason, JobStatus, RecomputeJob
from reports.selectors import owners_changed_since_report, snapshot_latest
from reports.tasks import report_sweep
from tests.factories import PASSWORD, SourceFactory, UserFactory
from tests.integration.workers import WorkerProcess
from tests.services import celery_sends_to, free_port, missing

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

#: The longest one request may take while Redis is down (refused connections cost
#: milliseconds; this leaves room for a slow machine, not for Celery's retries).
REQUEST_BOUND = 3.0


class RedisServer:
    """One ``redis-server`` process without persistence: a kill loses what it held."""

    def __init__(self, *, binary: str, port: int, folder: Path) -> None:
        self.binary, self.port, self.folder = binary, port, folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[str] | None = None

    def start(self) -> None:
        self._log = (self.folder / "redis.log").open("a")
        command = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.folder),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start: {(self.folder / 'redis.log').read_text()}"
                    ) from None
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        missing("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary=binary, port=free_port(), folder=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@contextmanager
def app_on(server: RedisServer) -> Iterator[None]:
    """This process's cache and task sends use ``server``, as with ``REDIS_URL`` set."""
    fail_soft = {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": server.url,
        "KEY_PREFIX": "ertrag",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": fail_soft}), celery_sends_to(server.url):
        yield


@pytest.fixture
def quick_cache_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Redis is tried again a second after a failure (5 s in production)."""
    monkeypatch.setattr(FailSoftRedisCacheClient, "PAUSE", 1.0)


def timed(request: Callable[[], object]) -> float:
    started = time.monotonic()
    request()
    return time.monotonic() - started


def alice_with_reports() -> tuple[User, IncomeSource]:
    """Alice and her source, made while tasks run in this process: her reports are current."""
    alice = UserFactory.create(username="alice", email="alice@example.com")
    etf = SourceFactory.create(owner=alice, name="ETF")
    assert snapshot_latest(owner=alice) is not None
    assert RecomputeJob.objects.filter(owner=alice, status=JobStatus.QUEUED).count() == 0
    return alice, etf


def through_the_outage(server: RedisServer, alice: User, etf: IncomeSource, today: date) -> None:
    """Kill Redis, then use the app as Alice would; every answer comes, every write stays."""
    server.kill()
    browser, api = Client(), APIClient()
    durations: dict[str, float] = {}

    def page(name: str, path: str) -> None:
        def get() -> None:
            assert browser.get(path).status_code == 200, path

        durations[name] = timed(get)

    page("login page", "/accounts/login/")

    def log_in() -> None:
        response = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302

    durations["log in"] = timed(log_in)
    page("dashboard", "/dashboard/")
    page("sources", "/sources/")

    def form_payment() -> None:
        response = browser.post(
            "/payments/add/",
            {"source": str(etf.pk), "date": today.isoformat(), "gross": "100.00",
             "tax_withheld": "0", "fees": "0", "note": "form"},
        )  # fmt: skip
        assert response.status_code in (200, 302), response.content[:500]

    durations["payment by form"] = timed(form_payment)
    assert Payment.objects.filter(source=etf, note="form", gross=Decimal("100.00")).exists()

    def token_log_in() -> None:
        response = api.post(
            "/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.content
        api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    durations["token log in"] = timed(token_log_in)

    def api_payment() -> None:
        response = api.post(
            "/api/v1/payments/",
            {"source": etf.pk, "date": today.isoformat(), "gross": "50.00", "note": "api"},
            format="json",
        )
        assert response.status_code == 201, response.content

    durations["payment by API"] = timed(api_payment)
    assert Payment.objects.filter(source=etf, note="api", gross=Decimal("50.00")).exists()

    def api_list() -> None:
        assert api.get("/api/v1/sources/").status_code == 200

    durations["API list"] = timed(api_list)

    slow = {name: round(took, 2) for name, took in durations.items() if took > REQUEST_BOUND}
    assert not slow, f"answers slower than {REQUEST_BOUND} s with Redis down: {slow}"
    # Each change asked for a recompute the broker could not take; none is left waiting,
    # so none blocks the next change of hers (the debounce constraint).
    changes = RecomputeJob.objects.filter(owner=alice, reason=JobReason.CHANGE)
    failed = changes.filter(status=JobStatus.FAILED)
    assert failed.count() == 2
    assert set(failed.values_list("error", flat=True)) == {QUEUE_UNREACHABLE}
    assert not changes.filter(status=JobStatus.QUEUED).exists()
    assert list(owners_changed_since_report(today=today)) == [alice]


def wait_for(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def cache_answers() -> bool:
    cache.set("outage-probe", "back", timeout=60)
    return bool(cache.get("outage-probe") == "back")


@pytest.mark.usefixtures("quick_cache_retry")
def test_the_app_keeps_answering_and_saving_and_the_sweep_catches_up(
    own_redis: RedisServer,
) -> None:
    today = timezone.localdate()
    alice, etf = alice_with_reports()
    with app_on(own_redis):
        assert cache_answers()
        through_the_outage(own_redis, alice, etf, today)
        assert cache.get("outage-probe") is None  # a miss, not an error

        own_redis.start()  # the same port, empty: whatever it held is gone
        wait_for(cache_answers, timeout=10, what="the cache to use Redis again")

    report_sweep.apply()  # what beat sends at night; its fan-out runs in this process
    snapshot = snapshot_latest(owner=alice)
    assert snapshot is not None
    assert snapshot.passive_gross == Decimal("150.00")
    assert list(owners_changed_since_report(today=today)) == []


@pytest.mark.usefixtures("quick_cache_retry")
def test_a_real_worker_catches_up_once_redis_is_back(
    own_redis: RedisServer, postgres_url: str, tmp_path: Path
) -> None:
    today = timezone.localdate()
    alice, etf = alice_with_reports()
    worker: WorkerProcess | None = None
    try:
        with app_on(own_redis):
            through_the_outage(own_redis, alice, etf, today)
            own_redis.start()
            worker = WorkerProcess(
                env={
                    "DATABASE_URL": postgres_url,
                    "REDIS_URL": own_redis.url,
                    "REPORTS_RECOMPUTE_DELAY": "1",
                    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                    "EMAIL_FILE_PATH": str(tmp_path / "mail"),
                },
                log_path=tmp_path / "worker.log",
            )
            worker.wait_until_ready()
            # Beat's nightly message, sent the way the web process sends.
            assert task_send(report_sweep, kwargs={}, on_unreachable=lambda: None)

            def caught_up() -> bool:
                snapshot = snapshot_latest(owner=alice)
                return snapshot is not None and snapshot.passive_gross == Decimal("150.00")

            wait_for(caught_up, timeout=60, what="the sweep's recompute")
            assert RecomputeJob.objects.filter(
                owner=alice, reason=JobReason.SWEEP, status=JobStatus.DONE
            ).exists()

            # And changes are sent again: the next payment's recompute runs on the worker.
            api = APIClient()
            api.force_authenticate(alice)
            response = api.post(
                "/api/v1/payments/",
                {"source": etf.pk, "date": today.isoformat(), "gross": "25.00"},
                format="json",
            )
            assert response.status_code == 201
            job = RecomputeJob.objects.filter(owner=alice, reason=JobReason.CHANGE).latest("pk")
            assert job.status != JobStatus.FAILED, job.error
            wait_for(
                lambda: RecomputeJob.objects.get(pk=job.pk).status == JobStatus.DONE,
                timeout=60,
                what="the change's recompute",
            )
            snapshot = snapshot_latest(owner=alice)
            assert snapshot is not None
            assert snapshot.passive_gross == Decimal("175.00")
    finally:
        if worker is not None:
            worker.stop()
            print(worker.log())
