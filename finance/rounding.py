"""Rounding to cents, the one way the whole product rounds money.

Half up, as the calculator seed and pretix do (``ROUND_HALF_UP``), in a context wide
enough that no intermediate result is ever rounded by the context itself: only the
explicit ``to_cents`` call rounds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")

# 1,200 significant digits hold every exact intermediate the calculator can produce:
# (1 + r)^n with r of at most 8 decimal places and n <= 100 has at most 800 decimals,
# and its integer part at most 105 digits (11^100); times a 15-digit amount that is
# under 1,000 digits.
EXACT = Context(prec=1200, Emax=999_999, Emin=-999_999)


def to_cents(value: Decimal) -> Decimal:
    """Round ``value`` to two decimals, half up.

    The context is passed to ``quantize`` rather than entered with ``localcontext``:
    the same rounding, without switching the thread's context on every call (the
    report recompute rounds thousands of amounts per user).
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=EXACT)


def to_whole(value: Decimal) -> Decimal:
    """Round ``value`` to a whole number, half up: counts shown to people (subscribers)."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=EXACT)
