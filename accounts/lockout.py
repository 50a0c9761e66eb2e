"""The second factor under the same lockout as the password (django-axes).

A wrong code is a failed log-in of that username from that address; once the pair is
locked out, no code is even checked. One counter for both steps: knowing the password
buys no extra guesses at the code.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


def _credentials(user: AbstractBaseUser) -> dict[str, str]:
    return {"username": user.get_username()}


def second_factor_locked(*, request: HttpRequest, user: AbstractBaseUser) -> bool:
    return bool(AxesProxyHandler.is_locked(request, credentials=_credentials(user)))


def second_factor_failed(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
