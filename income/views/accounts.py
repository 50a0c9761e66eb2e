"""Settings, the language and theme switches (sign-up and log-in: accounts/, django-allauth)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from income.forms.profile import LanguageForm, ProfileForm
from income.language import remember_language
from income.models import Theme
from income.services.users import profile_get_or_create, profile_update


def _safe_next(request: HttpRequest, default: str) -> str:
    """``next`` if it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    profile = profile_get_or_create(user=cast(User, request.user))
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_update(user=cast(User, request.user), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            translation.activate(profile.language)
            messages.success(request, _("Your settings were saved."))
            return remember_language(redirect("settings"), profile.language)
    return render(request, "income/settings.html", {"form": form})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in user keeps the choice on the profile."""
    form = LanguageForm(request.POST)
    next_url = _safe_next(request, reverse("home"))
    if not form.is_valid():
        messages.error(request, _("Unknown language."))
        return HttpResponseRedirect(next_url)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        profile_update(user=request.user, language=language)
    translation.activate(language)
    return remember_language(HttpResponseRedirect(next_url), language)


@require_POST
def theme_switch(request: HttpRequest) -> HttpResponse:
    """Set light, dark or the device's choice from the header, then go back to the page.

    A plain POST form (CSRF token, safe ``next``), so it works without script; the chosen
    value is kept on the profile, where the settings page and every page read it
    (income/preferences.py; the profile's save refreshes the cached preferences).

    Only signed-in people are offered the switch. Signed out, a person sees a few public
    pages (home, calculator, help, log-in), for which the device's own light or dark
    setting is the right choice; a cookie would be a second place a theme lives, to keep
    in step with the profile at log-in. A post without a session (a page left open past
    log-out) goes back and changes nothing.
    """
    next_url = _safe_next(request, reverse("home"))
    if not request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        messages.error(request, _("Unknown appearance; nothing was changed."))
        return HttpResponseRedirect(next_url)
    profile_update(user=request.user, theme=theme)
    return HttpResponseRedirect(next_url)
