"""``payments_insert``: COPY on PostgreSQL, ``bulk_create`` elsewhere, the same rows and
the same errors either way (issue 21: the import's writes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from income.models import Payment
from income.payment_writes import NewPayment, payments_insert
from tests.factories import SourceFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _row(source_id: int, **changes: Any) -> NewPayment:
    row = NewPayment(
        source_id=source_id, date=date(2025, 3, 1), gross=D("100.00"), tax_withheld=D("15.00"),
        fees=D("0.50"), currency="USD", note="", external_id=None, row_hash="a" * 64,
    )  # fmt: skip
    return row._replace(**changes)


def test_the_rows_are_stored_as_given_and_created_now(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    odd = "tab\there, a line\nbreak, a back\\slash, \\N and ümlaut"
    rows = [
        _row(source.pk, foreign_tax=D("15.00")),
        _row(
            source.pk,
            external_id="T-1",
            row_hash=None,
            note=odd,
            gross=D("-3.10"),
            tax_withheld=D(0),
            fees=D("-0.10"),
            currency="EUR",
        ),
    ]
    with transaction.atomic():
        payments_insert(rows)
    stored = list(
        Payment.objects.filter(source=source)
        .order_by("pk")
        .values_list(*NewPayment._fields, "created_at")
    )
    assert [NewPayment(*values[:-1]) for values in stored] == rows
    assert all(values[-1] is not None for values in stored)


def test_a_row_already_there_is_an_integrity_error_and_writes_nothing(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    with transaction.atomic():
        payments_insert([_row(source.pk, external_id="T-1", row_hash=None)])
    with pytest.raises(IntegrityError), transaction.atomic():
        payments_insert(
            [_row(source.pk, external_id="T-2", row_hash=None), _row(source.pk, external_id="T-1")]
        )
    assert list(Payment.objects.values_list("external_id", flat=True)) == ["T-1"]


def test_a_row_against_the_amount_rules_is_an_integrity_error(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        payments_insert([_row(source.pk, tax_withheld=D("120.00"))])  # more than the gross
    assert not Payment.objects.exists()


def test_a_foreign_tax_above_the_tax_withheld_is_an_integrity_error(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        payments_insert([_row(source.pk, foreign_tax=D("15.01"))])
    assert not Payment.objects.exists()


def test_a_row_that_names_no_foreign_tax_has_none(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    with transaction.atomic():
        payments_insert([_row(source.pk)])
    assert Payment.objects.get().foreign_tax == D("0.00")


def test_nothing_to_insert_is_nothing_done(alice: User) -> None:
    payments_insert([])
    assert not Payment.objects.exists()
