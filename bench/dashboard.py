"""dashboard: throughput of the dashboard page under gunicorn against a constant page.

gunicorn serves the app with 2 workers on 127.0.0.1 (production mode, settings
``bench._settings``: the app's URLs plus the baselines of ``bench._urls``), against a
database of the bench's own. Its one user is the demo account of ``manage.py seed_demo``
(sources, three years of payments, efforts, periods and the two plans, as ``make run``
makes it), and its reports are computed as a worker would: the recompute jobs the demo's
changes queued are run by the worker's own function (``recompute_job_run``), so the page
reads a current snapshot and never computes one itself. The user logs in through the
log-in form (allauth, in this process), and every request carries that session's cookie.

The baseline, ``/bench/constant-page/``, is a page of the same kind rather than a
constant string: behind the same log-in and middleware, rendered with the request from a
template that extends ``base.html`` with a constant block. The layout (navigation, CSRF
tokens, the user's preferences) is part of every page the user sees, so it is the limit
the dashboard is measured against; what is left, the dashboard's own reads and
rendering, is what the ratio shows. A plain ``HttpResponse`` would measure the layout
against the dashboard too. Both pages open their database connections as the settings
say (``DATABASE_CONN_MAX_AGE``, by default 0: one per request), a cost they share.

``wrk`` loads each URL with ``CONNECTIONS`` connections for ``SECONDS`` seconds; the
runs of the two URLs alternate, ``REPEATS`` times after a warm-up. The line gives the
median throughput against the constant page's (the goal, PRODUCT.md §6: ≥ 0.5), the
median p50 and p99 latency, and the responses that were not 2xx (must be 0: a redirect
to the log-in page counts).
"""

from __future__ import annotations

import http.client
import io
import os
import secrets
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    Line,
    WrkRun,
    alternating_loads,
    at_least_line,
    ensure_wrk,
    finish,
    gunicorn_serving,
    postgres_and_redis,
    print_line,
    redis_flush,
    vacuum_analyze,
    wrk_load,
)

NAME = "dashboard"
DATABASE = "ertrag_bench_dashboard"
GOAL = 0.5
CONNECTIONS = 16
SECONDS = 3
WARMUP_SECONDS = 2
USERNAME = "demo"
CONSTANT = "/bench/constant-page/"
DASHBOARD = "/dashboard/"
#: What only the real page with the demo's data shows: a source's name and the KPIs.
DASHBOARD_MARKS = ("FTSE All-World ETF", "Flat in Leipzig", "dashboard-kpis")


def demo_with_reports(*, password: str) -> None:
    """The demo account as ``seed_demo`` makes it, with its reports computed by the jobs
    its changes queued, run as the worker runs them."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from reports.dashboard import dashboard_data, must_compute_now
    from reports.jobs import recompute_job_run
    from reports.models import RecomputeJob

    call_command("seed_demo", username=USERNAME, password=password, stdout=io.StringIO())
    user = User.objects.get(username=USERNAME)
    jobs = list(RecomputeJob.objects.filter(owner=user).values_list("pk", flat=True))
    if not jobs:
        raise SystemExit(f"{NAME}: seed_demo queued no recompute")
    for job_id in jobs:
        recompute_job_run(job_id=job_id)
    data = dashboard_data(owner=user)
    if data is None or data.stale or must_compute_now(data, today=timezone.localdate()):
        raise SystemExit(f"{NAME}: the demo's reports are not current after its jobs ran")


def session_cookie(*, password: str) -> str:
    """Log the demo user in through the app's log-in form (allauth, axes, the address
    limit); the ``Cookie`` header that carries the session it started."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client()
    response = client.post(reverse("login"), {"username": USERNAME, "password": password})
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if response.status_code != 302 or session is None or not session.value:
        raise SystemExit(f"{NAME}: the log-in failed (status {response.status_code})")
    return f"{settings.SESSION_COOKIE_NAME}={session.value}"


def status_of(base: str, path: str, cookie: str) -> tuple[int, bytes]:
    """The status and body of ``GET path`` with the session, redirects not followed."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


def main() -> None:
    ensure_wrk(NAME)
    # The production storage needs the manifest of collected files to render a page.
    static_root = Path(tempfile.mkdtemp(prefix=f"ertrag-bench-{NAME}-static-"))
    os.environ["BENCH_STATIC_ROOT"] = str(static_root)
    env, redis_url, scratch = postgres_and_redis(NAME, DATABASE)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    password = secrets.token_urlsafe(12)
    demo_with_reports(password=password)
    vacuum_analyze()
    cookie = session_cookie(password=password)
    redis_flush(redis_url)  # the demo's recompute messages and the log-in's address counter

    paths = {"constant": CONSTANT, NAME: DASHBOARD}
    headers = {"Cookie": cookie}

    def ready(base: str) -> bool:
        return status_of(base, CONSTANT, cookie)[0] == 200

    def load(url: str, seconds: int) -> WrkRun:
        return wrk_load(url, seconds=seconds, connections=CONNECTIONS, headers=headers)

    with gunicorn_serving(NAME, env=env, scratch=scratch, ready=ready) as (base, server):
        status, body = status_of(base, DASHBOARD, cookie)
        if status != 200 or not all(mark.encode() in body for mark in DASHBOARD_MARKS):
            raise SystemExit(
                f"{NAME}: {DASHBOARD} is not the demo's dashboard (status {status}):\n"
                f"{server.log_tail()}"
            )
        runs = alternating_loads(
            paths,
            load=lambda path, seconds: load(base + path, seconds),
            warmup=WARMUP_SECONDS,
            seconds=SECONDS,
        )
    redis_flush(redis_url)
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(static_root, ignore_errors=True)

    def median(name: str, field: str) -> float:
        return float(statistics.median(getattr(run, field) for run in runs[name]))

    constant = median("constant", "per_second")
    ours = median(NAME, "per_second")
    bad = sum(run.bad for name in paths for run in runs[name])
    detail = (
        f"baseline {constant:.0f} req/s, ours {ours:.0f} req/s, "
        f"p50 {median(NAME, 'p50_ms'):.1f} ms, p99 {median(NAME, 'p99_ms'):.1f} ms, "
        f"non-2xx {bad}"
    )
    line = at_least_line(NAME, ratio=ours / constant, goal=GOAL, detail=detail)
    lines: list[Line] = [print_line(Line(line.text, line.met and bad == 0))]
    finish(lines)


if __name__ == "__main__":
    main()
