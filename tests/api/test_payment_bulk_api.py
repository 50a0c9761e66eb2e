"""/api/v1/payments/: search, ordering, the bulk endpoint, undo and the duplicate
question (issue 18, item 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from income.models import IncomeSource, Payment
from tests.factories import PaymentFactory, SourceFactory

URL = "/api/v1/payments/"


@pytest.fixture
def flat(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="Flat")


def ids(response: object) -> list[int]:
    return [row["id"] for row in response.json()["results"]]  # type: ignore[attr-defined]


def test_search_matches_note_source_and_amount(
    alice_api: APIClient, flat: IncomeSource, bob: User
) -> None:
    rent = PaymentFactory.create(source=flat, gross=Decimal("750.00"), note="rent")
    PaymentFactory.create(source=flat, gross=Decimal("1.00"), note="interest")
    PaymentFactory.create(source=SourceFactory.create(owner=bob), gross=Decimal("750.00"))
    assert ids(alice_api.get(URL, {"search": "750,00"})) == [rent.pk]
    assert ids(alice_api.get(URL, {"search": "RENT"})) == [rent.pk]
    assert len(ids(alice_api.get(URL, {"search": "flat"}))) == 2


def test_ordering_takes_several_keys_and_refuses_unknown_ones(
    alice_api: APIClient, flat: IncomeSource
) -> None:
    a = PaymentFactory.create(source=flat, gross=Decimal("5.00"), date=date(2025, 1, 2))
    b = PaymentFactory.create(source=flat, gross=Decimal("9.00"), date=date(2025, 1, 1))
    c = PaymentFactory.create(source=flat, gross=Decimal("7.00"), date=date(2025, 1, 2))
    assert ids(alice_api.get(URL, {"ordering": "date,-gross"})) == [b.pk, c.pk, a.pk]
    assert ids(alice_api.get(URL, {"ordering": "-net"})) == [b.pk, c.pk, a.pk]
    response = alice_api.get(URL, {"ordering": "owner"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_the_list_query_count_does_not_grow_with_rows(
    alice_api: APIClient, flat: IncomeSource
) -> None:
    PaymentFactory.create(source=flat, note="1 row")  # a match: the page query runs

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_api.get(URL, {"search": "1", "ordering": "-net"}).status_code == 200
        return len(captured)

    few = queries()
    Payment.objects.bulk_create(
        Payment(source=flat, date=date(2025, 1, 1), gross=Decimal("1.00"), currency="EUR")
        for _ in range(30)
    )
    assert queries() == few


def test_bulk_move_then_delete_then_undo(
    alice_api: APIClient, flat: IncomeSource, alice: User
) -> None:
    target = SourceFactory.create(owner=alice, name="Garage")
    rows = [PaymentFactory.create(source=flat, gross=Decimal(f"{i}.00")) for i in range(1, 11)]
    all_ids = [row.pk for row in rows]
    response = alice_api.post(
        f"{URL}bulk/", {"action": "move", "ids": all_ids, "source": target.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"action": "move", "count": 10, "undo_token": None}
    before = list(Payment.objects.order_by("pk").values())
    response = alice_api.post(
        f"{URL}bulk/", {"action": "delete", "ids": all_ids[:3]}, format="json"
    )
    assert response.json()["count"] == 3
    assert Payment.objects.count() == 7
    token = response.json()["undo_token"]
    response = alice_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert response.status_code == 200
    assert response.json() == {"count": 3}
    assert list(Payment.objects.order_by("pk").values()) == before


def test_bulk_with_another_users_ids_or_source_is_404(
    alice_api: APIClient, bob_api: APIClient, flat: IncomeSource, bob: User
) -> None:
    mine = PaymentFactory.create(source=flat, gross=Decimal("3.00"))
    bobs_source = SourceFactory.create(owner=bob)
    response = bob_api.post(
        f"{URL}bulk/",
        {"action": "set_currency", "ids": [mine.pk], "currency": "USD"},
        format="json",
    )
    assert response.status_code == 404
    response = alice_api.post(
        f"{URL}bulk/", {"action": "move", "ids": [mine.pk], "source": bobs_source.pk}, format="json"
    )
    assert response.status_code == 404
    stored = Payment.objects.get()
    assert (stored.currency, stored.source_id) == ("EUR", flat.pk)


def test_bob_cannot_use_alices_undo_token(
    alice_api: APIClient, bob_api: APIClient, flat: IncomeSource
) -> None:
    mine = PaymentFactory.create(source=flat)
    token = alice_api.post(
        f"{URL}bulk/", {"action": "delete", "ids": [mine.pk]}, format="json"
    ).json()["undo_token"]
    response = bob_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_bulk_refuses_bad_input_clearly(alice_api: APIClient, flat: IncomeSource) -> None:
    mine = PaymentFactory.create(source=flat)
    too_many = alice_api.post(
        f"{URL}bulk/", {"action": "delete", "ids": list(range(1, 502))}, format="json"
    )
    assert too_many.status_code == 400
    assert "ids" in too_many.json()
    missing = alice_api.post(f"{URL}bulk/", {"action": "set_date", "ids": [mine.pk]}, format="json")
    assert missing.status_code == 400
    assert "date" in missing.json()
    assert Payment.objects.get().date == mine.date


def test_a_likely_duplicate_needs_confirm_duplicate(
    alice_api: APIClient, flat: IncomeSource
) -> None:
    body = {"source": flat.pk, "date": "2025-03-01", "gross": "750.00"}
    assert alice_api.post(URL, body, format="json").status_code == 201
    again = alice_api.post(URL, body, format="json")
    assert again.status_code == 400
    assert "confirm_duplicate" in again.json()
    confirmed = alice_api.post(URL, {**body, "confirm_duplicate": True}, format="json")
    assert confirmed.status_code == 201
    assert "confirm_duplicate" not in confirmed.json()
    assert Payment.objects.count() == 2
