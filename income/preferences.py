"""The signed-in person's display preferences (theme, date style), for every page.

``request.preferences`` is read lazily, at most once per request, and from the cache:
every save of a profile writes its two values there (``preferences_remember``, connected
to the profile's ``post_save`` below), so a page costs no database query
for them; only a cache that lost them (evicted, Redis away) reads the two columns once.
Anonymous visitors get the defaults: the device's light or dark, the language's dates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from income.date_style import SYSTEM, date_style_override


@dataclass(frozen=True)
class Preferences:
    theme: str = SYSTEM
    date_style: str = SYSTEM


def _cache_key(user_id: int) -> str:
    return f"preferences:{user_id}"


def preferences_remember(*, user_id: int, theme: str, date_style: str) -> None:
    """Keep a profile's preferences in the cache (after every save of the profile)."""
    cache.set(_cache_key(user_id), (theme, date_style), timeout=None)


def _profile_saved(sender: type[Model], instance: Any, **kwargs: object) -> None:
    """Every page reads theme and date style from the cache; a save of a profile from
    anywhere (settings, API, admin, a worker) writes the new values there. Connected to
    ``income.Profile`` by name, so this module needs no import of the models."""
    preferences_remember(
        user_id=instance.user_id, theme=instance.theme, date_style=instance.date_style
    )


post_save.connect(_profile_saved, sender="income.Profile", dispatch_uid="profile_preferences_cache")


def preferences_for(request: HttpRequest) -> Preferences:
    """The profile's theme and date style; the defaults without a user or profile."""
    from income.models import Profile  # the app registry is ready by the first request

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Preferences()
    kept = cache.get(_cache_key(user.pk))
    if kept is not None:
        return Preferences(*kept)
    row = Profile.objects.filter(user_id=user.pk).values("theme", "date_style").first()
    if row is None:
        return Preferences()
    preferences_remember(user_id=user.pk, **row)
    return Preferences(**row)


class PreferencesMiddleware:
    """Attach ``request.preferences`` and write this request's dates in its date style.

    After ``AuthenticationMiddleware`` (it needs ``request.user``). Responses are
    rendered inside this call (``TemplateResponse`` too), so every date of the page
    sees the style.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        load = functools.cache(lambda: preferences_for(request))
        request.preferences = SimpleLazyObject(load)  # type: ignore[attr-defined]
        with date_style_override(lambda: load().date_style):
            return self.get_response(request)
