"""Importing a CSV file in the browser: upload, preview, map columns, import, follow it.

Pressing "import" queues the file for a worker; the page then shows its progress and
polls the status partial until the import is over. Web tests run in a transaction,
so the task is sent (and, Celery being eager here, run) only inside
``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from imports import services
from imports.models import ImportStatus, PaymentImport
from income.models import Payment
from income.progress import progress_report
from tests.factories import SourceFactory

GERMAN = "Datum;Betrag;Steuer;Notiz\n31.12.2025;1.234,56;185,18;Q4\n".encode("cp1252")


def upload(client: Client, content: bytes, source_pk: int | str = "") -> PaymentImport:
    response = client.post(
        "/imports/new/", {"file": SimpleUploadedFile("bank.csv", content), "source": source_pk}
    )
    assert response.status_code == 302, response.content
    return PaymentImport.objects.latest("pk")


def queued(owner: User, content: bytes = GERMAN) -> PaymentImport:
    """An upload claimed for a worker that has not picked it up (its task is never sent)."""
    source = SourceFactory.create(owner=owner)
    upload = services.payment_import_upload(
        owner=owner, filename="bank.csv", content=content, source=source
    )
    return services.payment_import_start(upload=upload)


def running(owner: User) -> PaymentImport:
    upload = queued(owner)
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING)
    upload.refresh_from_db()
    return upload


def test_upload_preview_and_import(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    preview = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "German number format" in preview
    assert "€1,234.56" in preview
    assert Payment.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/imports/{imported.pk}/",
            {"action": "import", "date": "Datum", "gross": "Betrag", "tax_withheld": "Steuer",
             "note": "Notiz", "source_default": source.pk},
        )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{imported.pk}/"
    assert len(callbacks) == 1  # the task is sent once, after commit
    assert Payment.objects.filter(source=source).count() == 1
    result = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "1 payment imported." in result
    assert 'id="import-progress"' not in result


def test_pressing_import_queues_the_file_instead_of_importing_it_at_once(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    client.post(
        f"/imports/{imported.pk}/",
        {"action": "import", "date": "Datum", "gross": "Betrag", "source_default": source.pk},
    )
    imported.refresh_from_db()
    assert imported.status == ImportStatus.QUEUED
    assert Payment.objects.count() == 0
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Waiting for a worker…" in page
    assert '<progress id="import-progress-bar" max="100"' in page
    assert f'hx-get="/imports/{imported.pk}/status/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'hx-swap="outerHTML"' in page
    assert f'<a href="/imports/{imported.pk}/" data-testid="import-refresh">Refresh</a>' in page


def test_a_queued_import_is_imported_once_even_if_import_is_pressed_twice(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    form = {"action": "import", "date": "Datum", "gross": "Betrag", "source_default": source.pk}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(f"/imports/{imported.pk}/", form)
        client.post(f"/imports/{imported.pk}/", form)
    assert len(callbacks) == 1
    assert Payment.objects.count() == 1


def test_the_status_partial_shows_how_far_a_running_import_got(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    response = client.get(f"/imports/{imported.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count('<section id="import-progress"') == 1
    assert '<progress id="import-progress-bar" max="100" value="21"' in html
    assert "Importing … 21 % (8,000 of 19,000 rows checked)" in html
    assert 'aria-live="polite"' in html
    assert 'hx-trigger="every 1s"' in html


def test_the_status_partial_tells_the_write_phase_apart(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="write", done=4000, total=19000, start=50, end=100
    )
    html = client.get(f"/imports/{imported.pk}/status/").content.decode()
    assert 'value="61"' in html
    assert "Importing … 61 % (4,000 of 19,000 payments saved)" in html


def test_a_running_import_without_progress_yet_shows_an_indeterminate_bar(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    imported = running(alice)
    html = client.get(f"/imports/{imported.pk}/status/").content.decode()
    assert "Importing …" in html
    assert "<progress " in html
    assert "value=" not in html.split("<progress ")[1].split(">")[0]


def test_the_progress_speaks_german_numbers(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "8.000" in html
    assert "19.000" in html


def test_the_status_partial_asks_for_a_refresh_when_the_import_is_done(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        imported = queued(alice)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.DONE
    response = client.get(f"/imports/{imported.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    html = response.content.decode()
    assert "hx-get" not in html  # nothing polls any more
    assert f'href="/imports/{imported.pk}/"' in html


def test_a_rejected_import_shows_its_errors_after_the_refresh(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        imported = queued(alice, GERMAN + b"31.12.2025;-5,00;0;neg\n")
    response = client.get(f"/imports/{imported.pk}/status/")
    assert response["HX-Refresh"] == "true"
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Nothing was imported: the file has errors." in page
    assert "Amounts may not be negative." in page
    assert "<td>3</td>" in page


def test_a_failed_import_says_so_without_an_error_table(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    services.payment_import_fail(upload_id=imported.pk, message="The import could not be finished.")
    assert client.get(f"/imports/{imported.pk}/status/")["HX-Refresh"] == "true"
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "The import could not be finished, and nothing was imported." in page
    assert "the file has errors" not in page


def test_the_status_partial_is_for_the_owner_only(client: Client, alice: User, bob: User) -> None:
    imported = running(alice)
    assert client.get(f"/imports/{imported.pk}/status/").status_code == 302  # login first
    client.force_login(bob)
    assert client.get(f"/imports/{imported.pk}/status/").status_code == 404


def test_remapping_a_column_changes_the_preview(client: Client, alice: User) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    client.post(
        f"/imports/{imported.pk}/",
        {"action": "mapping", "date": "Datum", "gross": "Betrag", "source_default": source.pk},
    )
    imported.refresh_from_db()
    assert imported.mapping["tax_withheld"] == ""
    assert Payment.objects.count() == 0


def test_a_file_with_a_broken_row_shows_the_line_and_imports_nothing(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN + b"31.12.2025;-5,00;0;neg\n", source.pk)
    preview = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Rows with errors" in preview
    assert "Amounts may not be negative." in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/imports/{imported.pk}/",
            {"action": "import", "date": "Datum", "gross": "Betrag", "source_default": source.pk},
        )
    assert Payment.objects.count() == 0
    imported.refresh_from_db()
    assert imported.status == "rejected"


def test_the_preview_speaks_german(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    imported = upload(
        client, GERMAN + b"31.12.2025;-5,00;0;neg\n", SourceFactory.create(owner=alice).pk
    )
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Beträge dürfen nicht negativ sein." in html
    assert "1.234,56" in html


def test_a_wrong_encoding_is_a_form_error(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, "Datum;Betrag\n".encode("utf-16"))
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "The file is not text in UTF-8 or Windows-1252." in html
