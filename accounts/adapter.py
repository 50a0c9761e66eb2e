"""Where allauth asks the project: who may sign up, how mail goes out, what a log-in sets."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.language import remember_language
from income.services import email_send, profile_get_or_create


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """``SIGNUP_OPEN=false`` closes sign-up for everyone; the API asks the same."""
        return bool(settings.SIGNUP_OPEN)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Rendered now, in the reader's language, and sent by the worker after commit
        (``email_send``): the request does not wait for the mail server."""
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html_body = next(
            (
                str(body)
                for body, kind in getattr(message, "alternatives", [])
                if kind == "text/html"
            ),
            None,
        )
        email_send(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html_body=html_body,
        )

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        """After every completed log-in (second factor included), the interface switches
        to the language kept on the profile."""
        response: HttpResponse = super().post_login(request, user, **kwargs)
        language = profile_get_or_create(user=user).language  # type: ignore[arg-type]
        translation.activate(language)
        return remember_language(response, language)
