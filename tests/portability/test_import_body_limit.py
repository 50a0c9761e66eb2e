"""``POST /api/v1/me/import/`` takes a body up to its own limit (issue 19, left over).

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2 MB) used to cap it, through DRF reading a
JSON body by ``request.body``, so the export's documented 64 MB were never reached.
The limit is ``DATA_IMPORT_MAX_BYTES``, lowered here to keep the tests fast, with
Django's own cap lowered below it to show that it no longer applies.
"""

from __future__ import annotations

import io
import json
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from pytest_django import Settings
from rest_framework.test import APIClient

from portability.models import DataImport
from tests.conftest import token_client
from tests.factories import PaymentFactory, SourceFactory, UserFactory

LIMIT = 20_000


class CountingInput(io.BytesIO):
    """A request body that counts what is read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> None:
    settings.DATA_IMPORT_MAX_BYTES = LIMIT
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000  # Django's cap, far below the view's
    settings.API_JSON_MAX_BYTES = 1_000


@pytest.fixture
def export(alice: User) -> bytes:
    """A real export of a small account, as JSON text."""
    source = SourceFactory.create(owner=alice, name="Depot")
    for day in range(1, 11):
        PaymentFactory.create(source=source, date=f"2025-03-{day:02d}")
    return token_client(alice).get("/api/v1/me/export/").content


def _sized(document: bytes, size: int) -> bytes:
    """``document`` padded with trailing whitespace (still the same JSON) to ``size``."""
    assert len(document) <= size
    return document + b" " * (size - len(document))


def _post(client: APIClient, body: bytes, *, declared: int | None = None) -> tuple[Any, int]:
    stream = CountingInput(body)
    response = client.generic(
        "POST",
        "/api/v1/me/import/",
        content_type="application/json",
        CONTENT_LENGTH=str(declared if declared is not None else len(body)),
        **cast(dict[str, Any], {"wsgi.input": stream}),
    )
    return response, stream.taken


def test_a_body_of_exactly_the_limit_is_imported(
    export: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    fresh = token_client(UserFactory.create(username="fresh"))
    with django_capture_on_commit_callbacks(execute=True):
        response, _taken = _post(fresh, _sized(export, LIMIT))
    assert response.status_code == 202, response.content
    job = fresh.get(response["Location"]).json()
    assert job["status"] == "done", job
    assert job["counts"]["payments"] == 10


def test_one_byte_over_the_limit_is_a_413_and_nothing_is_queued(export: bytes) -> None:
    fresh = token_client(UserFactory.create(username="fresh"))
    response, _taken = _post(fresh, _sized(export, LIMIT + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not DataImport.objects.exists()


def test_a_declared_length_over_the_limit_is_refused_unread(export: bytes) -> None:
    fresh = token_client(UserFactory.create(username="fresh"))
    response, taken = _post(fresh, export, declared=LIMIT + 1)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert taken == 0
    assert not DataImport.objects.exists()


def test_a_body_longer_than_it_says_is_read_no_further_than_the_limit(export: bytes) -> None:
    """Django reads no more than ``Content-Length``; the parser no more than the limit."""
    fresh = token_client(UserFactory.create(username="fresh"))
    body = _sized(export, LIMIT * 3)
    response, taken = _post(fresh, body, declared=LIMIT)
    assert response.status_code == 202, response.content
    assert taken <= LIMIT


def test_other_json_bodies_keep_the_apis_usual_limit(alice_api: APIClient) -> None:
    body = json.dumps({"name": "x" * 2_000}).encode()
    response = alice_api.post("/api/v1/sources/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
