"""The API token, sent as ``Token <token>`` (knox's prefix) or ``Bearer <token>``.

Clients generated from the schema (openapi-python-client's ``AuthenticatedClient``, and
most others) send ``Authorization: Bearer``; clients written before issue 20 send
``Token``. Both prefixes are accepted so neither kind needs a hand edit, and the schema
declares the token as an HTTP bearer scheme.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

BEARER = b"bearer"


class TokenOrBearerAuthentication(TokenAuthentication):  # type: ignore[misc]
    def authenticate(self, request: Request) -> Any:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != BEARER:
            return super().authenticate(request)
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        return self.authenticate_credentials(auth[1])


class TokenOrBearerScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "config.api.authentication.TokenOrBearerAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The token from `/api/v1/auth/login/`, as `Authorization: Bearer <token>`; "
                "`Authorization: Token <token>` is accepted as well."
            ),
        }
