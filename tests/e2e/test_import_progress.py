"""A user imports a large CSV file in a real browser and watches its progress.

The import runs on a real Celery worker process (``celery -A config worker``, as
``make run`` starts it), so the page shows what a user sees: first "Waiting for a
worker…", then the worker's own progress, then the result once htmx is told to
reload. The worker must reach the live server's database, so this needs PostgreSQL:
pytest's SQLite test database lives in the test process's memory.

To photograph each state without a race, the test does not fake any of them: the
worker is started only after the queued page has been photographed, and the test holds
a SHARE lock on the payments table (as a slow or busy database would), which lets the
worker check every row and report the write phase but stops its first INSERT until the
photograph is taken.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import override_settings

from config.celery import app as celery_app
from income import services
from income.models import ImportStatus, Payment, PaymentImport
from income.progress import progress_report
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
ROWS = 20_000
RESULT = {"en": "20,000 payments imported.", "de": "20.000 Zahlungen importiert."}


@pytest.fixture(autouse=True)
def _content(shipped_content: None) -> None:
    """Every test here needs the shipped categories."""


def german_csv(rows: int = ROWS) -> bytes:
    """A German bank export: ``;``, ``31.12.2025``, ``1.234,56``, Windows-1252; no row twice."""
    first = date(2015, 1, 1)
    lines = ["Datum;Betrag;Steuer;Notiz"]
    for i in range(rows):
        day = first + timedelta(days=i % 3650)
        euros = f"{1000 + i % 9000:,}".replace(",", ".")
        lines.append(f"{day:%d.%m.%Y};{euros},{i % 100:02d};{i % 90},50;Zahlung {i + 1}")
    return ("\n".join(lines) + "\n").encode("cp1252")


def database_url() -> str:
    """The live server's (test) database, for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def route_imports_to(queue: str | None) -> None:
    """Send import tasks to ``queue`` (None: the default queue again)."""
    celery_app.conf.task_routes = (
        {"income.tasks.payment_import_process": {"queue": queue}} if queue else None
    )
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)  # a cached property: built anew on next use


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Send import tasks to a queue of their own, and start a worker on it when asked.

    The worker and the live server must share the database (PostgreSQL), the broker
    (the settings' own: Redis, or the filesystem transport under ``var/``) and the
    cache the progress is written to (Redis, or a file cache in ``tmp_path``).
    """
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL): a Celery worker process cannot reach pytest's "
            "in-memory SQLite test database"
        )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["DATABASE_URL"] = database_url()
    if settings.REDIS_URL:
        shared_cache = {**settings.CACHES["default"], "LOCATION": settings.REDIS_URL}
    else:
        shared_cache = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
        env["CACHE_DIR"] = str(tmp_path / "cache")
    # Progress is kept by upload id in a cache other test databases may share (Redis):
    # ids no other test database hands out keep their progress apart.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [PaymentImport._meta.db_table, random.randrange(10**6, 2**31 - 10**6)],
        )
    queue = f"test-{uuid.uuid4().hex[:12]}"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    route_imports_to(queue)
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    processes: list[subprocess.Popen[bytes]] = []
    command = [
        CELERY, "-A", "config", "worker", "-P", "solo", "-Q", queue, "--loglevel", "INFO",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip

    def start() -> None:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)

    try:
        with override_settings(CACHES={"default": shared_cache}):
            yield start
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        celery_app.conf.task_always_eager = eager
        route_imports_to(None)
        print(log_path.read_text())  # pytest shows it when the test failed


def log_in(page: Any, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def upload_and_preview(page: Any, base_url: str, source_pk: int, data: bytes) -> None:
    page.goto(f"{base_url}/imports/new/")
    page.set_input_files(
        "#id_file", files=[{"name": "umsaetze.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.select_option("#id_source", str(source_pk))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=import-button]")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_large_import_shows_its_progress_then_the_result(
    page: Any, live_server: Any, start_worker: Callable[[], None], language: str
) -> None:
    user = UserFactory.create(language=language)
    source = SourceFactory.create(owner=user)
    log_in(page, live_server.url, user)
    assert page.get_attribute("html", "lang") == language
    upload_and_preview(page, live_server.url, source.pk, german_csv())

    page.click("[data-testid=import-button]")
    queued = page.locator("[data-testid=import-progress][data-status=queued]")
    queued.wait_for()
    assert page.locator("#import-progress-bar").count() == 1
    screenshot(page, f"import-progress-queued-{language}")

    with transaction.atomic():  # the worker checks every row, then waits to write
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{Payment._meta.db_table}" IN SHARE MODE')
        start_worker()
        page.wait_for_function(
            "() => { const bar = document.querySelector("
            "'[data-status=running] progress#import-progress-bar[value]');"
            " return bar !== null && bar.value >= 50; }",
            timeout=60_000,
        )
        text = page.inner_text("[data-testid=import-progress-text]")
        assert "50" in text, text
        assert "20,000" in text or "20.000" in text, text
        screenshot(page, f"import-progress-{language}")

    # the lock is released: the worker writes, and htmx reloads the page into the result
    page.wait_for_selector("[data-testid=import-created]", timeout=120_000)
    assert page.inner_text("[data-testid=import-created]") == RESULT[language]
    assert page.locator("#import-progress").count() == 0
    screenshot(page, f"import-result-{language}")
    assert Payment.objects.filter(source=source).count() == ROWS


def test_the_progress_section_polls_until_the_import_is_over(page: Any, live_server: Any) -> None:
    """Runs on any database: the states are set by the test, the import itself is real."""
    user = UserFactory.create()
    source = SourceFactory.create(owner=user)
    upload = services.payment_import_upload(
        owner=user, filename="umsaetze.csv", content=german_csv(3), source=source
    )
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.QUEUED)
    log_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/imports/{upload.pk}/")
    assert "Waiting for a worker…" in page.inner_text("[data-testid=import-progress-text]")

    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING)
    progress_report(
        kind="import", job_id=upload.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    page.wait_for_selector("[data-status=running] progress#import-progress-bar[value='21']")
    assert "8,000 of 19,000 rows checked" in page.inner_text("[data-testid=import-progress-text]")
    screenshot(page, "import-progress-polled-en")

    services.payment_import_process(upload_id=upload.pk)
    page.wait_for_selector("[data-testid=import-created]", timeout=15_000)
    assert page.inner_text("[data-testid=import-created]") == "3 payments imported."
