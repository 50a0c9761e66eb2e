"""Two undos of one deletion at the same moment: one restores, the other is refused with
the typed 400 a second undo gets, never a 500 and never a second row (issue 20).

The race is played in one process: the twin's rows are inserted between the checks of
``payments_restore`` and its own insert, which is where a parallel request lands. Here
the twin shares the refused request's transaction, so its rows go with it; that exactly
one row stays is shown with real threads in ``tests/integration/test_api_races.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import Payment
from income.services import payments_bulk as services
from tests.factories import PaymentFactory, SourceFactory

URL = "/api/v1/payments/"


@contextmanager
def a_twin_restores_first() -> Iterator[None]:
    """The next insert of restored rows meets the same rows, committed a moment before."""
    real = services._restored_insert

    def twin_first(rows: list[Payment]) -> None:
        Payment.objects.bulk_create([copy.copy(row) for row in rows])
        real(rows)

    with mock.patch.object(services, "_restored_insert", side_effect=twin_first):
        yield


def test_an_undo_whose_twin_restored_first_is_refused_as_used(
    alice: User, alice_api: APIClient
) -> None:
    source = SourceFactory.create(owner=alice)
    payment = PaymentFactory.create(
        source=source, date=date(2025, 3, 1), gross=Decimal("750.00"), external_id="bank-1"
    )
    token = alice_api.delete(f"{URL}{payment.pk}/")["Undo-Token"]
    with a_twin_restores_first():
        response = alice_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert response.status_code == 400
    assert response.json() == {"token": ["These payments were already restored."]}


def test_a_sequential_second_undo_gives_the_same_answer(alice: User, alice_api: APIClient) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    token = alice_api.delete(f"{URL}{payment.pk}/")["Undo-Token"]
    assert alice_api.post(f"{URL}undo/", {"token": token}, format="json").status_code == 200
    again = alice_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert again.status_code == 400
    assert again.json() == {"token": ["These payments were already restored."]}
