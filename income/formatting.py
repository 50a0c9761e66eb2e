"""How amounts look to a person: the one place that formats money for pages and e-mails.

German: ``10.000,00 €``; English: ``€10,000.00`` (PRODUCT.md §1). Grouping and
separators come from Django's locale formats; only the symbol's side is ours.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import FORMAT_SETTINGS, date_format, get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from finance.currencies import CURRENCY_SYMBOLS
from finance.rounding import EXACT, to_cents

NBSP = "\u00a0"

#: Per language code: the table that turns Python's ``1,234.56`` into the language's
#: digits, or None when its grouping is not plain groups of three (``number_format``
#: then writes them). Filled on first use; cleared when a test changes the formats.
_SEPARATORS: dict[str, dict[int, str] | None] = {}
#: ``numberformat.format`` writes more digits than this in scientific notation.
_SCIENTIFIC_DIGITS = 200


@receiver(setting_changed)
def _formats_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in FORMAT_SETTINGS or setting in ("FORMAT_MODULE_PATH", "LANGUAGE_CODE"):
        _SEPARATORS.clear()


def _separators(language: str) -> dict[int, str] | None:
    try:
        return _SEPARATORS[language]
    except KeyError:
        pass
    table: dict[int, str] | None = None
    if get_format("NUMBER_GROUPING", language, use_l10n=True) == 3:
        table = {
            ord(","): str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
            ord("."): str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
        }
    _SEPARATORS[language] = table
    return table


def _digits(number: Decimal, places: int, language: str | None) -> str:
    """``number`` (not negative, already rounded to ``places``) grouped as ``language``
    writes it: what ``number_format(number, decimal_pos=places, use_l10n=True,
    force_grouping=True)`` returns, for a fraction of its cost (the dashboard writes
    about ninety figures a request).

    Python's ``format(number, ",f")`` groups by three with ``,`` and ``.``; those two
    are swapped for the language's. Whatever this shortcut does not cover (a grouping
    other than threes, scientific notation past 200 digits, digits not exactly
    ``places``, NaN) goes to ``number_format`` itself; the tests hold the two equal.
    """
    table = None if language is None else _separators(language)
    if table is not None and number.is_finite():
        _, coefficient, exponent = number.as_tuple()
        if exponent == -places and len(coefficient) + places <= _SCIENTIFIC_DIGITS:
            return format(number, ",f").translate(table)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_money(value: Decimal, currency: str) -> str:
    """``value`` rounded to cents and written with the currency in the active language."""
    amount = to_cents(value)
    language = get_language()
    # ``copy_abs``, not ``abs()``: ``abs`` rounds to the context's 28 digits.
    digits = _digits(amount.copy_abs(), 2, language)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "−" if amount < 0 else ""
    if (language or "en").startswith("de"):
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
    language = get_language()
    digits = _digits(shown.copy_abs(), places, language)
    sign = "−" if shown < 0 else ""
    if (language or "en").startswith("de"):
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
