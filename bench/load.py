"""load: 50 clients for 60 s against gunicorn, PostgreSQL, Redis and a Celery worker.

Each client is a user of its own with a token, and loops as a mobile app would: list its
sources, read its latest report, record a payment, read its payments. Afterwards, once
the worker has caught up, every user's stored report must equal a recompute from
scratch of the rows the load wrote. Goal (PRODUCT.md §7, issue 8): no error at all.

Run with ``make load`` (PostgreSQL and Redis of this machine unless DATABASE_URL and
REDIS_URL say otherwise); it prints one line and exits non-zero on any error.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    VENV_BIN,
    ServerProcess,
    free_port,
    postgres_and_redis,
    redis_flush,
    running,
)

NAME = "load"
DATABASE = "ertrag_load"
CLIENTS = 50
SECONDS = 60
CATCH_UP_SECONDS = 300


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.statuses[f"{what} {status}"] += 1
            self.latencies.append(seconds)
            if not 200 <= status < 300 and len(self.failures) < 10:
                self.failures.append(f"{what} {status} {detail[:200]}")


def call(base: str, token: str, method: str, path: str, body: object = None) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:  # refused, reset, timed out: an error like any other
        return 599, str(error)


def client(base: str, token: str, source: int, until: float, tally: Tally, number: int) -> None:
    day = 1
    while time.monotonic() < until:
        for what, method, path, body in (
            ("sources", "GET", "/api/v1/sources/", None),
            ("latest", "GET", "/api/v1/reports/latest/", None),
            (
                "pay",
                "POST",
                "/api/v1/payments/",
                {
                    "source": source,
                    "date": f"2026-{1 + day % 10:02d}-{1 + day % 28:02d}",
                    "gross": f"{10 + number}.{day % 100:02d}",
                    "note": f"load {number}/{day}",
                },
            ),
            ("payments", "GET", "/api/v1/payments/?limit=20", None),
        ):
            started = time.monotonic()
            status, text = call(base, token, method, path, body)
            tally.add(what, status, time.monotonic() - started, text)
        day += 1


def main() -> None:
    env, redis_url, scratch = postgres_and_redis(NAME, DATABASE)
    env["REPORTS_RECOMPUTE_DELAY"] = "2"

    from datetime import date
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.utils import timezone

    from income import reporting, services
    from income.models import IncomeCategory
    from reports.models import JobStatus, RecomputeJob, ReportSnapshot
    from reports.services import report_recompute

    today = timezone.localdate()
    etf = IncomeCategory.objects.get(slug="etf-dividends")
    users: list[tuple[User, str, int]] = []
    for number in range(CLIENTS):
        user = services.user_register(
            username=f"load{number}", email=f"load{number}@example.com", password="x" * 20 + "1A"
        )
        source = services.source_create(
            owner=user, name=f"Depot {number}", category=etf, currency="EUR",
            start_date=date(2024, 1, 1),
        )  # fmt: skip
        services.payment_create(
            owner=user, source=source, date=date(2025, 6, 1), gross=Decimal("100.00")
        )
        report_recompute(owner=user, today=today, force=True)
        users.append((user, services.api_token_create(user=user)[0], source.pk))
    RecomputeJob.objects.all().delete()
    redis_flush(redis_url)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        str(VENV_BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--threads", "8",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    worker = [
        str(VENV_BIN / "celery"),
        "-A",
        "config",
        "worker",
        "-P",
        "solo",
        "-Q",
        "ertrag-bench",
    ]
    tally = Tally()
    with running(
        [
            ServerProcess(gunicorn, env=env, log_path=scratch / "gunicorn.log"),
            ServerProcess(worker, env=env, log_path=scratch / "worker.log"),
        ]
    ) as processes:
        deadline = time.monotonic() + 60
        while call(base, users[0][1], "GET", "/api/v1/sources/")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit(f"{NAME}: gunicorn did not start:\n{processes[0].log_tail()}")
            time.sleep(0.5)
        until = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=client, args=(base, token, source, until, tally, n))
            for n, (_user, token, source) in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # The worker catches up with the last changes (debounced recomputes).
        deadline = time.monotonic() + CATCH_UP_SECONDS
        open_jobs = RecomputeJob.objects.exclude(status__in=[JobStatus.DONE, JobStatus.FAILED])
        while open_jobs.exists() and time.monotonic() < deadline:
            time.sleep(1)
        worker_log = processes[1].log_tail()

    total = sum(tally.statuses.values())
    errors = sum(n for key, n in tally.statuses.items() if not key.split()[-1].startswith("2"))
    stale = []
    for user, _token, _source in users:
        live = reporting.overview(owner=user, as_of=today)
        stored = ReportSnapshot.objects.get(owner=user, month=today.replace(day=1))
        if (
            stored.passive_net_ttm != live.passive_net_ttm
            or stored.total_net_ttm != live.total_net_ttm
        ):
            stale.append(user.username)
    shutil.rmtree(scratch, ignore_errors=True)
    redis_flush(redis_url)

    latencies = sorted(tally.latencies)
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0.0
    writes = sum(n for key, n in tally.statuses.items() if key.startswith("pay "))
    print(
        f"{NAME}: {total} requests from {CLIENTS} clients in {SECONDS} s "
        f"({total / SECONDS:.0f} req/s, {writes} payments written), errors {errors} (goal 0), "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; "
        f"reports equal to a recompute from scratch for {CLIENTS - len(stale)} of {CLIENTS} users",
        flush=True,
    )
    if errors or stale or not total:
        for failure in tally.failures:
            print(f"  {failure}")
        if stale:
            print(f"  stale reports: {stale[:10]}\n  worker log:\n{worker_log[-2000:]}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
