"""The cells of one billing export's row read as values, by column name.

A preset names the columns it reads as the export writes them; the reader looks them up
by their normalized name (``imports.parsing.columns.normalize``: case and spaces do not
matter), so a column the platform moved or a header written in another case is still
found. A column the export lacks reads as empty: platforms add and drop columns over
the years, and a preset says which columns it cannot do without (its signature).

Every value is bounded as the payment reader bounds it: a date or an amount cell of
more than 64 characters is an error before any pattern looks at it, and every text is
cut to the model's length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from imports.parsing import columns as cols
from imports.parsing import dates, messages
from imports.parsing.drafts import CellError
from imports.parsing.numbers import AmountError, parse_amount

CENT = Decimal("0.01")
#: ``income.models.Customer``/``BillingSubscription``'s text columns.
MAX_TEXT = 200
_INTEGER_DIGITS = 9


def header_index(header: Sequence[str]) -> dict[str, int]:
    """Normalized column name → position; the first of two equal names wins."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(cols.normalize(name), position)
    return index


class RowCells:
    """One row's cells, read by column name with the file's number format and date order.

    ``rounded`` is set when an amount had more than two decimals (rounded half up to
    the cent, once, as every imported amount is).
    """

    def __init__(
        self,
        *,
        index: Mapping[str, int],
        cells: Sequence[str],
        number_format: str,
        date_order: str,
    ) -> None:
        self.index = index
        self.cells = cells
        self.number_format = number_format
        self.date_order = date_order
        self.rounded = False

    def has(self, name: str) -> bool:
        """Whether the file has the column ``name``."""
        return cols.normalize(name) in self.index

    def text(self, *names: str) -> str:
        """The first non-empty cell of the columns ``names``, stripped and cut to 200
        characters; "" when none has a value."""
        for name in names:
            position = self.index.get(cols.normalize(name))
            if position is not None and position < len(self.cells):
                value = self.cells[position].strip()
                if value:
                    return value[:MAX_TEXT]
        return ""

    def date(self, *names: str, field: str) -> date | None:
        """The calendar day of the first non-empty cell of ``names`` (a timestamp's day as
        written: the exports write UTC), None when all are empty."""
        value = self.text(*names)
        if not value:
            return None
        try:
            return dates.parse_date(value, order=self.date_order)
        except dates.DateError as error:
            raise CellError(field, error.message) from None

    def amount(self, *names: str, field: str, cents: bool = False) -> Decimal | None:
        """The amount in the first non-empty cell of ``names``, to the cent (half up),
        None when all are empty; ``cents`` reads an integer number of cents (Stripe's
        API-shaped exports)."""
        value = self.text(*names)
        if not value:
            return None
        try:
            number, _mark = parse_amount(value, number_format=self.number_format)
        except AmountError as error:
            raise CellError(field, error.message) from None
        if cents:
            number = number / 100
        exact = number.quantize(CENT, rounding=ROUND_HALF_UP)
        if exact != number:
            self.rounded = True
        return exact

    def integer(self, *names: str, field: str, default: int) -> int:
        """A whole number (a quantity, a count of intervals); ``default`` when empty."""
        value = self.text(*names).replace(",", "").replace(".", "")
        if not value:
            return default
        if not value.isdigit() or len(value) > _INTEGER_DIGITS:
            raise CellError(field, INVALID_NUMBER)
        return int(value)

    def flag(self, *names: str) -> bool:
        """A yes/no cell: true, yes, 1, ja, x are yes."""
        return self.text(*names).casefold() in _YES


_YES = frozenset({"true", "yes", "y", "1", "ja", "x", "wahr"})
INVALID_NUMBER = messages.gettext_noop("Enter a whole number.")
