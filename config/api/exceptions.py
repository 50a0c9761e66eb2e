"""Turn domain and model validation errors into 400 responses with field errors.

Services call ``full_clean()`` and raise ``DomainError``; without this handler both
would surface as a 500 (HackSoft Django-Styleguide, "Errors & exception handling").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from income.finance.errors import DomainError


def _field_errors_of(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_field_errors_of(exc))
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError(detail=exc.field_errors)
    return drf_exception_handler(exc, context)
