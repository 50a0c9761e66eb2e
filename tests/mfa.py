"""A second factor for tests: an authenticator app is a secret and the clock."""

from __future__ import annotations

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import User


def totp_code(secret: str, *, steps_back: int = 0) -> str:
    """What the phone shows now, or showed ``steps_back`` periods of 30 s ago.

    In the last second of a period it waits for the next one, so the code is still of
    the period it was made for when the server checks it a moment later.
    """
    now = time.time()
    if now % 30 > 29:
        time.sleep(30 - now % 30)
        now = time.time()
    return format_hotp_value(hotp_value(secret, int(now) // 30 - steps_back))


def enrol_totp(user: User) -> tuple[str, list[str]]:
    """The user's authenticator app and recovery codes, as the settings page leaves them."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes
