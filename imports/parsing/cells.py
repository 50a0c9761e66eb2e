"""The cells of one statement read as values: amounts to the cent, dates, type values,
texts, notes and the currency (``imports.parsing.statement``, rules 7 and 8).

The reader (``imports.parsing.reader``) decides a file's number format and date order
once, from its cells, and then asks this for every cell of every row. Dates, amounts and
type values are remembered per distinct text: a statement repeats them a lot, and the
caches keep 100,000 rows within a second or two.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from imports.parsing import dates, kinds, messages
from imports.parsing.drafts import CellError, to_cent
from imports.parsing.numbers import AmountError, parse_amount
from imports.parsing.options import Options
from imports.parsing.text import FORMULA

MAX_NOTE_LENGTH = 500  # Payment.note
MAX_EXTERNAL_ID_LENGTH = 100  # Payment.external_id
MAX_SOURCE_LENGTH = 255
_DOLLAR = "$"
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD"})


class CellReader:
    """Reads the cells of one file with its formats, each distinct text once.

    ``number_format`` and ``date_order`` are the file's (set in the mapping, else
    detected by the reader); ``header_currency`` is the one a header name carries
    (``Betrag (€)``). ``notes_cut`` tells whether a note had to be shortened.
    """

    def __init__(
        self,
        *,
        options: Options,
        currencies: frozenset[str],
        default_currency: str,
        header_currency: str | None,
        number_format: str,
        date_order: str,
    ) -> None:
        self.options = options
        self.currencies = currencies
        self.default_currency = default_currency
        self.header_currency = header_currency
        self.number_format = number_format
        self.order = date_order
        self.types = {kinds.normalize_value(k): v for k, v in options.types.items()}
        self.kind_cache: dict[str, str] = {}
        self.dates: dict[str, date | dates.DateError] = {}
        self.amounts: dict[str, tuple[Decimal, str | None] | AmountError] = {}
        self.cents: dict[str, tuple[Decimal, str | None, bool] | AmountError] = {}
        self.notes_cut = False

    def amount_of(self, cell: str) -> tuple[Decimal, str | None] | AmountError:
        cached = self.amounts.get(cell)
        if cached is None:
            try:
                cached = parse_amount(cell, number_format=self.number_format)
            except AmountError as error:
                cached = error
            self.amounts[cell] = cached
        return cached

    def date_of(self, cell: str) -> date | dates.DateError:
        cached = self.dates.get(cell)
        if cached is None:
            try:
                cached = dates.parse_date(cell, order=self.order)
            except dates.DateError as error:
                cached = error
            self.dates[cell] = cached
        return cached

    def kind_of(self, value: str) -> str:
        cached = self.kind_cache.get(value)
        if cached is None:
            folded = kinds.normalize_value(value)
            cached = self.types.get(folded) or kinds.guess_kind(value)
            self.kind_cache[value] = cached
        return cached

    def cents_of(self, cell: str) -> tuple[Decimal, str | None, bool] | AmountError:
        """A cell's amount to the cent, its currency mark, and whether it was rounded;
        remembered per distinct text (a statement repeats its amounts)."""
        parsed = self.amount_of(cell)
        if isinstance(parsed, AmountError):
            cents: tuple[Decimal, str | None, bool] | AmountError = parsed
        else:
            flag = [False]
            cents = (to_cent(parsed[0], flag), parsed[1], flag[0])
        self.cents[cell] = cents
        return cents

    def text_of(self, cell: str, max_length: int, field_name: str) -> str:
        value = cell.strip()
        if not value:
            return ""
        if FORMULA.match(cell) or FORMULA.match(value):
            raise CellError(field_name, messages.FORMULA)
        if len(value) > max_length:
            if field_name == "source_label":
                return value[:max_length]
            message = (
                messages.EXTERNAL_ID_TOO_LONG if field_name == "external_id"
                else messages.SOURCE_TOO_LONG
            )  # fmt: skip
            raise CellError(field_name, message)
        return value

    def note_of(self, cell: str) -> str:
        value = " ".join(cell.split())
        if FORMULA.match(value):
            raise CellError("note", messages.FORMULA)
        if len(value) > MAX_NOTE_LENGTH:
            self.notes_cut = True
            return value[: MAX_NOTE_LENGTH - 1] + "…"
        return value

    def currency_of(self, cell: str, marks: set[str]) -> str:
        """The currency column, else the amounts' own code or symbol, else the mapping's,
        else the header's, else the default (``imports.parsing.statement``, rule 8).

        A code on an amount that disagrees with the column is a contradiction, not
        something to guess about. ``$`` fits any dollar; alone it means the default
        currency if that is a dollar, else the US dollar, never the euro.
        """
        named = cell.strip().upper()
        if named:
            marks = {*marks, named}
        dollar = _DOLLAR in marks
        marks = marks - {_DOLLAR}
        if len(marks) > 1:
            raise CellError("currency", messages.CURRENCY_MISMATCH)
        fallback = self.options.currency or self.header_currency
        if marks:
            currency = next(iter(marks))
        elif fallback and fallback != _DOLLAR:
            currency = fallback
        elif (dollar or fallback == _DOLLAR) and self.default_currency not in _DOLLAR_CURRENCIES:
            currency = "USD"
        else:
            currency = self.default_currency
        if dollar and currency not in _DOLLAR_CURRENCIES:
            raise CellError("currency", messages.CURRENCY_MISMATCH)
        if currency not in self.currencies:
            raise CellError("currency", messages.UNKNOWN_CURRENCY)
        return currency
