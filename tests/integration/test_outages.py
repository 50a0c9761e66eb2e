"""Faults of the broker and the database, and what a user meets afterwards (issue 25).

Every fault is made on a private server the test starts (a ``redis-server`` on a free
port, a PostgreSQL cluster in a temporary folder); the shared PostgreSQL and Redis are
never stopped. The times printed here are the README's "Reliability" figures.

- a hung Redis (SIGSTOP) costs the first write one short wait, then no send is tried
  while the circuit is open (``config.broker_circuit``); the changes are recorded and
  the watchdog gives the user a recompute once Redis answers;
- Redis killed and started again (empty): the recompute missed meanwhile is done by
  the real worker, sent by the real beat's minutely watchdog, within two minutes;
- the database stopped for 100 s: afterwards no job of the user is left queued or
  running, the change made just before is in the figures, and the next change is
  recomputed as usual.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app as celery_app
from income.models import Payment
from jobs.leases import jobs_lease
from reports.jobs import QUEUE_UNREACHABLE, jobs_watchdog
from reports.models import JobReason, JobStatus, RecomputeJob
from reports.selectors import snapshot_latest
from tests.integration.beats import BeatProcess
from tests.integration.test_report_worker import redis_url  # noqa: F401  (fixture)
from tests.integration.workers import ROOT, WorkerProcess
from tests.platform.test_redis_outage import (  # noqa: F401  (fixtures)
    RedisServer,
    alice_with_reports,
    app_on,
    own_redis,
)
from tests.services import free_port, missing

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

#: The circuit's pause in the hung-broker test: long enough for its writes, short
#: enough to wait out (30 s in production).
CIRCUIT = 5


def timed(call: Callable[[], object]) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def wait_for(
    check: Callable[[], bool], *, timeout: float, what: str, logs: Callable[[], str] = str
) -> float:
    """Seconds until ``check`` held; fails the test after ``timeout``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"timed out after {timeout} s waiting for {what}\n{logs()[-6000:]}")
        time.sleep(0.5)
    return time.monotonic() - started


# ----------------------------------------------------------------------------- hung Redis


def test_a_hung_broker_costs_the_first_write_one_short_wait_and_no_send_after_it(
    own_redis: RedisServer,  # noqa: F811  (the fixture imported above)
) -> None:
    today = timezone.localdate()
    alice, etf = alice_with_reports()
    before = RecomputeJob.objects.filter(owner=alice).count()
    api = APIClient()
    api.force_authenticate(alice)

    def payment(gross: str) -> None:
        response = api.post(
            "/api/v1/payments/",
            {"source": etf.pk, "date": today.isoformat(), "gross": gross},
            format="json",
        )
        assert response.status_code == 201, response.content

    with override_settings(BROKER_CIRCUIT_SECONDS=CIRCUIT), app_on(own_redis):
        circuit = celery_app.send_circuit()
        assert own_redis.process is not None
        own_redis.process.send_signal(signal.SIGSTOP)
        try:
            took = [timed(partial(payment, gross)) for gross in ("10.00", "20.00", "30.00")]
            tried, skipped = circuit.attempts, circuit.skipped
        finally:
            own_redis.process.send_signal(signal.SIGCONT)
        print(f"writes with Redis stopped (SIGSTOP): {[round(t, 2) for t in took]} s")
        # The first write waited for the broker once; the two after it did not try.
        assert (tried, skipped) == (1, 2)
        assert Payment.objects.filter(source=etf).count() == 3
        # Each change asked for a recompute and was told at once that none was queued.
        changes = RecomputeJob.objects.filter(owner=alice).order_by("pk")[before:]
        assert [(job.status, job.error) for job in changes] == [
            (JobStatus.FAILED, QUEUE_UNREACHABLE)
        ] * 3

        # Once Redis answers and the pause is over, the watchdog gives her a recompute.
        time.sleep(CIRCUIT)
        outcome = jobs_watchdog(now=timezone.now() + jobs_lease() + timedelta(seconds=1))
        created = RecomputeJob.objects.get(pk__in=outcome.created, owner=alice)
        assert created.status == JobStatus.QUEUED  # its message was sent
        assert circuit.attempts == tried + 1
        assert not circuit.is_open()


# ----------------------------------------------------------------------------- Redis restart


def _watchdog_schedule() -> None:
    """The minutely watchdog entry, as the migration makes it (the test's flush took it)."""
    import importlib

    importlib.import_module("reports.migrations.0008_watchdog_schedule").create(apps, None)


def test_redis_killed_and_started_again_the_missed_recompute_is_done_within_two_minutes(
    own_redis: RedisServer,  # noqa: F811
    postgres_url: str,
    tmp_path: Path,
) -> None:
    today = timezone.localdate()
    alice, etf = alice_with_reports()
    _watchdog_schedule()
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": own_redis.url}
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    beat = BeatProcess(env=env, log_path=tmp_path / "beat.log")
    try:
        worker.wait_until_ready()
        beat.wait_for_log("holds the lease")
        with app_on(own_redis):
            own_redis.kill()
            api = APIClient()
            api.force_authenticate(alice)
            response = api.post(
                "/api/v1/payments/",
                {"source": etf.pk, "date": today.isoformat(), "gross": "70.00"},
                format="json",
            )
            assert response.status_code == 201
            change = RecomputeJob.objects.filter(owner=alice, reason=JobReason.CHANGE).latest("pk")
            assert change.error == QUEUE_UNREACHABLE
            time.sleep(10)  # an outage beat and the worker notice
            own_redis.start()  # the same port, empty

        def caught_up() -> bool:
            snapshot = snapshot_latest(owner=alice)
            return snapshot is not None and snapshot.passive_gross == Decimal("70.00")

        took = wait_for(
            caught_up,
            timeout=150,
            what="the missed recompute",
            logs=lambda: worker.log() + beat.log(),
        )
        print(f"Redis back: the missed recompute done {took:.0f} s later")
        assert took <= 130  # two minutes, and the change-job's debounce (10 s)
        assert not RecomputeJob.objects.filter(
            owner=alice, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).exists()
    finally:
        beat.stop()
        worker.stop()


# ----------------------------------------------------------------------------- database stop


#: How long the database is away: longer than a task's retries (about 62 s).
DATABASE_STOP = 100


class PostgresServer:
    """A PostgreSQL cluster of the test's own in a temporary folder (run as ``postgres``
    when the tests run as root, since PostgreSQL refuses to)."""

    def __init__(self) -> None:
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
        if not binaries:
            missing("PostgreSQL's server binaries are not installed (/usr/lib/postgresql)")
        self.bin = binaries[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="ertrag-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/ertrag"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, self.user)
        self.process: subprocess.Popen[bytes] | None = None

    def run(self, *command: str) -> None:
        subprocess.run(command, check=True, capture_output=True, timeout=120, user=self.user)

    def create(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-sync")  # fmt: skip
        self.start()
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "ertrag")  # fmt: skip

    def start(self) -> None:
        log = (self.folder / "postgres.log").open("a")
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-k", str(self.folder), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
            stdout=log, stderr=subprocess.STDOUT, user=self.user,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True, check=False,
        ).returncode:  # fmt: skip
            if time.monotonic() > deadline:
                raise RuntimeError((self.folder / "postgres.log").read_text())
            time.sleep(0.2)

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: every connection is cut, as in a restart."""
        if self.process is not None and self.process.poll() is None:
            self.run(str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w")
            self.process.wait(timeout=30)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def own_postgres(postgres_url: str) -> Iterator[PostgresServer]:
    """Needs PostgreSQL for the test run too (``postgres_url``): the processes here use
    the private cluster, the test only reads it."""
    server = PostgresServer()
    try:
        server.create()
        yield server
    finally:
        server.remove()


def _api(url: str, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310 (a local server of the test's own)
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0  # no answer at all


def test_a_database_stopped_for_100_s_leaves_no_user_blocked(
    own_postgres: PostgresServer,
    redis_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": own_postgres.url,
        "REDIS_URL": redis_url,
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)

    def manage(*arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput", "--verbosity", "0")
    made = manage("shell", "-c", (
        "import json\n"
        "from income.services.users import api_token_create\n"
        "from tests.factories import SourceFactory, UserFactory\n"
        "user = UserFactory.create(username='alice', email='alice@example.com')\n"
        "source = SourceFactory.create(owner=user, name='ETF')\n"
        "token, _ = api_token_create(user=user)\n"
        "print('MADE', json.dumps({'user': user.pk, 'source': source.pk, 'token': token}))\n"
    ))  # fmt: skip
    alice = json.loads(next(line for line in made.splitlines() if line.startswith("MADE "))[5:])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web_log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--workers", "1",
         "--threads", "4", "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    beat = BeatProcess(env=env, log_path=tmp_path / "beat.log")

    def logs() -> str:
        return "\n".join(
            [worker.log()[-3000:], beat.log()[-3000:], (tmp_path / "web.log").read_text()[-3000:]]
        )

    def pending() -> list[tuple[Any, ...]]:
        return own_postgres.rows(
            "SELECT id, status, attempts FROM reports_recomputejob "
            "WHERE owner_id = %s AND status IN ('queued', 'running')",
            alice["user"],
        )

    def current_gross() -> Decimal | None:
        found = own_postgres.rows(
            "SELECT passive_gross FROM reports_reportsnapshot WHERE owner_id = %s "
            "ORDER BY month DESC LIMIT 1",
            alice["user"],
        )
        return found[0][0] if found else None

    def pay(gross: str) -> int:
        return _api(url, alice["token"], "POST", "/api/v1/payments/", {
            "source": alice["source"], "date": timezone.localdate().isoformat(), "gross": gross,
        })  # fmt: skip

    try:
        worker.wait_until_ready()
        beat.wait_for_log("holds the lease")
        wait_for(lambda: _api(url, alice["token"], "GET", "/api/v1/sources/") == 200,
                 timeout=60, what="the web process", logs=logs)  # fmt: skip
        assert pay("100.00") == 201
        wait_for(lambda: current_gross() == Decimal("100.00") and not pending(),
                 timeout=90, what="the first recompute", logs=logs)  # fmt: skip

        # A change, and the database goes before its recompute (10 s later) can run.
        assert pay("40.00") == 201
        own_postgres.stop()
        stopped = time.monotonic()
        during = pay("1.00")  # what a user meets meanwhile: an error, not a hang
        time.sleep(max(0.0, DATABASE_STOP - (time.monotonic() - stopped)))
        own_postgres.start()
        back = time.monotonic()

        # Every job of hers ends (done, or failed with its reason written), none waits
        # forever, and her figures include the change made just before the stop.
        took = wait_for(
            lambda: current_gross() == Decimal("140.00") and not pending(),
            timeout=180, what="the catch-up after the database came back", logs=logs,
        )  # fmt: skip
        unfinished = own_postgres.rows(
            "SELECT count(*) FROM reports_recomputejob WHERE status IN ('queued', 'running')"
        )[0][0]
        failed = own_postgres.rows(
            "SELECT count(*) FROM reports_recomputejob WHERE status = 'failed' AND error = ''"
        )[0][0]
        assert (unfinished, failed) == (0, 0)

        # And her next change is recomputed as any other.
        assert pay("5.00") == 201
        next_took = wait_for(
            lambda: current_gross() == Decimal("145.00") and not pending(),
            timeout=60, what="the next change's recompute", logs=logs,
        )  # fmt: skip
        print(
            f"database stopped {DATABASE_STOP} s: a write meanwhile answered {during}; "
            f"caught up {took:.0f} s after it was back; the next change recomputed in "
            f"{next_took:.0f} s (in all {time.monotonic() - back:.0f} s)"
        )
    finally:
        beat.stop()
        worker.stop()
        web.terminate()
        web.wait(timeout=30)
        web_log.close()
