"""Amounts as exported: signs, currency marks, grouping, exponents, the file's format.

A cell on its own cannot tell ``1.234`` (German one thousand two hundred thirty-four)
from ``1.234`` (English one and a bit), but the file can: every amount cell votes and the
majority decides (``detect_number_format``), unless the mapping names the format.

- Signs: a leading or trailing ``-`` (``1.234,56-``, as German banks write debits),
  a Unicode minus, or accounting parentheses ``(12.34)`` make a negative amount; ``+``
  is fine. What a negative amount *means* is the statement's business, not this one's.
- Currency: a symbol (``€``, ``$``, ``£``) or a three-letter code before or after the
  number is returned beside it; ``$`` stays ``$`` (it is the US, Canadian, Australian …
  dollar) for the caller to resolve.
- Grouping: ``.``/``,`` per format, and ``'``, spaces and (narrow) no-break spaces
  between groups of three digits.
- Exponents (``7,05883E-05``, as Excel writes tiny P2P interest) are read, with the
  exponent bounded so no cell can make ``Decimal`` build a huge number.
- More than two decimals are kept exact here; the statement rounds half up to the cent,
  once, and warns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from imports.parsing import messages

MAX_INTEGER_DIGITS = 13  # DecimalField(max_digits=15, decimal_places=2)
_MAX_EXPONENT = 20
_ZERO = Decimal(0)

#: The longest amount cell read (``-1.234.567.890.123,45 EUR`` has 25 characters): a
#: longer one is refused before any pattern sees it, so no cell costs more than a few
#: hundred steps (issue 19: a long run of spaces once took seconds per cell).
MAX_AMOUNT_CELL = 64

# Sign, currency before or after, the number, an exponent, on the stripped cell. `\s`
# covers no-break spaces. Every run is possessive (``*+``, ``?+``): no character can be
# both in one run and the next, so giving one back never helps and the engine may not
# try, which keeps the match linear in the cell's length.
_AMOUNT_CELL = re.compile(
    r"(?P<open>\()?+\s*+(?P<sign>[-+\u2212])?+\s*+(?P<pre>[€$£]|[A-Za-z]{3})?+\s*+"
    r"(?P<sign2>[-+\u2212])?+\s*+"
    r"(?P<number>[0-9](?:[0-9.,']|[ \u00a0\u202f](?=[0-9]{3}))*+)"
    r"(?:[eE](?P<exp>[-+]?[0-9]{1,3}))?+"
    r"\s*+(?P<sign3>-)?+\s*+(?P<post>[€$£]|[A-Za-z]{3})?+\s*+(?P<close>\))?+"
)
_NUMBER = {
    "de": re.compile(
        r"(?P<int>[0-9]{1,3}(?:[.' \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,(?P<frac>[0-9]+))?"
    ),
    "en": re.compile(
        r"(?P<int>[0-9]{1,3}(?:[,' \u00a0\u202f][0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
    ),
}
_GROUPING = re.compile(r"[.,' \u00a0\u202f]")
SYMBOL_CURRENCY = {"€": "EUR", "£": "GBP", "$": "$"}


class AmountError(Exception):
    """A cell that is not an amount; carries one of the row-level message constants."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def number_vote(number: str) -> str | None:
    """``"de"``, ``"en"`` or None (either reading is possible) for one number's text.

    Both separators tell the order; several of one are grouping; a lone separator
    followed by other than exactly three digits is a decimal mark (nobody groups by
    one, two or five digits), which also reads German decimals in a comma file
    (``"100,00"``, quoted) and ``0,005555556``.
    """
    commas = number.count(",")
    dots = number.count(".")
    if commas and dots:
        return "de" if number.rfind(",") > number.rfind(".") else "en"
    if commas > 1:
        return "en"
    if dots > 1:
        return "de"
    if not commas and not dots:
        return None
    mark = "," if commas else "."
    digits_after = len(number) - number.rfind(mark) - 1
    if digits_after == 3:
        return None
    return "de" if commas else "en"


def detect_number_format(cells: Mapping[str, int], *, fallback: str) -> tuple[str, bool]:
    """``("de" | "en", mixed)`` from the votes of all amount cells, each counted as often
    as it occurs; ``fallback`` when nothing decides (the delimiter's custom)."""
    votes = {"de": 0, "en": 0}
    for cell, count in cells.items():
        match = _AMOUNT_CELL.fullmatch(cell.strip()) if len(cell) <= MAX_AMOUNT_CELL else None
        if match is None:
            continue
        vote = number_vote(match["number"].strip())
        if vote is not None:
            votes[vote] += count
    mixed = votes["de"] > 0 and votes["en"] > 0
    if votes["de"] != votes["en"]:
        return ("de" if votes["de"] > votes["en"] else "en"), mixed
    return fallback, mixed


# The plain shapes most cells have (``-1.234,56``, ``12.50``): read without the general
# pattern, the same value it would give.
_PLAIN = {
    "de": re.compile(r"(-?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,13})(?:,([0-9]+))?"),
    "en": re.compile(r"(-?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,13})(?:\.([0-9]+))?"),
}


def parse_amount(cell: str, *, number_format: str) -> tuple[Decimal, str | None]:
    """The exact signed amount and the currency mark on it (``EUR``, ``$``, None)."""
    if len(cell) > MAX_AMOUNT_CELL:
        raise AmountError(messages.CELL_TOO_LONG)
    plain = _PLAIN[number_format].fullmatch(cell)
    if plain is not None:
        sign, integer, fraction = plain.groups()
        digits = integer.replace("." if number_format == "de" else ",", "").lstrip("0") or "0"
        if len(digits) <= MAX_INTEGER_DIGITS:
            value = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
            return (value if value else _ZERO + value.copy_abs()), None
    match = _AMOUNT_CELL.fullmatch(cell.strip())
    if match is None:
        raise AmountError(messages.INVALID_AMOUNT)
    signs = [s for s in (match["sign"], match["sign2"], match["sign3"]) if s]
    if len(signs) > 1 or bool(match["open"]) != bool(match["close"]):
        raise AmountError(messages.INVALID_AMOUNT)
    number = _NUMBER[number_format].fullmatch(match["number"])
    if number is None:
        raise AmountError(messages.INVALID_AMOUNT)
    integer = _GROUPING.sub("", number["int"]).lstrip("0") or "0"
    fraction = number["frac"] or ""
    value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    if match["exp"] is not None:
        exponent = int(match["exp"])
        if abs(exponent) > _MAX_EXPONENT:
            raise AmountError(
                messages.AMOUNT_TOO_LARGE if exponent > 0 else messages.INVALID_AMOUNT
            )
        value = value.scaleb(exponent)
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise AmountError(messages.AMOUNT_TOO_LARGE)
    negative = match["open"] is not None or (signs and signs[0] in "-\u2212")
    if negative and value != _ZERO:
        value = -value
    mark = match["pre"] or match["post"]
    if mark is None:
        return value, None
    return value, SYMBOL_CURRENCY.get(mark) or mark.upper()
