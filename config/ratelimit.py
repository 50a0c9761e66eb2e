"""Per-address limits on every form that checks a password, a code or sends a mail.

django-axes locks one username from one address after a few failures; that alone lets
one address try a password against many usernames, open accounts by the hundred or
send reset mails to every address it knows (issue 19, finding 7). So each of these
forms also counts the attempts of one address per minute, whatever it sends, and the
attempt over ``ADDRESS_LIMIT_PER_MINUTE`` is refused with 429 before the view runs.

The address is ``config.lockout.client_ip``, the one rule axes, allauth and the API
throttles (below) also use: ``REMOTE_ADDR``, or behind a proxy (``BEHIND_PROXY``) the
last ``X-Forwarded-For`` entry, the one the proxy added. Entries a client sends itself
never count, so a new header per request walks around nothing.

The counters live in the cache. With Redis unreachable the fail-soft cache
(config/cache.py) answers every ``incr`` as a missing key: the limit then lets everyone
through rather than answering 500 or locking everybody out (PRODUCT.md §7), and the
axes lockout, kept in the database, still holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from math import ceil

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

#: Route names of the limited forms, by the counter they share. A log-in and its second
#: factor step share one, in the browser and the API alike.
LIMITED_ROUTES: dict[str, str] = {
    # log-in: password, second factor, passkey, code by mail
    "login": "login",
    "account_login": "login",
    "mfa_authenticate": "login",
    "account_confirm_login_code": "login",
    "api-login": "login",
    "api-login-mfa": "login",
    # sign-up
    "signup": "signup",
    "account_signup": "signup",
    "account_signup_by_passkey": "signup",
    "api-register": "signup",
    # mails: reset links and log-in codes
    "password_reset": "mail",
    "account_reset_password": "mail",
    "account_request_login_code": "mail",
    "account_confirm_password_reset_code": "mail",
    # a signed-in user proving the password again
    "account_delete": "password",
    "api-me-delete": "password",
    "password_change": "password",
    "account_change_password": "password",
    "account_reauthenticate": "password",
    "mfa_reauthenticate": "password",
}
WINDOW_SECONDS = 60
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def address_limit_exceeded(request: HttpRequest, *, counter: str) -> bool:
    """Count one attempt of this address on ``counter``; True once over the minute's limit.

    A fixed window per minute: ``add`` starts the count (no-op when it exists) and
    ``incr`` is atomic on Redis. An unreachable cache raises ``ValueError`` from ``incr``
    (config/cache.py): not counted, not refused.
    """
    from config.lockout import client_ip

    window = int(time.time() // WINDOW_SECONDS)
    key = f"address-limit:{counter}:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        count = int(cache.incr(key))
    except ValueError:
        return False
    return count > int(settings.ADDRESS_LIMIT_PER_MINUTE)


def address_limit_response(request: HttpRequest) -> HttpResponse:
    """429 with ``Retry-After``: the API's error shape (``{"detail", "code": "throttled"}``,
    as DRF's throttling answers), or a page in the site's look for the browser."""
    from config.errors import api_error, is_api

    retry_after = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    if is_api(request):
        message = _("Too many attempts from your address. Try again in %(seconds)d seconds.") % {
            "seconds": retry_after
        }
        response: HttpResponse = api_error(detail=message, code="throttled", status=429)
    else:
        minutes = ceil(retry_after / 60)
        response = render(
            request, "registration/rate_limited.html", {"minutes": minutes}, status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


class AddressLimitMiddleware:
    """Refuses the attempt over the limit on a route of ``LIMITED_ROUTES`` (any method
    but GET, HEAD and OPTIONS), before the view (and the password check) runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS or request.resolver_match is None:
            return None
        counter = LIMITED_ROUTES.get(request.resolver_match.url_name or "")
        if counter is None or not address_limit_exceeded(request, counter=counter):
            return None
        return address_limit_response(request)


# ----------------------------------------------------------------------------- API throttles
# DRF's throttles find the address themselves (``NUM_PROXIES``, set from BEHIND_PROXY in
# settings); these ask ``client_ip`` instead, so there is one rule, not two that agree.
# config.lockout is imported when first used: DRF imports this module while it builds
# APIView, which config.lockout (through config.errors) imports in turn.


def _ident(request: Request) -> str:
    from config.lockout import client_ip

    return client_ip(request._request)


class AnonAddressThrottle(AnonRateThrottle):
    def get_ident(self, request: Request) -> str:
        return _ident(request)


class UserAddressThrottle(UserRateThrottle):
    def get_ident(self, request: Request) -> str:
        return _ident(request)


class ScopedAddressThrottle(ScopedRateThrottle):
    def get_ident(self, request: Request) -> str:
        return _ident(request)
