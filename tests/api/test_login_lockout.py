"""Guessing passwords for a token locks that username out, with the API's error shape."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import PASSWORD

LIMIT = 5
URL = "/api/v1/auth/login/"


def test_five_wrong_passwords_lock_the_token_log_in_with_a_clear_429(alice: User) -> None:
    client = APIClient(REMOTE_ADDR="10.0.0.3")
    for _ in range(LIMIT - 1):
        response = client.post(URL, {"username": "alice", "password": "wrong"})
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
    response = client.post(URL, {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed log-ins")
    assert response["Retry-After"] == str(15 * 60)

    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()
    # A try during the lockout counts as one more failure, and starts the cool-off anew.
    assert AccessAttempt.objects.get(username="alice").failures_since_start == LIMIT + 1


def test_the_browser_and_the_api_count_together(client: APIClient, alice: User) -> None:
    api = APIClient(REMOTE_ADDR="10.0.0.4")
    for _ in range(LIMIT - 1):
        api.post(URL, {"username": "alice", "password": "wrong"})
    client.post(
        "/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.4"
    )
    assert api.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 429
