"""What the API's account endpoints take and answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from income.models import Profile

MFA_REQUIRED = "mfa_required"
PASSKEY_ONLY = "passkey_only"


class LoginSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    device = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A name for the token's device, shown in the list of tokens."),
    )


class RegisterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    language = serializers.ChoiceField(
        choices=Profile._meta.get_field("language").choices or [], default="en"
    )
    base_currency = serializers.ChoiceField(
        choices=[code for code, _label in Profile._meta.get_field("base_currency").choices or []],
        default="EUR",
    )


class TokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField()


class MfaRequiredSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[MFA_REQUIRED])
    challenge = serializers.CharField(
        help_text="Send it with a code to `/api/v1/auth/login/mfa/`; valid for minutes."
    )
    expires_in = serializers.IntegerField(help_text="Seconds the challenge stays valid.")


class MfaLoginSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class TokenListSerializer(serializers.Serializer):  # type: ignore[type-arg]
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


class VerificationSentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()


class PasskeyOnlySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The account's only second factor is a passkey, which an API client cannot show."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[PASSKEY_ONLY])
    tokens_url = serializers.URLField(
        help_text="The page where the account's owner makes a token in the browser."
    )
