"""Per-address limits on every log-in-like form, and one rule for the client's address
(issue 19, finding 7).

Before: DRF's throttles took the first X-Forwarded-For entry a client sent (NUM_PROXIES
unset), so a new header per request passed 30 of 30 logins; browser log-in, sign-up,
reset mails and the password check on account deletion had no per-address limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.platform.test_fail_soft_cache import dead_cache_settings

pytestmark = pytest.mark.django_db

#: Attempts in these tests; at a limit of 5 per minute at least 20 are refused even if
#: the attempts straddle the turn of a minute (two windows of 5).
ATTEMPTS = 30
LIMIT = 5


@pytest.fixture(autouse=True)
def _low_limit() -> Iterator[None]:
    with override_settings(ADDRESS_LIMIT_PER_MINUTE=LIMIT):
        yield


def browser_login(client: Client, n: int, **headers: Any) -> Any:
    """A password guess at another username each time: the lockout (per username and
    address) never triggers, only a per-address limit can stop this."""
    return client.post(
        "/accounts/login/",
        {"username": f"guess{n}", "password": "wrong"},
        REMOTE_ADDR="198.51.100.9",
        **headers,
    )


def api_login(client: APIClient, n: int, **headers: Any) -> Any:
    return client.post(
        "/api/v1/auth/login/",
        {"username": f"guess{n}", "password": "wrong"},
        format="json",
        REMOTE_ADDR="198.51.100.9",
        **headers,
    )


def test_a_new_forwarded_for_per_browser_login_walks_around_nothing(client: Client) -> None:
    statuses = [
        browser_login(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(ATTEMPTS)
    ]
    assert statuses[:LIMIT] == [200] * LIMIT  # the form again, with its error
    assert statuses.count(429) >= ATTEMPTS - 2 * LIMIT
    assert set(statuses) <= {200, 429}


def test_a_new_forwarded_for_per_api_login_walks_around_nothing(api_client: APIClient) -> None:
    responses = [
        api_login(api_client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(ATTEMPTS)
    ]
    statuses = [response.status_code for response in responses]
    assert statuses.count(429) >= ATTEMPTS - 2 * LIMIT
    refused = next(response for response in responses if response.status_code == 429)
    assert refused.json()["code"] == "throttled"
    assert refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0


@override_settings(ADDRESS_LIMIT_PER_MINUTE=1000)
def test_the_api_throttle_counts_the_connecting_address_not_the_header(
    api_client: APIClient,
) -> None:
    """DRF's own ``auth`` throttle (10/min) on its own, the per-address limit far away."""
    statuses = [
        api_login(api_client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(ATTEMPTS)
    ]
    assert statuses.count(429) >= ATTEMPTS - 2 * 10


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_entry_the_proxy_added_counts(client: Client) -> None:
    """The client prepends whatever it likes; the proxy appends the address it saw."""
    statuses = [
        browser_login(client, n, HTTP_X_FORWARDED_FOR=f"10.{n}.0.1, 203.0.113.50").status_code
        for n in range(ATTEMPTS)
    ]
    assert statuses.count(429) >= ATTEMPTS - 2 * LIMIT


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_people_behind_it_are_counted_apart(client: Client) -> None:
    """All come from the proxy's REMOTE_ADDR; each client's own address is its own count."""
    statuses = [
        browser_login(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(ATTEMPTS)
    ]
    assert statuses == [200] * ATTEMPTS


def test_one_rule_for_the_address_with_and_without_a_proxy(rf: Any) -> None:
    from config.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.77")
    assert client_ip(request) == "192.0.2.1"
    with override_settings(BEHIND_PROXY=True):
        assert client_ip(request) == "192.0.2.77"


def test_the_browser_is_told_in_its_language(client: Client) -> None:
    for n in range(LIMIT):
        browser_login(client, n)
    client.cookies["django_language"] = "de"
    response = browser_login(client, LIMIT, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-testid="rate-limited"' in page
    assert 'lang="de"' in page
    assert int(response["Retry-After"]) > 0


def _post(path: str, data: dict[str, str]) -> Callable[[Client], Any]:
    return lambda client: client.post(path, data, REMOTE_ADDR="198.51.100.9")


#: Every limited form, as the browser or an API client posts it.
FORMS: dict[str, Callable[[Client], Any]] = {
    "sign-up": _post(
        "/accounts/signup/",
        {"username": "x", "email": "x@example.com", "password1": "a", "password2": "b"},
    ),
    "reset mail": _post("/accounts/password/reset/", {"email": "nobody@example.com"}),
    "account deletion": _post("/settings/data/delete/", {"password": "wrong"}),
    "password change": _post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "n3w-secret-99", "password2": "n3w-secret-99"},
    ),
    "password confirmation": _post("/accounts/reauthenticate/", {"password": "wrong"}),
    "second factor step": _post("/accounts/2fa/authenticate/", {"code": "000000"}),
    "API sign-up": _post("/api/v1/auth/register/", {"username": "x"}),
    "API second factor": _post("/api/v1/auth/login/mfa/", {"challenge": "x", "code": "1"}),
    "API account deletion": lambda client: client.delete(
        "/api/v1/me/delete/", REMOTE_ADDR="198.51.100.9"
    ),
}


@pytest.mark.parametrize("form", FORMS)
@override_settings(ADDRESS_LIMIT_PER_MINUTE=1)
def test_every_log_in_like_form_is_limited_per_address(
    form: str, client: Client, alice: User
) -> None:
    """Three attempts at a limit of one: refused even across the turn of a minute, and
    below the API's own ``auth`` throttle (10/min), so the refusal is the address limit."""
    client.force_login(alice)
    if form.startswith("API"):
        client = APIClient()
        client.force_authenticate(alice)
    statuses = [FORMS[form](client).status_code for _ in range(3)]
    assert statuses[0] != 429
    assert statuses[-1] == 429, statuses
    assert 500 not in statuses


def test_another_address_logs_in_while_one_is_refused(client: Client, alice: User) -> None:
    """Only the address's count: alice from another address logs in while it is refused."""
    for n in range(LIMIT + 1):
        browser_login(client, n)
    assert browser_login(client, LIMIT + 1).status_code == 429
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 302


def test_with_redis_away_log_in_works_and_nothing_is_refused(client: Client, alice: User) -> None:
    with override_settings(CACHES={"default": dead_cache_settings()}):
        statuses = [browser_login(client, n).status_code for n in range(2 * LIMIT + 1)]
        response = client.post(
            "/accounts/login/",
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.9",
        )
    assert statuses == [200] * (2 * LIMIT + 1)
    assert response.status_code == 302
