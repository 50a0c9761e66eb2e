"""Django's error views, with JSON for the API: a client of ``/api/`` reads no HTML.

DRF answers the errors of its own views (config/api/exceptions.py); these are the ones
raised before a view is found (an address no route matches, e.g.
``/api/v1/sources/1.5/``), outside DRF (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` read
by a plain Django view, too many form fields) or after a view failed. Under ``/api/``
they answer the API's error shape, ``{"detail": ..., "code": ...}``; every other page
keeps its HTML.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def request_too_large_message(limit: int) -> str:
    """The same words the JSON parser uses for a body over its bound (config.api.parsers)."""
    return _("The request body is larger than %(size)s KB.") % {"size": max(limit // 1024, 1)}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(*, detail: str, code: str, status: int) -> JsonResponse:
    """The API's error body outside DRF (same shape as its exception handler's)."""
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return api_error(
            detail=request_too_large_message(limit), code="request_too_large", status=413
        )
    return api_error(detail=_("Bad request."), code="bad_request", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(
            detail=_("You do not have permission to perform this action."),
            code="permission_denied",
            status=403,
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(detail=_("Not found."), code="not_found", status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(detail=_("Server error."), code="server_error", status=500)
    return defaults.server_error(request)
