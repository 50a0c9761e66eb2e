"""Billing intervals as the exports write them, and the end of a billing period.

Platforms name the interval of a plan in their own words (``month``, ``monthly``,
``annual``, ``3 months``, ``quarterly``, ``every_two_years``); ``interval_of`` reads
them into the unit and count ``income.models.BillingSubscription`` keeps.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from imports.parsing.drafts import CellError
from imports.parsing.messages import gettext_noop

UNKNOWN_INTERVAL = gettext_noop(
    "Unknown billing interval; day, week, month and year (or monthly, yearly …) are known."
)

_WORDS: dict[str, tuple[str, int]] = {
    "day": ("day", 1), "daily": ("day", 1),
    "week": ("week", 1), "weekly": ("week", 1),
    "month": ("month", 1), "monthly": ("month", 1),
    "quarter": ("month", 3), "quarterly": ("month", 3),
    "biannually": ("month", 6), "semiannually": ("month", 6), "half-yearly": ("month", 6),
    "year": ("year", 1), "yearly": ("year", 1), "annual": ("year", 1),
    "annually": ("year", 1), "every_two_years": ("year", 2),
}  # fmt: skip
# The unit spelled out (not a run of letters before an optional "s": two runs that can
# both take the "s" would backtrack on a long cell, tests/security).
_COUNTED = re.compile(r"(?:every\s+)?([0-9]{1,3})\s*(day|week|month|year)s?")


def interval_of(text: str, *, count: int = 1) -> tuple[str, int]:
    """(unit, count) of an interval cell: a word (``monthly``), a unit (``month``, with
    ``count`` from its own column) or a counted unit (``3 months``, ``every 2 weeks``)."""
    word = text.strip().casefold()
    if word in _WORDS:
        unit, times = _WORDS[word]
        return unit, times * count
    match = _COUNTED.fullmatch(word)
    if match is not None and int(match[1]) > 0:
        return match[2], int(match[1])
    raise CellError("interval", UNKNOWN_INTERVAL)


def period_after(day: date, *, interval: str, count: int) -> date:
    """The day ``count`` intervals after ``day`` (a month later on the 31st is the last
    day of a shorter month): the end of the period a charge on ``day`` paid for."""
    if interval == "day":
        return day + timedelta(days=count)
    if interval == "week":
        return day + timedelta(weeks=count)
    months = count * (12 if interval == "year" else 1)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
