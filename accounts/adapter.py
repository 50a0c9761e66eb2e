"""Where allauth asks the project: who may sign up, how mail goes out, what a log-in sets."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.services import api_tokens_revoke_all
from config.lockout import client_ip
from income.language import remember_language
from income.services.users import email_send, profile_get_or_create


def _configured_site() -> SimpleNamespace:
    """The site as ``SITE_URL`` names it, for a mail rendered outside a request."""
    return SimpleNamespace(name="Ertrag", domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """``SIGNUP_OPEN=false`` closes sign-up for everyone; the API asks the same."""
        return bool(settings.SIGNUP_OPEN)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Rendered now, in the reader's language, and sent by the worker after commit
        (``email_send``): the request does not wait for the mail server."""
        # Security notices are sent after commit, maybe after the request has ended.
        request = allauth_context.request or getattr(self, "request", None)
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request) if request else _configured_site(),
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

    def send_account_already_exists_mail(self, email: str) -> None:
        """The notice to an address's owner that someone signed up with it, in the owner's
        language (the profile's), not in that of whoever tried: the mail is theirs."""
        from django.contrib.auth.models import User

        owner = User.objects.filter(email__iexact=email).select_related("profile").first()
        profile = getattr(owner, "profile", None) if owner is not None else None
        language = profile.language if profile is not None else translation.get_language()
        with translation.override(language or settings.LANGUAGE_CODE):
            super().send_account_already_exists_mail(email)

    def get_client_ip(self, request: HttpRequest) -> str:
        """One rule for the client's address (behind a proxy, the one it added), for
        allauth's limits and security mails as for the lockout."""
        return client_ip(request)

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        """A changed or reset password signs every device out: other browsers by
        Django's session hash (the changing browser keeps its session), and every API
        token here, since a token does not carry that hash (issue 19, item 8)."""
        super().set_password(user, password)
        api_tokens_revoke_all(user=user)  # type: ignore[arg-type]

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        """After every completed log-in (second factor included), the interface switches
        to the language kept on the profile."""
        response: HttpResponse = super().post_login(request, user, **kwargs)
        language = profile_get_or_create(user=user).language  # type: ignore[arg-type]
        translation.activate(language)
        return remember_language(response, language)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """A first log-in through single sign-on is a sign-up: ``SIGNUP_OPEN`` decides."""
        return bool(settings.SIGNUP_OPEN)
