"""A person turns on a second factor from the settings, and logs in with it afterwards:
once with the authenticator app's code, once with a recovery code."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache

from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import PASSWORD, UserFactory
from tests.mfa import totp_code


def log_out(page: Any) -> None:
    page.click("form[action$='/logout/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_enrol_an_authenticator_app_then_log_in_with_a_code_and_a_recovery_code(
    page: Any, live_server: Any
) -> None:
    UserFactory.create(username="greta")
    log_in(page, live_server.url, "greta")

    page.goto(f"{live_server.url}/settings/")
    page.click("[data-testid=security-page]")
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))
    screenshot(page, "mfa-1-index")
    page.click("main a[href$='/totp/activate/']")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))  # the password once more
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert page.locator("main img").first.is_visible()  # the QR code
    screenshot(page, "mfa-2-activate")
    page.fill("#id_code", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10
    screenshot(page, "mfa-3-recovery-codes")

    log_out(page)
    log_in(page, live_server.url, "greta")
    assert "/accounts/2fa/authenticate/" in page.url
    screenshot(page, "mfa-4-code-asked")
    cache.clear()  # half a minute later: the enrolment's code is spent, the next one is not
    page.fill("#id_code", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/"))

    log_out(page)
    log_in(page, live_server.url, "greta")
    page.fill("#id_code", codes[0])
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/"))

    log_out(page)
    log_in(page, live_server.url, "greta")
    page.fill("#id_code", codes[0])  # spent
    page.click("main form button[type=submit]")
    assert "/accounts/2fa/authenticate/" in page.url
    assert page.locator("main .error, main .form-errors").first.is_visible()
    screenshot(page, "mfa-5-spent-recovery-code")
