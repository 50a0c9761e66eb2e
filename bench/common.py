"""What every benchmark shares: timing, the printed line, the services, Django set-up.

A benchmark times our code against a baseline in the same process run (PRODUCT.md §6),
each as the median of ``REPEATS`` runs after a warm-up, and prints one line per goal:
``name: ratio X.XX (goal ≤ Y) baseline B s, ours O s``. It prints all its lines first and
exits non-zero afterwards when a line missed its goal (``finish``), or at once with a
message when a service it needs is missing (``give_up``).

Nothing here imports Django at module level: a script calls ``django_setup`` first.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
REPEATS = 5
#: The Redis database the benchmarks (their processes and workers) have to themselves.
BENCH_REDIS_DB = 11
#: Production mode, as gunicorn and the workers run it: no query log, no debug pages.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "bench-" + secrets.token_hex(32),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "ERROR",
}
SETTINGS_MODULE = "bench._settings"


# ----------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    median: float
    times: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.times)


def measure(
    work: Callable[[], object],
    *,
    before: Callable[[], object] | None = None,
    repeats: int = REPEATS,
    warmups: int = 1,
    warmup: Callable[[], object] | None = None,
    budget: float | None = None,
) -> Timing:
    """Median wall time of ``work`` over ``repeats`` runs after ``warmups`` untimed ones.

    ``before`` runs untimed ahead of every run (warm-ups included), to put the state
    back where the run expects it (e.g. delete what the previous run wrote). With a
    ``budget`` (seconds), no further run starts once the timed runs have used it up, so
    a far too slow ``work`` is timed fewer times (at least once) instead of stalling
    ``make bench``; ``runs`` says how many there were. A ``warmup`` (a smaller piece of
    the same work) replaces ``work`` in the warm-ups when a full run is long.
    """
    for _ in range(warmups):
        if before is not None:
            before()
        (warmup or work)()
    times: list[float] = []
    for _ in range(repeats):
        if budget is not None and times and sum(times) + times[-1] > budget:
            break
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), tuple(times))


def median_seconds(
    work: Callable[[], object],
    *,
    before: Callable[[], object] | None = None,
    repeats: int = REPEATS,
    warmups: int = 1,
) -> float:
    """``measure`` without a budget: always ``repeats`` runs."""
    return measure(work, before=before, repeats=repeats, warmups=warmups).median


# ----------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class Line:
    text: str
    met: bool


def ratio_line(name: str, *, baseline: float, ours: float, goal: float, note: str = "") -> Line:
    """Our time over the baseline's; the goal is an upper bound (``ours ≤ goal × baseline``)."""
    ratio = ours / baseline
    text = (
        f"{name}: ratio {ratio:.2f} (goal ≤ {goal:g}) baseline {baseline:.3f} s, ours {ours:.3f} s"
    )
    return Line(text + (f" ({note})" if note else ""), ratio <= goal)


def at_least_line(name: str, *, ratio: float, goal: float, detail: str) -> Line:
    """A ratio whose goal is a lower bound (throughput, scale-out)."""
    return Line(f"{name}: ratio {ratio:.2f} (goal ≥ {goal:g}) {detail}", ratio >= goal)


def print_line(line: Line) -> Line:
    print(line.text, flush=True)
    return line


def finish(lines: Sequence[Line]) -> NoReturn:
    """Exit 0 when every (already printed) line met its goal, else 1."""
    sys.exit(0 if all(line.met for line in lines) else 1)


def give_up(name: str, message: str) -> NoReturn:
    print(f"{name}: not run: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


# ----------------------------------------------------------------------------- services


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_postgres(name: str) -> str:
    """``DATABASE_URL`` if it names a PostgreSQL server that answers; else give up."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        give_up(
            name,
            "needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/any "
            "(the bench makes databases of its own on that server)",
        )
    parts = urlsplit(url)
    if not _reachable(parts.hostname or "127.0.0.1", parts.port or 5432):
        give_up(name, f"PostgreSQL at {parts.hostname}:{parts.port or 5432} does not answer")
    return url


def require_redis(name: str) -> str:
    """The benchmarks' own database (``BENCH_REDIS_DB``) on the ``REDIS_URL`` server."""
    url = os.environ.get("REDIS_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"}:
        give_up(name, "needs Redis: set REDIS_URL=redis://host:6379/11")
    if not _reachable(parts.hostname or "127.0.0.1", parts.port or 6379):
        give_up(name, f"Redis at {parts.hostname}:{parts.port or 6379} does not answer")
    if _bench_suffix() and parts.path.strip("/"):
        return url  # a checkout with databases of its own names its Redis database too
    return urlunsplit(parts._replace(path=f"/{BENCH_REDIS_DB}"))


def _bench_suffix() -> str:
    """What follows ``ertrag_bench`` in ``DATABASE_URL``'s name: ``_wt`` for ``ertrag_bench_wt``.

    A second checkout on the same server (a git worktree) sets such a name so that its
    benches drop and create databases of their own (``ertrag_bench_wt``, ``ertrag_bench_api_wt``)
    and use the Redis database of its ``REDIS_URL``, never those of the main checkout.
    """
    name = urlsplit(os.environ.get("DATABASE_URL", "")).path.strip("/")
    return name.removeprefix("ertrag_bench") if name.startswith("ertrag_bench") else ""


def redis_flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def postgres_database(server_url: str, database: str) -> str:
    """Drop and create ``database`` on the server of ``server_url``; return its URL.

    The name is the bench's own, never the one in ``DATABASE_URL``, so a bench cannot
    drop the database the app works on.
    """
    import psycopg
    from psycopg import sql

    database += _bench_suffix()
    parts = urlsplit(server_url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        name = sql.Identifier(database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return urlunsplit(parts._replace(path=f"/{database}"))


def vacuum_analyze() -> None:
    """Statistics as a database in use has them (autovacuum), before anything is timed.

    Without them PostgreSQL guesses row counts for freshly loaded tables, and a wrong
    guess picks another plan (or JIT-compiles a small query) than production would.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def bench_env(*, database_url: str, redis_url: str | None, scratch: Path) -> dict[str, str]:
    """The environment of the bench process and of every server it starts."""
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": database_url,
        # Without Redis: the file cache and the filesystem broker in a folder of ours,
        # so no message reaches a worker of `make run`.
        "CACHE_DIR": str(scratch / "cache"),
        "CELERY_BROKER_DIR": str(scratch / "broker"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    return env


def django_setup(env: dict[str, str]) -> None:
    """Set up Django in this process with ``env`` and migrate its (new) database."""
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def postgres_and_redis(name: str, database: str) -> tuple[dict[str, str], str, Path]:
    """What a bench on PostgreSQL and Redis starts with: its own database and Redis
    database, both empty, a scratch folder, and Django set up and migrated on them.

    Returns the environment (for the servers it starts), the Redis URL and the folder.
    """
    server = require_postgres(name)
    redis_url = require_redis(name)
    redis_flush(redis_url)
    scratch = Path(tempfile.mkdtemp(prefix=f"ertrag-bench-{name}-"))
    env = bench_env(
        database_url=postgres_database(server, database), redis_url=redis_url, scratch=scratch
    )
    django_setup(env)
    return env, redis_url, scratch


# ----------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """A process of ours (gunicorn, a Celery worker) with its output in a log file."""

    def __init__(self, command: Sequence[str], *, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[str] = log_path.open("a")
        self.process = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        self._log.flush()
        return self.log_path.read_text()[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if not self._log.closed:
            self._log.close()


@contextmanager
def running(processes: list[ServerProcess]) -> Iterator[list[ServerProcess]]:
    """Stop every process of ``processes`` (also those added inside) on the way out."""
    try:
        yield processes
    finally:
        for process in processes:
            process.stop()


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


# ----------------------------------------------------------------------------- wrk

WRK = "/usr/bin/wrk"

#: The end of every wrk script: it counts the responses that are not 2xx and prints the
#: totals as one JSON line, which ``wrk_load`` reads. A script may put its own ``request``
#: before it (then the ``-H`` headers are its to send) and a ``thread_setup(thread, n)``.
WRK_SUMMARY_LUA = """
local threads = {}
non2xx = 0

function setup(thread)
  table.insert(threads, thread)
  if thread_setup then thread_setup(thread, #threads) end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "non2xx": %d, ' ..
    '"socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, bad,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass(frozen=True)
class WrkRun:
    per_second: float
    p50_ms: float
    p99_ms: float
    bad: int  # responses that were not 2xx, and socket errors


def ensure_wrk(name: str) -> str:
    """``wrk`` (Debian's package), installed with apt-get when missing and run as root."""
    if Path(WRK).exists():
        return WRK
    if os.geteuid() != 0:
        give_up(name, "wrk is missing; install it with `sudo apt-get install -y wrk`")
    print(f"({name}: installing wrk with apt-get)", file=sys.stderr, flush=True)

    def apt_get(*arguments: str) -> int:
        command = ["apt-get", "-q", *arguments]
        return subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode

    if apt_get("install", "-y", "wrk") != 0:
        apt_get("update")  # a machine that never fetched the package lists
        apt_get("install", "-y", "wrk")
    if not Path(WRK).exists():
        give_up(name, "could not install wrk with apt-get")
    return WRK


def wrk_load(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
    lua: str = "",
) -> WrkRun:
    """Load ``url`` with ``wrk`` for ``seconds``: every request sends ``headers``, unless
    ``lua`` (put before ``WRK_SUMMARY_LUA``) writes its own ``request``."""
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header, value in (headers or {}).items():
        command += ["-H", f"{header}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua + WRK_SUMMARY_LUA)
        script.flush()
        result = subprocess.run(
            [*command, "-s", script.name, url], capture_output=True, text=True, check=True
        )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return WrkRun(
        per_second=summary["requests"] / summary["seconds"],
        p50_ms=summary["p50_ms"],
        p99_ms=summary["p99_ms"],
        bad=summary["non2xx"] + summary["socket_errors"],
    )


@contextmanager
def gunicorn_serving(
    name: str, *, env: dict[str, str], scratch: Path, ready: Callable[[str], bool]
) -> Iterator[tuple[str, ServerProcess]]:
    """gunicorn serving the app with 2 workers on a free local port, as the throughput
    benches run it; yields its base URL and process once ``ready(base)`` holds, and stops
    it on the way out. Gives up with gunicorn's log when it does not get ready in 60 s."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV_BIN / "gunicorn"), "config.wsgi", "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    with running([ServerProcess(command, env=env, log_path=scratch / "gunicorn.log")]) as procs:
        try:
            wait_until(lambda: ready(base), timeout=60, what="gunicorn to answer")
        except TimeoutError:
            raise SystemExit(f"{name}: gunicorn did not start:\n{procs[0].log_tail()}") from None
        yield base, procs[0]


def alternating_loads(
    paths: Mapping[str, str], *, load: Callable[[str, int], WrkRun], warmup: int, seconds: int
) -> dict[str, list[WrkRun]]:
    """``load(path, seconds)`` of each path once for ``warmup`` seconds, then ``REPEATS``
    rounds in which the paths take turns, so a drift of the machine hits them alike."""
    for path in paths.values():
        load(path, warmup)
    runs: dict[str, list[WrkRun]] = {name: [] for name in paths}
    for _ in range(REPEATS):
        for name, path in paths.items():
            runs[name].append(load(path, seconds))
            time.sleep(0.2)
    return runs


# ----------------------------------------------------------------------------- machine


def _cpu_model() -> str:
    """The CPU's model name (Linux ``/proc/cpuinfo``), else what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine() or "unknown"


def machine_lines() -> list[str]:
    """What a ratio depends on besides our code: CPU, cores, load, NumPy and its BLAS.

    A ratio is only comparable next to the machine it came from: NumPy picks its SIMD
    kernels at run time (the Monte Carlo bench's selection once ran four times slower
    on a CPU whose AVX-512 partition is slow), and other work on the machine slows both
    sides of a ratio unevenly.
    """
    import numpy as np

    config = np.show_config(mode="dicts")
    simd = config.get("SIMD Extensions", {})
    blas = config.get("Build Dependencies", {}).get("blas", {})
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    blas_config = " ".join(str(blas.get("openblas configuration", "")).split())
    return [
        f"machine: {_cpu_model()}, {os.cpu_count()} logical CPUs ({usable} usable), "
        f"load average {load}",
        f"python {sys.version.split()[0]}, numpy {np.__version__}, SIMD baseline "
        f"{' '.join(simd.get('baseline', [])) or '-'}, dispatched "
        f"{' '.join(simd.get('found', [])) or '-'}",
        f"blas: {blas.get('name', 'unknown')} {blas.get('version', '')}"
        + (f" ({blas_config})" if blas_config else ""),
    ]


def print_machine() -> None:
    """Print ``machine_lines`` (``make bench`` does, before the benches)."""
    for line in machine_lines():
        print(line, flush=True)


if __name__ == "__main__":
    print_machine()
