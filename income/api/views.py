"""API views: validate, call one service or pure function, serialize. Nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from income.api.serializers import (
    CalculatorInputSerializer,
    CalculatorResultSerializer,
    LoginSerializer,
    MeSerializer,
    RegisterSerializer,
    TokenSerializer,
)
from income.finance.calculator import calculate
from income.models import Profile
from income.services import api_token_create, profile_get_or_create, profile_update, user_register


class CalculatorView(APIView):
    """The seed's passive-income calculator; open to everyone."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=CalculatorInputSerializer,
        responses={
            200: CalculatorResultSerializer,
            400: OpenApiResponse(description="Field errors"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = CalculatorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = calculate(**serializer.validated_data)
        return Response(CalculatorResultSerializer(result).data)


class TokenIssuingView(APIView):
    """Base of the anonymous endpoints that answer with a new token (tighter throttle)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    def token_response(self, user: User, *, status_code: int = status.HTTP_200_OK) -> Response:
        token, expiry = api_token_create(user=user)
        return Response(
            TokenSerializer({"token": token, "expiry": expiry}).data, status=status_code
        )


class LoginView(TokenIssuingView):
    """Exchange a username and password for a token (hashed at rest, expiring)."""

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="Field errors")},
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
        return self.token_response(user)


class RegisterView(TokenIssuingView):
    """Create an account and answer with its first token."""

    @extend_schema(
        request=RegisterSerializer,
        responses={201: TokenSerializer, 400: OpenApiResponse(description="Field errors")},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return self.token_response(user, status_code=status.HTTP_201_CREATED)


class LogoutView(KnoxLogoutView):  # type: ignore[misc]
    """Revoke the token this request was made with."""

    throttle_scope = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)  # type: ignore[no-any-return]


class LogoutAllView(KnoxLogoutAllView):  # type: ignore[misc]
    """Revoke every token of the caller (all devices)."""

    throttle_scope = "auth"

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)  # type: ignore[no-any-return]


class MeView(generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    """The caller's profile: base currency and language."""

    serializer_class = MeSerializer

    def get_object(self) -> Profile:
        return profile_get_or_create(user=self.request.user)  # type: ignore[arg-type]

    def perform_update(self, serializer: MeSerializer) -> None:  # type: ignore[override]
        serializer.instance = profile_update(
            user=self.request.user,  # type: ignore[arg-type]
            **dict(serializer.validated_data),
        )
