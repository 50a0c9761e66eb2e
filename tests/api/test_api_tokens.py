"""API tokens are named per device, listed, and revocable one by one (issue 19, item 2)."""

from __future__ import annotations

from django.contrib.auth.models import User
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD


def login(client: APIClient, device: str) -> str:
    response = client.post(
        "/api/v1/auth/login/",
        {"username": "alice", "password": PASSWORD, "device": device},
        format="json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def test_tokens_are_listed_by_device_newest_first_and_never_shown(
    api_client: APIClient, alice: User
) -> None:
    login(api_client, "Pixel 8")
    token = login(api_client, "budget script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    rows = api_client.get("/api/v1/auth/tokens/").json()
    assert [(row["device"], row["current"]) for row in rows] == [
        ("budget script", True),
        ("Pixel 8", False),
    ]
    assert token not in str(rows)
    assert set(rows[0]) == {"key", "device", "created", "expiry", "current"}


def test_revoking_the_lost_phones_token_keeps_the_others(
    api_client: APIClient, alice: User
) -> None:
    phone = login(api_client, "lost phone")
    laptop = login(api_client, "laptop")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {laptop}")
    phone_key = next(
        row["key"]
        for row in api_client.get("/api/v1/auth/tokens/").json()
        if row["device"] == "lost phone"
    )
    assert api_client.delete(f"/api/v1/auth/tokens/{phone_key}/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_bob_cannot_revoke_alices_token(api_client: APIClient, alice: User, bob: User) -> None:
    alices = login(api_client, "Pixel")
    bobs = api_client.post(
        "/api/v1/auth/login/", {"username": "bob", "password": PASSWORD}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {bobs}")
    assert api_client.delete(f"/api/v1/auth/tokens/{alices[:15]}/").status_code == 404
    assert AuthToken.objects.filter(user=alice).count() == 1


def test_a_token_without_a_device_name_is_listed_unnamed(
    api_client: APIClient, alice: User
) -> None:
    response = api_client.post(
        "/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/v1/auth/tokens/").json()[0]["device"] == ""
