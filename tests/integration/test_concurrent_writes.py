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
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.integration.served import GUNICORN, App
from tests.integration.served import database_url as _database_url
from tests.integration.served import free_port as _free_port
from tests.integration.served import send as _send
from tests.integration.served import wait_until_serving as _wait_until_serving
from tests.integration.workers import ROOT, WorkerProcess

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
from portability.services.export import account_document
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
        handle.migrate()
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
