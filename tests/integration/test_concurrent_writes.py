"""Many clients writing at once, while the worker writes: no answer is a 5xx.

Issue 19, findings 6 and 3 (and issue 20): on the embedded default, SQLite, four parallel
payment POSTs from two users gave 11 of 40 answers 500 "database is locked", and a
single client failed while the worker wrote. The fix is SQLite's immediate
transactions (``transaction_mode`` in ``config/settings.py``): a writer takes the lock
when its transaction begins and waits its turn, instead of failing when it cannot
upgrade a read lock. A lock only means anything between connections to one file, so
this test runs the app as production does: gunicorn (two processes, eight threads
each) and a Celery worker, in processes of their own, on a database file (or the test
database on PostgreSQL), with 200 API writes from 40 threads of several users while the
worker recomputes their reports and imports another user's export of 1,500 payments.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from tests.integration.workers import ROOT, WorkerProcess

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
USERS = 4
WRITES = 200
THREADS = 40
#: Payments of the export imported during the burst (finding 3: the import is a job
#: written in short transactions, so the writes around it still get their turn).
EXPORTED = 1500

#: Run in the app's own environment: users with a token, a source and ten payments each.
SETUP = """
import json
from datetime import date
from decimal import Decimal
from django.contrib.auth.models import User
from income import services
from income.models import IncomeCategory
category = IncomeCategory.objects.get(slug="etf-dividends")
users = []
for n in range(%(users)d):
    user = User.objects.create_user(f"writer{n}", f"writer{n}@example.com", "pw-writer-1234")
    token, _expiry = services.api_token_create(user=user)
    source = services.source_create(
        owner=user, name="ETF", category=category, currency="EUR", start_date=date(2020, 1, 1)
    )
    payments = [
        services.payment_create(
            owner=user, source=source, date=date(2021, 1, day), gross=Decimal(day)
        ).pk
        for day in range(1, 11)
    ]
    users.append({"token": token, "source": source.pk, "payments": payments})
# An export of %(exported)d payments, for an empty account to import during the burst.
exporter = User.objects.create_user("exporter", "exporter@example.com", "pw-writer-1234")
depot = services.source_create(
    owner=exporter, name="Depot", category=category, currency="EUR", start_date=date(2020, 1, 1)
)
for n in range(%(exported)d):
    services.payment_create(
        owner=exporter, source=depot, date=date(2020 + n // 336, 1 + n // 28 %% 12, 1 + n %% 28),
        gross=Decimal(n + 1),
    )
from portability.services import account_document
importer = User.objects.create_user("importer", "importer@example.com", "pw-writer-1234")
import_token, _expiry = services.api_token_create(user=importer)
print("SETUP " + json.dumps({
    "users": users,
    "import": {"token": import_token, "document": account_document(user=exporter)},
}))
"""

#: What the writers and the worker left behind.
OUTCOME = """
import json
from income.models import Payment
from reports.models import RecomputeJob
done = RecomputeJob.objects.filter(status="done").order_by("started_at")
first = done.first()
print("OUTCOME " + json.dumps({
    "payments": Payment.objects.filter(source__owner__username__startswith="writer").count(),
    "imported": Payment.objects.filter(source__owner__username="importer").count(),
    "jobs_done": done.count(),
    "first_job_started": first.started_at.timestamp() if first else None,
}))
"""


@dataclass
class App:
    url: str
    env: dict[str, str]
    users: list[dict[str, Any]]
    data_import: dict[str, Any]

    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code: str, marker: str) -> Any:
        output = self.manage("shell", "-c", code)
        line = next(line for line in output.splitlines() if line.startswith(marker + " "))
        return json.loads(line.removeprefix(marker + " "))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url(tmp_path: Path) -> tuple[str, bool]:
    """The database the processes share, and whether it still needs its tables.

    SQLite: a file of this test's own (pytest's own test database lives in memory, out
    of other processes' reach). PostgreSQL: pytest's test database, migrated already.
    """
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'ertrag.sqlite3'}", True
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}", False


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{url}/health/", timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()}")


@pytest.fixture
def app(tmp_path: Path, shipped_content: None) -> Iterator[App]:
    database_url, needs_tables = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url,
        "CELERY_TASK_DEFAULT_QUEUE": f"test-{uuid.uuid4().hex[:12]}",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "CACHE_DIR": str(tmp_path / "cache"),
        # Every change is recomputed at once: the worker writes all through the burst.
        "REPORTS_RECOMPUTE_DELAY": "0",
        "THROTTLE_USER": "100000/min",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    port = _free_port()
    handle = App(url=f"http://127.0.0.1:{port}", env=env, users=[], data_import={})
    if needs_tables:
        handle.manage("migrate", "--noinput", "--verbosity", "0")
    setup = handle.shell(SETUP % {"users": USERS, "exported": EXPORTED}, "SETUP")
    handle.users, handle.data_import = setup["users"], setup["import"]
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    server_log = tmp_path / "gunicorn.log"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--workers", "2", "--threads", "8",
             "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        worker.wait_until_ready()
        _wait_until_serving(handle.url, server, server_log)
        yield handle
    finally:
        server.terminate()
        server.wait(timeout=30)
        worker.stop()
        print(server_log.read_text()[-5000:])
        print(worker.log()[-5000:])


def _send(url: str, method: str, token: str, body: dict[str, Any] | None = None) -> tuple[int, str]:
    """The answer's status and body (a 5xx's first 300 characters)."""
    request = urllib.request.Request(  # noqa: S310 (a local server of the test's own)
        url,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300]


def _import_outcome(app: App, location: str) -> dict[str, Any]:
    """The import job once it has ended (the worker may still be on it after the burst)."""
    deadline = time.monotonic() + 300
    while True:
        status, text = _send(f"{app.url}{location}", "GET", app.data_import["token"])
        assert status == 200, text
        job: dict[str, Any] = json.loads(text)
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


def test_two_hundred_concurrent_api_writes_while_the_worker_writes_give_no_5xx(
    app: App,
) -> None:
    def write(number: int) -> tuple[int, str]:
        user = app.users[number % USERS]
        if number % 4 == 3:  # a quarter edit a payment, the rest record new ones
            payment = user["payments"][number % len(user["payments"])]
            body = {"gross": f"{100 + number}.00", "note": f"edit {number}"}
            return _send(f"{app.url}/api/v1/payments/{payment}/", "PATCH", user["token"], body)
        body = {
            "source": user["source"],
            "date": f"2022-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "gross": f"{number}.{number % 100:02d}",
            "note": f"write {number}",
        }
        return _send(f"{app.url}/api/v1/payments/", "POST", user["token"], body)

    # An empty account brings back an export: the worker writes it while the burst runs.
    started = urllib.request.Request(  # noqa: S310
        f"{app.url}/api/v1/me/import/",
        data=json.dumps(app.data_import["document"]).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {app.data_import['token']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(started, timeout=120) as response:  # noqa: S310
        assert response.status == 202
        location = response.headers["Location"]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(write, range(WRITES)))
    burst_end = datetime.now(UTC).timestamp()

    failures = [(status, text) for status, text in answers if status >= 500]
    assert not failures, f"{len(failures)} of {WRITES} answered 5xx, e.g. {failures[:3]}"
    statuses = sorted({status for status, _text in answers})
    assert statuses == [200, 201], [a for a in answers if a[0] not in (200, 201)][:5]

    created = sum(1 for status, _text in answers if status == 201)
    outcome = app.shell(OUTCOME, "OUTCOME")
    assert outcome["payments"] == USERS * 10 + created
    # The worker recomputed reports while the writes were still coming in.
    assert outcome["jobs_done"] >= 1
    assert outcome["first_job_started"] is not None
    assert outcome["first_job_started"] < burst_end
    job = _import_outcome(app, location)
    assert job["status"] == "done", job
    assert job["counts"]["payments"] == EXPORTED
    assert app.shell(OUTCOME, "OUTCOME")["imported"] == EXPORTED
