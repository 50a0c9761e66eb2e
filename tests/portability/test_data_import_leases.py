"""Leases on data imports (issue 25): an import whose worker died is handed on by the
watchdog, the next worker undoes the broken attempt by its journal and runs it again,
so nothing is there twice; after the last try it is undone and failed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from income.models import IncomeSource, Payment
from jobs.leases import LeaseLost, worker_name
from portability import services
from portability.models import DataImport, DataImportStatus
from portability.services.import_jobs import data_import_run, data_imports_recover
from tests.conftest import token_client
from tests.factories import SourceFactory, UserFactory
from tests.portability import test_import_job

#: The demo's export, as the data import tests have it.
document = test_import_job.document


@pytest.fixture
def fresh(db: None) -> User:
    return UserFactory.create(username="neu")


def _half_done(
    owner: User, document: dict[str, Any], *, beat_ago: float, attempts: int = 1
) -> DataImport:
    """A job as a worker left it: one source written, then it stopped beating."""
    half = SourceFactory.create(owner=owner, name=document["sources"][0]["name"])
    beat = timezone.now() - timedelta(seconds=beat_ago)
    return DataImport.objects.create(
        owner=owner, document=document, status=DataImportStatus.RUNNING,
        created_sources=[half.pk], profile_before={"monthly_expenses": "0.00"},
        holder="dead-host:4242", started_at=beat, heartbeat_at=beat, attempts=attempts,
    )  # fmt: skip


def test_the_watchdog_runs_every_minute_from_beat(db: None) -> None:
    task = PeriodicTask.objects.get(task="portability.tasks.data_imports_watchdog")
    assert task.enabled
    assert task.interval is not None
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_a_running_import_records_its_holder_and_beats(
    fresh: User, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("portability.services.importing.IMPORT_BATCH_ROWS", 50)
    monkeypatch.setattr(settings, "JOBS_LEASE_SECONDS", 0)  # every batch beats
    job = DataImport.objects.create(owner=fresh, document=document)
    beats: list[object] = []

    def watch(_table: str, _done: int, _total: int) -> None:
        row = DataImport.objects.get(pk=job.pk)
        assert row.holder == worker_name()
        beats.append(row.heartbeat_at)

    data_import_run(job_id=job.pk, on_progress=watch)
    assert len(beats) > 2
    assert beats == sorted(beats)  # type: ignore[type-var]
    assert beats[-1] > beats[0]  # type: ignore[operator]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DataImportStatus.DONE, 1)


def test_an_import_whose_holder_beats_is_left_alone(fresh: User, document: dict[str, Any]) -> None:
    job = _half_done(fresh, document, beat_ago=settings.JOBS_LEASE_SECONDS - 5)
    assert data_imports_recover().requeued == []
    assert data_import_run(job_id=job.pk) is None  # a second message: nothing to do
    job.refresh_from_db()
    assert (job.status, job.holder) == (DataImportStatus.RUNNING, "dead-host:4242")


def test_an_import_whose_holder_stopped_beating_is_undone_and_run_again_once(
    fresh: User, document: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    job = _half_done(fresh, document, beat_ago=settings.JOBS_LEASE_SECONDS + 1)
    half = job.created_sources[0]
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert data_imports_recover().requeued == [job.pk]
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.status, job.holder) == (DataImportStatus.QUEUED, "")
    assert job.get_status_display() == "Waiting for a worker"
    done = data_import_run(job_id=job.pk)
    assert done is not None
    assert (done.status, done.attempts) == (DataImportStatus.DONE, 2)
    assert not IncomeSource.objects.filter(pk=half).exists()
    assert IncomeSource.objects.filter(owner=fresh).count() == len(document["sources"])
    assert Payment.objects.filter(source__owner=fresh).count() == len(document["payments"])


def test_an_import_whose_worker_died_on_every_try_is_undone_and_failed(
    fresh: User, document: dict[str, Any]
) -> None:
    job = _half_done(fresh, document, beat_ago=120, attempts=settings.JOBS_MAX_ATTEMPTS)
    assert data_imports_recover().failed == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.errors) == (DataImportStatus.FAILED, [services.IMPORT_WORKER_LOST])
    assert job.document == {}
    assert not IncomeSource.objects.filter(owner=fresh).exists()  # the half is undone


def test_a_worker_that_lost_its_lease_writes_no_further_batch(
    fresh: User, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused longer than a lease (SIGSTOP, a long pause): the watchdog handed the job
    on; the old worker's next batch rolls back instead of mixing with the new one's."""
    monkeypatch.setattr("portability.services.importing.IMPORT_BATCH_ROWS", 50)
    job = DataImport.objects.create(owner=fresh, document=document)
    batches: list[int] = []

    def handed_on_after_the_first_batch(_table: str, done: int, _total: int) -> None:
        batches.append(done)
        DataImport.objects.filter(pk=job.pk).update(status=DataImportStatus.QUEUED, holder="")

    with pytest.raises(LeaseLost):
        data_import_run(job_id=job.pk, on_progress=handed_on_after_the_first_batch)
    assert batches == [50]
    job.refresh_from_db()
    written = IncomeSource.objects.filter(owner=fresh).count()
    assert written == len(job.created_sources)  # the journal names all that is there
    done = data_import_run(job_id=job.pk)  # the next worker
    assert done is not None
    assert done.status == DataImportStatus.DONE
    assert IncomeSource.objects.filter(owner=fresh).count() == len(document["sources"])


def test_the_page_and_the_api_say_waiting_once_the_worker_stopped_beating(
    fresh: User, document: dict[str, Any], client: Client
) -> None:
    job = _half_done(fresh, document, beat_ago=settings.JOBS_LEASE_SECONDS + 30)
    client.force_login(fresh)
    page = client.get(f"/settings/data/import/{job.pk}/").content.decode()
    assert "Waiting for a worker" in page
    assert "data-stalled" in page
    data = token_client(fresh).get(f"/api/v1/me/import/{job.pk}/").json()
    assert (data["status"], data["stalled"], data["progress"]) == ("running", True, None)
