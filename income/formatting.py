"""How amounts look to a person: the one place that formats money for pages and e-mails.

German: ``10.000,00 €``; English: ``€10,000.00`` (PRODUCT.md §1). Grouping and
separators come from Django's locale formats; only the symbol's side is ours.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from finance.currencies import CURRENCY_SYMBOLS
from finance.rounding import EXACT, to_cents

NBSP = "\u00a0"


def format_money(value: Decimal, currency: str) -> str:
    """``value`` rounded to cents and written with the currency in the active language."""
    amount = to_cents(value)
    # ``copy_abs``, not ``abs()``: ``abs`` rounds to the context's 28 digits.
    digits = number_format(amount.copy_abs(), decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "−" if amount < 0 else ""
    if (get_language() or "en").startswith("de"):
        return f"{sign}{digits}{NBSP}{symbol}"
    separator = NBSP if len(symbol) > 1 and symbol.isalpha() else ""
    return f"{sign}{symbol}{separator}{digits}"


def format_percent(fraction: Decimal, places: int = 2) -> str:
    """A fraction (0.05) as a percentage in the active language (``5,00 %`` / ``5.00%``).

    Rounded half up to ``places``, as every figure is (``number_format`` alone cuts the
    digits off: 0.0709 would read 7.0 %, not 7.1 %). The sign is the rounded value's, so
    −0.0004 at one place reads 0.0 %, not −0.0 %.
    """
    shown = fraction.scaleb(2).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT
    )
    digits = number_format(shown.copy_abs(), decimal_pos=places, use_l10n=True, force_grouping=True)
    sign = "−" if shown < 0 else ""
    if (get_language() or "en").startswith("de"):
        return f"{sign}{digits}{NBSP}%"
    return f"{sign}{digits}%"


def format_month(month: date, *, to_date: bool = False) -> str:
    """A month as the locale writes it: "März 2026" / "March 2026" (chart labels).

    ``to_date`` marks the running month (§3: month-to-date, marked on every chart and
    table): "December 2026 (to date)".
    """
    label = date_format(month, "YEAR_MONTH_FORMAT")
    if to_date:
        return _("%(month)s (to date)") % {"month": label}
    return label
