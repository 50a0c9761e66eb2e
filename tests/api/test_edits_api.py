"""What the API's edits keep and store (issue 20); the races run in
``tests/integration/test_api_races.py``."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import PaymentFactory


def test_a_negative_zero_amount_is_answered_and_stored_as_zero(
    alice: User, alice_api: APIClient
) -> None:
    payment = PaymentFactory.create(source__owner=alice)
    response = alice_api.patch(f"/api/v1/payments/{payment.pk}/", {"fees": "-0"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["fees"] == "0.00"
    payment.refresh_from_db()
    assert str(payment.fees) == "0.00"


def test_deleting_a_deleted_payment_again_is_not_found(alice: User, alice_api: APIClient) -> None:
    payment = PaymentFactory.create(source__owner=alice)
    assert alice_api.delete(f"/api/v1/payments/{payment.pk}/").status_code == 204
    assert alice_api.delete(f"/api/v1/payments/{payment.pk}/").status_code == 404
    assert (
        alice_api.patch(
            f"/api/v1/payments/{payment.pk}/", {"note": "late"}, format="json"
        ).status_code
        == 404
    )
