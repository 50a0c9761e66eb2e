"""Bringing an export back in a real browser: the page follows the worker's job.

The job's page polls its progress section with htmx every second (issue 19: the import
is a worker's job, not one long request): first "Waiting for a worker…", then how many
rows are saved, then the outcome, each swapped in without a reload. The worker's part
is played here by the service it runs (``data_import_run``) in the test process, so the
states come one after the other without a race; the task on a real worker process runs
in tests/integration/test_concurrent_writes.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from income.demo import demo_create
from income.models import IncomeSource
from income.progress import progress_report
from portability.models import DataImport, DataImportStatus
from portability.services.export import account_document
from portability.services.import_jobs import data_import_run
from portability.tasks import PROGRESS_KIND
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _content(shipped_content: None) -> None:
    """The demo's sources need the shipped categories."""


def test_the_job_page_shows_the_wait_the_progress_and_the_outcome_without_a_reload(
    page: Any, live_server: Any
) -> None:
    exported = demo_create(username="quelle", password=PASSWORD, today=date(2026, 11, 22))
    document = account_document(user=exported.user)
    user = UserFactory.create(username="neu")
    job = DataImport.objects.create(owner=user, document=document)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/settings/data/import/{job.pk}/")
    page.locator("[data-testid=data-import-progress][data-status=queued]").wait_for()
    assert "Waiting for a worker" in page.inner_text("[data-testid=data-import-text]")
    screenshot(page, "data-import-queued")
    page.evaluate("window.__samePage = true")  # gone if the page reloads

    DataImport.objects.filter(pk=job.pk).update(status=DataImportStatus.RUNNING)
    total = 1 + sum(len(document[table]) for table in ("sources", "payments"))
    progress_report(
        kind=PROGRESS_KIND, job_id=job.pk, phase="payments", done=total // 2, total=total,
        start=0, end=100,
    )  # fmt: skip
    page.locator("[data-testid=data-import-progress][data-status=running]").wait_for()
    assert "50 %" in page.inner_text("[data-testid=data-import-text]")
    assert page.get_attribute("progress", "value") == "50"
    screenshot(page, "data-import-running")

    data_import_run(job_id=job.pk)
    page.locator("[data-testid=data-import-summary]").wait_for(timeout=15_000)
    summary = page.inner_text("[data-testid=data-import-summary]")
    sources = IncomeSource.objects.filter(owner=user).count()
    assert summary.startswith(f"Imported: {sources} sources, ")
    assert page.evaluate("window.__samePage") is True  # swapped in by htmx, not reloaded
    assert page.locator("[hx-get]").count() == 0  # the polling stopped
    screenshot(page, "data-import-done")


def test_a_refused_file_says_so_and_keeps_nothing(page: Any, live_server: Any) -> None:
    user = UserFactory.create(username="neu")
    document = {
        "format": "ertrag-export",
        "version": 1,
        "sources": [
            {"ref": 1, "name": "Depot", "category": "etf-dividends", "start_date": "2024-01-01"}
        ],
        "payments": [{"source": 2, "date": "2025-01-31", "gross": "10.00"}],
    }
    job = DataImport.objects.create(owner=user, document=document)
    data_import_run(job_id=job.pk)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/settings/data/import/{job.pk}/")
    errors = page.inner_text("[data-testid=data-import-errors]")
    assert errors.startswith("payments, row 1")
    assert not IncomeSource.objects.filter(owner=user).exists()
    screenshot(page, "data-import-failed")
