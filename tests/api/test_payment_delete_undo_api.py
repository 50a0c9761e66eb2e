"""DELETE /api/v1/payments/{id}/ answers 204 with an Undo-Token header that restores the
payment at POST /api/v1/payments/undo/, as the bulk delete's token does (issue 18)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import IncomeSource, Payment
from tests.factories import PaymentFactory, SourceFactory

URL = "/api/v1/payments/"


def a_payment(owner: User) -> Payment:
    source: IncomeSource = SourceFactory.create(owner=owner, name="Flat", currency="USD")
    return PaymentFactory.create(
        source=source, date=date(2025, 3, 1), gross=Decimal("750.00"),
        tax_withheld=Decimal("112.50"), fees=Decimal("3.20"), currency="USD",
        note="March rent", external_id="bank-4711",
    )  # fmt: skip


def test_delete_then_undo_restores_the_same_row_with_every_field(
    alice: User, alice_api: APIClient
) -> None:
    payment = a_payment(alice)
    PaymentFactory.create(source=payment.source, date=date(2025, 4, 1))  # stays as it is
    before = list(Payment.objects.order_by("pk").values())
    response = alice_api.delete(f"{URL}{payment.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    assert not Payment.objects.filter(pk=payment.pk).exists()
    undone = alice_api.post(f"{URL}undo/", {"token": response["Undo-Token"]}, format="json")
    assert undone.status_code == 200
    assert undone.json() == {"count": 1}
    assert list(Payment.objects.order_by("pk").values()) == before


def test_the_token_works_once(alice: User, alice_api: APIClient) -> None:
    payment = a_payment(alice)
    token = alice_api.delete(f"{URL}{payment.pk}/")["Undo-Token"]
    assert alice_api.post(f"{URL}undo/", {"token": token}, format="json").status_code == 200
    again = alice_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert again.status_code == 400
    assert "token" in again.json()
    assert Payment.objects.filter(pk=payment.pk).count() == 1


def test_bob_cannot_use_alices_token(alice: User, alice_api: APIClient, bob_api: APIClient) -> None:
    payment = a_payment(alice)
    token = alice_api.delete(f"{URL}{payment.pk}/")["Undo-Token"]
    response = bob_api.post(f"{URL}undo/", {"token": token}, format="json")
    assert response.status_code == 400
    assert "token" in response.json()
    assert not Payment.objects.filter(pk=payment.pk).exists()


def test_bob_cannot_delete_alices_payment(alice: User, bob_api: APIClient) -> None:
    payment = a_payment(alice)
    response = bob_api.delete(f"{URL}{payment.pk}/")
    assert response.status_code == 404
    assert "Undo-Token" not in response
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_a_second_delete_of_the_same_payment_is_404(alice: User, alice_api: APIClient) -> None:
    payment = a_payment(alice)
    assert alice_api.delete(f"{URL}{payment.pk}/").status_code == 204
    again = alice_api.delete(f"{URL}{payment.pk}/")
    assert again.status_code == 404
    assert "Undo-Token" not in again
