"""The API's account endpoints: tokens for a password, and for a second factor after it.

``POST /api/v1/auth/login/`` with the right password answers a token, or, for a user with
a second factor, 401 ``mfa_required`` and a challenge; ``POST /api/v1/auth/login/mfa/``
with that challenge and a code from the authenticator app (or a recovery code) answers
the token. Wrong codes count towards the same lockout as wrong passwords (django-axes).
An account whose only second factor is a passkey has no code to send: it gets 403
``passkey_only`` and makes its token in the browser (``/accounts/tokens/``).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    MFA_REQUIRED,
    PASSKEY_ONLY,
    LoginSerializer,
    MfaLoginSerializer,
    MfaRequiredSerializer,
    PasskeyOnlySerializer,
    RegisterSerializer,
    TokenListSerializer,
    TokenSerializer,
    VerificationSentSerializer,
)
from accounts.forms.mfa import AuthenticateForm
from accounts.lockout import second_factor_locked
from accounts.selectors import api_tokens_of
from accounts.services import (
    account_register,
    api_token_issue,
    api_token_revoke,
    email_verification_pending,
    email_verification_send,
    mfa_challenge_create,
    mfa_challenge_user,
    signup_answer,
)
from config.api.authentication import TokenOrBearerAuthentication
from config.lockout import lockout_response


def mfa_required(user: User) -> bool:
    return bool(is_mfa_enabled(user))


def passkey_only(user: User) -> bool:
    """The account's second factor is a passkey alone: no authenticator app and no
    recovery codes, so no code an API client could send."""
    from allauth.mfa.models import Authenticator

    return mfa_required(user) and not is_mfa_enabled(
        user, types=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )


def passkey_only_response(request: Request) -> Response:
    """The password was right, but the account's one factor is a passkey: a token comes
    from the browser's token page, where the passkey is checked."""
    body = {
        "detail": _(
            "This account's second factor is a passkey, which the API cannot check. "
            "Log in in the browser and create a token on the API tokens page."
        ),
        "code": PASSKEY_ONLY,
        "tokens_url": request.build_absolute_uri(reverse("api_token_list")),
    }
    return Response(PasskeyOnlySerializer(body).data, status=status.HTTP_403_FORBIDDEN)


def mfa_required_response(user: User) -> Response:
    """The password was right, and the account asks for a second factor: no token yet."""
    body = {
        "detail": _("This account has a second factor: send a code with the challenge."),
        "code": MFA_REQUIRED,
        "challenge": mfa_challenge_create(user=user),
        "expires_in": settings.MFA_API_CHALLENGE_SECONDS,
    }
    return Response(MfaRequiredSerializer(body).data, status=status.HTTP_401_UNAUTHORIZED)


class MfaLoginView(APIView):
    """Exchange the challenge and a second-factor code for a token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        request=MfaLoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong code, or an expired or unknown challenge"),
            403: OpenApiResponse(
                PasskeyOnlySerializer,
                description="The account's only second factor is a passkey: create a token "
                "in the browser at tokens_url.",
            ),
            429: OpenApiResponse(description="Too many failed log-ins for this username"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = MfaLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = mfa_challenge_user(challenge=serializer.validated_data["challenge"])
        if user is None:
            raise ValidationError(
                {"challenge": [_("The challenge has expired. Log in with your password again.")]}
            )
        if passkey_only(user):  # no code could be right: not a failed log-in either
            return passkey_only_response(request)
        if second_factor_locked(request=request._request, user=user):
            return lockout_response(request._request, None)  # type: ignore[return-value]
        form = AuthenticateForm(data={"code": serializer.validated_data["code"]}, user=user)
        if not form.is_valid():
            if second_factor_locked(request=request._request, user=user):
                return lockout_response(request._request, None)  # type: ignore[return-value]
            raise ValidationError({"code": form.errors.get("code", [])})
        form.authenticator.record_usage()
        token, expiry = api_token_issue(user=user, device=serializer.validated_data["device"])
        return Response(TokenSerializer({"token": token, "expiry": expiry}).data)


class TokenIssuingView(APIView):
    """Base of the anonymous endpoints that answer with a new token (tighter throttle)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    def token_response(
        self, user: User, *, device: str, status_code: int = status.HTTP_200_OK
    ) -> Response:
        token, expiry = api_token_issue(user=user, device=device)
        return Response(
            TokenSerializer({"token": token, "expiry": expiry}).data, status=status_code
        )


class LoginView(TokenIssuingView):
    """Exchange a username and password for a token (hashed at rest, expiring)."""

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Field errors"),
            401: OpenApiResponse(
                MfaRequiredSerializer,
                description="Right password, and the account has a second factor: no token "
                "yet; send the challenge and a code to /api/v1/auth/login/mfa/",
            ),
            403: OpenApiResponse(
                PasskeyOnlySerializer,
                description="Right password, and the account's only second factor is a "
                "passkey (no authenticator app, no recovery codes), which the API cannot "
                "check: create a token in the browser at tokens_url.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with the given username and password.")]}
            )
        if email_verification_pending(user=user):
            email_verification_send(request=request._request, user=user)
            raise ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "This e-mail address is not verified yet: follow the link we "
                            "sent to it, then log in."
                        )
                    ]
                }
            )
        if passkey_only(user):
            return passkey_only_response(request)
        if mfa_required(user):  # no password-only way around the second factor
            return mfa_required_response(user)
        return self.token_response(user, device=serializer.validated_data["device"])


class RegisterView(APIView):
    """Create an account; log in at ``/api/v1/auth/login/`` for its first token.

    The answer never tells whether the e-mail address already has an account (issue 19,
    item 9; issue 20): a taken address makes no second account, its owner gets a mail
    saying someone tried, and the caller gets the answer a new address gets. So the
    sign-up hands out no token, as a token would only exist for a new address: 201
    ``{"detail"}`` when the account can log in at once (``ACCOUNT_EMAIL_VERIFICATION``
    ``optional``), 202 ``{"detail"}`` when the link in the mail must be followed first
    (``mandatory``). A taken username is a 400 as before: a username is the public name
    one logs in with, not a way to reach a person. With ``none`` no mail can tell the
    owner, so there a taken address is a 400 too. Parallel sign-ups with one name or one
    address make one account and answer as the sequential case (a unique index decides).
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        request=RegisterSerializer,
        responses={
            201: OpenApiResponse(
                VerificationSentSerializer,
                description="Accepted, and the account can log in now (verification "
                "optional): the address check is mailed. A taken e-mail address answers "
                "the same (its owner is mailed instead), so log in for a token.",
            ),
            202: OpenApiResponse(
                VerificationSentSerializer,
                description="ACCOUNT_EMAIL_VERIFICATION=mandatory: follow the link in the "
                "mail, then log in. A taken e-mail address answers the same.",
            ),
            400: OpenApiResponse(
                description="Field errors: a taken username, a weak password, bad input "
                "(a taken e-mail address only where the server sends no mails)"
            ),
            403: OpenApiResponse(description="Sign-up is closed on this server (SIGNUP_OPEN)"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        if not settings.SIGNUP_OPEN:
            raise PermissionDenied(_("Sign-up is closed on this server."))
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_register(request=request._request, **serializer.validated_data)
        body = {"detail": signup_answer()}
        status_code = (
            status.HTTP_202_ACCEPTED
            if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
            else status.HTTP_201_CREATED
        )
        return Response(VerificationSentSerializer(body).data, status=status_code)


class LogoutView(KnoxLogoutView):  # type: ignore[misc]
    """Revoke the token this request was made with."""

    authentication_classes = (TokenOrBearerAuthentication,)
    throttle_scope = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)  # type: ignore[no-any-return]


class LogoutAllView(KnoxLogoutAllView):  # type: ignore[misc]
    """Revoke every token of the caller (all devices)."""

    authentication_classes = (TokenOrBearerAuthentication,)
    throttle_scope = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)  # type: ignore[no-any-return]


def _current_token_key(request: Request) -> str | None:
    """The key of the token this request came with (None for a browser session)."""
    auth = request.auth
    return str(auth.token_key) if auth is not None and hasattr(auth, "token_key") else None


class TokenListView(APIView):
    """The caller's API tokens in force, by device name; ``current`` marks this one."""

    @extend_schema(responses={200: TokenListSerializer(many=True)})
    def get(self, request: Request) -> Response:
        tokens = api_tokens_of(user=request.user)  # type: ignore[arg-type]
        current = _current_token_key(request)
        rows = [TokenListSerializer.row(token, current=current) for token in tokens]
        return Response(TokenListSerializer(rows, many=True).data)


class TokenDetailView(APIView):
    """One of the caller's tokens: see it, or revoke it (another user's is a 404)."""

    def _row(self, request: Request, key: str) -> dict[str, Any]:
        token = api_tokens_of(user=request.user).filter(token_key=key).first()  # type: ignore[arg-type]
        if token is None:
            raise NotFound()
        return TokenListSerializer.row(token, current=_current_token_key(request))

    @extend_schema(responses={200: TokenListSerializer})
    def get(self, request: Request, key: str) -> Response:
        return Response(TokenListSerializer(self._row(request, key)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, key: str) -> Response:
        self._row(request, key)
        api_token_revoke(user=request.user, token_key=key)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
