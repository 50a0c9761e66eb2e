"""The app served as production serves it, for tests that need real concurrency.

gunicorn (processes and threads of its own) on a database other processes can reach:
a SQLite file of the test's own (pytest's in-memory test database is out of their
reach) or, on PostgreSQL, pytest's test database. Shared by the concurrency tests
(``test_concurrent_writes.py``, ``test_api_races.py``).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

from tests.integration.workers import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
#: The migrated SQLite file of this test process that ``App.migrate`` copies.
_TEMPLATE: dict[str, Path] = {}


@dataclass
class App:
    url: str
    env: dict[str, str]
    users: list[dict[str, Any]] = field(default_factory=list)
    data_import: dict[str, Any] = field(default_factory=dict)

    def migrate(self) -> None:
        """The tables of the app's own SQLite file (``database_url``), as ``manage.py
        migrate`` makes them: migrated once per test process into a template, which each
        later call copies with SQLite's backup (a migrate is some 6 s of the suite's time
        per test that serves the app; the copy is the same file, shipped content and all)."""
        target = self.env["DATABASE_URL"].removeprefix("sqlite:///")
        if _TEMPLATE.get("path") is None:
            template = Path(tempfile.mkdtemp(prefix="ertrag-template-")) / "migrated.sqlite3"
            atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
            App(url="", env={**self.env, "DATABASE_URL": f"sqlite:///{template}"}).manage(
                "migrate", "--noinput", "--verbosity", "0"
            )
            _TEMPLATE["path"] = template
        with (
            closing(sqlite3.connect(_TEMPLATE["path"])) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(tmp_path: Path) -> tuple[str, bool]:
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


def app_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The served app's settings: its own database, broker queue and cache."""
    url, _needs_tables = database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": f"test-{uuid.uuid4().hex[:12]}",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "CACHE_DIR": str(tmp_path / "cache"),
        **extra,
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
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


@contextmanager
def gunicorn(
    app: App, *, log_path: Path, workers: int = 2, threads: int = 8
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn serving ``app.url`` for the ``with`` block; its log is printed after."""
    port = app.url.rsplit(":", 1)[1]
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=ROOT, env=app.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(log_path.read_text()[-5000:])


@contextmanager
def race_server(tmp_path: Path, *, setup: Callable[[App], None] | None = None) -> Iterator[App]:
    """gunicorn on the test's database, with every limit lifted: the race tests send
    many requests at once from one address, and are about races, not limits (the
    per-address limit of issue 19 counts in the shared Redis when there is one).
    ``setup`` runs after the tables exist and before the server starts."""
    _url, needs_tables = database_url(tmp_path)
    env = app_environment(
        tmp_path,
        THROTTLE_USER="100000/min",
        THROTTLE_AUTH="100000/min",
        THROTTLE_ANON="100000/min",
        ADDRESS_LIMIT_PER_MINUTE="100000",
        ACCOUNT_EMAIL_VERIFICATION="optional",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    app = App(url=f"http://127.0.0.1:{free_port()}", env=env)
    if needs_tables:
        app.migrate()
    if setup is not None:
        setup(app)
    with gunicorn(app, log_path=tmp_path / "gunicorn.log") as server:
        wait_until_serving(app.url, server, tmp_path / "gunicorn.log")
        yield app


def send(
    url: str,
    method: str,
    token: str | None = None,
    body: dict[str, Any] | None = None,
) -> tuple[int, str]:
    """The answer's status and body (a 5xx's first 300 characters)."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(  # noqa: S310 (a local server of the test's own)
        url,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300]
