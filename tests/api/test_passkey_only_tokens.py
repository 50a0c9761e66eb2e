"""An account whose second factor is a passkey gets an API token too (issue 19 leftovers).

The API cannot check a passkey. With recovery codes beside it, the codes complete the
API's log-in; with the passkey alone, the log-in says so in a typed 403 and points to
the browser's token page, where the passkey is checked and a token is made.
"""

from __future__ import annotations

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import User
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

LOGIN = "/api/v1/auth/login/"
SECOND = "/api/v1/auth/login/mfa/"


def passkey(user: User) -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )


def test_a_passkey_with_recovery_codes_logs_in_by_a_recovery_code(
    api_client: APIClient, alice: User
) -> None:
    passkey(alice)
    codes = RecoveryCodes.activate(alice).get_unused_codes()
    first = api_client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert first.status_code == 401
    assert first.json()["code"] == "mfa_required"
    second = api_client.post(
        SECOND, {"challenge": first.json()["challenge"], "code": codes[0]}, format="json"
    )
    assert second.status_code == 200, second.content
    assert set(second.json()) == {"token", "expiry"}


def test_a_passkey_alone_gets_a_typed_answer_that_points_to_the_browser(
    api_client: APIClient, alice: User
) -> None:
    passkey(alice)
    response = api_client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"detail", "code", "tokens_url"}
    assert body["code"] == "passkey_only"
    assert body["tokens_url"] == "http://testserver/accounts/tokens/"
    assert "passkey" in body["detail"]
    assert not AuthToken.objects.exists()


def test_the_typed_answer_also_ends_a_challenge_made_before_the_codes_went(
    api_client: APIClient, alice: User
) -> None:
    """A challenge taken while recovery codes existed: no code can be right now, and a
    code sent is not counted as a failed log-in."""
    passkey(alice)
    codes = RecoveryCodes.activate(alice)
    challenge = api_client.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, format="json"
    ).json()["challenge"]
    codes.instance.delete()
    response = api_client.post(SECOND, {"challenge": challenge, "code": "12345678"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "passkey_only"


def test_a_wrong_password_says_nothing_about_the_passkey(
    api_client: APIClient, alice: User
) -> None:
    passkey(alice)
    response = api_client.post(LOGIN, {"username": "alice", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "passkey" not in response.content.decode()


def test_the_browser_token_page_makes_a_working_token(alice: User) -> None:
    passkey(alice)
    client = Client()
    client.force_login(alice)
    session = client.session
    # What allauth records when the passkey has just confirmed it is them.
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "webauthn", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(alice.pk)
    session.save()
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert 'data-testid="api-token-create"' in page.content.decode()
    made = client.post("/accounts/tokens/", {"device": "Pixel 8"})
    assert made.status_code == 200
    html = made.content.decode()
    token = re.search(r'data-testid="new-api-token">.*?<code>([^<]+)</code>', html, re.S)
    assert token, html
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.group(1)}")
    assert api.get("/api/v1/me/").json()["username"] == "alice"
    assert "Pixel 8" in client.get("/accounts/tokens/").content.decode()
    # Shown once: the list shows the device and the key's start, never the token.
    assert token.group(1) not in client.get("/accounts/tokens/").content.decode()


def test_making_a_token_asks_for_a_recent_log_in(alice: User) -> None:
    client = Client()
    client.force_login(alice)  # no record of a recent log-in in this session
    response = client.post("/accounts/tokens/", {"device": "Pixel 8"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not AuthToken.objects.exists()


def test_a_token_needs_a_device_name(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(alice.pk)
    session.save()
    response = client.post("/accounts/tokens/", {"device": ""})
    assert response.status_code == 200
    assert "device" in response.context["form"].errors
    assert not AuthToken.objects.exists()
