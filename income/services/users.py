"""A user's own account rows: sign-up with the profile, the profile and its settings,
mail to them (sent by the worker) and their API token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.currencies import BASE_CURRENCY_DEFAULT
from income.changes import owner_data_changed
from income.dispatch import task_send_on_commit
from income.models import Profile
from income.services.rows import model_assign_and_save, reject_unknown, row_locked


def _username_taken(username: str) -> dict[str, list[str]]:
    """The field error of a username taken in any case ("Alice" is "alice")."""
    if User.objects.filter(username__iexact=username).exists():
        return {"username": [_("A user with that username already exists.")]}
    return {}


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    language: str = settings.LANGUAGE_CODE,
    base_currency: str = BASE_CURRENCY_DEFAULT,
) -> User:
    """Create a user and their profile in one transaction, or neither.

    The same rules apply to the sign-up form (django-allauth, accounts/) and
    ``POST /api/v1/auth/register/``: a unique username and a password that passes the
    configured validators. A taken e-mail address is not refused: saying so would tell
    anyone who has an account here (issue 19, item 9); an address proves nothing until
    it is verified, and a reset mail goes to its owner whichever account asks.
    """
    errors = _username_taken(username)
    user = User(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves it usable
            user.save()
    except IntegrityError:
        # A parallel sign-up took the name since the check (the case-insensitive unique
        # index, accounts/migrations): the same 400 the sequential case gets.
        if taken := _username_taken(user.username):
            raise ValidationError(taken) from None
        raise
    profile = Profile(user=user, language=language, base_currency=base_currency)
    profile.full_clean()
    profile.save()
    return user


def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile; users made outside ``user_register`` (createsuperuser) get one."""
    return profiles_get_or_create(users=[user])[user.pk]


def profiles_get_or_create(*, users: Sequence[User]) -> dict[int, Profile]:
    """The profiles of ``users`` by user id, with their default tax profile, in one query
    (plus one insert for those who have none yet)."""
    found = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user__in=users).select_related("default_tax_profile")
    }
    for user in users:
        if user.pk not in found:
            found[user.pk], _created = Profile.objects.get_or_create(user=user)
    return found


PROFILE_FIELDS = frozenset(
    {
        "base_currency", "language", "monthly_expenses", "hourly_value", "default_tax_profile",
        "weekly_digest", "home_country", "theme", "date_style", "filing_status",
        "church_tax_rate", "marginal_tax_rate",
    }
)  # fmt: skip
# The profile fields the reports are computed from; the others change no figure.
PROFILE_REPORT_FIELDS = frozenset(
    {"base_currency", "monthly_expenses", "hourly_value", "default_tax_profile"}
)


@transaction.atomic
def profile_update(*, user: User, **fields: Any) -> Profile:
    """Change profile preferences; unknown fields are a programming error, not input."""
    reject_unknown("profile_update", fields, PROFILE_FIELDS)
    profile = row_locked(profile_get_or_create(user=user))
    before = {name: getattr(profile, name) for name in PROFILE_REPORT_FIELDS & set(fields)}
    if "home_country" in fields:
        fields = {**fields, "home_country": (fields["home_country"] or "").upper()}
    profile = model_assign_and_save(instance=profile, fields=fields, update_fields=fields)
    # Only a changed value that enters a figure makes the reports stale: the settings
    # form sends every field, and a new language alone changes no figure (issue #17.11).
    if any(getattr(profile, name) != value for name, value in before.items()):
        owner_data_changed(owner_id=user.pk)
    return profile


def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail through the worker once the current transaction commits.

    Nothing is sent for a transaction that rolls back, and the request does not wait
    for the mail server. When the broker is unreachable the mail is sent inline: a
    password-reset mail that waited for Redis to come back would be no use.
    """
    from income.tasks import email_deliver

    message: dict[str, Any] = {"subject": subject, "body": body, "to": to, "html_body": html_body}
    task_send_on_commit(
        email_deliver, kwargs=message, on_unreachable=lambda: email_deliver(**message)
    )


@transaction.atomic
def api_token_create(*, user: User) -> tuple[str, datetime]:
    """Issue an API token (stored hashed by knox) and return it with its expiry.

    Expired tokens are deleted and only the newest ``API_TOKENS_PER_USER - 1`` kept, so
    a phone that logs in every day never locks its owner out with "too many tokens".
    """
    from knox.models import AuthToken

    now = timezone.now()
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=now).delete()
    keep = list(
        tokens.order_by("-created").values_list("pk", flat=True)[: settings.API_TOKENS_PER_USER - 1]
    )
    tokens.exclude(pk__in=keep).delete()
    instance, token = AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])
    return token, instance.expiry
