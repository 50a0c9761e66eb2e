"""JSON parsing that never turns money into a float, and reads a bounded body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from config import json_bounds


def _too_large(limit: int) -> ParseError:
    return ParseError(
        _("The request body is larger than %(size)s KB.") % {"size": max(limit // 1024, 1)}
    )


class DecimalJSONParser(JSONParser):
    """Parse JSON numbers as ``Decimal`` instead of ``float``, within bounds.

    ``0.1`` in a request body stays exactly 0.1. Bare ``NaN``/``Infinity`` literals
    (which Python's json accepts) become ``Decimal('NaN')``/``Decimal('Infinity')``
    so the field that receives one answers with its own validation error rather than a
    parse error for the whole body.

    The body is read up to ``API_JSON_MAX_BYTES`` (a view may allow more with a
    ``max_json_bytes`` attribute: the data import takes a whole export), refused by its
    ``Content-Length`` before reading when that already says too much, and its nesting
    is bounded (``config.json_bounds``): a 400 with ``detail``, never a 500 (issue 19).
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        view = parser_context.get("view")
        limit = int(getattr(view, "max_json_bytes", None) or settings.API_JSON_MAX_BYTES)
        request = parser_context.get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise _too_large(limit)
        try:
            return json_bounds.loads(data.decode(encoding))
        except json_bounds.JSONTooLarge as exc:
            raise ParseError(
                _("The JSON is nested more than %(depth)s levels deep.")
                % {"depth": json_bounds.MAX_DEPTH}
            ) from exc
        except ValueError as exc:  # includes UnicodeDecodeError and JSONDecodeError
            raise ParseError(f"JSON parse error - {exc}") from exc
