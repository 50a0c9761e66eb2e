"""Every write of the income app goes through one function here.

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (e-mail, tasks) only after commit.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from income.finance.currencies import BASE_CURRENCY_DEFAULT
from income.models import Profile


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

    The same rules apply to the sign-up form and ``POST /api/v1/auth/register/``: a
    unique username, a unique e-mail (it is the password-reset address) and a password
    that passes the configured validators.
    """
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("A user with that e-mail address already exists.")]
    user = User(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean()
    user.save()
    profile = Profile(user=user, language=language, base_currency=base_currency)
    profile.full_clean()
    profile.save()
    return user


def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile; users made outside ``user_register`` (createsuperuser) get one."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, **fields: str) -> Profile:
    """Change profile preferences; unknown fields are a programming error, not input."""
    allowed = {"base_currency", "language"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"profile_update() got unexpected fields: {sorted(unknown)}")
    profile = profile_get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail through the worker once the current transaction commits.

    Nothing is sent for a transaction that rolls back, and the request does not wait
    for the mail server.
    """
    from income.tasks import email_deliver

    transaction.on_commit(
        lambda: email_deliver.delay(subject=subject, body=body, to=to, html_body=html_body)
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
