"""Sign-ups at the same moment make one account per e-mail address and per username, and
answer as the sequential case does: no duplicate, no 5xx (issue 20).

Twenty parallel API sign-ups with one address made twenty accounts, and two browser
sign-ups with one name answered the second with a 500. The app runs as in production
(gunicorn, ``tests/integration/served.py``) on a database file of the test's own or, on
PostgreSQL, the test database; the requests are real threads released by a barrier.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest

from tests.integration.served import App, race_server, send

PASSPHRASE = "a-long-passphrase-42"

ACCOUNTS = """
import json
from django.contrib.auth.models import User
rows = User.objects.filter(username__iexact=%r) | User.objects.filter(email__iexact=%r)
print("ACCOUNTS " + json.dumps(sorted(rows.values_list("username", flat=True))))
"""


@pytest.fixture
def served(tmp_path: Path, shipped_content: None) -> Iterator[App]:
    with race_server(tmp_path) as app:
        yield app


def accounts(app: App, *, username: str = "", email: str = "") -> list[str]:
    names: list[str] = app.shell(ACCOUNTS % (username, email), "ACCOUNTS")
    return names


def no_5xx(answers: list[tuple[int, str]]) -> None:
    failures = [(status, text[:300]) for status, text in answers if status >= 500]
    assert not failures, f"{len(failures)} answered 5xx, e.g. {failures[:2]}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One visitor with cookies of its own, that sees redirects rather than follows them."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """The status, the ``Location`` and the page."""
        data = None if form is None else urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(f"{self.app.url}{path}", data=data)  # noqa: S310
        try:
            with self.opener.open(request, timeout=120) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            page = error.read().decode(errors="replace")
            return error.code, error.headers.get("Location", ""), page

    def signup_form(self) -> dict[str, str]:
        status, _location, page = self.open("/accounts/signup/")
        assert status == 200, page[:300]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:300]
        return {"csrfmiddlewaretoken": token.group(1)}


def browsers_at_once(app: App, forms: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    """Each form posted by a visitor of its own who opened the page first; all posts
    released together by a barrier."""
    visitors = [Browser(app) for _form in forms]
    filled = [
        {**visitor.signup_form(), **form} for visitor, form in zip(visitors, forms, strict=True)
    ]
    start = Barrier(len(forms))

    def run(pair: tuple[Browser, dict[str, str]]) -> tuple[int, str, str]:
        visitor, form = pair
        start.wait()
        return visitor.open("/accounts/signup/", form)

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(run, zip(visitors, filled, strict=True)))


def api_at_once(app: App, bodies: list[dict[str, Any]]) -> list[tuple[int, str]]:
    start = Barrier(len(bodies))

    def run(body: dict[str, Any]) -> tuple[int, str]:
        start.wait()
        return send(f"{app.url}/api/v1/auth/register/", "POST", None, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(run, bodies))


def browser_form(username: str, email: str) -> dict[str, str]:
    return {
        "username": username,
        "email": email,
        "base_currency": "EUR",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
    }


def test_twenty_api_sign_ups_with_one_address_in_any_case_make_one_account(
    served: App,
) -> None:
    cases = ["dave@example.com", "Dave@example.com", "DAVE@EXAMPLE.COM", "dave@Example.com"]
    bodies: list[dict[str, Any]] = [
        {"username": f"dave{n}", "email": cases[n % len(cases)], "password": PASSPHRASE}
        for n in range(20)
    ]
    answers = api_at_once(served, bodies)
    no_5xx(answers)
    # Every one answers as a new address does: nobody learns which one won.
    assert Counter(status for status, _text in answers) == {201: 20}, answers
    assert len({text for _status, text in answers}) == 1, answers[:2]
    assert set(json.loads(answers[0][1])) == {"detail"}
    assert len(accounts(served, email="dave@example.com")) == 1


def test_ten_browser_sign_ups_with_one_username_make_one_account(served: App) -> None:
    forms = [browser_form("erin", f"erin{n}@example.com") for n in range(10)]
    answers = browsers_at_once(served, forms)
    no_5xx([(status, page) for status, _location, page in answers])
    won = [a for a in answers if a[0] == 302]
    refused = [a for a in answers if a[0] == 200]
    assert (len(won), len(refused)) == (1, 9), [a[:2] for a in answers]
    assert won[0][1] == "/accounts/confirm-email/"
    # The sequential case's answer: the form again, with the username's error.
    assert all("A user with that username already exists." in page for _s, _l, page in refused)
    assert accounts(served, username="erin") == ["erin"]


def test_ten_browser_sign_ups_with_one_address_make_one_account(served: App) -> None:
    forms = [browser_form(f"frank{n}", "Frank@example.com") for n in range(10)]
    answers = browsers_at_once(served, forms)
    no_5xx([(status, page) for status, _location, page in answers])
    assert {(status, location) for status, location, _page in answers} == {
        (302, "/accounts/confirm-email/")
    }, [a[:2] for a in answers]
    assert len(accounts(served, email="frank@example.com")) == 1
