"""CSV import: both formats, all or nothing, and never a doubled row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from finance.errors import DomainError
from imports import jobs, services, writing
from income.models import IncomeSource, Payment
from tests.factories import SourceFactory

GERMAN = (
    "Datum;Betrag;Steuer;Gebühren;Notiz\n"
    "31.12.2025;1.234,56;185,18;1,00;Dividende Q4\n"
    "30.09.2025;98,10;14,72;0,00;Dividende Q3\n"
).encode("cp1252")
ENGLISH = (
    b"\xef\xbb\xbfDate,Amount,Tax,Fees,Currency,ID,Source\n"
    b'2025-12-31,"1,234.56",185.18,1.00,USD,TX-1,World ETF\n'
    b"2025-09-30,98.10,14.72,0,USD,TX-2,World ETF\n"
)


def test_a_german_file_is_imported_to_the_chosen_source(alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="Flat")
    summary = writing.payments_import(owner=alice, data=GERMAN, source=source)
    assert (summary.created, summary.duplicates) == (2, 0)
    payment = Payment.objects.get(date=date(2025, 12, 31))
    assert (payment.gross, payment.tax_withheld, payment.fees) == (
        Decimal("1234.56"), Decimal("185.18"), Decimal("1.00")
    )  # fmt: skip
    assert payment.net == Decimal("1048.38")
    assert payment.currency == "EUR"
    assert payment.note == "Dividende Q4"


def test_an_english_file_names_its_source_per_row(alice: User) -> None:
    SourceFactory.create(owner=alice, name="World ETF", currency="USD")
    summary = writing.payments_import(owner=alice, data=ENGLISH)
    assert summary.created == 2
    assert set(Payment.objects.values_list("external_id", flat=True)) == {"TX-1", "TX-2"}


def test_the_same_file_twice_adds_nothing(alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="World ETF", currency="USD")
    writing.payments_import(owner=alice, data=GERMAN, source=source)
    writing.payments_import(owner=alice, data=ENGLISH)
    again = writing.payments_import(owner=alice, data=GERMAN, source=source)
    again_en = writing.payments_import(owner=alice, data=ENGLISH)
    assert (again.created, again.duplicates) == (0, 2)
    assert (again_en.created, again_en.duplicates) == (0, 2)
    assert Payment.objects.count() == 4


def test_a_broken_row_stops_the_whole_file(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    broken = GERMAN + "30.02.2025;10,00;0;0;kaputt\n".encode("cp1252")
    with pytest.raises(writing.ImportRejected) as rejected:
        writing.payments_import(owner=alice, data=broken, source=source)
    assert [(line, field) for line, field, _m in rejected.value.errors] == [(4, "date")]
    assert Payment.objects.count() == 0


def test_an_unknown_source_name_becomes_a_new_source_of_the_importer(
    alice: User, bob: User
) -> None:
    bobs = SourceFactory.create(owner=bob, name="World ETF", currency="USD")
    summary = writing.payments_import(owner=alice, data=ENGLISH)
    assert (summary.created, summary.created_sources) == (2, 1)
    created = IncomeSource.objects.get(owner=alice)
    assert (created.name, created.currency, created.category.slug) == (
        "World ETF", "USD", "other-passive"
    )  # fmt: skip
    assert not Payment.objects.filter(source=bobs).exists()


def test_rows_without_a_source_and_no_default_are_row_errors(alice: User) -> None:
    with pytest.raises(writing.ImportRejected) as rejected:
        writing.payments_import(owner=alice, data=GERMAN)
    assert {(line, field) for line, field, _m in rejected.value.errors} == {
        (2, "source"),
        (3, "source"),
    }
    assert Payment.objects.count() == 0


def test_another_users_source_cannot_receive_the_import(alice: User, bob: User) -> None:
    with pytest.raises(DomainError):
        writing.payments_import(owner=alice, data=GERMAN, source=SourceFactory.create(owner=bob))
    assert Payment.objects.count() == 0


def test_formula_injection_is_refused(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    evil = b"Datum;Betrag;Notiz\n31.12.2025;10,00;=cmd|' /C calc'!A0\n"
    with pytest.raises(writing.ImportRejected):
        writing.payments_import(owner=alice, data=evil, source=source)
    assert Payment.objects.count() == 0


def test_an_upload_is_kept_for_preview_and_imported_once(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    source = SourceFactory.create(owner=alice)
    upload = services.payment_import_upload(
        owner=alice, filename="bank.csv", content=GERMAN, source=source
    )
    assert services.payment_import_preview(upload=upload).result.ok
    assert Payment.objects.count() == 0
    # Queued on commit; the eager worker runs it at once.
    with django_capture_on_commit_callbacks(execute=True):
        jobs.payment_import_start(upload=upload)
    upload.refresh_from_db()
    assert (upload.status, upload.created_rows, upload.total_rows) == ("done", 2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.payment_import_start(upload=upload)
    assert jobs.payment_import_process(upload_id=upload.pk) is None
    assert Payment.objects.count() == 2


def test_an_oversize_upload_is_refused(alice: User, settings: pytest.FixtureRequest) -> None:
    settings.IMPORT_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as refused:
        services.payment_import_upload(
            owner=alice, filename="big.csv", content=b"x" * 101, source=None
        )
    assert list(refused.value.field_errors) == ["file"]
