"""The data import as a worker's job (issue 19, finding 3): short transactions, all or
nothing, progress for the page and the API, one at a time, safe to run twice."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from finance.errors import DomainError
from income.demo import demo_create
from income.models import IncomeSource, Payment, Profile
from income.progress import progress_report
from portability.document import TABLES
from portability.models import DataImport, DataImportStatus
from portability.services import importing as services
from portability.services.export import account_document
from portability.services.import_jobs import data_import_run, data_import_start
from portability.services.importing import account_import
from portability.tasks import PROGRESS_KIND
from reports.models import RecomputeJob, ReportSnapshot
from tests.conftest import token_client
from tests.factories import PASSWORD, SourceFactory, UserFactory

#: Tests of what commits when: a real transaction per batch, as in a worker (the others
#: run inside the test's own transaction, where nothing commits).
committing = pytest.mark.usefixtures("shipped_content")
TODAY = date(2026, 11, 22)


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    """The demo's export: a dozen sources, some hundred payments, periods, hours."""
    return account_document(
        user=demo_create(username="quelle", password=PASSWORD, today=TODAY).user
    )


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(services, "IMPORT_BATCH_ROWS", 50)
    return 50


@committing
def test_the_rows_are_committed_batch_by_batch_while_the_import_runs(
    document: dict[str, Any], small_batches: int
) -> None:
    """No transaction holds the whole import: between batches nothing is open, and what
    was written so far is committed (on SQLite, others' writes get their turn)."""
    fresh = UserFactory.create(username="neu")
    seen: list[tuple[bool, int, int]] = []

    def on_progress(_table: str, done: int, _total: int) -> None:
        payments = Payment.objects.filter(source__owner=fresh).count()
        seen.append((connection.in_atomic_block, done, payments))

    account_import(user=fresh, document=document, on_progress=on_progress)
    total = 1 + sum(len(document[table]) for table in TABLES)
    assert len(seen) == -(-total // small_batches)  # one call per batch
    assert not any(in_transaction for in_transaction, _done, _payments in seen)
    assert [done for _t, done, _p in seen] == sorted({done for _t, done, _p in seen})
    assert seen[-1][1] == total
    written = [payments for _t, _d, payments in seen]
    # Some batch ends half-way through the payments: they were committed as they went.
    assert any(0 < payments < written[-1] for payments in written)
    assert written[-1] == len(document["payments"])


@committing
def test_a_row_refused_in_a_late_batch_takes_back_every_earlier_batch(
    document: dict[str, Any], small_batches: int
) -> None:
    fresh = UserFactory.create(username="neu")
    Profile.objects.filter(user=fresh).update(monthly_expenses=1234)
    document["asset_values"] = [*document["asset_values"], {"source": 99999999, "value": "1"}]
    with pytest.raises(DomainError) as refused:
        account_import(user=fresh, document=document)
    assert refused.value.field_errors["file"][0].startswith("asset_values, row ")
    assert not IncomeSource.objects.filter(owner=fresh).exists()
    assert not Payment.objects.filter(source__owner=fresh).exists()
    # The settings the file had set are put back as they were.
    assert Profile.objects.get(user=fresh).monthly_expenses == 1234


@committing
def test_no_report_is_computed_from_half_an_import(
    document: dict[str, Any], small_batches: int
) -> None:
    fresh = UserFactory.create(username="neu")
    document["scenarios"] = [{"name": "Broken", "horizon_years": 1000}]
    with pytest.raises(DomainError):
        account_import(user=fresh, document=document)
    assert not RecomputeJob.objects.filter(owner=fresh).exists()
    assert not ReportSnapshot.objects.filter(owner=fresh).exists()


@committing
def test_a_finished_import_announces_the_change_once(document: dict[str, Any]) -> None:
    fresh = UserFactory.create(username="neu")
    account_import(user=fresh, document=document)
    assert RecomputeJob.objects.filter(owner=fresh).count() == 1
    assert ReportSnapshot.objects.filter(owner=fresh).exists()


def test_a_redelivered_job_undoes_the_broken_attempt_and_runs_again(
    document: dict[str, Any],
) -> None:
    """The worker died half-way: the journal names what it wrote; that goes, and the
    import runs from the start, so nothing is there twice."""
    fresh = UserFactory.create(username="neu")
    half = SourceFactory.create(owner=fresh, name=document["sources"][0]["name"])
    job = DataImport.objects.create(
        owner=fresh,
        document=document,
        status=DataImportStatus.RUNNING,
        created_sources=[half.pk],
        profile_before={"monthly_expenses": "0.00"},
    )
    done = data_import_run(job_id=job.pk)
    assert done is not None
    assert done.status == DataImportStatus.DONE
    assert not IncomeSource.objects.filter(pk=half.pk).exists()
    assert IncomeSource.objects.filter(owner=fresh).count() == len(document["sources"])
    assert done.document == {}  # not kept once imported
    assert data_import_run(job_id=job.pk) is None  # a third delivery does nothing


def test_a_second_import_while_one_is_pending_is_refused(document: dict[str, Any]) -> None:
    fresh = UserFactory.create(username="neu")
    DataImport.objects.create(owner=fresh, document=document)
    with pytest.raises(DomainError, match="already under way"):
        data_import_start(user=fresh, document=document)


def test_the_api_answers_202_and_the_job_follows_the_worker(
    document: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    api = token_client(UserFactory.create(username="neu"))
    with django_capture_on_commit_callbacks() as sent:
        response = api.post("/api/v1/me/import/", document, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["progress"] is None
    assert len(sent) == 1  # the task goes after commit
    job_url = response["Location"]
    progress_report(
        kind=PROGRESS_KIND, job_id=body["id"], phase="payments", done=150, total=600,
        start=0, end=100,
    )  # fmt: skip
    DataImport.objects.filter(pk=body["id"]).update(status=DataImportStatus.RUNNING)
    running = api.get(job_url).json()
    assert running["status"] == "running"
    assert running["progress"] == {"phase": "payments", "done": 150, "total": 600, "percent": 25}
    sent[0]()  # the worker's turn (tasks run eagerly here)
    finished = api.get(job_url).json()
    assert finished["status"] == "done"
    assert finished["counts"]["payments"] == len(document["payments"])
    assert finished["errors"] == []


def test_the_page_polls_while_the_import_runs_and_stops_once_it_is_over(
    client: Client, document: dict[str, Any]
) -> None:
    fresh = UserFactory.create(username="neu")
    client.force_login(fresh)
    job = DataImport.objects.create(owner=fresh, document=document)
    url = f"/settings/data/import/{job.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="data-import-progress"' in page
    assert f'hx-get="{url}"' in page
    assert "Waiting for a worker" in page
    DataImport.objects.filter(pk=job.pk).update(status=DataImportStatus.RUNNING)
    progress_report(
        kind=PROGRESS_KIND, job_id=job.pk, phase="payments", done=300, total=600,
        start=0, end=100,
    )  # fmt: skip
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "Importing … 50 % (300 of 600 rows saved)" in partial
    data_import_run(job_id=job.pk)  # the redelivery path: undo nothing, run
    over = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in over
    assert "Imported: " in over


def test_a_failed_import_says_what_was_refused(
    client: Client, document: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    fresh = UserFactory.create(username="neu")
    client.force_login(fresh)
    document["payments"][3]["gross"] = "NaN"
    job = data_import_start(user=fresh, document=document)
    data_import_run(job_id=job.pk)
    html = client.get(f"/settings/data/import/{job.pk}/").content.decode()
    assert "Nothing of the file was imported:" in html
    assert "payments, row 4" in html
    assert not IncomeSource.objects.filter(owner=fresh).exists()


def test_an_account_with_data_is_refused_at_once_without_a_job(alice: User) -> None:
    SourceFactory.create(owner=alice)
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(
        "/api/v1/me/import/", {"format": "ertrag-export", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "without sources or scenarios" in response.json()["file"][0]
    assert not DataImport.objects.exists()
