"""The admin tells support the truth about every job kind (issue 25): a job whose
worker stopped beating reads "Waiting for a worker" in the list and on its page, in
English and German, whichever app it belongs to; the data import has a page at all
(read-only, without the uploaded document)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from imports.models import ImportStatus, PaymentImport
from portability.models import DataImport, DataImportStatus
from reports.models import JobReason, JobStatus, RecomputeJob
from tests.factories import SourceFactory

STALE = settings.JOBS_LEASE_SECONDS + 30


def _recompute_job(owner: User, *, beat_ago: float) -> RecomputeJob:
    beat = timezone.now() - timedelta(seconds=beat_ago)
    return RecomputeJob.objects.create(
        owner=owner, reason=JobReason.REQUEST, status=JobStatus.RUNNING,
        holder="dead-host:4242", started_at=beat, heartbeat_at=beat, attempts=1,
    )  # fmt: skip


def _statement_import(owner: User, *, beat_ago: float) -> PaymentImport:
    beat = timezone.now() - timedelta(seconds=beat_ago)
    return PaymentImport.objects.create(
        owner=owner, source=SourceFactory.create(owner=owner), filename="bank.csv",
        content=b"Date;Amount\n", status=ImportStatus.RUNNING, holder="dead-host:4242",
        started_at=beat, heartbeat_at=beat, attempts=1,
    )  # fmt: skip


def _data_import(owner: User, *, beat_ago: float) -> DataImport:
    beat = timezone.now() - timedelta(seconds=beat_ago)
    return DataImport.objects.create(
        owner=owner, document={"secret": "the whole account"}, status=DataImportStatus.RUNNING,
        holder="dead-host:4242", started_at=beat, heartbeat_at=beat, attempts=1,
    )  # fmt: skip


RECOMPUTE = "/admin/reports/recomputejob/"
STATEMENT = "/admin/imports/paymentimport/"
DATA = "/admin/portability/dataimport/"
KINDS = [
    pytest.param(_recompute_job, RECOMPUTE, "Computing", "Wird berechnet", id="recompute"),
    pytest.param(_statement_import, STATEMENT, "Importing", "Wird importiert", id="statement"),
    pytest.param(_data_import, DATA, "Importing", "Wird importiert", id="data"),
]


def _statuses(listing: str) -> list[str]:
    """The status column of a change list (the filter beside it names every status)."""
    return re.findall(r'<td class="field-status_now">([^<]*)</td>', listing)


def _get(client: Client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(("make", "listing", "running_en", "running_de"), KINDS)
def test_a_job_whose_worker_stopped_beating_reads_waiting_in_the_admin(
    make: object, listing: str, running_en: str, running_de: str, alice: User, admin_client: Client
) -> None:
    job: Model = make(alice, beat_ago=STALE)  # type: ignore[operator]
    assert _statuses(_get(admin_client, listing, "en")) == ["Waiting for a worker"]
    assert _statuses(_get(admin_client, listing, "de")) == ["Wartet auf einen Worker"]
    page = _get(admin_client, f"{listing}{job.pk}/change/", "en")
    assert "Waiting for a worker" in page
    assert page.count("<label>Status:</label>") == 1  # not the stored one beside it
    assert "dead-host:4242" in page


@pytest.mark.parametrize(("make", "listing", "running_en", "running_de"), KINDS)
def test_a_beating_job_reads_as_running_in_the_admin(
    make: object, listing: str, running_en: str, running_de: str, alice: User, admin_client: Client
) -> None:
    make(alice, beat_ago=5)  # type: ignore[operator]
    assert _statuses(_get(admin_client, listing, "en")) == [running_en]
    assert _statuses(_get(admin_client, listing, "de")) == [running_de]


def test_the_data_import_page_is_read_only_and_leaves_the_document_out(
    alice: User, admin_client: Client
) -> None:
    job = _data_import(alice, beat_ago=5)
    page = _get(admin_client, f"/admin/portability/dataimport/{job.pk}/change/", "en")
    assert "the whole account" not in page
    assert 'name="_save"' not in page
    assert admin_client.get("/admin/portability/dataimport/add/").status_code == 403
    response = admin_client.post(
        f"/admin/portability/dataimport/{job.pk}/change/", {"status": "done"}
    )
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == DataImportStatus.RUNNING
