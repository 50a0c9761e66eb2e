"""An uploaded export is read with bounds (issue 19, findings 2 and 10).

A 510 KB zip holding 512 MiB of spaces once took 1.1 GB of memory, and deep JSON in the
import was a 500. The document is now unpacked as a stream up to a cap, the zip's shape
is checked, the JSON's nesting is bounded; each answer is a clear error and nothing is
written (no job, no source).
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from finance.errors import DomainError
from income.models import IncomeSource
from portability import document, services
from portability.models import DataImport

EXPORT = {"format": "ertrag-export", "version": 1, "profile": {}, "sources": []}


def _zip(members: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bomb(size: int) -> bytes:
    """A small zip whose ertrag.json unpacks to ``size`` bytes of spaces."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("ertrag.json", "w", force_zip64=True) as member,
    ):
        chunk = b" " * 2**20
        for _ in range(size // len(chunk)):
            member.write(chunk)
        member.write(b" " * (size % len(chunk)))
    return buffer.getvalue()


def test_a_zip_bomb_is_unpacked_no_further_than_the_cap() -> None:
    bomb = _bomb(document.MAX_DOCUMENT_BYTES + 2**20)
    assert len(bomb) < document.MAX_DOCUMENT_BYTES // 100  # a bomb: tiny packed
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(bomb)
    assert caught.value.message == document.TOO_LARGE


def test_the_cap_holds_for_a_document_just_over_it_and_lets_one_at_it_through() -> None:
    body = json.dumps(EXPORT).encode()
    padded = body + b" " * (1000 - len(body))
    assert document.read_export(_zip({"ertrag.json": padded}), max_bytes=1000) == EXPORT
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(_zip({"ertrag.json": padded + b" "}), max_bytes=1000)
    assert caught.value.message == document.TOO_LARGE


def test_a_json_upload_over_the_cap_is_refused_unparsed() -> None:
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(b" " * 1001, max_bytes=1000)
    assert caught.value.message == document.TOO_LARGE


@pytest.mark.parametrize(
    "members",
    [
        {f"notes/{n}.txt": b"" for n in range(document.MAX_MEMBERS)}
        | {"ertrag.json": json.dumps(EXPORT).encode()},
        {"ertrag.json/": b""},
    ],
    ids=["too many members", "a folder named like the document"],
)
def test_a_zip_the_export_never_makes_is_refused(members: dict[str, bytes]) -> None:
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(_zip(members))
    assert caught.value.message == document.ODD_ZIP


def test_the_document_twice_in_one_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ertrag.json", json.dumps(EXPORT))
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("ertrag.json", json.dumps({**EXPORT, "sources": [{"ref": 1}]}))
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(buffer.getvalue())
    assert caught.value.message == document.ODD_ZIP


def test_a_nested_document_is_not_looked_for() -> None:
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(_zip({"inner/ertrag.json": json.dumps(EXPORT).encode()}))
    assert caught.value.message == document.NO_DOCUMENT


@pytest.mark.parametrize("body", [b"[" * 200_000, b'{"a":' * 100_000, b"[" * 30 + b"]" * 30])
def test_deep_json_in_the_import_is_a_clear_error(body: bytes) -> None:
    for upload in (body, _zip({"ertrag.json": body})):
        with pytest.raises(document.ExportUnreadable) as caught:
            document.read_export(upload)
        assert caught.value.message == document.TOO_DEEP


def test_a_damaged_zip_is_not_an_export() -> None:
    packed = bytearray(_zip({"ertrag.json": json.dumps(EXPORT).encode() * 50}))
    start = packed.index(b"ertrag.json") + len("ertrag.json")
    packed[start : start + 40] = b"\xff" * 40  # the compressed data, not the directory
    with pytest.raises(document.ExportUnreadable) as caught:
        document.read_export(bytes(packed))
    assert caught.value.message == document.NOT_AN_EXPORT


@pytest.mark.django_db
def test_the_service_refuses_a_bomb_and_writes_nothing(alice: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.account_import_file(user=alice, content=_bomb(document.MAX_DOCUMENT_BYTES + 1))
    assert caught.value.field_errors == {"file": [document.TOO_LARGE]}
    assert not IncomeSource.objects.filter(owner=alice).exists()
    assert not DataImport.objects.filter(owner=alice).exists()


@pytest.mark.django_db
def test_the_page_answers_deep_json_with_the_form_error(alice: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    upload = SimpleUploadedFile("ertrag.json", b"[" * 200_000, content_type="application/json")
    response = client.post("/settings/data/import/", {"file": upload})
    assert response.status_code == 400
    assert document.TOO_DEEP in response.content.decode()


@pytest.mark.django_db
def test_a_number_with_a_fraction_in_an_uploaded_export_keeps_its_text(alice: User) -> None:
    """Never a float, and nothing the stored document cannot hold (a ``Decimal``)."""
    body = json.dumps({**EXPORT, "note": 1.50}).encode().replace(b"1.5", b"1.50")
    assert document.read_export(body)["note"] == "1.50"
    job = services.account_import_file(user=alice, content=body)
    assert DataImport.objects.get(pk=job.pk).owner == alice
