"""The browser's undo, sent twice at once (two tabs, a double click that got through):
one restores, the other shows the "already restored" message; no 500, no second row
(issue 20). The twin's insert lands between the checks and the insert, as in
``tests/api/test_payment_undo_at_once.py``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.api.test_payment_undo_at_once import a_twin_restores_first
from tests.factories import PaymentFactory, SourceFactory


def test_an_undo_whose_twin_restored_first_shows_already_restored(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    client.post(reverse("payment_delete", args=[payment.pk]))
    with a_twin_restores_first():
        response = client.post(reverse("payment_undo"), follow=True)
    assert response.status_code == 200
    assert "These payments were already restored." in response.content.decode()
