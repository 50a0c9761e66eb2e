"""Response headers every page gets: privacy of authenticated answers, browser features.

Static files never reach this middleware (WhiteNoise answers them before it), so they
keep their long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """``Permissions-Policy`` from feature → allowed origins (``[]``: nobody, ``"self"``)."""

    def origins(allowed: Sequence[str]) -> str:
        return " ".join(origin if origin == "self" else f'"{origin}"' for origin in allowed)

    return ", ".join(f"{feature}=({origins(allowed)})" for feature, allowed in features.items())


class PrivacyHeadersMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user.

    Figures, payments and exports are one person's: neither a shared proxy cache nor the
    browser's back-button cache on a shared computer may keep them. DRF's token log-in
    sets the user on the Django request too, so API answers are covered after the view.
    Also adds ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response
