"""What the API's account endpoints take and answer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import Serializer
from income.models import Profile

MFA_REQUIRED = "mfa_required"
PASSKEY_ONLY = "passkey_only"


def _password_rules() -> tuple[int, bool]:
    """The configured password validators' rules a schema can state: the minimum length,
    and whether an all-digit password is refused. The other two (too common, too like
    the username or address) need the server's lists and are named in the description."""
    minimum, numeric_refused = 1, False
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            minimum = max(minimum, validator.min_length)
        numeric_refused |= isinstance(validator, password_validation.NumericPasswordValidator)
    return minimum, numeric_refused


PASSWORD_MIN_LENGTH, PASSWORD_NOT_ONLY_DIGITS = _password_rules()


@extend_schema_field(
    {
        "type": "string",
        # No null character (DRF's text fields), and, where all-digit passwords are
        # refused, one character that is not a digit.
        "pattern": (
            r"^[^\u0000]*[^0-9\u0000][^\u0000]*$" if PASSWORD_NOT_ONLY_DIGITS else r"^[^\u0000]*$"
        ),
    }
)
class NewPasswordField(serializers.CharField):
    """A new account's password, with the configured validators' rules a schema can state
    (issue 20: ``"0"`` passed the schema and was refused): their minimum length, and not
    only digits. The service (``user_register``) runs every validator, with their
    messages, as the browser's sign-up does; a common password, or one like the name, is
    refused there."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            min_length=PASSWORD_MIN_LENGTH,
            max_length=128,
            trim_whitespace=False,
            help_text=_(
                "Not only digits; a common password, or one like the username or e-mail "
                "address, is refused too."
            ),
            style={"input_type": "password"},
            **kwargs,
        )


class LoginSerializer(Serializer):  # type: ignore[type-arg]
    """Any name and password the sign-up could have taken, as they were typed.

    Not trimmed: a password with a space at its end is another password, as the
    browser's log-in reads it, and a name with one is not a name (issue 20: ``" "``
    answered "may not be blank", a field error the schema's ``minLength`` denies).
    """

    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    device = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A name for the token's device, shown in the list of tokens."),
    )


class RegisterSerializer(Serializer):  # type: ignore[type-arg]
    """A sign-up as the schema writes it: the username's characters (the account model's
    validator), the address's length, the password rules a schema can state, checked as
    the account's model and the password validators check them (issue 20: a one-character
    password or ``"a b"`` as a name passed the schema and were refused). Nothing is
    trimmed, so what the schema refuses is refused, not repaired."""

    username = serializers.CharField(
        max_length=150, trim_whitespace=False, validators=[UnicodeUsernameValidator()]
    )
    email = serializers.EmailField(max_length=254, trim_whitespace=False)
    password = NewPasswordField()
    language = serializers.ChoiceField(
        choices=Profile._meta.get_field("language").choices or [], default="en"
    )
    base_currency = serializers.ChoiceField(
        choices=[code for code, _label in Profile._meta.get_field("base_currency").choices or []],
        default="EUR",
    )


class TokenSerializer(Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField()


class MfaRequiredSerializer(Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[MFA_REQUIRED])
    challenge = serializers.CharField(
        help_text="Send it with a code to `/api/v1/auth/login/mfa/`; valid for minutes."
    )
    expires_in = serializers.IntegerField(help_text="Seconds the challenge stays valid.")


class MfaLoginSerializer(Serializer):  # type: ignore[type-arg]
    challenge = serializers.CharField(max_length=1000)
    code = serializers.CharField(
        max_length=64, help_text="From the authenticator app, or one of the recovery codes."
    )
    device = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A name for the token's device, shown in the list of tokens."),
    )


class TokenListSerializer(Serializer):  # type: ignore[type-arg]
    """A token as its owner sees it in a list: never the token itself."""

    key = serializers.CharField(help_text=_("The token's first characters; revoke by it."))
    device = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.BooleanField(help_text=_("The token this request was made with."))

    @staticmethod
    def row(token: Any, *, current: str | None) -> dict[str, Any]:
        device = getattr(token, "device", None)
        return {
            "key": token.token_key,
            "device": device.name if device is not None else "",
            "created": token.created,
            "expiry": token.expiry,
            "current": token.token_key == current,
        }


class VerificationSentSerializer(Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()


class PasskeyOnlySerializer(Serializer):  # type: ignore[type-arg]
    """The account's only second factor is a passkey, which an API client cannot show."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[PASSKEY_ONLY])
    tokens_url = serializers.URLField(
        help_text="The page where the account's owner makes a token in the browser."
    )
