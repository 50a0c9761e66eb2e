"""Account work that is ours, not django-allauth's: the profile made at sign-up, the API's
second-factor challenge, and revoking tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from income.models import Profile
from income.services import api_token_create


@transaction.atomic
def signup_profile_create(*, user: User, language: str, base_currency: str) -> Profile:
    """The new user's profile, in the language they signed up in.

    allauth saves the user; the profile (base currency, language) is ours, so it is made
    here, validated like every row (``full_clean``). A language the site does not offer
    falls back to the default rather than failing a sign-up.
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.base_currency = base_currency
    profile.full_clean()
    profile.save()
    return profile


# ----------------------------------------------------------------------------- second factor

_CHALLENGE_SALT = "accounts.mfa-login-challenge"


def mfa_challenge_create(*, user: User) -> str:
    """What an API client gets for a right password when a second factor is on.

    Signed, not stored: it names the user and the password they had (the session hash),
    so a password change voids it, and it expires after ``MFA_API_CHALLENGE_SECONDS``.
    It grants nothing by itself; only with a valid code does it become a token.
    """
    return signing.dumps(
        {"user": user.pk, "password": user.get_session_auth_hash()}, salt=_CHALLENGE_SALT
    )


def mfa_challenge_user(*, challenge: str) -> User | None:
    """The user a challenge was made for, or None if it is forged, expired or void."""
    try:
        data = signing.loads(
            challenge, salt=_CHALLENGE_SALT, max_age=settings.MFA_API_CHALLENGE_SECONDS
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), str(data.get("password"))
    ):
        return None
    return user


def api_tokens_revoke_all(*, user: User) -> int:
    """Delete every API token of the user (a password change or reset signs devices out)."""
    from knox.models import AuthToken

    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return int(deleted)


@transaction.atomic
def api_token_issue(*, user: User, device: str = "") -> tuple[str, datetime]:
    """A new API token named after the device it is for (``api_token_create`` prunes)."""
    from knox.models import AuthToken
    from knox.settings import CONSTANTS

    from accounts.models import ApiTokenDevice

    token, expiry = api_token_create(user=user)
    instance = AuthToken.objects.get(user=user, token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
    named = ApiTokenDevice(token=instance, name=device.strip())
    named.full_clean()
    named.save()
    return token, expiry


def api_token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of the user's tokens; another user's key revokes nothing (False)."""
    from knox.models import AuthToken

    deleted, _detail = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


# ----------------------------------------------------------------------------- e-mail check


def email_verification_send(*, request: HttpRequest, user: User) -> bool:
    """Mail the address check allauth sends at a browser sign-up, for an API sign-up."""
    from allauth.account.internal.flows.email_verification import (
        get_address_for_user,
        send_verification_email_to_address,
    )

    address = get_address_for_user(user)  # records user.email as allauth's address
    return bool(address and send_verification_email_to_address(request, address, signup=True))


def email_verification_pending(*, user: User) -> bool:
    """With ``ACCOUNT_EMAIL_VERIFICATION=mandatory``, an unchecked address keeps the
    account out, through the API as in the browser."""
    from allauth.account.utils import has_verified_email

    return settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not has_verified_email(user)
