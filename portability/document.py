"""The export document: what it holds and how its values are written (no Django here).

One JSON document is the whole of a user's own data, in a shape that outlives the
database: related rows point at each other by ``ref`` (the exporting database's id),
shared content (categories, tax profiles) by slug, amounts are decimal strings and
dates ISO strings, so nothing is lost and no float creeps in.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMAT = "ertrag-export"
VERSION = 1
#: The tables of a document, in the order they are written and read back.
TABLES = (
    "sources", "payments", "subscription_periods", "effort_logs", "asset_values", "scenarios"
)  # fmt: skip


def gettext_noop(message: str) -> str:
    """Mark a message for ``makemessages``; the service translates it when it shows it."""
    return message


NOT_AN_EXPORT = gettext_noop("The file is not an Ertrag export.")
UNKNOWN_VERSION = gettext_noop(
    "This export was written by a version of Ertrag that cannot be read."
)
NOT_A_LIST = gettext_noop("A part of the export is damaged: a list was expected.")


def plain(value: Any) -> Any:
    """A value as JSON writes it without loss: Decimal and dates as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def check_header(document: Any) -> list[str]:
    """What is wrong with a document's outer shape, before any row is read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return [NOT_AN_EXPORT]
    if document.get("version") != VERSION:
        return [UNKNOWN_VERSION]
    lists = all(isinstance(document.get(table, []), list) for table in TABLES)
    if not lists or not isinstance(document.get("profile", {}), dict):
        return [NOT_A_LIST]
    return []
