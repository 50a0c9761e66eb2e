"""Exact sums of money in the database, on SQLite as on PostgreSQL.

SQLite keeps a ``DecimalField`` in a NUMERIC column, which stores 1234.56 as a REAL:
each value reads back exactly (Django rounds it to the field's places), but SUM adds
floats and drifts — 10,000 payments came to 50018435446.7199 instead of …446.72.
Summing whole cents as integers is exact everywhere (64-bit integers hold 92 million
billion cents), so money is summed as ``SUM(ROUND(amount × 100))`` and divided by 100
in Python, where the result is an exact Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Expression, F, Sum, Value
from django.db.models.functions import Cast, Round


def cents_sum(expression: Expression | F | str) -> Sum:
    """Aggregate: the sum of ``expression`` in whole cents (an integer, or None)."""
    amount = F(expression) if isinstance(expression, str) else expression
    return Sum(Cast(Round(amount * Value(100)), BigIntegerField()))


def from_cents(total: Any) -> Decimal:
    """The Decimal amount of a ``cents_sum`` result; no rows sum to 0.00."""
    return (Decimal(int(total)) if total is not None else Decimal(0)).scaleb(-2)
