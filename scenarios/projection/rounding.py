"""Shown amounts that add up: a series rounded to cents as a running total."""

from __future__ import annotations

from decimal import Decimal, localcontext

from finance.rounding import EXACT, to_cents

ZERO = Decimal(0)


class RunningCents:
    """Rounds a series as a running total, so the shown parts add up to the shown total.

    Each part is ``to_cents(total so far) − to_cents(total before)``: every part is
    within a cent of its exact value, and any run of parts sums to the rounded total of
    that run (pretix's "parts add up", applied along time).
    """

    def __init__(self) -> None:
        self._exact = ZERO
        self._shown = ZERO

    def add(self, amount: Decimal) -> Decimal:
        with localcontext(EXACT):
            self._exact += amount
            shown = to_cents(self._exact)
            part = shown - self._shown
        self._shown = shown
        return part
