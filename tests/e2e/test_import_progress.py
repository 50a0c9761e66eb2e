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

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from imports import jobs, services
from imports.models import ImportStatus, PaymentImport
from income.models import Payment
from income.progress import progress_report
from tests.e2e.conftest import screenshot
from tests.e2e.steps import german_csv, log_in, upload_and_preview
from tests.factories import SourceFactory, UserFactory
from tests.integration.workers import WorkerProcess

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 20_000
RESULT = {"en": "20,000 payments imported.", "de": "20.000 Zahlungen importiert."}


@pytest.fixture(autouse=True)
def _content(shipped_content: None) -> None:
    """Every test here needs the shipped categories."""


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_large_import_shows_its_progress_then_the_result(
    page: Any, live_server: Any, start_worker: Callable[[], WorkerProcess], language: str
) -> None:
    user = UserFactory.create(language=language)
    source = SourceFactory.create(owner=user)
    log_in(page, live_server.url, user.username)
    assert page.get_attribute("html", "lang") == language
    upload_and_preview(page, live_server.url, source.pk, german_csv(ROWS))

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
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/imports/{upload.pk}/")
    assert "Waiting for a worker…" in page.inner_text("[data-testid=import-progress-text]")

    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING)
    progress_report(
        kind="import", job_id=upload.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    page.wait_for_selector("[data-status=running] progress#import-progress-bar[value='21']")
    assert "8,000 of 19,000 rows checked" in page.inner_text("[data-testid=import-progress-text]")
    screenshot(page, "import-progress-polled-en")

    jobs.payment_import_process(upload_id=upload.pk)
    page.wait_for_selector("[data-testid=import-created]", timeout=15_000)
    assert page.inner_text("[data-testid=import-created]") == "3 payments imported."
