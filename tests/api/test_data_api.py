"""/api/v1/me/export/, import/ and delete/: the data page's API for mobile clients."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import IncomeSource
from tests.conftest import token_client
from tests.factories import PASSWORD, PaymentFactory, SourceFactory, UserFactory


def test_export_then_import_into_a_new_account(
    alice_api: APIClient, alice: User, shipped_content: None
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=alice, name="Depot"))
    document = alice_api.get("/api/v1/me/export/").json()
    assert document["format"] == "ertrag-export"
    assert document["payments"][0]["gross"] == "100.00"

    fresh = token_client(UserFactory.create(username="neu"))
    response = fresh.post("/api/v1/me/import/", document, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["payments"] == 1


def test_the_zip_export(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/me/export/zip/")
    assert response.status_code == 200
    assert "ertrag.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_a_bad_import_is_a_400_and_imports_nothing(
    alice_api: APIClient, alice: User, bob: User, shipped_content: None
) -> None:
    PaymentFactory.create(source=SourceFactory.create(owner=bob))
    document = token_client(bob).get("/api/v1/me/export/").json()
    document["payments"][0].update(gross="-5.00", tax_withheld="1.00")  # a reversal keeps no tax
    response = alice_api.post("/api/v1/me/import/", document, format="json")
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("payments, row 1")
    assert not IncomeSource.objects.filter(owner=alice).exists()


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
