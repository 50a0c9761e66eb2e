"""The export document: what it holds and how its values are written (no Django here).

One JSON document is the whole of a user's own data, in a shape that outlives the
database: related rows point at each other by ``ref`` (the exporting database's id),
shared content (categories, tax profiles) by slug, amounts are decimal strings and
dates ISO strings, so nothing is lost and no float creeps in.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from config import json_bounds

FORMAT = "ertrag-export"
VERSION = 1
#: The tables of a document, in the order they are written and read back. A table added
#: later (costs, fund years and allowance orders, issue 22; customers, billing
#: subscriptions and pauses, issue 23) keeps the version: the import reads a table a
#: document lacks as empty and a column a row lacks as the model's default, so an older
#: export still reads, whole. A table comes after the ones its rows point at.
TABLES = (
    "sources", "payments", "subscription_periods", "effort_logs", "asset_values", "costs",
    "fund_years", "customers", "billing_subscriptions", "subscription_pauses", "scenarios",
    "allowance_orders",
)  # fmt: skip


def gettext_noop(message: str) -> str:
    """Mark a message for ``makemessages``; the service translates it when it shows it."""
    return message


NOT_AN_EXPORT = gettext_noop("The file is not an Ertrag export.")
UNKNOWN_VERSION = gettext_noop(
    "This export was written by a version of Ertrag that cannot be read."
)
NOT_A_LIST = gettext_noop("A part of the export is damaged: a list was expected.")
NO_DOCUMENT = gettext_noop("The zip has no ertrag.json.")
ODD_ZIP = gettext_noop(
    "The zip is not one the export makes: it has too many files, or ertrag.json twice or "
    "not at its top."
)
TOO_LARGE = gettext_noop("The export's ertrag.json is larger than 64 MB unpacked.")
TOO_DEEP = gettext_noop("The export is nested deeper than an Ertrag export ever is.")

#: The name of the document inside the export's zip.
DOCUMENT_NAME = "ertrag.json"
#: The export's zip holds the document and one CSV per table (14 files); a few more are
#: allowed (a person's notes), thousands are not.
MAX_MEMBERS = 32
#: The document unpacked: 100,000 payments come to about 30 MB.
MAX_DOCUMENT_BYTES = 64 * 2**20


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


class ExportUnreadable(ValueError):
    """An upload that cannot be read as an export; ``message`` is one of the above."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_export(content: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """The document of an uploaded export: the zip the export makes, or its JSON alone.

    Bounded whatever the upload claims (issue 19: a 510 KB zip of 512 MiB of spaces took
    1.1 GB): the zip may hold at most ``MAX_MEMBERS`` entries with ``ertrag.json`` once,
    at its top; the document is unpacked as a stream and refused at ``max_bytes``,
    without trusting the size its header states; the JSON's nesting is bounded
    (``config.json_bounds``). Only the document is unpacked.
    """
    raw = content
    if zipfile.is_zipfile(io.BytesIO(content)):
        raw = _zip_document(content, max_bytes=max_bytes)
    elif len(content) > max_bytes:
        raise ExportUnreadable(TOO_LARGE)
    try:
        # A number with a fraction keeps its text: the model's field reads it exactly,
        # and the document is stored as JSON until a worker imports it.
        return json_bounds.loads(raw.decode("utf-8-sig"), number=str)
    except json_bounds.JSONTooLarge as error:
        raise ExportUnreadable(TOO_DEEP) from error
    except ValueError as error:  # UnicodeDecodeError, JSONDecodeError
        raise ExportUnreadable(NOT_AN_EXPORT) from error


def _zip_document(content: bytes, *, max_bytes: int) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_MEMBERS:
                raise ExportUnreadable(ODD_ZIP)
            named = [entry for entry in entries if entry.filename.rstrip("/") == DOCUMENT_NAME]
            if not named:
                raise ExportUnreadable(NO_DOCUMENT)
            if len(named) > 1 or named[0].is_dir():
                raise ExportUnreadable(ODD_ZIP)
            with archive.open(named[0]) as member:
                data = member.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        # Damaged, a method zipfile cannot unpack, or encrypted.
        raise ExportUnreadable(NOT_AN_EXPORT) from error
    if len(data) > max_bytes:
        raise ExportUnreadable(TOO_LARGE)
    return data
