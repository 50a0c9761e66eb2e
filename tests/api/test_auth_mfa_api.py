"""A user with a second factor gets no token for the password alone (issue 19, item 2)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.mfa import enrol_totp, totp_code

LOGIN = "/api/v1/auth/login/"
SECOND = "/api/v1/auth/login/mfa/"
LIMIT = 5


def password_step(client: APIClient) -> dict[str, Any]:
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 401, response.content
    body: dict[str, Any] = response.json()
    return body


def test_the_password_alone_answers_a_challenge_and_no_token(
    api_client: APIClient, alice: User
) -> None:
    enrol_totp(alice)
    body = password_step(api_client)
    assert body["code"] == "mfa_required"
    assert set(body) == {"detail", "code", "challenge", "expires_in"}
    assert "token" not in body
    assert not AuthToken.objects.exists()


def test_the_challenge_and_the_apps_code_answer_a_working_token(
    api_client: APIClient, alice: User
) -> None:
    secret, _codes = enrol_totp(alice)
    challenge = password_step(api_client)["challenge"]
    response = api_client.post(
        SECOND, {"challenge": challenge, "code": totp_code(secret)}, format="json"
    )
    assert response.status_code == 200, response.content
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/v1/me/").json()["username"] == "alice"


def test_a_recovery_code_answers_a_token_once(api_client: APIClient, alice: User) -> None:
    _secret, codes = enrol_totp(alice)
    challenge = password_step(api_client)["challenge"]
    first = api_client.post(SECOND, {"challenge": challenge, "code": codes[0]}, format="json")
    assert first.status_code == 200
    again = api_client.post(SECOND, {"challenge": challenge, "code": codes[0]}, format="json")
    assert again.status_code == 400
    assert set(again.json()) == {"code"}
    assert AuthToken.objects.filter(user=alice).count() == 1


def test_a_wrong_code_is_a_400_without_a_token(api_client: APIClient, alice: User) -> None:
    enrol_totp(alice)
    challenge = password_step(api_client)["challenge"]
    response = api_client.post(SECOND, {"challenge": challenge, "code": "000000"}, format="json")
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_a_forged_challenge_gets_nothing(api_client: APIClient, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    response = api_client.post(
        SECOND, {"challenge": f"{alice.pk}:forged", "code": totp_code(secret)}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"challenge"}
    assert not AuthToken.objects.exists()


def test_a_password_change_voids_the_challenge(api_client: APIClient, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    challenge = password_step(api_client)["challenge"]
    alice.set_password("another-secret-55")
    alice.save()
    response = api_client.post(
        SECOND, {"challenge": challenge, "code": totp_code(secret)}, format="json"
    )
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_guessing_codes_locks_the_username_out_with_a_429(alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    client = APIClient(REMOTE_ADDR="10.0.0.5")
    challenge = password_step(client)["challenge"]
    statuses = [
        client.post(SECOND, {"challenge": challenge, "code": "000000"}, format="json").status_code
        for _ in range(LIMIT)
    ]
    assert statuses == [400] * (LIMIT - 1) + [429]
    response = client.post(
        SECOND, {"challenge": challenge, "code": totp_code(secret)}, format="json"
    )
    assert response.status_code == 429
    assert "token" not in response.json()


def test_without_a_second_factor_the_password_still_answers_a_token(
    api_client: APIClient, alice: User
) -> None:
    response = api_client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}


def test_a_passkey_alone_also_keeps_the_password_from_answering_a_token(
    api_client: APIClient, alice: User
) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=alice, type=Authenticator.Type.WEBAUTHN, data={})
    response = api_client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    # No code could be right: a typed 403 that points to the browser's token page.
    assert response.status_code == 403
    assert response.json()["code"] == "passkey_only"
    assert not AuthToken.objects.exists()
