"""A person adds a passkey (Chromium's virtual authenticator stands in for the phone or
security key) and logs in with it, without the password."""

from __future__ import annotations

import re
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail

from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import PASSWORD, UserFactory


def virtual_authenticator(page: Any) -> Any:
    """A platform authenticator that holds passkeys and says yes to every touch."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_add_a_passkey_then_log_in_with_it_without_the_password(
    page: Any, live_server: Any
) -> None:
    user: User = UserFactory.create(username="petra")
    virtual_authenticator(page)
    log_in(page, live_server.url, "petra")

    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/?passwordless")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.fill("#id_name", "Laptop")
    passwordless = page.locator("#id_passwordless")
    if passwordless.count():
        passwordless.check()
    screenshot(page, "passkey-1-add")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless
    screenshot(page, "passkey-2-added")
    notices = [m for m in mail.outbox if m.to == [user.email]]
    assert any("key" in str(m.subject).lower() for m in notices), [m.subject for m in notices]

    page.click("form[action$='/logout/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "passkey-3-login")
    page.click("[data-testid=passkey-login]")
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert "petra" not in page.url
    page.goto(f"{live_server.url}/settings/")
    assert "petra" in page.inner_text("main")
