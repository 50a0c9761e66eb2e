"""The account pages django-allauth serves, in the site's look: log-in, sign-up, reset,
log-out and password change, each seen by a person in English and German."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.services import api_token_issue
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import UserFactory

PUBLIC = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
}
SIGNED_IN = {
    "logout": "/accounts/logout/",
    "password-change": "/accounts/password/change/",
    "two-factor": "/accounts/2fa/",
    "sessions": "/accounts/sessions/",
    "tokens": "/accounts/tokens/",
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_account_pages_wear_the_sites_look_in_both_languages(
    page: Any, live_server: Any, language: str
) -> None:
    page.context.add_cookies(
        [{"name": "ertrag_language", "value": language, "url": live_server.url}]
    )
    for name, path in PUBLIC.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("header.site-header").is_visible()  # base.html, not allauth's
        assert page.get_attribute("html", "lang") == language
        screenshot(page, f"accounts-{name}-{language}")
    assert page.locator("main form input[name=email]").is_visible()

    user: User = UserFactory.create(username="sabine", language=language)
    api_token_issue(user=user, device="Pixel 8")
    log_in(page, live_server.url, user.username)
    for name, path in SIGNED_IN.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("header.site-header").is_visible()
        screenshot(page, f"accounts-{name}-{language}")
    page.goto(f"{live_server.url}/accounts/logout/")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("a[href='/accounts/login/']").first.is_visible()
