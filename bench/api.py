"""api: throughput of two API reads under gunicorn against a constant-JSON view, PostgreSQL.

gunicorn serves the app with 2 workers on 127.0.0.1 (production mode, settings
``bench._settings``: the app's URLs plus ``/bench/constant/``), against a database of
the bench's own. Its users (``USERS`` of them) each have the ten sources of
``bench._data``, 60 months of payments and a computed report (one user's computed by the
app, copied to the others), and an API token. ``wrk`` loads each URL with ``CONNECTIONS``
connections for ``SECONDS`` seconds, every request carrying ``Authorization: Token …`` of
the next user in turn: many users, as in production, so that the per-user throttle
(600/min) never answers 429. The runs of the three URLs alternate, ``REPEATS`` times
after a warm-up; each line gives the median throughput against the constant view's
(the goal of its line, ``GOALS``, PRODUCT.md §6: ≥ 0.8 for the latest report, ≥ 0.7 for
the sources), the median p50 and p99 latency, and the responses that were not 2xx (must
be 0).

``wrk`` is Debian's package: installed with apt-get when missing and run as root.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import urllib.error
import urllib.request
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

NAME = "api"
DATABASE = "ertrag_bench_api"
USERS = 300
MONTHS = 60
SEED = 2026
#: The least throughput of each line against the constant view's (PRODUCT.md §6).
GOALS = {"api_reports_latest": 0.8, "api_sources": 0.7}
CONNECTIONS = 16
THREADS = 2
SECONDS = 3
WARMUP_SECONDS = 2
CONSTANT = "/bench/constant/"
URLS = {"api_reports_latest": "/api/v1/reports/latest/", "api_sources": "/api/v1/sources/"}

# Each request takes the next token (the thread's offset keeps the threads apart); the
# end of the script, which counts what was not 2xx, is ``bench.common.WRK_SUMMARY_LUA``.
LUA = """
local tokens = {%s}
local counter = 0

function thread_setup(thread, index)
  thread:set("offset", (index - 1) * 7919)
end

function init(args)
  counter = offset
end

function request()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  return wrk.format("GET", wrk.path, {["Authorization"] = "Token " .. token})
end
"""


def load(url: str, lua: str, seconds: int) -> WrkRun:
    return wrk_load(url, seconds=seconds, connections=CONNECTIONS, threads=THREADS, lua=lua)


def answers(url: str, token: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"not our server: {url}")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> None:
    ensure_wrk(NAME)
    env, redis_url, scratch = postgres_and_redis(NAME, DATABASE)

    from django.contrib.auth.models import User
    from django.utils import timezone

    from bench._data import snapshots_copy, users_with_payments
    from income.services.users import api_token_create
    from reports.models import RecomputeJob
    from reports.services import report_recompute

    today = timezone.localdate()
    ids = users_with_payments(count=USERS, months=MONTHS, today=today, seed=SEED)
    report_recompute(owner=User.objects.get(pk=ids[0]), today=today, force=True)
    snapshots_copy(template=ids[0], user_ids=ids, fingerprint="copied")
    RecomputeJob.objects.all().delete()
    vacuum_analyze()
    tokens = [api_token_create(user=user)[0] for user in User.objects.filter(pk__in=ids)]
    lua = LUA % ", ".join(f'"{token}"' for token in tokens)
    redis_flush(redis_url)  # the throttle's history of the set-up, if any

    paths = {"constant": CONSTANT, **URLS}

    def ready(base: str) -> bool:
        return answers(base + CONSTANT, tokens[0])

    with gunicorn_serving(NAME, env=env, scratch=scratch, ready=ready) as (base, server):
        for path in paths.values():
            if not answers(base + path, tokens[0]):
                raise SystemExit(f"{NAME}: {path} does not answer 200:\n{server.log_tail()}")
        runs = alternating_loads(
            paths,
            load=lambda path, seconds: load(base + path, lua, seconds),
            warmup=WARMUP_SECONDS,
            seconds=SECONDS,
        )
    redis_flush(redis_url)
    shutil.rmtree(scratch, ignore_errors=True)

    def median(name: str, field: str) -> float:
        return float(statistics.median(getattr(run, field) for run in runs[name]))

    constant = median("constant", "per_second")
    constant_bad = sum(run.bad for run in runs["constant"])
    lines: list[Line] = []
    for name in URLS:
        ours = median(name, "per_second")
        bad = sum(run.bad for run in runs[name]) + constant_bad
        detail = (
            f"baseline {constant:.0f} req/s, ours {ours:.0f} req/s, "
            f"p50 {median(name, 'p50_ms'):.1f} ms, p99 {median(name, 'p99_ms'):.1f} ms, "
            f"non-2xx {bad}"
        )
        line = at_least_line(name, ratio=ours / constant, goal=GOALS[name], detail=detail)
        lines.append(print_line(Line(line.text, line.met and bad == 0)))
    finish(lines)


if __name__ == "__main__":
    main()
