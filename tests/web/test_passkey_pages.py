"""A passkey is its owner's: another user's key is a 404 on every page that names it."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import PASSWORD


def password_confirmed(user: User) -> Client:
    """Logged in, and the password just confirmed, as allauth asks before key changes."""
    client = Client()
    client.force_login(user)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("page", ["edit", "remove"])
def test_bob_gets_404_for_alices_passkey_and_alice_gets_the_page(
    alice: User, bob: User, page: str
) -> None:
    key = Authenticator.objects.create(
        user=alice, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )
    url = f"/accounts/2fa/webauthn/keys/{key.pk}/{page}/"
    bob_client = password_confirmed(bob)
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, {"name": "mine now"}).status_code == 404
    assert Authenticator.objects.filter(pk=key.pk, user=alice).exists()
    assert password_confirmed(alice).get(url).status_code == 200
