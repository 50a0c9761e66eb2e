"""Writing CSV files people open in a spreadsheet: locale formats and no formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run: a leading =, +, -, @, tab or CR gets a ' in front.

    OWASP's advice for CSV injection; the apostrophe shows in the cell but nothing runs.
    Numbers are written by ``format_cell`` and never pass through here.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def format_cell(value: object, *, german: bool) -> str:
    """One cell: amounts with the locale's decimal separator, dates as the locale writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | int):
        text = str(value)
        return text.replace(".", ",") if german else text
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y") if german else value.isoformat()
    return safe_cell(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], *, german: bool) -> str:
    """The file: ``;`` and decimal commas for German, ``,`` and points otherwise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([safe_cell(title) for title in header])
    for row in rows:
        writer.writerow([format_cell(value, german=german) for value in row])
    return buffer.getvalue()
