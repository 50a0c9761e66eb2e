"""Uploaded files are not kept forever, and one person cannot fill the disk with them
(issue 19, finding 5): a daily task empties files older than ``IMPORT_KEEP_DAYS`` (an
upload never imported goes entirely), and a per-person quota bounds what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from finance.errors import DomainError
from imports import services
from imports.models import ImportStatus, PaymentImport
from imports.tasks import payment_import_cleanup

CSV = b"Datum;Betrag\n01.02.2024;12,50\n"


def _upload(owner: User, *, days_old: int, status: str = ImportStatus.UPLOADED) -> PaymentImport:
    upload = services.payment_import_upload(owner=owner, filename="a.csv", content=CSV, source=None)
    PaymentImport.objects.filter(pk=upload.pk).update(
        status=status, created_at=timezone.now() - timedelta(days=days_old)
    )
    return upload


@pytest.mark.django_db
@override_settings(IMPORT_KEEP_DAYS=30)
def test_the_cleanup_empties_old_files_and_drops_old_uploads_never_imported(
    alice: User, bob: User
) -> None:
    done = _upload(alice, days_old=31, status=ImportStatus.DONE)
    forgotten = _upload(bob, days_old=31)
    recent = _upload(alice, days_old=29, status=ImportStatus.DONE)
    running = _upload(alice, days_old=31, status=ImportStatus.RUNNING)

    assert payment_import_cleanup.delay().get() == {"emptied": 1, "deleted": 1}

    assert bytes(PaymentImport.objects.get(pk=done.pk).content) == b""
    assert PaymentImport.objects.get(pk=done.pk).status == ImportStatus.DONE  # the outcome stays
    assert not PaymentImport.objects.filter(pk=forgotten.pk).exists()
    assert bytes(PaymentImport.objects.get(pk=recent.pk).content) == CSV
    assert bytes(PaymentImport.objects.get(pk=running.pk).content) == CSV
    assert payment_import_cleanup.delay().get() == {"emptied": 0, "deleted": 0}  # twice is safe


@pytest.mark.django_db
@override_settings(IMPORT_USER_MAX_STORED_BYTES=2 * len(CSV))
def test_an_upload_past_the_persons_quota_is_refused_with_a_clear_error(
    alice: User, bob: User
) -> None:
    services.payment_import_upload(owner=alice, filename="a.csv", content=CSV, source=None)
    services.payment_import_upload(owner=alice, filename="b.csv", content=CSV, source=None)
    with pytest.raises(DomainError) as caught:
        services.payment_import_upload(owner=alice, filename="c.csv", content=CSV, source=None)
    assert "your uploads would take more than" in caught.value.field_errors["file"][0]
    assert PaymentImport.objects.filter(owner=alice).count() == 2
    services.payment_import_upload(owner=bob, filename="a.csv", content=CSV, source=None)


@pytest.mark.django_db
@override_settings(IMPORT_USER_MAX_STORED_BYTES=2 * len(CSV))
def test_emptied_files_no_longer_count_against_the_quota(alice: User) -> None:
    _upload(alice, days_old=40, status=ImportStatus.DONE)
    _upload(alice, days_old=40, status=ImportStatus.DONE)
    payment_import_cleanup.delay().get()
    services.payment_import_upload(owner=alice, filename="c.csv", content=CSV, source=None)


@pytest.mark.django_db
def test_the_beat_schedule_runs_the_cleanup_daily() -> None:
    task = PeriodicTask.objects.get(task="imports.tasks.payment_import_cleanup")
    assert task.enabled
    assert task.crontab is not None
    assert task.crontab.day_of_month == "*"
