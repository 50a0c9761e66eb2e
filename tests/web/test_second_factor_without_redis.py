"""A second factor keeps working while Redis is away (issue 19 leftovers; PRODUCT.md §7).

allauth keeps two things in the cache: its rate-limit counters, each behind a lock taken
with ``cache.add``, and the TOTP codes already used (``cache.add`` again, so a code is
good once). The fail-soft cache (config/cache.py) answers ``add`` with False while Redis
is unreachable: every code looked used and every limited form refused. Passkey state
lives in the session (the database), so only the limits were in its way. Here the cache
points at a closed port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.mfa import enrol_totp, totp_code
from tests.services import free_port


@pytest.fixture
def redis_away() -> Iterator[None]:
    closed = {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": closed}):
        yield


def test_totp_log_in_works_in_the_browser(alice: User, redis_away: None) -> None:
    secret, _codes = enrol_totp(alice)
    client = Client()
    first = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    second = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert second.status_code == 302, second.content.decode()[:500]
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_totp_log_in_works_through_the_api(alice: User, redis_away: None) -> None:
    secret, _codes = enrol_totp(alice)
    api = APIClient()
    challenge = api.post(
        "/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
    ).json()["challenge"]
    response = api.post(
        "/api/v1/auth/login/mfa/",
        {"challenge": challenge, "code": totp_code(secret)},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"token", "expiry"}


def test_a_wrong_totp_code_is_still_refused(alice: User, redis_away: None) -> None:
    enrol_totp(alice)
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_used_totp_code_is_refused_while_redis_answers(alice: User) -> None:
    """The replay guard is allauth's, and holds whenever the cache can hold it."""
    secret, _codes = enrol_totp(alice)
    code = totp_code(secret)
    first = Client()
    first.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second = Client()
    second.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert second.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_adding_a_passkey_gets_past_the_password_check(alice: User, redis_away: None) -> None:
    """Adding a passkey asks for the password again (allauth's re-authentication, under a
    rate limit), then offers the browser its creation options, kept in the session."""
    client = Client()
    client.force_login(alice)
    page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")
    again = client.post(page["Location"], {"password": PASSWORD})
    assert again.status_code == 302, again.content.decode()[:500]
    assert again["Location"] == "/accounts/2fa/webauthn/add/"
    form = client.get("/accounts/2fa/webauthn/add/")
    assert form.status_code == 200
    assert "credential" in form.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()
