"""Sign-up, log-in with the profile's language, settings, the language and theme switches."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from income.forms import LanguageForm, ProfileForm, SignupForm
from income.models import Theme
from income.services import profile_get_or_create, profile_update, user_register


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Store the choice in the cookie ``LocaleMiddleware`` reads on every request."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    return response


def _safe_next(request: HttpRequest, default: str | None = None) -> str:
    """Where to go after sign-up: ``next`` if it stays on this site, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard") if default is None else default


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = translation.get_language() or settings.LANGUAGE_CODE
        try:
            user = user_register(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=language if language in dict(settings.LANGUAGES) else "en",
                base_currency=form.cleaned_data["base_currency"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Ertrag! Your account is ready."))
            return _remember_language(HttpResponseRedirect(_safe_next(request)), language)
    return render(
        request, "registration/signup.html", {"form": form, "next": _safe_next(request, "")}
    )


class ProfileLanguageLoginView(LoginView):
    """Log in and switch the interface to the language stored on the profile."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = profile_get_or_create(user=form.get_user()).language
        translation.activate(language)
        return _remember_language(response, language)


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
            return _remember_language(redirect("settings"), profile.language)
    return render(request, "income/settings.html", {"form": form})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a logged-in user keeps the choice on the profile."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    if not form.is_valid():
        messages.error(request, _("Unknown language."))
        return HttpResponseRedirect(next_url)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        profile_update(user=request.user, language=language)
    translation.activate(language)
    return _remember_language(HttpResponseRedirect(next_url), language)


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
