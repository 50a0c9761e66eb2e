"""/api/v1/me/export/, import/ and delete/: the data page's API for mobile clients."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import IncomeSource
from tests.conftest import token_client
from tests.factories import PASSWORD, PaymentFactory, SourceFactory, UserFactory


def test_export_then_import_into_a_new_account(
    alice_api: APIClient,
    alice: User,
    shipped_content: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=alice, name="Depot"))
    document = alice_api.get("/api/v1/me/export/").json()
    assert document["format"] == "ertrag-export"
    assert document["payments"][0]["gross"] == "100.00"

    fresh = token_client(UserFactory.create(username="neu"))
    with django_capture_on_commit_callbacks(execute=True):
        response = fresh.post("/api/v1/me/import/", document, format="json")
    # A worker's job (issue 19): 202 and where to follow it.
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/me/import/{response.json()['id']}/"
    job = fresh.get(response["Location"]).json()
    assert job["status"] == "done"
    assert job["counts"]["payments"] == 1


def test_amounts_sent_as_json_numbers_import_as_their_text(
    alice_api: APIClient,
    alice: User,
    shipped_content: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A client may write ``"gross": 100.5``: the parser makes it a Decimal, which the
    job keeps as its text (it was a 500 before the job's document had an encoder)."""
    PaymentFactory.create(source=SourceFactory.create(owner=alice, name="Depot"))
    text = alice_api.get("/api/v1/me/export/").content.decode()
    text = text.replace('"gross":"100.00"', '"gross":100.5').replace(
        '"gross": "100.00"', '"gross": 100.5'
    )
    assert '"gross":100.5' in text or '"gross": 100.5' in text
    fresh = token_client(UserFactory.create(username="neu"))
    with django_capture_on_commit_callbacks(execute=True):
        response = fresh.post("/api/v1/me/import/", text, content_type="application/json")
    assert response.status_code == 202, response.content
    job = fresh.get(response["Location"]).json()
    assert job["status"] == "done", job
    payment = fresh.get("/api/v1/payments/").json()["results"][0]
    assert payment["gross"] == "100.50"


def test_the_zip_export(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/me/export/zip/")
    assert response.status_code == 200
    assert "ertrag.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_a_bad_row_fails_the_import_job_and_imports_nothing(
    alice_api: APIClient,
    alice: User,
    bob: User,
    shipped_content: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=bob))
    document = token_client(bob).get("/api/v1/me/export/").json()
    document["payments"][0].update(gross="-5.00", tax_withheld="1.00")  # a reversal keeps no tax
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/me/import/", document, format="json")
    assert response.status_code == 202
    job = alice_api.get(response["Location"]).json()
    assert job["status"] == "failed"
    assert job["errors"][0].startswith("payments, row 1")
    assert not IncomeSource.objects.filter(owner=alice).exists()


def test_what_is_not_an_export_is_a_400_at_once(alice_api: APIClient) -> None:
    response = alice_api.post("/api/v1/me/import/", {"format": "other"}, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == ["The file is not an Ertrag export."]


def test_deleting_needs_the_password(alice_api: APIClient, alice: User) -> None:
    response = alice_api.post("/api/v1/me/delete/", {"password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    assert alice_api.post("/api/v1/me/delete/", {"password": PASSWORD}).status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()
    assert alice_api.get("/api/v1/me/").status_code == 401


def test_the_data_endpoints_need_a_token(api_client: APIClient, db: None) -> None:
    for url in ("/api/v1/me/export/", "/api/v1/me/export/zip/"):
        assert api_client.get(url).status_code == 401
    for url in ("/api/v1/me/import/", "/api/v1/me/delete/"):
        assert api_client.post(url, {}, format="json").status_code == 401
