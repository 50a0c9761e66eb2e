"""One error shape for the whole API, whatever raised the error.

Services call ``full_clean()`` and raise ``DomainError``; without this handler both
would surface as a 500 (HackSoft Django-Styleguide, "Errors & exception handling"):
they become a 400 with field errors, ``{"field": ["message"]}``.

Every other error answers ``{"detail": "<message>", "code": "<stable code>"}``: the
message is in the caller's language, the code is not, so a client branches on
``code`` (``not_found``, ``method_not_allowed``, ``not_authenticated``, ``throttled``,
``request_too_large``, ``server_error``…: DRF's codes, and ours for the rest). A body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is Django's ``RequestDataTooBig`` (raised when DRF reads
the body), which Django would answer with its HTML 400 page: here it is a JSON 413.
The errors raised before a view runs, or after it failed, are config/errors.py's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import request_too_large_message
from finance.errors import DomainError


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _field_errors_of(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=_field_errors_of(exc))
    if isinstance(exc, DomainError):
        return exceptions.ValidationError(detail=exc.field_errors)
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge(request_too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    # DRF converts these two itself, but then the code of the converted error is lost.
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and set(response.data) == {"detail"}
    ):
        code = exc.get_codes()
        response.data["code"] = code if isinstance(code, str) else exc.default_code
    return response
