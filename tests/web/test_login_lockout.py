"""Guessing passwords in the browser (or the admin) locks that username out from there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

LIMIT = 5


def log_in(client: Client, username: str, password: str, *, ip: str = "10.0.0.1") -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(
    client: Client, alice: User
) -> None:
    for _ in range(LIMIT - 1):
        assert log_in(client, "alice", "wrong") == 200  # the form again, with its error
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert response["Retry-After"] == str(15 * 60)
    assert log_in(client, "alice", PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_the_readers_language(client: Client, alice: User) -> None:
    client.cookies["ertrag_language"] = "de"
    for _ in range(LIMIT):
        log_in(client, "alice", "wrong")
    html = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    ).content.decode()
    assert "Anmeldung pausiert" in html
    assert "15 Minuten" in html


def test_the_cool_off_ends_the_lockout(client: Client, alice: User) -> None:
    for _ in range(LIMIT):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD) == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "alice", PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_success_before_the_limit_starts_the_count_again(client: Client, alice: User) -> None:
    for _ in range(LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD) == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        assert log_in(client, "alice", "wrong") == 200


def test_guessing_from_elsewhere_does_not_lock_alice_out(client: Client, alice: User) -> None:
    for _ in range(LIMIT):
        log_in(client, "alice", "wrong", ip="203.0.113.9")
    assert log_in(client, "alice", PASSWORD, ip="10.0.0.1") == 302


@pytest.mark.django_db
def test_the_admin_log_in_is_locked_out_too(client: Client) -> None:
    User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    for _ in range(LIMIT):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "chefin", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chefin", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_added(
    client: Client, alice: User, settings: object
) -> None:
    """Two people behind the same proxy are two addresses; what a client claims is not."""
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    for _ in range(LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7",
        )
    spoofed_elsewhere = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="10.0.0.99, 198.51.100.7",
    )
    assert spoofed_elsewhere.status_code == 429
    other_person = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other_person.status_code == 302
