"""Template filters for amounts; the formatting itself lives in ``income.formatting``."""

from __future__ import annotations

from decimal import Decimal

from django import template

from income.formatting import format_money, format_percent

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "EUR") -> str:
    """``{{ amount|money:"EUR" }}``; an empty value shows a dash, never ``None``."""
    if value is None or value == "":
        return "—"
    return format_money(Decimal(value), currency)


@register.filter
def percent(value: Decimal | None, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return format_percent(Decimal(value), places)
