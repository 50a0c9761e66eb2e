"""The language of the API's texts: the profile's, unless the request names one.

An app shows what the API says (error messages, category names, help articles) in the
language the person chose in their profile, not the one the phone's HTTP stack happens to
send: mobile stacks always send an ``Accept-Language``, so that header cannot mean "the
person asks otherwise". The rule, for every request under ``/api/``:

1. ``?lang=de`` (or ``en``) wins: an app that offers its own language switch says so;
2. else, for a signed-in caller (token or session), the profile's language;
3. else what ``LocaleMiddleware`` chose (``Accept-Language``, the language cookie).

A token is checked by DRF when the view runs, after every middleware, so the middleware
can only apply rules 1 and 2 for sessions; DRF's content negotiation, which runs first in
every API view, applies rule 2 for tokens: choosing the answer's language is content
negotiation, and it is one setting (``DEFAULT_CONTENT_NEGOTIATION_CLASS``) rather than a
base class every view would have to remember.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from config.errors import is_api

LANGUAGE_PARAMETER = "lang"

#: Set on the Django request once the profile's language is applied (one query a request).
_APPLIED = "_api_language_user"


def asked_language(request: HttpRequest) -> str | None:
    """The supported language ``?lang=`` names (``de``, ``de-CH`` → ``de``), or None."""
    value = request.GET.get(LANGUAGE_PARAMETER, "")
    if not value:
        return None
    try:
        return translation.get_supported_language_variant(value)
    except LookupError:
        return None


def profile_language(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The language of ``user``'s profile, found through the app registry: the platform
    layer (config) imports no app, so the dependencies keep pointing one way."""
    if user is None or not user.is_authenticated:
        return None
    profiles = apps.get_model("income", "Profile").objects
    language: str | None = (
        profiles.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return language


def _activate(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def apply_api_language(request: HttpRequest, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Rules 1 and 2 of the module doc, for ``user`` (None: not known yet)."""
    asked = asked_language(request)
    if asked is not None:
        _activate(request, asked)
        return
    if user is None or not user.is_authenticated or getattr(request, _APPLIED, None) == user.pk:
        return
    setattr(request, _APPLIED, user.pk)
    language = profile_language(user)
    if language:
        _activate(request, language)


class ApiLanguageMiddleware:
    """Rules 1 and 2 for the session; after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            apply_api_language(request, getattr(request, "user", None))
        return self.get_response(request)


class ProfileLanguageNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, plus the profile's language of the user DRF authenticated.

    Reading ``request.user`` here authenticates the request a step earlier than DRF
    would; a bad token still answers DRF's 401, as the error raised here is handled like
    one raised by the authentication step.
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        apply_api_language(request._request, request.user)
        return super().select_renderer(request, renderers, format_suffix)  # type: ignore[no-any-return]
