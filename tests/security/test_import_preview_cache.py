"""A preview is read once per upload and mapping, not on every GET (issue 19, finding 5:
3 s per GET at 100,000 rows). The measure: the second GET does not even load the file
from the database, let alone read it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from imports import services
from imports.models import PaymentImport

GERMAN = b"Datum;Betrag;Quelle\n01.02.2024;12,50;Miete\n02.02.2024;7,00;Miete\n"


def _file_queries(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [
        q["sql"] for q in queries.captured_queries if '"content"' in q["sql"]
    ]


@pytest.mark.django_db
def test_the_second_preview_does_not_read_the_file_again(alice: User) -> None:
    upload = services.payment_import_upload(
        owner=alice, filename="rent.csv", content=GERMAN, source=None
    )
    client = Client()
    client.force_login(alice)
    url = f"/imports/{upload.pk}/"
    first_status, first_reads = _file_queries(client, url)
    assert (first_status, len(first_reads)) == (200, 1)
    second_status, second_reads = _file_queries(client, url)
    assert (second_status, second_reads) == (200, [])


@pytest.mark.django_db
def test_a_changed_mapping_is_read_afresh(alice: User) -> None:
    upload = services.payment_import_upload(
        owner=alice, filename="rent.csv", content=GERMAN, source=None
    )
    before = services.payment_import_preview(upload=upload).result
    assert before.number_format == "de"
    upload = services.payment_import_configure(
        upload=upload, source=None, mapping={"number_format": "en"}
    )
    after = services.payment_import_preview(upload=upload).result
    assert after.number_format == "en"
    assert [row.gross for row in after.rows] != [row.gross for row in before.rows]


@pytest.mark.django_db
def test_another_upload_never_gets_this_ones_reading(alice: User, bob: User) -> None:
    mine = services.payment_import_upload(
        owner=alice, filename="a.csv", content=GERMAN, source=None
    )
    services.payment_import_preview(upload=mine)
    other = services.payment_import_upload(
        owner=bob, filename="b.csv", content=GERMAN.replace(b"12,50", b"99,00"), source=None
    )
    rows = services.payment_import_preview(upload=other).result.rows
    assert str(rows[0].gross) == "99.00"
    assert PaymentImport.objects.count() == 2
