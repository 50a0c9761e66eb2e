"""Settings → Your data: download everything, bring it back, delete the account."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from income.models import IncomeSource, Payment
from tests.factories import PASSWORD, PaymentFactory, SourceFactory, UserFactory


def test_the_settings_page_leads_to_the_data_page(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert 'href="/settings/data/"' in client.get("/settings/").content.decode()
    html = client.get("/settings/data/").content.decode()
    assert "Download all your data" in html
    assert 'data-testid="account-delete"' in html


def test_the_download_is_a_zip_that_imports_into_a_new_account(
    client: Client, alice: User, shipped_content: None, django_capture_on_commit_callbacks: Any
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=alice, name="Depot"))
    client.force_login(alice)
    response = client.get("/settings/data/export.zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="ertrag-export-')
    assert "ertrag.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()

    fresh = UserFactory.create(username="neu")
    client.force_login(fresh)
    upload = SimpleUploadedFile("ertrag.zip", response.content, content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/settings/data/import/", {"file": upload}, follow=True)
    # A worker's job (issue 19): the page follows it, and says how it ended.
    assert answer.redirect_chain[-1][0].startswith("/settings/data/import/")
    assert "Imported: 1 sources, 1 payments, 0 scenarios." in answer.content.decode()
    assert IncomeSource.objects.get(owner=fresh).name == "Depot"
    assert Payment.objects.filter(source__owner=fresh).count() == 1


def test_a_file_that_is_not_an_export_is_a_form_error(client: Client, alice: User) -> None:
    client.force_login(alice)
    upload = SimpleUploadedFile("x.json", b'{"hello": 1}', content_type="application/json")
    response = client.post("/settings/data/import/", {"file": upload})
    assert response.status_code == 400
    assert "The file is not an Ertrag export." in response.content.decode()


def test_deleting_needs_the_password_and_the_tick(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post("/settings/data/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "The password is not right." in response.content.decode()
    response = client.post("/settings/data/delete/", {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_the_account_logs_out_and_removes_it(client: Client, alice: User) -> None:
    SourceFactory.create(owner=alice)
    client.force_login(alice)
    response = client.post(
        "/settings/data/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Your account and all its data were deleted." in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not IncomeSource.objects.filter(owner_id=alice.pk).exists()
    assert client.get("/dashboard/").status_code == 302  # to the log-in page
