"""An oversize upload is refused before its body is read (issue 19, finding 5).

The measure is the bytes the server takes from the request body (a counting
``wsgi.input``), not the clock: 400 MB were read to refuse a file once.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from config.uploads import FORM_OVERHEAD
from imports.models import PaymentImport
from portability.forms import MAX_IMPORT_BYTES


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


def _post(
    client: Client, url: str, body: bytes, *, declared: int | None = None
) -> tuple[int, int, str]:
    stream = CountingInput(body)
    environ: dict[str, Any] = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "wsgi.input": stream,
        "CONTENT_LENGTH": str(declared if declared is not None else len(body)),
    }
    response = client.generic("POST", url, **environ)
    return response.status_code, stream.taken, response.content.decode()


def _file_body(size: int, *, token: str = "", name: str = "statement.csv") -> bytes:
    upload = io.BytesIO(b"x" * size)
    upload.name = name
    return encode_multipart(BOUNDARY, {"file": upload, "csrfmiddlewaretoken": token})


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=10_000)
def test_a_statement_over_the_limit_by_its_length_is_refused_unread(alice: User) -> None:
    body = _file_body(10_000 + FORM_OVERHEAD + 1)
    status, taken, page = _post(_client(alice), "/imports/new/", body)
    assert (status, taken) == (413, 0)
    assert "larger than 1 MB" in page
    assert not PaymentImport.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=10_000)
def test_a_statement_over_the_limit_inside_the_form_room_is_stopped_while_read(
    alice: User,
) -> None:
    body = _file_body(10_001)
    status, _taken, _page = _post(_client(alice), "/imports/new/", body)
    assert status == 413
    assert not PaymentImport.objects.exists()


@pytest.mark.django_db
def test_an_export_over_the_limit_by_its_length_is_refused_unread(alice: User) -> None:
    # The body itself stays small: only its declared length is over the limit, and
    # nothing of it may be read to find that out.
    body = _file_body(100, name="ertrag.zip")
    declared = MAX_IMPORT_BYTES + FORM_OVERHEAD + 1
    status, taken, _page = _post(_client(alice), "/settings/data/import/", body, declared=declared)
    assert (status, taken) == (413, 0)


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=10_000)
def test_a_statement_within_the_limit_is_still_taken(alice: User) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(alice)
    page = client.get("/imports/new/")
    token = page.cookies["csrftoken"].value
    data = io.BytesIO(b"Datum;Betrag\n01.02.2024;12,50\n")
    data.name = "statement.csv"
    response = client.post("/imports/new/", {"file": data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert PaymentImport.objects.filter(owner=alice).count() == 1


@pytest.mark.django_db
def test_an_upload_without_the_csrf_token_is_still_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(alice)
    data = io.BytesIO(b"Datum;Betrag\n01.02.2024;12,50\n")
    data.name = "statement.csv"
    assert client.post("/imports/new/", {"file": data}).status_code == 403
    assert not PaymentImport.objects.exists()
