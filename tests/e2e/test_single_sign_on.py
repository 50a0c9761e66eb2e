"""Log-in through a real OpenID Connect provider (npm's certified ``oidc-provider``, run by
node from tests/oidc/provider.mjs): the first log-in creates the account, the next one
finds it again. Never a mock: the browser walks the provider's own pages."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from tests.e2e.conftest import screenshot
from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "ertrag-tests", "a-client-secret-for-tests-only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def oidc_provider(live_server: Any, settings: Any) -> Iterator[str]:
    """The provider, started for this test, and the app configured to use it."""
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        missing("node and npm's oidc-provider (make install) are needed for single sign-on")
    port = free_port()
    issuer = f"http://localhost:{port}"
    callback = f"{live_server.url}/accounts/oidc/sso/login/callback/".replace(
        "127.0.0.1", "localhost"
    )
    process = subprocess.Popen(
        [str(node), str(SCRIPT), str(port), CLIENT_ID, CLIENT_SECRET, callback],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), line
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "sso",
                        "name": "Test provider",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": issuer},
                    }
                ],
            }
        }
        policy = django_settings.CONTENT_SECURITY_POLICY
        settings.CONTENT_SECURITY_POLICY = {
            **policy,
            "DIRECTIVES": {
                **policy["DIRECTIVES"],
                "form-action": [*policy["DIRECTIVES"]["form-action"], issuer],
            },
        }
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_on(page: Any, base: str, username: str, *, screenshots: bool = False) -> None:
    """Log in through the provider; while its own session lasts, it asks nothing."""
    page.goto(f"{base}/accounts/login/")
    if screenshots:
        screenshot(page, "sso-1-login")
    page.click("main a:has-text('Test provider'), main button:has-text('Test provider')")
    if "/accounts/oidc/sso/login/" in page.url:  # allauth asks before leaving the site
        page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"(localhost:\d+/interaction/|/dashboard/)"))
    if "/interaction/" in page.url:
        if screenshots:
            screenshot(page, "sso-2-provider")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", "anything")
        page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_the_first_single_sign_on_creates_the_account_and_the_next_finds_it(
    page: Any, live_server: Any, oidc_provider: str
) -> None:
    base = live_server.url.replace("127.0.0.1", "localhost")
    sign_on(page, base, "ines", screenshots=True)
    user = User.objects.get(socialaccount__provider="sso")
    assert user.email == "ines@example.org"
    assert SocialAccount.objects.get(user=user).uid == "ines"
    screenshot(page, "sso-dashboard")

    page.click("form[action$='/logout/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    sign_on(page, base, "ines")  # the provider remembers her: straight back in
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1
