"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rest_framework import serializers
from rest_framework.settings import api_settings

from finance.rounding import EXACT


class FigureField(serializers.DecimalField):
    """A computed figure, written as a string with ``decimal_places`` places, however long.

    DRF fixes the places in the thread's context, 28 digits, and fails with
    ``InvalidOperation`` beyond that: yet a calculator run at 1,000 % a year for 80 years
    is valid input (PRODUCT.md §4) with a 35-digit result. The figures come rounded
    already (``to_cents``); this only writes the places, in ``EXACT``'s context.
    """

    def __init__(self, *, decimal_places: int, **kwargs: Any) -> None:
        super().__init__(max_digits=None, decimal_places=decimal_places, **kwargs)
        self.places = Decimal(1).scaleb(-decimal_places)
        self._written = _written_pattern(decimal_places)
        # DRF's own path, for a field that is localized or not written as a string.
        self._as_string = not self.localize and getattr(
            self, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING
        )

    def to_representation(self, value: Any) -> Any:
        """DRF's answer, without its per-call setting lookups: the reports write a few
        hundred figures per user, stored as text (read as DRF reads it, stripped)."""
        if self._as_string and not self.normalize_output:
            if isinstance(value, str):
                if self._written.fullmatch(value):
                    return value  # stored as this writes it: the same text again
                value = Decimal(value.strip())
            if isinstance(value, Decimal):
                return format(self.quantize(value), "f")
        return super().to_representation(value)

    def quantize(self, value: Decimal) -> Decimal:
        return value.quantize(self.places, rounding=self.rounding, context=EXACT)


def _written_pattern(places: int) -> re.Pattern[str]:
    """The text ``FigureField.to_representation`` writes with ``places`` places: ASCII
    digits without a leading zero, the places in full, within ``EXACT``'s precision. A
    stored figure of this form reads and quantizes to itself, so it is written as it is;
    any other (``" 12.5 "``, ``"1E+3"``, ``"007"``) takes the decimal's way."""
    whole = rf"(?:0|[1-9][0-9]{{0,{EXACT.prec - places - 1}}})"
    return re.compile(rf"-?{whole}\.[0-9]{{{places}}}" if places else rf"-?{whole}")


class DecimalChoiceField(serializers.ChoiceField):
    """A choice among decimals (the profile's church tax), written and taken as the
    decimal strings the schema lists ("0.08"), as the API writes every decimal; a JSON
    number is not one of them, as the schema's enum of strings says."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)
