"""Read a billing export: bytes in, one subscription per row out (issue 23).

Pure: no Django, no database. As a statement's reader does (``imports.parsing.statement``),
every row below the header ends in exactly one of three lists: ``rows`` (subscriptions
to write), ``skipped`` (with the reason: never paid, a free membership, a repeated
header) or ``errors`` (what is wrong, where). The file is read with the bounds of every
import: the encodings and delimiters people's files have, strict quoting, at most
``max_rows`` rows (decided while reading) and no cell longer than ``MAX_CELL_LENGTH``.

What every row must satisfy, whatever the platform, is checked here, once, so that a
row that passes can be written (``income.services.billing_import``): a customer id, a
known currency (the row's, else the default) and interval, a price not below zero, a
discount within 0–100 %, a trial and an end not before the start, a pause inside the
subscription, and each subscription once in the file.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import replace
from decimal import Decimal

from imports.parsing import columns as cols
from imports.parsing import messages, text
from imports.parsing.billing.cells import RowCells, header_index
from imports.parsing.billing.intervals import UNKNOWN_INTERVAL
from imports.parsing.billing.presets import (
    BILLING_PRESETS,
    BillingPreset,
    Skip,
    billing_header_score,
    detect_billing,
)
from imports.parsing.billing.rows import BillingResult, BillingRow, RowError, SkippedRow
from imports.parsing.drafts import CellError
from imports.parsing.numbers import detect_number_format
from imports.parsing.reader import DEFAULT_MAX_ROWS, MAX_CELL_LENGTH, Progress

INTERVALS = frozenset({"day", "week", "month", "year"})
#: A billing export's header is within its first characters: detection reads no more.
DETECT_CHARS = text.SAMPLE_CHARS
PROGRESS_EVERY = 1000

CUSTOMER_REQUIRED = messages.gettext_noop("The customer id is required.")
PRICE_NEGATIVE = messages.gettext_noop("A plan's price cannot be negative.")
DISCOUNT_RANGE = messages.gettext_noop("A discount must be between 0 and 100 %.")
ENDS_BEFORE_START = messages.gettext_noop("The subscription ends before it started.")
TRIAL_BEFORE_START = messages.gettext_noop("The trial ends before the subscription started.")
PAUSE_OUTSIDE = messages.gettext_noop(
    "A pause must start on or after the subscription's start and end after it starts."
)
DUPLICATE_SUBSCRIPTION = messages.gettext_noop(
    "This customer's subscription appears more than once in the file."
)
NO_SUBSCRIPTIONS = messages.gettext_noop("The file has a header but no subscriptions.")
ROUNDED = messages.ROUNDED


def billing_preset_of(data: bytes) -> BillingPreset | None:
    """The billing preset of a file, from its first characters only, None when it is
    another kind of file (a statement): cheap enough to ask of every upload."""
    head = data[:DETECT_CHARS].decode("utf-8-sig", errors="ignore")
    if not head.strip():
        return None
    delimiter = text.detect_delimiter(head, header_score=billing_header_score)
    try:
        rows = text.sample_rows(head, delimiter=delimiter)
    except csv.Error:
        return None
    found = detect_billing([(index + 1, cells) for index, cells in enumerate(rows)])
    return found[0] if found else None


def parse_billing(
    data: bytes,
    *,
    currencies: Collection[str],
    default_currency: str,
    preset: str = "",
    max_rows: int = DEFAULT_MAX_ROWS,
    on_progress: Progress | None = None,
) -> BillingResult | None:
    """Read a billing export with ``preset`` (its key), else with the one its header
    names; None when the file is no billing export.

    Raises ``ValueError`` for a programming error (a default currency outside
    ``currencies``); everything wrong with the file is reported in the result.
    """
    known = frozenset(currencies)
    if default_currency not in known:
        raise ValueError(f"default_currency {default_currency!r} is not in currencies")
    chosen = BILLING_PRESETS.get(preset)
    decoded = text.decode(data)
    if decoded is None or not decoded.strip():
        if chosen is None:
            return None
        return _failed(chosen, messages.NOT_TEXT if decoded is None else messages.EMPTY_FILE)
    delimiter = text.detect_delimiter(decoded, header_score=billing_header_score)
    try:
        records = text.read_records(decoded, delimiter=delimiter, max_rows=max_rows)
    except csv.Error:
        if chosen is None:
            chosen = billing_preset_of(data)
        return _failed(chosen, messages.NOT_CSV, delimiter) if chosen else None
    if records is None:
        chosen = chosen or billing_preset_of(data)
        return _failed(chosen, messages.TOO_MANY_ROWS, delimiter) if chosen else None
    found = detect_billing(records)
    if found is None:
        return _failed(chosen, messages.NO_HEADER, delimiter) if chosen else None
    detected, index = found
    if chosen is not None and detected.key != chosen.key:
        return _failed(chosen, messages.NO_HEADER, delimiter)
    data_records = records[index + 1 :]
    if len(data_records) > max_rows:
        return _failed(detected, messages.TOO_MANY_ROWS, delimiter)
    header_line, header = records[index]
    return _Reader(
        preset=detected,
        header=header,
        header_line=header_line,
        delimiter=delimiter,
        currencies=known,
        default_currency=default_currency,
    ).read(data_records, on_progress=on_progress)


def _failed(preset: BillingPreset, message: str, delimiter: str = "") -> BillingResult:
    return BillingResult(
        preset=preset.key, rows=(), skipped=(), errors=(), file_errors=(message,),
        delimiter=delimiter,
    )  # fmt: skip


class _Reader:
    """The rows of one export, read with its preset (see the module doc)."""

    def __init__(
        self,
        *,
        preset: BillingPreset,
        header: list[str],
        header_line: int,
        delimiter: str,
        currencies: frozenset[str],
        default_currency: str,
    ) -> None:
        self.preset = preset
        self.header = header
        self.header_line = header_line
        self.delimiter = delimiter
        self.currencies = currencies
        self.default_currency = default_currency
        self.index = header_index(header)
        self.number_format = preset.number_format
        self.rows: list[BillingRow] = []
        self.skipped: list[SkippedRow] = []
        self.errors: list[RowError] = []
        self.rejected: dict[int, tuple[str, ...]] = {}
        self.rounded = False

    def read(
        self, records: list[text.Record], *, on_progress: Callable[[int, int], None] | None
    ) -> BillingResult:
        self.number_format = self._number_format(records)
        seen: set[tuple[str, str]] = set()
        for done, (line, cells) in enumerate(records):
            if on_progress is not None and done % PROGRESS_EVERY == 0:
                on_progress(done, len(records))
            if cells == self.header:
                self.skipped.append(SkippedRow(line=line, reason="header"))
                continue
            try:
                row = self._row(line, cells)
            except CellError as error:
                self._error(line, cells, error.field, error.message)
                continue
            if isinstance(row, Skip):
                self.skipped.append(SkippedRow(line=line, reason=row.reason, value=row.value))
                continue
            key = (row.customer, row.subscription)
            if key in seen:
                self._error(line, cells, "subscription", DUPLICATE_SUBSCRIPTION)
                continue
            seen.add(key)
            self.rows.append(row)
        file_errors = () if self.rows or self.errors else (NO_SUBSCRIPTIONS,)
        return BillingResult(
            preset=self.preset.key,
            rows=tuple(self.rows),
            skipped=tuple(self.skipped),
            errors=tuple(self.errors),
            file_errors=file_errors,
            warnings=(ROUNDED,) if self.rounded else (),
            header_line=self.header_line,
            header=tuple(self.header),
            delimiter=self.delimiter,
            rejected=tuple(sorted(self.rejected.items())),
            total_rows=len(records),
        )

    def _number_format(self, records: list[text.Record]) -> str:
        """The file's number format, from its amount cells (a person's spreadsheet may
        have saved ``19,00``); the preset's, or German in a semicolon file, when none
        decides."""
        positions = [
            self.index[cols.normalize(name)]
            for name in self.preset.amount_columns
            if cols.normalize(name) in self.index
        ]
        amounts = Counter(
            cells[position] for _line, cells in records for position in positions
            if position < len(cells) and cells[position].strip()
        )  # fmt: skip
        fallback = "de" if self.delimiter == ";" else self.preset.number_format
        return detect_number_format(amounts, fallback=fallback)[0]

    def _error(self, line: int, cells: list[str], field: str | None, message: str) -> None:
        self.errors.append(RowError(line=line, field=field, message=message))
        self.rejected[line] = tuple(cells)

    def _row(self, line: int, cells: list[str]) -> BillingRow | Skip:
        if len(cells) > len(self.header) and "".join(cells[len(self.header) :]).strip():
            raise CellError(None, messages.TOO_MANY_CELLS)
        if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
            raise CellError(None, messages.CELL_TOO_LONG_IN_ROW)
        cell_reader = RowCells(
            index=self.index,
            cells=cells,
            number_format=self.number_format,
            date_order=self.preset.date_order,
        )
        row = self.preset.read(cell_reader, line)
        self.rounded = self.rounded or cell_reader.rounded
        if isinstance(row, Skip):
            return row
        return self._checked(row)

    def _checked(self, row: BillingRow) -> BillingRow:
        """The rules every row must keep (see the module doc), the currency filled in."""
        if not row.customer:
            raise CellError("customer", CUSTOMER_REQUIRED)
        currency = (row.currency or self.default_currency).upper()
        if currency not in self.currencies:
            raise CellError("currency", messages.UNKNOWN_CURRENCY)
        if row.interval not in INTERVALS:
            raise CellError("interval", UNKNOWN_INTERVAL)
        if row.amount < 0 or row.amount_off < 0:
            raise CellError("amount", PRICE_NEGATIVE)
        if not Decimal(0) <= row.percent_off <= Decimal(1):
            raise CellError("percent_off", DISCOUNT_RANGE)
        if row.ended is not None and row.ended < row.started:
            raise CellError("ended", ENDS_BEFORE_START)
        if row.trial_ends is not None and row.trial_ends < row.started:
            raise CellError("trial_ends", TRIAL_BEFORE_START)
        for starts, ends in row.pauses:
            if starts < row.started or (ends is not None and ends <= starts):
                raise CellError("pauses", PAUSE_OUTSIDE)
        return replace(row, currency=currency)
