"""Importing a CSV file in the browser: upload, preview, map columns, import."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from income.models import Payment, PaymentImport
from tests.factories import SourceFactory

GERMAN = "Datum;Betrag;Steuer;Notiz\n31.12.2025;1.234,56;185,18;Q4\n".encode("cp1252")


def upload(client: Client, content: bytes, source_pk: int | str = "") -> PaymentImport:
    response = client.post(
        "/imports/new/", {"file": SimpleUploadedFile("bank.csv", content), "source": source_pk}
    )
    assert response.status_code == 302, response.content
    return PaymentImport.objects.latest("pk")


def test_upload_preview_and_import(client: Client, alice: User) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    preview = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "German number format" in preview
    assert "€1,234.56" in preview
    assert Payment.objects.count() == 0
    response = client.post(
        f"/imports/{imported.pk}/",
        {"action": "import", "date": "Datum", "gross": "Betrag", "tax_withheld": "Steuer",
         "note": "Notiz", "source_default": source.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Payment.objects.filter(source=source).count() == 1
    assert "1 payment imported." in client.get(f"/imports/{imported.pk}/").content.decode()


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
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN + b"31.12.2025;-5,00;0;neg\n", source.pk)
    preview = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Rows with errors" in preview
    assert "Amounts may not be negative." in preview
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
