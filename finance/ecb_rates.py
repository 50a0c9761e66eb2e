"""Reading the ECB's euro reference rates in every form the ECB publishes them.

- CSV (``eurofxref-hist.csv``, ``eurofxref.csv``): a ``Date`` column and one column per
  currency, each cell the units of that currency for one euro; "N/A" marks days without
  a rate (the currency was not quoted).
- The same CSV zipped (``eurofxref-hist.zip``, ``eurofxref.zip``): one CSV member.
- XML (``eurofxref-daily.xml``, ``eurofxref-hist.xml``, ``eurofxref-hist-90d.xml``): a
  ``Cube`` per day (``time``) holding a ``Cube`` per currency (``currency``, ``rate``).

``parse_ecb_file`` tells them apart by their first bytes. Every form is read bounded: a
zip member is read no further than ``MAX_UNZIPPED`` bytes, and XML with a document type
declaration (where entities are declared: the ECB's files have none) is refused before
it is parsed, so no file can make the reader expand or wait.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

#: The most a zipped file may unpack to: the full history since 1999 is about 1.5 MB.
MAX_UNZIPPED = 32 * 2**20


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
            rates.append(EcbRate(day=day, currency=code, rate=_rate(cell, code=code, day=day)))
    return rates


def _rate(cell: str, *, code: str, day: date) -> Decimal:
    try:
        rate = Decimal(cell)
    except InvalidOperation as exc:
        raise EcbFileError(f"Unreadable rate {cell!r} for {code} on {day}.") from exc
    if not rate.is_finite() or rate <= 0:
        raise EcbFileError(f"Rate {cell!r} for {code} on {day} is not positive.")
    return rate


def parse_ecb_xml(data: bytes, *, currencies: Collection[str]) -> list[EcbRate]:
    """Every positive rate of ``currencies`` in the ECB's XML (daily or history)."""
    if b"<!" in data:  # a document type, an entity, a comment or CDATA: not the ECB's
        raise EcbFileError("The XML declares a document type or entities; the ECB's has none.")
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DTD, so no entity to expand
    except ElementTree.ParseError as exc:
        raise EcbFileError("The file is not the ECB's XML.") from exc
    rates: list[EcbRate] = []
    days = 0
    for element in root.iter():
        if not element.tag.endswith("Cube") or "time" not in element.attrib:
            continue
        days += 1
        day = _day(element.attrib["time"])
        for child in element:
            code = child.attrib.get("currency", "")
            if code in currencies and "rate" in child.attrib:
                rates.append(
                    EcbRate(
                        day=day, currency=code, rate=_rate(child.attrib["rate"], code=code, day=day)
                    )
                )
    if not days:
        raise EcbFileError("The XML holds no day of rates.")
    return rates


def _unzipped(data: bytes) -> bytes:
    """The one CSV member of an ECB zip, read no further than ``MAX_UNZIPPED`` bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if info.filename.endswith(".csv")]
        if len(members) != 1:
            raise EcbFileError("The zip must hold the ECB's one CSV file.")
        with archive.open(members[0]) as member:
            content = member.read(MAX_UNZIPPED + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError) as exc:
        raise EcbFileError("The file is not a readable zip.") from exc
    if len(content) > MAX_UNZIPPED:
        raise EcbFileError("The zipped file is larger than any ECB rates file.")
    return content


def parse_ecb_file(data: bytes, *, currencies: Collection[str]) -> list[EcbRate]:
    """The rates of any of the ECB's forms (see the module doc), told by the first bytes."""
    if data.startswith(b"PK\x03\x04"):
        return parse_ecb_rates(_unzipped(data), currencies=currencies)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return parse_ecb_xml(data, currencies=currencies)
    return parse_ecb_rates(data, currencies=currencies)
