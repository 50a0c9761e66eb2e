"""The answer to a locked-out log-in, and whose address a log-in comes from (django-axes).

The API gets JSON in its own error shape (``{"detail": ...}``, 429, ``Retry-After``),
as DRF's throttling answers; the browser and the admin get a page in the site's look.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.errors import API_PREFIX


def client_ip(request: HttpRequest) -> str:
    """The client's address: the proxy's last X-Forwarded-For entry behind a proxy."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    minutes = ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    message = _(
        "Too many failed log-ins. For your safety, logging in with this username from "
        "here is paused for %(minutes)d minutes."
    ) % {"minutes": minutes}
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message, "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
