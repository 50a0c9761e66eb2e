"""Dates and timestamps as exports write them, read to the calendar day written.

Forms read (each optionally followed by a time: ``T``/space/``;``/``,`` then
``HH:MM[:SS[.fff]]`` with AM/PM, a zone ``Z``/``UTC``/``+0000``/``+01:00``/``CET``, or
IBKR's ``HHMMSS``):

- year first: ``2025-12-31``, ``2025/12/31``, ``2025.12.31``, ``20251231``;
- ``31.12.2025`` and ``31.12.25``: German, always day first;
- ``31-12-2025``, ``31/12/2025``, ``12/31/2025`` (and two-digit years): the order is
  decided per file (see ``detect_order``) or by the mapping;
- month names: ``15 Mar 2024``, ``15-Mar-2024``, ``Mar 15, 2024``, ``15. März 2024``.

The booking day is the day as written: a timestamp's zone is not converted, since the
statement's own day is what the person sees in it and what the platform booked.

Two-digit years follow the POSIX ``strptime`` rule: 69–99 are 1969–1999, 00–68 are
2000–2068. It is a stated rule, not a guess from today's date, so the same file always
reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from imports.parsing import messages

DMY = "dmy"
MDY = "mdy"
YMD = "ymd"
ORDERS = (DMY, MDY, YMD)

#: The longest date cell read (``2025-12-31T10:00:00.123456789 +01:00`` has 36
#: characters): a longer one is no date, decided before any pattern sees it.
MAX_DATE_CELL = 64

# The separator before the time is one run (``T``, spaces, a comma or semicolon), taken
# whole (``*+``): the runs around it cannot trade characters, so a cell is matched in
# time linear in its length.
_TIME = (
    r"(?:(?:[T ,;]++|\s*+,\s*+)(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?"
    r"(?:\s*+[AaPp]\.?[Mm]\.?)?|[0-9]{6})"
    r"(?:\s*+(?:Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}|[A-Z]{3,5}(?:[+-][0-9]{1,2})?))?)?+"
)
_YEAR_FIRST = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})" + _TIME)
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})" + _TIME)
_GERMAN = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})" + _TIME)
_EITHER = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})" + _TIME)
_MONTHS = {
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"), 1)},
    "mrz": 3, "sept": 9, "märz": 3, "juni": 6, "juli": 7,
}  # fmt: skip
_MONTH_NAME = r"([A-Za-zäÄ]{3,9})\.?"
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})\.?[ -]" + _MONTH_NAME + r"[ -]([0-9]{4})" + _TIME)
_MONTH_DAY_YEAR = re.compile(_MONTH_NAME + r" ([0-9]{1,2}),? ([0-9]{4})" + _TIME)


class DateError(Exception):
    """A cell that is not a date; carries one of the row-level message constants."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _month(name: str) -> int:
    """1–12 for an English or German month name or abbreviation, 0 for anything else."""
    folded = name.casefold()
    return _MONTHS.get(folded) or _MONTHS.get(folded[:3], 0)


def full_year(text: str) -> int:
    """The year of a two- or four-digit year (POSIX: 69–99 → 19xx, 00–68 → 20xx)."""
    year = int(text)
    if len(text) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


@dataclass(frozen=True)
class DateOrder:
    """The order of the file's ``-``/``/`` dates, and what decided it."""

    order: str
    ambiguous: bool
    conflict: bool
    two_digit_years: bool


def detect_order(cells: Iterable[str], *, default: str = DMY) -> DateOrder:
    """Day or month first, from the cells whose first or second part is above 12.

    Both seen is a conflict (the mapping must choose); neither seen keeps ``default``
    and says so, when some cell was ambiguous at all.
    """
    day_first = month_first = undecided = short = False
    for cell in cells:
        if len(cell) > MAX_DATE_CELL:
            continue
        cell = cell.strip()
        if match := _EITHER.fullmatch(cell):
            first, second = int(match[1]), int(match[3])
            short = short or len(match[4]) == 2
            if first > 12 >= second:
                day_first = True
            elif second > 12 >= first:
                month_first = True
            elif first != second:
                undecided = True
        elif match := _GERMAN.fullmatch(cell):
            short = short or len(match[3]) == 2
    if day_first and month_first:
        order = default
    elif day_first:
        order = DMY
    elif month_first:
        order = MDY
    else:
        order = default
    return DateOrder(
        order=order,
        ambiguous=undecided and not day_first and not month_first,
        conflict=day_first and month_first,
        two_digit_years=short,
    )


def looks_like_date(cell: str) -> bool:
    """Whether the cell has the shape of a date (for finding the header and the table)."""
    if len(cell) > MAX_DATE_CELL:
        return False
    cell = cell.strip()
    return any(
        pattern.fullmatch(cell)
        for pattern in (_YEAR_FIRST, _GERMAN, _EITHER, _COMPACT, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR)
    )


def parse_date(cell: str, *, order: str) -> date:
    """The calendar day of a date or timestamp cell, with ``-``/``/`` dates in ``order``."""
    if len(cell) > MAX_DATE_CELL:
        raise DateError(messages.CELL_TOO_LONG)
    cell = cell.strip()
    if match := _YEAR_FIRST.fullmatch(cell):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := _GERMAN.fullmatch(cell):
        day, month, year = int(match[1]), int(match[2]), full_year(match[3])
    elif match := _EITHER.fullmatch(cell):
        first, second, year = int(match[1]), int(match[3]), full_year(match[4])
        month, day = (first, second) if order == MDY else (second, first)
    elif match := _COMPACT.fullmatch(cell):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif (match := _DAY_MONTH_YEAR.fullmatch(cell)) and _month(match[2]):
        day, month, year = int(match[1]), _month(match[2]), int(match[3])
    elif (match := _MONTH_DAY_YEAR.fullmatch(cell)) and _month(match[1]):
        month, day, year = _month(match[1]), int(match[2]), int(match[3])
    else:
        raise DateError(messages.INVALID_DATE)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(messages.NONEXISTENT_DATE) from None


_MONTH_YEAR = re.compile(_MONTH_NAME + r",? ([0-9]{4})")
_NUMERIC_MONTH = re.compile(r"(?:([0-9]{4})[-/.]([0-9]{1,2})|([0-9]{1,2})[-/.]([0-9]{4}))")
# Starts only at the first space of a run (the lookbehind), so ``split`` walks a long run
# of spaces once, not once per space.
_RANGE = re.compile(r"(?<!\s)\s++(?:-|–|to|bis)\s+", re.IGNORECASE)
#: A period label is short; a longer preamble cell names none.
MAX_PERIOD_TEXT = 200


def period_end(text: str, *, order: str = DMY) -> date | None:
    """The last day of the period a statement's preamble names, None if it names none.

    A month (``March 2024``, ``März 2024``, ``2024-03``, ``03/2024``) ends on its last
    day; a range (``01.03.2024 - 31.03.2024``, ``01-Mar-2024 to 31-Mar-2024``) on the
    date after its dash or ``to``/``bis``; a single date is itself.
    """
    if len(text) > MAX_PERIOD_TEXT:
        return None
    last = _RANGE.split(text.strip())[-1].strip()
    if (match := _MONTH_YEAR.fullmatch(last)) and _month(match[1]):
        year, month = int(match[2]), _month(match[1])
    elif match := _NUMERIC_MONTH.fullmatch(last):
        year, month = (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        if not 1 <= month <= 12:
            return None
    else:
        try:
            return parse_date(last, order=order)
        except DateError:
            return None
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
