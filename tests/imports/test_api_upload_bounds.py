"""The API's statement upload is bounded while it is read (issue 19, left over).

DRF's multipart parser read the whole body before the view could look at the file's
size. Now a declared length over the limit is refused unread, and a file that passes
the limit while it is read stops the reading: a 413 in the API's error shape, and
nothing stored. The measures are the bytes taken from the body (a counting
``wsgi.input``, as in tests/security/test_upload_bounds.py) and the bytes Django's
upload handlers were given to keep.
"""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from pytest_django import Settings
from rest_framework.test import APIClient

from config.uploads import FORM_OVERHEAD
from imports.models import PaymentImport

LIMIT = 200_000
CSV_HEAD = b"Datum;Betrag\n"
CSV_ROW = b"01.02.2024;12,50\n"


class CountingInput(io.BytesIO):
    """A request body that counts what is read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.taken += len(data)
        return data


@pytest.fixture(autouse=True)
def _limit(settings: Settings) -> None:
    settings.IMPORT_MAX_BYTES = LIMIT


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bytes Django's own upload handlers were given to keep (memory or disk)."""
    given: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def receive(self: Any, raw_data: bytes, start: int, _original: Any = original) -> Any:
            given.append(len(raw_data))
            return _original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", receive)
    return given


def _statement(size: int) -> bytes:
    """A German bank statement of exactly ``size`` bytes."""
    rows = CSV_HEAD + CSV_ROW * ((size - len(CSV_HEAD)) // len(CSV_ROW))
    return rows + b"\n" * (size - len(rows))


def _post(
    client: APIClient, url: str, content: bytes, *, declared: int | None = None, **fields: Any
) -> tuple[Any, int]:
    upload = io.BytesIO(content)
    upload.name = "statement.csv"
    body = encode_multipart(BOUNDARY, {"file": upload, **fields})
    stream = CountingInput(body)
    response = client.generic(
        "POST",
        url,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(declared if declared is not None else len(body)),
        **cast(dict[str, Any], {"wsgi.input": stream}),
    )
    return response, stream.taken


def _refused(response: Any) -> None:
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "request_too_large"
    assert "195 KB" in body["detail"]  # the limit, 200,000 bytes


@pytest.mark.parametrize("url", ["/api/v1/imports/", "/api/v1/imports/preview/"])
def test_a_declared_length_over_the_limit_is_refused_unread(
    alice_api: APIClient, alice: User, url: str
) -> None:
    response, taken = _post(alice_api, url, b"x", declared=LIMIT + FORM_OVERHEAD + 1)
    _refused(response)
    assert taken == 0
    assert not PaymentImport.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/imports/", "/api/v1/imports/preview/"])
def test_a_file_past_the_limit_stops_the_reading(
    alice_api: APIClient, alice: User, url: str, kept: list[int]
) -> None:
    """Within the room for the form's other fields its length passes; the file does not.
    Reading stops at the chunk (64 KB) that passes the limit: nothing past the limit is
    kept, in memory or on disk."""
    content = _statement(LIMIT + 60_000)
    response, _taken = _post(alice_api, url, content)
    _refused(response)
    assert 0 < sum(kept) <= LIMIT
    assert not PaymentImport.objects.exists()


def test_a_file_of_exactly_the_limit_is_taken(alice_api: APIClient, alice: User) -> None:
    response, _taken = _post(alice_api, "/api/v1/imports/", _statement(LIMIT))
    assert response.status_code == 202, response.content
    assert PaymentImport.objects.filter(owner=alice).count() == 1


def test_one_byte_over_the_limit_is_refused(alice_api: APIClient, alice: User) -> None:
    response, _taken = _post(alice_api, "/api/v1/imports/", _statement(LIMIT + 1))
    _refused(response)
    assert not PaymentImport.objects.exists()


def test_a_browser_session_is_bounded_before_its_csrf_check_reads_the_form(
    alice: User, kept: list[int]
) -> None:
    """With a session, DRF's CSRF check reads the form during authentication, before any
    parser: the bound is in place by then."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    content = _statement(LIMIT + 60_000)
    upload = io.BytesIO(content)
    upload.name = "statement.csv"
    stream = CountingInput(encode_multipart(BOUNDARY, {"file": upload}))
    response = client.generic(
        "POST",
        "/api/v1/imports/",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(stream.getvalue())),
        HTTP_X_CSRFTOKEN=token,
        **cast(dict[str, Any], {"wsgi.input": stream}),
    )
    _refused(response)
    assert 0 < sum(kept) <= LIMIT
    assert not PaymentImport.objects.exists()
