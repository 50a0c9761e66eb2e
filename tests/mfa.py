"""A second factor for tests: an authenticator app is a secret and the clock."""

from __future__ import annotations

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import User


def totp_code(secret: str) -> str:
    """What the phone shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol_totp(user: User) -> tuple[str, list[str]]:
    """The user's authenticator app and recovery codes, as the settings page leaves them."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes
