"""Reading the ECB's reference-rate CSV (``eurofxref-hist.csv`` / ``eurofxref.csv``).

The file has a ``Date`` column and one column per currency, each cell the units of that
currency for one euro; "N/A" marks days without a rate (the currency was not quoted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class EcbRate:
    day: date
    currency: str
    rate: Decimal


class EcbFileError(ValueError):
    """The file is not an ECB rates CSV; the message says why."""


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):  # eurofxref-hist.csv, eurofxref.csv
        try:
            return datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise EcbFileError(f"Unreadable date {text.strip()!r}.")


def parse_ecb_rates(data: bytes, *, currencies: Collection[str]) -> list[EcbRate]:
    """Every positive rate of ``currencies`` in the file; other currencies are skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EcbFileError("The file is not UTF-8 text.") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != "Date":
        raise EcbFileError("The first column must be 'Date', as in the ECB's files.")
    header = [cell.strip() for cell in rows[0]]
    columns = [(index, code) for index, code in enumerate(header) if code in currencies]
    if not columns:
        raise EcbFileError("The file has none of the supported currencies.")
    rates: list[EcbRate] = []
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        day = _day(row[0])
        for index, code in columns:
            cell = row[index].strip() if index < len(row) else ""
            if not cell or cell == "N/A":
                continue
            try:
                rate = Decimal(cell)
            except InvalidOperation as exc:
                raise EcbFileError(f"Unreadable rate {cell!r} for {code} on {day}.") from exc
            if not rate.is_finite() or rate <= 0:
                raise EcbFileError(f"Rate {cell!r} for {code} on {day} is not positive.")
            rates.append(EcbRate(day=day, currency=code, rate=rate))
    return rates
