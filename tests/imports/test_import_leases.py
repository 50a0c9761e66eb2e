"""Leases on statement imports (issue 25): an import whose worker died is handed on by
the watchdog within minutes, never doubles a row, and says "waiting for a worker"
meanwhile; two imports of one file at once end in "already there", not "failed".

"A new worker" is ``payment_import_process`` on the upload the watchdog sends again;
the real-process version is in tests/integration/test_import_leases.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from imports import jobs, services, writing
from imports.models import ImportStatus, PaymentImport
from income.models import IncomeSource, Payment
from jobs.leases import worker_name
from tests.factories import SourceFactory
from tests.services import celery_sends_to, free_port

ROWS = 30
CSV = (
    "Date;Amount;ID\n" + "".join(f"0{1 + n % 9}.03.2025;{n + 1},00;TX-{n}\n" for n in range(ROWS))
).encode()


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="ETF")


def _queued(owner: User, source: IncomeSource) -> PaymentImport:
    upload = services.payment_import_upload(
        owner=owner, filename="bank.csv", content=CSV, source=source
    )
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.QUEUED)
    return upload


def _running(
    owner: User, source: IncomeSource, *, beat_ago: float, attempts: int = 1
) -> PaymentImport:
    """An import as a worker left it that last beat ``beat_ago`` seconds ago."""
    upload = _queued(owner, source)
    beat = timezone.now() - timedelta(seconds=beat_ago)
    PaymentImport.objects.filter(pk=upload.pk).update(
        status=ImportStatus.RUNNING, holder="dead-host:4242", started_at=beat,
        heartbeat_at=beat, attempts=attempts,
    )  # fmt: skip
    upload.refresh_from_db()
    return upload


def test_the_watchdog_runs_every_minute_from_beat(db: None) -> None:
    task = PeriodicTask.objects.get(task="imports.tasks.payment_imports_watchdog")
    assert task.enabled
    assert task.interval is not None
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_a_running_import_records_its_holder(alice: User, etf: IncomeSource) -> None:
    upload = _queued(alice, etf)
    seen: list[tuple[str, str]] = []

    def watch(phase: str, _done: int, _total: int) -> None:
        row = PaymentImport.objects.get(pk=upload.pk)
        seen.append((phase, row.holder))

    done = jobs.payment_import_process(upload_id=upload.pk, on_progress=watch)
    assert done is not None
    assert {holder for _phase, holder in seen} == {worker_name()}
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.created_rows) == (ImportStatus.DONE, 1, ROWS)


def test_an_import_whose_holder_beats_is_left_alone(alice: User, etf: IncomeSource) -> None:
    upload = _running(alice, etf, beat_ago=settings.JOBS_LEASE_SECONDS - 5)
    recovered = jobs.payment_imports_recover()
    assert (recovered.requeued, recovered.failed) == ([], [])
    # A second message while the holder is alive finds nothing to do.
    assert jobs.payment_import_process(upload_id=upload.pk) is None
    upload.refresh_from_db()
    assert (upload.status, upload.holder) == (ImportStatus.RUNNING, "dead-host:4242")


def test_an_import_whose_holder_stopped_beating_is_sent_again_and_finished_once(
    alice: User, etf: IncomeSource, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _running(alice, etf, beat_ago=settings.JOBS_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        recovered = jobs.payment_imports_recover()
    assert recovered.requeued == [upload.pk]
    assert len(sent) == 1  # one new message
    upload.refresh_from_db()
    assert (upload.status, upload.holder) == (ImportStatus.QUEUED, "")
    assert upload.get_status_display() == "Waiting for a worker"
    finished = jobs.payment_import_process(upload_id=upload.pk)
    assert finished is not None
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.created_rows) == (ImportStatus.DONE, 2, ROWS)
    assert Payment.objects.filter(source=etf).count() == ROWS
    # The broker's own redelivery an hour later: nothing is imported twice.
    assert jobs.payment_import_process(upload_id=upload.pk) is None
    assert Payment.objects.filter(source=etf).count() == ROWS


def test_an_import_whose_worker_died_on_every_try_fails_after_the_last(
    alice: User, etf: IncomeSource
) -> None:
    upload = _running(alice, etf, beat_ago=120, attempts=settings.JOBS_MAX_ATTEMPTS)
    recovered = jobs.payment_imports_recover()
    assert recovered.failed == [upload.pk]
    upload.refresh_from_db()
    assert upload.status == ImportStatus.FAILED
    assert upload.errors[0]["message"] == jobs.IMPORT_WORKER_LOST
    assert upload.finished_at is not None
    assert not Payment.objects.exists()


def test_a_queued_import_the_watchdog_sent_is_sent_again_if_nobody_took_it(
    alice: User, etf: IncomeSource, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _queued(alice, etf)
    long_ago = timezone.now() - (jobs.QUEUED_OVERDUE + 1) * timedelta(
        seconds=settings.JOBS_LEASE_SECONDS
    )
    PaymentImport.objects.filter(pk=upload.pk).update(heartbeat_at=long_ago, attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert jobs.payment_imports_recover().requeued == [upload.pk]
    assert len(sent) == 1
    # Sent a minute ago: not again.
    assert jobs.payment_imports_recover().requeued == []


def test_the_page_the_api_and_the_admin_say_waiting_once_the_worker_stopped_beating(
    alice: User, etf: IncomeSource, client: Client, admin_client: Client
) -> None:
    upload = _running(alice, etf, beat_ago=settings.JOBS_LEASE_SECONDS + 30)
    client.force_login(alice)
    page = client.get(f"/imports/{upload.pk}/status/").content.decode()
    assert "Waiting for a worker" in page
    assert "data-stalled" in page
    api = APIClient()
    api.force_authenticate(alice)
    data = api.get(f"/api/v1/imports/{upload.pk}/").json()
    assert (data["status"], data["stalled"], data["progress"]) == ("running", True, None)
    listing = admin_client.get("/admin/imports/paymentimport/").content.decode()
    assert "Waiting for a worker" in listing


def test_a_beating_import_says_importing(alice: User, etf: IncomeSource, client: Client) -> None:
    upload = _running(alice, etf, beat_ago=5)
    client.force_login(alice)
    page = client.get(f"/imports/{upload.pk}/status/").content.decode()
    assert "Waiting for a worker" not in page
    api = APIClient()
    api.force_authenticate(alice)
    assert api.get(f"/api/v1/imports/{upload.pk}/").json()["status"] == "running"


# ----------------------------------------------------------------------------- duplicates


def _looked_too_early(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The next import's first look at what is there sees nothing: as if it looked a
    moment before another import of the same rows committed them. Returns the looks."""
    real = writing._known_payments
    looks: list[int] = []

    def look(source_ids: set[int]) -> Any:
        looks.append(len(looks))
        return set() if len(looks) == 1 else real(source_ids)

    monkeypatch.setattr(writing, "_known_payments", look)
    return looks


def test_an_import_whose_rows_were_written_meanwhile_counts_them_as_already_there(
    alice: User, etf: IncomeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads of one file at once: the second looked before the first committed,
    so its insert hits the unique external ids. It looks again and reports them as
    already there, as if it had run after the first (issue 25, finding 5)."""
    writing.payments_import(owner=alice, data=CSV, source=etf)  # the first, committed
    looks = _looked_too_early(monkeypatch)
    summary = writing.payments_import(owner=alice, data=CSV, source=etf)
    assert (summary.created, summary.duplicates) == (0, ROWS)
    assert len(looks) == 2
    assert Payment.objects.filter(source=etf).count() == ROWS


def test_an_upload_whose_rows_were_written_meanwhile_is_done_not_failed(
    alice: User, etf: IncomeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _queued(alice, etf), _queued(alice, etf)
    jobs.payment_import_process(upload_id=first.pk)
    _looked_too_early(monkeypatch)
    jobs.payment_import_process(upload_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.created_rows, first.duplicate_rows) == (ImportStatus.DONE, ROWS, 0)
    assert (second.status, second.created_rows, second.duplicate_rows) == (
        ImportStatus.DONE, 0, ROWS,
    )  # fmt: skip
    assert Payment.objects.filter(source=etf).count() == ROWS


def test_rows_without_an_id_written_meanwhile_count_as_already_there_too(
    alice: User, etf: IncomeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row fingerprint (no external id) is the other unique key."""
    data = b"Date;Amount\n31.12.2025;12,50\n30.11.2025;7,00\n"
    writing.payments_import(owner=alice, data=data, source=etf)
    _looked_too_early(monkeypatch)
    summary = writing.payments_import(owner=alice, data=data, source=etf)
    assert (summary.created, summary.duplicates) == (0, 2)
    assert Payment.objects.filter(source=etf).count() == 2


# ----------------------------------------------------------------------------- the API's 202


@pytest.fixture
def broker_unreachable() -> Iterator[None]:
    with celery_sends_to(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.mark.django_db(transaction=True)
# A transactional test's flush empties the shipped categories: put them back first.
@pytest.mark.usefixtures("shipped_content", "broker_unreachable")
def test_the_api_answers_the_stored_state_when_the_broker_is_away(alice: User) -> None:
    etf = SourceFactory.create(owner=alice, name="ETF")
    api = APIClient()
    api.force_authenticate(alice)
    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("bank.csv", CSV), "source": etf.pk},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    stored = PaymentImport.objects.get(pk=body["id"])
    assert stored.status == ImportStatus.FAILED
    assert body["status"] == "failed"
    assert body["errors"][0]["message"] == jobs.IMPORT_NOT_QUEUED
    assert api.get(response["Location"]).json()["status"] == body["status"]
