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


def csv_date_pattern(*, german: bool, date_style: str = "system") -> str:
    """How a CSV writes a day, by the person's date style (income/date_style.py has the pages').

    "system": German 31.12.2025, otherwise ISO 2025-12-31 (a spreadsheet in any other
    language reads ISO as a date, and it is never ambiguous); "dmy": 31.12.2025 in
    German, 31/12/2025 otherwise; "iso": 2025-12-31 everywhere.
    """
    if date_style == "iso":
        return "%Y-%m-%d"
    if german:
        return "%d.%m.%Y"
    return "%d/%m/%Y" if date_style == "dmy" else "%Y-%m-%d"


def format_cell(value: object, *, german: bool, date_style: str = "system") -> str:
    """One cell: amounts with the locale's decimal separator, dates in the date style."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | int):
        text = str(value)
        return text.replace(".", ",") if german else text
    if isinstance(value, date):
        return value.strftime(csv_date_pattern(german=german, date_style=date_style))
    return safe_cell(str(value))


def write_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    german: bool,
    date_style: str = "system",
) -> str:
    """The file: ``;`` and decimal commas for German, ``,`` and points otherwise; days
    in ``date_style`` (``csv_date_pattern``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([safe_cell(title) for title in header])
    for row in rows:
        writer.writerow([format_cell(value, german=german, date_style=date_style) for value in row])
    return buffer.getvalue()
