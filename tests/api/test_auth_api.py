"""Token auth for mobile clients: register, login, logout, logout everywhere (PRODUCT.md §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from income.models import Profile


def login(client: APIClient, username: str, password: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/login/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    body: dict[str, str] = response.json()
    return body


def test_login_answers_a_token_and_its_expiry(
    api_client: APIClient, alice: User, password: str
) -> None:
    body = login(api_client, "alice", password)
    assert set(body) == {"token", "expiry"}
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api_client.get("/api/v1/me/").json()["username"] == "alice"


def test_tokens_are_stored_hashed(api_client: APIClient, alice: User, password: str) -> None:
    token = login(api_client, "alice", password)["token"]
    stored = AuthToken.objects.get(user=alice)
    assert token not in (stored.digest, stored.token_key)
    assert stored.digest != token
    assert len(stored.digest) == 128


def test_tokens_expire(api_client: APIClient, alice: User, password: str) -> None:
    token = login(api_client, "alice", password)["token"]
    AuthToken.objects.filter(user=alice).update(expiry=timezone.now() - timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_wrong_password_is_a_400_without_a_token(api_client: APIClient, alice: User) -> None:
    response = api_client.post(
        "/api/v1/auth/login/", {"username": "alice", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not AuthToken.objects.exists()


def test_login_needs_both_fields(api_client: APIClient) -> None:
    response = api_client.post("/api/v1/auth/login/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_logout_revokes_only_that_token(api_client: APIClient, alice: User, password: str) -> None:
    first = login(api_client, "alice", password)["token"]
    second = login(api_client, "alice", password)["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_logoutall_revokes_every_token(api_client: APIClient, alice: User, password: str) -> None:
    tokens = [login(api_client, "alice", password)["token"] for _ in range(3)]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert api_client.post("/api/v1/auth/logoutall/").status_code == 204
    for token in tokens:
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api_client.get("/api/v1/me/").status_code == 401


def test_many_logins_never_lock_the_owner_out(
    api_client: APIClient, alice: User, password: str
) -> None:
    for _ in range(settings.API_TOKENS_PER_USER + 3):
        AuthToken.objects.create(user=alice, expiry=timedelta(days=1))
    login(api_client, "alice", password)
    assert AuthToken.objects.filter(user=alice).count() == settings.API_TOKENS_PER_USER


def test_register_creates_user_and_profile_and_login_gives_the_token(
    api_client: APIClient, db: None
) -> None:
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "carol",
            "email": "carol@example.com",
            "password": "a-long-passphrase-42",
            "language": "de",
            "base_currency": "CHF",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"detail"}  # issue 20: no token at sign-up
    profile = Profile.objects.get(user__username="carol")
    assert (profile.language, profile.base_currency) == ("de", "CHF")
    token = login(api_client, "carol", "a-long-passphrase-42")["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["base_currency"] == "CHF"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"username": "alice", "email": "new@example.com", "password": "a-long-passphrase-42"},
            {"username"},
        ),
        ({"username": "dave", "email": "dave@example.com", "password": "123"}, {"password"}),
        (
            {"username": "dave", "email": "not-an-email", "password": "a-long-passphrase-42"},
            {"email"},
        ),
        (
            {
                "username": "dave",
                "email": "d@example.com",
                "password": "a-long-passphrase-42",
                "base_currency": "XYZ",
            },
            {"base_currency"},
        ),
        (
            {"username": "bad name!", "email": "d@example.com", "password": "a-long-passphrase-42"},
            {"username"},
        ),
    ],
)
def test_register_refuses_bad_input_and_creates_nothing(
    api_client: APIClient, alice: User, body: dict[str, str], fields: set[str]
) -> None:
    users_before = User.objects.count()
    response = api_client.post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert User.objects.count() == users_before
    assert Profile.objects.count() == users_before


def test_register_with_a_taken_email_tells_nothing_about_who_has_an_account(
    api_client: APIClient, alice: User
) -> None:
    """Issue 19, item 9: a taken address gets the answer a new one gets."""
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "dave", "email": "ALICE@example.com", "password": "a-long-passphrase-42"},
        format="json",
    )
    fresh = api_client.post(
        "/api/v1/auth/register/",
        {"username": "erin", "email": "erin@example.com", "password": "a-long-passphrase-42"},
        format="json",
    )
    assert response.status_code == fresh.status_code == 201
    assert response.json() == fresh.json()
    assert not User.objects.filter(username="dave").exists()  # issue 20: one per address


def test_register_is_refused_while_signup_is_closed(
    api_client: APIClient, db: None, settings: object
) -> None:
    settings.SIGNUP_OPEN = False  # type: ignore[attr-defined]
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "dave", "email": "dave@example.com", "password": "a-long-passphrase-42"},
        format="json",
    )
    assert response.status_code == 403
    assert not User.objects.exists()


def test_register_ignores_is_staff_in_the_body(api_client: APIClient, db: None) -> None:
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "mallory",
            "email": "m@example.com",
            "password": "a-long-passphrase-42",
            "is_staff": True,
            "is_superuser": True,
        },
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(username="mallory")
    assert not user.is_staff
    assert not user.is_superuser


def test_auth_endpoints_are_throttled_tighter(api_client: APIClient, alice: User) -> None:
    rates: dict[str, str] = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # type: ignore[assignment]
    rate = int(rates["auth"].split("/")[0])
    # A different username each time: the lockout of one username (django-axes, at five
    # failures; tests/api/test_login_lockout.py) is not what this counts.
    statuses = [
        api_client.post(
            "/api/v1/auth/login/", {"username": f"guess{n}", "password": "x"}, format="json"
        ).status_code
        for n in range(rate + 1)
    ]
    assert statuses[:rate] == [400] * rate
    assert statuses[rate] == 429


def test_without_credentials_the_api_answers_401(api_client: APIClient, db: None) -> None:
    assert api_client.get("/api/v1/me/").status_code == 401
    assert api_client.post("/api/v1/auth/logout/").status_code == 401
