"""JSON parsing that never turns money into a float."""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DecimalJSONParser(JSONParser):
    """Parse JSON numbers as ``Decimal`` instead of ``float``.

    ``0.1`` in a request body stays exactly 0.1. Bare ``NaN``/``Infinity`` literals
    (which Python's json accepts) become ``Decimal('NaN')``/``Decimal('Infinity')``
    so the field that receives one answers with its own validation error rather than a
    parse error for the whole body.
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            return json.load(decoded, parse_float=Decimal, parse_constant=Decimal)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
