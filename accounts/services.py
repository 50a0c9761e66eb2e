"""Account work that is ours, not django-allauth's: the profile made at sign-up, the API's
second-factor challenge, and revoking tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from income.models import Profile
from income.services.users import api_token_create, user_register


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


# ----------------------------------------------------------------------------- one per address


def signup_hides_taken_addresses() -> bool:
    """Whether a sign-up with a taken address is answered as a new address would be.

    Only a mail can tell the owner of an address without telling the person signing up
    (allauth's enumeration prevention): so with ``ACCOUNT_PREVENT_ENUMERATION`` on and
    verification mails sent (``optional`` or ``mandatory``). With ``none`` the site sends
    no such mail, and a taken address is a plain field error as a taken username is.
    """
    from allauth.account import app_settings

    return bool(app_settings.PREVENT_ENUMERATION) and (
        app_settings.EMAIL_VERIFICATION != app_settings.EmailVerificationMethod.NONE
    )


def email_taken(*, email: str, except_user: User | None = None) -> bool:
    """Whether another account has this address, in any case: as its own (``User.email``,
    under the unique index of ``accounts/migrations/0003``) or as a further address."""
    from allauth.account.models import EmailAddress

    if not email:
        return False
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
        addresses = addresses.exclude(user=except_user)
    return users.exists() or addresses.exists()


def email_taken_error() -> ValidationError:
    """The field error for a taken address, where no mail can hide it (verification
    ``none`` or enumeration prevention off); allauth's sentence, so its German applies."""
    from allauth.account.adapter import get_adapter

    return ValidationError({"email": [get_adapter().error_messages["email_taken"]]})


def email_owner_notify(*, email: str) -> None:
    """Tell the owner of ``email`` that someone tried to sign up with it (allauth's
    "account already exists" mail, with links to log in and to reset the password).

    Rate-limited per address by allauth's verification-mail limit, so twenty sign-ups
    with one address at once mail its owner once, not twenty times.
    """
    from allauth.account.adapter import get_adapter
    from allauth.account.internal.flows.email_verification import (
        handle_verification_email_rate_limit,
    )
    from allauth.core import context

    request = context.request
    if request is not None and not handle_verification_email_rate_limit(request, email):
        return
    get_adapter().send_account_already_exists_mail(email)


class _AddressTaken(Exception):
    """Inside ``account_register``'s savepoint: undo the new account, the address is taken."""


def account_register(
    *,
    request: HttpRequest,
    username: str,
    email: str,
    password: str,
    language: str = settings.LANGUAGE_CODE,
    base_currency: str = "EUR",
) -> User | None:
    """An API sign-up: the new account (its address check mailed), or None when the
    address is another account's and that must not be told (``signup_hides_taken_addresses``).

    The username and password are checked first, as for any sign-up (``user_register``):
    their errors are the person's own and tell nothing about someone else. A taken
    address then makes no account; its owner is mailed instead (``email_owner_notify``)
    and the caller answers as for a new account. The account is made inside a savepoint
    and the unique index on the address decides a race: a parallel sign-up that took the
    address since the look-up ends the same way as the sequential case, never in a 500.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = user_register(
                username=username,
                email=email,
                password=password,
                language=language,
                base_currency=base_currency,
            )
            if email_taken(email=email, except_user=user):
                raise _AddressTaken
    except (_AddressTaken, IntegrityError):
        if not email_taken(email=email):
            raise  # an IntegrityError that is not about the address
        if not signup_hides_taken_addresses():
            raise email_taken_error() from None
        email_owner_notify(email=email)
        return None
    if settings.ACCOUNT_EMAIL_VERIFICATION != "none":
        email_verification_send(request=request, user=user)
    return user


def signup_answer() -> str:
    """What a sign-up that succeeded (or seemed to) answers: the same for a taken address
    as for a new one, by the verification setting alone."""
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory":
        return _("Check your e-mail: follow the link in it, then log in.")
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        return _("Your account is ready: log in.")
    return _("Check your e-mail to confirm your address; you can log in now.")
