"""``/api/v1/imports/`` for statements: a preset file with a plain POST, the presets, the
preview with every override, the rejected lines, and saved mappings (PRODUCT.md §8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoCaptureOnCommitCallbacks as OnCommit
from rest_framework.test import APIClient

from imports.models import ImportMapping, PaymentImport
from imports.parsing.billing.presets import BILLING_PRESETS
from imports.parsing.presets import PRESETS
from income.models import IncomeSource, Payment
from tests.factories import SourceFactory

FIXTURES = Path(__file__).resolve().parents[1] / "imports" / "fixtures"


def fixture(key: str) -> bytes:
    return (FIXTURES / f"{key}.csv").read_bytes()


def expected(key: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{key}.expected.json").read_text())


def post(client: APIClient, url: str, content: bytes, **fields: Any) -> Any:
    return client.post(
        url,
        {"file": SimpleUploadedFile("statement.csv", content, "text/csv"), **fields},
        format="multipart",
    )


def test_a_preset_file_imports_with_a_plain_post(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = post(alice_api, "/api/v1/imports/", fixture("trade_republic")).json()
    done = alice_api.get(f"/api/v1/imports/{job['id']}/").json()
    wanted = expected("trade_republic")
    assert done["status"] == "done"
    assert done["preset"] == "trade_republic"
    assert done["created_rows"] == len(wanted["payments"])
    assert done["skipped_rows"] == len(wanted["skipped"])
    assert done["created_sources"] == len({p["source"] for p in wanted["payments"]})
    assert Payment.objects.filter(source__owner=alice).count() == len(wanted["payments"])


def test_the_presets_are_listed(alice_api: APIClient, alice: User) -> None:
    body = alice_api.get("/api/v1/imports/presets/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert {p["key"] for p in body} == set(PRESETS) | set(BILLING_PRESETS)
    assert {p["key"] for p in body if p["kind"] == "billing"} == set(BILLING_PRESETS)
    paypal = next(p for p in body if p["key"] == "paypal_de")
    assert paypal["signature"]
    assert paypal["description"]


def test_a_preview_reads_a_file_without_keeping_it(alice_api: APIClient, alice: User) -> None:
    response = post(alice_api, "/api/v1/imports/preview/", fixture("paypal_de"))
    assert response.status_code == 200, response.content
    body = response.json()
    wanted = expected("paypal_de")
    assert body["preset"] == "paypal_de"
    assert body["payments_count"] == len(wanted["payments"])
    assert [(s["line"], s["reason"]) for s in body["skipped"]] == [
        (s["line"], s["reason"]) for s in wanted["skipped"]
    ]
    assert all(s["reason_text"] for s in body["skipped"])
    assert {s["how"] for s in body["sources"]} == {"create"}
    assert PaymentImport.objects.count() == 0
    assert Payment.objects.count() == 0


UNKNOWN = (
    b"Export Musterbank;;;\n"
    b"Zeitpunkt;Vorfall;Gegenpartei;Summe\n"
    b"2025-06-30 23:59:59;Zins;Musterbank;1,50\n"
    b"2025-06-15 10:00:00;Ausgang;Ich;-500,00\n"
)
OVERRIDES = {
    "header_line": 2,
    "columns": {"date": 0, "type": 1, "source": 2, "gross": 3},
    "guess": False,
    "number_format": "de",
    "date_order": "ymd",
    "negative": "skip",
    "fee_sign": "negative",
    "currency": "CHF",
    "types": {"Zins": "income", "Ausgang": "skip:transfer"},
}


def test_a_mapping_with_every_override_is_read_and_saved(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    preview = post(
        alice_api, "/api/v1/imports/preview/", UNKNOWN, mapping=json.dumps(OVERRIDES)
    ).json()
    assert preview["payments_count"] == 1
    assert preview["payments"][0]["currency"] == "CHF"
    assert [(s["line"], s["reason"]) for s in preview["skipped"]] == [(4, "transfer")]

    with django_capture_on_commit_callbacks(execute=True):
        job = post(
            alice_api, "/api/v1/imports/", UNKNOWN, mapping=json.dumps(OVERRIDES),
            save_as="Musterbank",
        ).json()  # fmt: skip
    assert alice_api.get(f"/api/v1/imports/{job['id']}/").json()["created_rows"] == 1
    saved = alice_api.get("/api/v1/import-mappings/").json()["results"]
    assert [m["name"] for m in saved] == ["Musterbank"]
    assert saved[0]["options"]["header_line"] is None  # found by the header's signature

    again = post(alice_api, "/api/v1/imports/preview/", b"\n" + UNKNOWN).json()
    assert again["saved_mapping"] == "Musterbank"
    assert again["payments_count"] == 1


def test_a_bad_override_is_a_400_that_keeps_nothing(alice_api: APIClient, alice: User) -> None:
    for bad in ({"date_order": "dym"}, {"columns": {"amount": 1}}, {"types": {"x": "gift"}}):
        response = post(alice_api, "/api/v1/imports/", UNKNOWN, mapping=json.dumps(bad))
        assert response.status_code == 400, bad
        assert "mapping" in response.json()
    assert PaymentImport.objects.count() == 0


def test_sources_can_be_chosen_per_value(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    bank = SourceFactory.create(owner=alice, name="Savings")
    with django_capture_on_commit_callbacks(execute=True):
        post(
            alice_api, "/api/v1/imports/", UNKNOWN, mapping=json.dumps(OVERRIDES),
            sources=json.dumps({"Musterbank": {"source": bank.pk}}),
        )  # fmt: skip
    assert Payment.objects.get().source == bank
    assert IncomeSource.objects.filter(owner=alice).count() == 1


def test_another_users_source_cannot_be_chosen(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    bobs = SourceFactory.create(owner=bob)
    response = post(
        alice_api, "/api/v1/imports/", UNKNOWN, mapping=json.dumps(OVERRIDES),
        sources=json.dumps({"Musterbank": {"source": bobs.pk}}),
    )  # fmt: skip
    assert response.status_code == 400
    assert "sources" in response.json()
    assert PaymentImport.objects.count() == 0


BROKEN = b"Datum;Betrag;Notiz\n31.12.2025;10,00;gut\n31.13.2025;5,00;kaputt\n"


def test_the_good_rows_on_request_and_the_rejected_lines_to_download(
    alice_api: APIClient,
    bob_api: APIClient,
    alice: User,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    source = SourceFactory.create(owner=alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = post(alice_api, "/api/v1/imports/", BROKEN, source=source.pk, partial=True).json()
    done = alice_api.get(f"/api/v1/imports/{job['id']}/").json()
    assert (done["status"], done["created_rows"], done["rejected_rows"]) == ("done", 1, 1)

    rejected = alice_api.get(f"/api/v1/imports/{job['id']}/rejected/")
    assert rejected.status_code == 200
    assert rejected["Content-Type"].startswith("text/csv")
    assert (
        rejected.content.decode().splitlines()[1]
        == "3;This date does not exist.;31.13.2025;5,00;kaputt"
    )
    assert bob_api.get(f"/api/v1/imports/{job['id']}/rejected/").status_code == 404


def test_a_saved_mapping_is_deleted_by_its_owner_only(
    alice_api: APIClient, bob_api: APIClient, alice: User
) -> None:
    mapping = ImportMapping.objects.create(owner=alice, name="Mine", signature="x" * 32, options={})
    assert bob_api.delete(f"/api/v1/import-mappings/{mapping.pk}/").status_code == 404
    assert alice_api.delete(f"/api/v1/import-mappings/{mapping.pk}/").status_code == 204
    assert not ImportMapping.objects.exists()
