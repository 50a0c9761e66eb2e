"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from income.finance.rounding import EXACT


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

    def quantize(self, value: Decimal) -> Decimal:
        return value.quantize(self.places, rounding=self.rounding, context=EXACT)
