"""Read a statement (PRODUCT.md §8): bytes in, the income rows a careful person books out.

Pure: no Django, no database. Every row of the file ends in exactly one of three lists:
``rows`` (payments to book), ``skipped`` (with the reason: a deposit, a buy, a total,
withholding tax merged into its dividend …) or ``errors`` (what is wrong, where). The
rows it returns pass the ``Payment`` model's constraints, so the import service only has
to find their sources and write them.

The rules, in the order they apply to a row:

1. The header is found by scanning (a preamble of account lines above it is normal);
   a row equal to the header again is skipped, and a row that looks like another table's
   header ends the table (a multi-table activity export): one with known column names,
   or with three or more of this header's own names (the next section of an export
   whose sections share columns, as IBKR's Flex queries do), and no date of its own.
2. A row without a date is a total or balance row when it says so (``Summe``,
   ``Kontostand``, ``Total`` …) or a pending one (``offen``); text for a date and no
   amount is a title or note around a table (skipped as another table's), else an error.
3. The type column decides the kind (``kinds``): income, refund, withholding tax, or a
   skip with its reason. Without a type column every row is income and its sign decides.
4. Amounts are signed. A negative amount on an income row is a reversal that reduces
   income (``negative="reduce"``, the default with a type column) or an outgoing
   payment to skip (``"skip"``, the default without one: a bank account's debits).
   A refund row is always negative (a file that writes refunds unsigned is read so),
   except where signs are the account's money flow (``"skip"``): there a positive
   refund is the refund of the holder's own purchase, not income.
5. Tax and fee cells count by their absolute value on a receipt. On a reversal the tax
   goes back with the income (negative), and a fee is charged (positive) or returned
   (negative) by the file's own sign convention (``fee_sign``, decided per file by the
   majority of fee cells when not set). With a net column and no fee column, the fee is
   gross − net − tax; with only a net column, gross = net + tax + fees.
6. Withholding-tax rows are merged into their income row: the same ``group`` (a
   transaction/action id shared by both), else the same source, day and currency.
   Within a group the income row of the tax row's own day wins (a reversal reposted
   under the dividend's id takes its own tax back), then the nearest line.
   A tax row with nothing to merge into is skipped and listed.
7. An amount with more than two decimals is rounded half up to the cent, once, before
   anything is derived from it, with a warning naming the lines.
8. The currency: the currency column, else a code or symbol on the amount, else the
   mapping's currency, else the one in the amount's header (``Betrag (€)``), else the
   default.
9. A table without a date column (a monthly royalty report) books every row on the last
   day of the period a preamble line above the header names (``Sales Period,March
   2024``, ``Zeitraum: 01.03.2024 - 31.03.2024``), with a warning; without such a line
   the missing date column is a file error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from imports.parsing import columns as cols
from imports.parsing import dates, kinds, messages, text
from imports.parsing.numbers import AmountError, detect_number_format, parse_amount
from imports.parsing.options import Options
from income.finance.money import payment_amount_errors

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_NOTE_LENGTH = 500  # Payment.note
MAX_EXTERNAL_ID_LENGTH = 100  # Payment.external_id
MAX_SOURCE_LENGTH = 255
DEFAULT_MAX_ROWS = 100_000
PROGRESS_EVERY = 1000
_HEADER_SCAN = 60
_SHARED_NAMES = 3  # of this header's names in a row without a date: another table's header
_HASH_VERSION = "payment-row-v1"
_DOLLAR = "$"
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD"})

_TOTAL_WORDS = re.compile(
    r"^\s*(summe|gesamt|total|totals|grand total|subtotal|zwischensumme|saldo|endsaldo"
    r"|anfangssaldo|kontostand|alter kontostand|neuer kontostand|opening balance"
    r"|closing balance|starting balance|ending balance|balance)\b",
    re.IGNORECASE,
)
# A row of a dateless table (rule 9) that starts with one of these words is its total.
_TOTAL_CELL = re.compile(r"^\s*(summe|gesamt|total|totals|grand total)\s*:?\s*$", re.IGNORECASE)
_PENDING_WORDS = frozenset(
    {"offen", "pending", "vorgemerkt", "ausstehend", "in bearbeitung", "processing"}
)
_PENDING_STATUSES = frozenset(
    {
        *_PENDING_WORDS, "storniert", "canceled", "cancelled", "failed", "denied",
        "abgelehnt", "fehlgeschlagen", "expired", "abgelaufen", "voided", "rejected",
    }
)  # fmt: skip
# A sign before text is a formula (`-SUM(A1)`, `+A1`); before digits, a space or
# another sign it is a phone number or a banner (`+49 …`, `+++ Miete +++`).
_FORMULA = re.compile(r"^(?:[=@\t\r]|[-+](?![0-9\s+\-]|$))")

#: (field values of the row, the row by normalized header name) → None; edits the values.
RowRule = Callable[[MutableMapping[str, str], Mapping[str, str]], None]
#: Called with (rows read, rows in the file) while a long file is read.
Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- result
@dataclass(frozen=True)
class StatementRow:
    """One payment to book, exact to the cent; ``source`` is the value that names it."""

    line: int
    date: date
    gross: Decimal
    tax_withheld: Decimal
    fees: Decimal
    currency: str
    note: str
    external_id: str | None
    source: str | None
    source_label: str | None
    row_hash: str
    kind: str
    merged_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class SkippedRow:
    """A row that is no payment, and why (a key of ``messages.SKIP_REASONS``)."""

    line: int
    reason: str
    value: str = ""
    into_line: int | None = None


@dataclass(frozen=True)
class RowError:
    """What is wrong with a row; ``field`` is None when the row as a whole is wrong."""

    line: int
    field: str | None
    message: str


@dataclass(frozen=True)
class TypeValue:
    """A value of the type column, how often it occurs, and the kind it was given."""

    value: str
    count: int
    kind: str


@dataclass(frozen=True)
class StatementResult:
    """Everything the import screen shows: rows, skips, errors, and what was detected."""

    rows: tuple[StatementRow, ...]
    skipped: tuple[SkippedRow, ...]
    errors: tuple[RowError, ...]
    file_errors: tuple[str, ...]
    warnings: tuple[str, ...]
    options: Options
    header_line: int | None = None
    header: tuple[str, ...] = ()
    signature: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    delimiter: str = ""
    number_format: str = ""
    date_order: str = ""
    type_values: tuple[TypeValue, ...] = ()
    rounded_lines: tuple[int, ...] = ()
    #: The cells of each row with an error, for the list of rejected lines.
    rejected: tuple[tuple[int, tuple[str, ...]], ...] = ()
    #: Data rows in the file (everything below the header that is not empty).
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    @property
    def column_names(self) -> dict[str, str]:
        """Field → the header text of its column as written in the file."""
        return {f: self.header[i].strip() for f, i in self.columns.items() if i < len(self.header)}


# ---------------------------------------------------------------- layout
def signature(header: Sequence[str]) -> str:
    """A short fingerprint of a header row: same names in the same order, same layout."""
    names = [cols.normalize(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Layout:
    """Where a file's header is and how to read it: a preset's, a saved one, or guessed."""

    options: Options
    header_index: int | None
    preset: str | None = None
    saved: str | None = None
    row_rule: RowRule | None = None


def _find_header(records: Sequence[text.Record], options: Options) -> int | None:
    """The index of the header record: the one at ``header_line``, else the best scored.

    A row scores by the known column names it has (``columns.header_score``) plus the
    names the mapping refers to, so a preset's or a saved mapping's header is found even
    when its names are unusual.
    """
    if options.header_line is not None:
        for index, (line, _cells) in enumerate(records):
            if line == options.header_line:
                return index
        return None
    named = {cols.normalize(r) for r in options.columns.values() if isinstance(r, str) and r}
    named = {name.rpartition("#")[0] if re.search(r"#\d+$", name) else name for name in named}
    best, chosen = 0, None
    for index, (_line, cells) in enumerate(records[:_HEADER_SCAN]):
        normalized = {cols.normalize(cell) for cell in cells}
        score = cols.header_score(cells)
        if named:
            hits = len(named & normalized)
            score = score + hits if hits == len(named) else 0
        if score > best:
            best, chosen = score, index
    date_at = options.columns.get("date")
    if chosen is None and isinstance(date_at, int):
        # Columns by position and no known names: the header is the row just above the
        # first row whose date column holds a date.
        for index, (_line, cells) in enumerate(records[:_HEADER_SCAN]):
            if index and date_at < len(cells) and dates.looks_like_date(cells[date_at]):
                return index - 1
    return chosen


# ---------------------------------------------------------------- entry point
def parse_statement(
    data: bytes,
    *,
    currencies: Collection[str],
    default_currency: str,
    options: Options | None = None,
    detect: Callable[[Sequence[text.Record]], Layout] | None = None,
    row_rule: RowRule | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    on_progress: Progress | None = None,
) -> tuple[StatementResult, Layout | None]:
    """Read a statement with ``options``, or with the layout ``detect`` finds for it.

    ``detect`` sees the file's records and returns the layout (a preset, a saved
    mapping, or plain options); it is how presets are recognised without this module
    knowing them. ``row_rule`` is a preset's small rule for its rows. More than
    ``max_rows`` data rows is a file error, decided while reading.

    Raises ``ValueError`` for a programming error (a default currency outside
    ``currencies``); everything wrong with the file is reported in the result.
    """
    known = frozenset(currencies)
    if default_currency not in known:
        raise ValueError(f"default_currency {default_currency!r} is not in currencies")
    chosen = options or Options()
    decoded = text.decode(data)
    if decoded is None:
        return _failed(messages.NOT_TEXT, chosen), None
    if not decoded.strip():
        return _failed(messages.EMPTY_FILE, chosen), None
    delimiter = ""
    try:
        delimiter = text.detect_delimiter(
            decoded,
            header_score=lambda rows: max((cols.header_score(r) for r in rows), default=0),
        )
        records = text.read_records(decoded, delimiter=delimiter, max_rows=max_rows)
    except csv.Error:
        return _failed(messages.NOT_CSV, chosen, delimiter=delimiter), None
    if records is None:
        return _failed(messages.TOO_MANY_ROWS, chosen, delimiter=delimiter), None
    layout: Layout | None = None
    if options is None and detect is not None:
        layout = detect(records)
        chosen = layout.options
        header_index = layout.header_index
        row_rule = layout.row_rule
    else:
        header_index = _find_header(records, chosen)
    if header_index is None:
        message = messages.HEADER_LINE_MISSING if chosen.header_line else messages.NO_HEADER
        return _failed(message, chosen, delimiter=delimiter), layout
    data_records = records[header_index + 1 :]
    if len(data_records) > max_rows:
        return _failed(messages.TOO_MANY_ROWS, chosen, delimiter=delimiter), layout
    header_line, header = records[header_index]
    reader = _StatementReader(
        header=header,
        header_line=header_line,
        options=chosen,
        delimiter=delimiter,
        currencies=known,
        default_currency=default_currency,
        row_rule=row_rule,
        preamble=records[:header_index],
    )
    return reader.read(data_records, on_progress=on_progress), layout


def _failed(message: str, options: Options, *, delimiter: str = "") -> StatementResult:
    return StatementResult(
        rows=(), skipped=(), errors=(), file_errors=(message,), warnings=(),
        options=options, delimiter=delimiter,
    )  # fmt: skip


# ---------------------------------------------------------------- rows
@dataclass
class _Draft:
    """A row on its way to a ``StatementRow`` (tax rows are merged into it first)."""

    line: int
    date: date
    gross: Decimal
    tax_withheld: Decimal
    fees: Decimal
    currency: str
    note: str
    external_id: str | None
    source: str | None
    source_label: str | None
    group: str
    kind: str
    merged_lines: list[int] = field(default_factory=list)


@dataclass
class _TaxRow:
    line: int
    date: date
    amount: Decimal
    currency: str
    source: str | None
    group: str


class _CellError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _cent(value: Decimal, rounded: list[bool]) -> Decimal:
    """``value`` to the cent, half up (PRODUCT.md: rounding once, explicit)."""
    result = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if result != value:
        rounded[0] = True
    return result


class _StatementReader:
    """Turns the data records of one file into rows, skips and errors.

    Dates, amounts and type values are cached per distinct text: a statement repeats
    them a lot, and the caches keep 100,000 rows within a second or two.
    """

    def __init__(
        self,
        *,
        header: list[str],
        header_line: int,
        options: Options,
        delimiter: str,
        currencies: frozenset[str],
        default_currency: str,
        row_rule: RowRule | None,
        preamble: Sequence[text.Record] = (),
    ) -> None:
        self.header = header
        self.preamble = preamble
        self.period_end: date | None = None
        self.header_line = header_line
        self.width = len(header)
        self.options = options
        self.delimiter = delimiter
        self.currencies = currencies
        self.default_currency = default_currency
        self.row_rule = row_rule
        self.normalized_header = [cols.normalize(cell) for cell in header]
        resolved = cols.resolve(header, options.columns, guess=options.guess)
        self.columns = resolved
        self.at = {f: resolved.index.get(f, self.width) for f in cols.FIELDS}
        self.has = set(resolved.index)
        self.types = {kinds.normalize_value(k): v for k, v in options.types.items()}
        self.skip_statuses = {kinds.normalize_value(s) for s in options.skip_statuses}
        self.kind_cache: dict[str, str] = {}
        self.dates: dict[str, date | dates.DateError] = {}
        self.amounts: dict[str, tuple[Decimal, str | None] | AmountError] = {}
        self.file_errors: list[str] = list(resolved.errors)
        self.warnings: list[str] = list(resolved.warnings)
        self.number_format = options.number_format or "en"
        self.order = options.date_order or dates.DMY

    # -------------------------------------------------------- detection per file
    def _cells_of(self, records: Sequence[text.Record], field: str) -> Iterable[str]:
        position = self.at[field]
        if position >= self.width:
            return ()
        return (cells[position] for _, cells in records if position < len(cells))

    def _detect_formats(self, records: Sequence[text.Record]) -> None:
        if self.options.number_format is None:
            amount_cells: Counter[str] = Counter()
            for name in cols.AMOUNT_FIELDS:
                amount_cells.update(c for c in self._cells_of(records, name) if c.strip())
            fallback = "de" if self.delimiter == ";" else "en"
            self.number_format, mixed = detect_number_format(amount_cells, fallback=fallback)
            if mixed:
                self.warnings.append(messages.MIXED_NUMBER_FORMATS)
        date_cells = {c.strip() for c in self._cells_of(records, "date")}
        order = dates.detect_order(date_cells, default=self.options.date_order or dates.DMY)
        if self.options.date_order is None:
            self.order = order.order
            if order.conflict:
                self.file_errors.append(messages.DATE_ORDER_CONFLICT)
            elif order.ambiguous:
                self.warnings.append(messages.AMBIGUOUS_DATES)
        if order.two_digit_years:
            self.warnings.append(messages.TWO_DIGIT_YEARS)

    def _sign_of(self, records: Sequence[text.Record], field: str, setting: str) -> int:
        """+1 when a charged fee (a withheld tax) is positive in this file, −1 when negative."""
        if setting != "auto":
            return -1 if setting == "negative" else 1
        votes = Counter[int]()
        for cell in self._cells_of(records, field):
            parsed = self._amount(cell) if cell.strip() else None
            if isinstance(parsed, tuple) and parsed[0]:
                votes[-1 if parsed[0] < 0 else 1] += 1
        return -1 if votes[-1] > votes[1] else 1

    # -------------------------------------------------------- cells
    def _amount(self, cell: str) -> tuple[Decimal, str | None] | AmountError:
        cached = self.amounts.get(cell)
        if cached is None:
            try:
                cached = parse_amount(cell, number_format=self.number_format)
            except AmountError as error:
                cached = error
            self.amounts[cell] = cached
        return cached

    def _date(self, cell: str) -> date | dates.DateError:
        cached = self.dates.get(cell)
        if cached is None:
            try:
                cached = dates.parse_date(cell, order=self.order)
            except dates.DateError as error:
                cached = error
            self.dates[cell] = cached
        return cached

    def _kind(self, value: str) -> str:
        cached = self.kind_cache.get(value)
        if cached is None:
            folded = kinds.normalize_value(value)
            cached = self.types.get(folded) or kinds.guess_kind(value)
            self.kind_cache[value] = cached
        return cached

    # -------------------------------------------------------- the file
    def read(
        self, records: Sequence[text.Record], *, on_progress: Progress | None
    ) -> StatementResult:
        if "date" not in self.has:
            self.period_end = _period_end(self.preamble)
            if self.period_end is None:
                self.file_errors.append(messages.MISSING_DATE_COLUMN)
            else:
                self.warnings.append(messages.PERIOD_DATE)
        if not self.has & {"gross", "net"}:
            self.file_errors.append(messages.MISSING_GROSS_COLUMN)
        if not records and not self.file_errors:
            self.file_errors.append(messages.NO_ROWS)
        table, skipped = self._table(records)
        self._detect_formats(table)
        base = dict(
            options=self.options,
            header_line=self.header_line,
            header=tuple(self.header),
            signature=signature(self.header),
            columns=dict(self.columns.index),
            delimiter=self.delimiter,
            number_format=self.number_format,
            date_order=self.order,
            total_rows=len(records),
        )
        if self.file_errors:
            return StatementResult(
                rows=(), skipped=(), errors=(), file_errors=tuple(dict.fromkeys(self.file_errors)),
                warnings=tuple(dict.fromkeys(self.warnings)), **base,  # type: ignore[arg-type]
            )  # fmt: skip
        self.fee_sign = self._sign_of(table, "fees", self.options.fee_sign)
        self.negative = self.options.negative
        if self.negative == "auto":
            self.negative = "reduce" if "type" in self.has else "skip"
        drafts: list[_Draft] = []
        taxes: list[_TaxRow] = []
        errors: list[RowError] = []
        rejected: list[tuple[int, tuple[str, ...]]] = []
        type_counts: Counter[str] = Counter()
        rounded_lines: list[int] = []
        self.notes_cut = False
        for done, (line, cells) in enumerate(table, start=1):
            if on_progress is not None and done % PROGRESS_EVERY == 0:
                on_progress(done, len(table))
            rounded = [False]
            try:
                outcome = self._row(line, cells, type_counts, rounded)
            except _CellError as error:
                errors.extend(self._row_errors(line, cells, error))
                rejected.append((line, tuple(cells)))
                continue
            if rounded[0]:
                rounded_lines.append(line)
            if isinstance(outcome, SkippedRow):
                skipped.append(outcome)
            elif isinstance(outcome, _TaxRow):
                taxes.append(outcome)
            else:
                drafts.extend(outcome)
        skipped.extend(self._merge_taxes(drafts, taxes, errors))
        errors.extend(self._check_ids(drafts))
        if rounded_lines:
            self.warnings.append(messages.ROUNDED)
        if self.notes_cut:
            self.warnings.append(messages.NOTE_SHORTENED)
        error_lines = {e.line for e in errors}
        rejected.extend(
            (line, tuple(cells)) for line, cells in table
            if line in error_lines and all(line != r[0] for r in rejected)
        )  # fmt: skip
        rows = self._finish([d for d in drafts if d.line not in error_lines])
        type_values = tuple(
            TypeValue(value=value, count=count, kind=self._kind(value))
            for value, count in sorted(type_counts.items(), key=lambda item: (-item[1], item[0]))
        )
        return StatementResult(
            rows=rows,
            skipped=tuple(sorted(skipped, key=lambda s: s.line)),
            errors=tuple(sorted(errors, key=lambda e: e.line)),
            file_errors=(),
            warnings=tuple(dict.fromkeys(self.warnings)),
            type_values=type_values,
            rounded_lines=tuple(rounded_lines),
            rejected=tuple(sorted(rejected)),
            **base,  # type: ignore[arg-type]
        )

    def _table(
        self, records: Sequence[text.Record]
    ) -> tuple[list[text.Record], list[SkippedRow]]:
        """The rows of this table: a repeated header and other tables' rows are skipped."""
        table: list[text.Record] = []
        skipped: list[SkippedRow] = []
        header = self.normalized_header
        names = {name for name in header if name}
        outside = False
        date_at = self.at["date"]
        for line, cells in records:
            normalized = [cols.normalize(cell) for cell in cells[: self.width + 1]]
            if normalized[: len(header)] == header:
                outside = False
                skipped.append(SkippedRow(line=line, reason="header"))
                continue
            if not outside and (
                cols.header_score(cells) or len(names.intersection(normalized)) >= _SHARED_NAMES
            ):
                outside = not (date_at < len(cells) and dates.looks_like_date(cells[date_at]))
            if outside:
                skipped.append(SkippedRow(line=line, reason="other_table"))
                continue
            table.append((line, cells))
        return table, skipped

    def _row(
        self, line: int, cells: list[str], type_counts: Counter[str], rounded: list[bool]
    ) -> SkippedRow | _TaxRow | list[_Draft]:
        width = self.width
        if len(cells) > width:
            if any(cell.strip() for cell in cells[width:]):
                raise _CellError(None, messages.TOO_MANY_CELLS)
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells = [*cells, ""]  # the cell of every field the file does not have
        at = self.at
        values = {f: cells[at[f]] for f in cols.FIELDS}
        if self.period_end is not None and not _TOTAL_CELL.match(next(filter(None, cells), "")):
            values["date"] = self.period_end.isoformat()
        if self.row_rule is not None:
            self.row_rule(values, dict(zip(self.normalized_header, cells, strict=False)))

        raw_date = values["date"].strip()
        parsed_date = self._date(raw_date) if raw_date else None
        if not isinstance(parsed_date, date):
            return self._dateless(line, cells, raw_date, values, parsed_date)

        status = kinds.normalize_value(values["status"])
        if status and (status in self.skip_statuses or status in _PENDING_STATUSES):
            return SkippedRow(line=line, reason="pending", value=values["status"].strip())

        type_value = values["type"].strip()
        kind = kinds.INCOME
        if type_value:
            type_counts[type_value] += 1
            kind = self._kind(type_value)
        reason = kinds.reason_of(kind)
        if reason is not None:
            return SkippedRow(line=line, reason=reason, value=type_value)

        amounts = {f: self._amount_of(f, values[f], rounded) for f in cols.AMOUNT_FIELDS}
        gross_cell, net_cell = amounts["gross"], amounts["net"]
        main = gross_cell if gross_cell is not None else net_cell
        if main is None:
            raise _CellError("gross", messages.GROSS_REQUIRED)
        marks: set[str] = set()
        for field_name in cols.AMOUNT_FIELDS:
            parsed = self._amount(values[field_name]) if values[field_name].strip() else None
            if isinstance(parsed, tuple) and parsed[1] is not None:
                marks.add(parsed[1])
        currency = self._currency(values["currency"], marks)
        source = self._text(values["source"], MAX_SOURCE_LENGTH, "source")
        source = source or self.options.source_fallback
        group = values["group"].strip()

        if kind == kinds.TAX:
            return _TaxRow(
                line=line, date=parsed_date, amount=main, currency=currency, source=source,
                group=group,
            )  # fmt: skip
        if main == 0 and not amounts["refunded"]:
            return SkippedRow(line=line, reason="zero", value=type_value)
        if kind == kinds.REFUND and main > 0:
            if self.negative == "skip":
                # Signs are the account's money flow: a refund paid out is negative, so a
                # positive one is the refund of the holder's own purchase.
                return SkippedRow(line=line, reason="not_income", value=type_value)
            gross_cell = -gross_cell if gross_cell is not None else None
            net_cell = -net_cell if net_cell is not None else None
            main = -main
        if main < 0 and kind == kinds.INCOME and self.negative == "skip":
            return SkippedRow(line=line, reason="debit", value=type_value)

        reversal = main < 0
        tax = abs(amounts["tax_withheld"] or ZERO)
        if reversal:
            tax = -tax
        returned = ZERO
        if "fees" in self.has:
            # Charged is positive from here on; a receipt's returned fee came in with it.
            fees = (amounts["fees"] or ZERO) * self.fee_sign + ZERO  # never -0.00
            if not reversal and fees < 0:
                returned, fees = -fees, ZERO
        elif gross_cell is not None and net_cell is not None:
            fees = gross_cell - net_cell - tax
        else:
            fees = ZERO
        gross = (gross_cell if gross_cell is not None else main + tax + fees) + returned
        note = self._note(values["note"])
        external_id = self._text(values["external_id"], MAX_EXTERNAL_ID_LENGTH, "external_id")
        label = self._text(values["source_label"], MAX_SOURCE_LENGTH, "source_label")
        draft = _Draft(
            line=line, date=parsed_date, gross=gross, tax_withheld=tax, fees=fees,
            currency=currency, note=note, external_id=external_id or None,
            source=source or None, source_label=label or None, group=group,
            kind=kinds.REFUND if gross < 0 else kinds.INCOME,
        )  # fmt: skip
        _check_amounts(draft)
        drafts = [draft]
        refunded = amounts["refunded"]
        if refunded:
            drafts.append(
                _Draft(
                    line=line, date=parsed_date, gross=-abs(refunded), tax_withheld=ZERO,
                    fees=ZERO, currency=currency, note=note,
                    external_id=f"{external_id}:refund" if external_id else None,
                    source=source or None, source_label=label or None, group=group,
                    kind=kinds.REFUND,
                )  # fmt: skip
            )
        if main == 0:
            drafts.pop(0)
        return drafts

    def _dateless(
        self,
        line: int,
        cells: list[str],
        raw_date: str,
        values: Mapping[str, str],
        parsed: date | dates.DateError | None,
    ) -> SkippedRow:
        """A row without a readable date: a total, a pending row, a title, or an error."""
        if any(_TOTAL_WORDS.match(cell) for cell in cells if cell):
            return SkippedRow(line=line, reason="total", value=raw_date)
        if raw_date.casefold() in _PENDING_WORDS:
            return SkippedRow(line=line, reason="pending", value=raw_date)
        type_value = values["type"].strip()
        if type_value and kinds.reason_of(self._kind(type_value)) == "total":
            return SkippedRow(line=line, reason="total", value=type_value)
        if not raw_date:
            if not any(values[f].strip() for f in ("gross", "net")):
                return SkippedRow(line=line, reason="total", value="")
            raise _CellError("date", messages.DATE_REQUIRED)
        if not any(values[f].strip() for f in ("gross", "net")):
            # Text for a date and no amount: the title of the next table (comdirect's
            # "Umsätze Visa-Karte") or a note around this one, never a payment.
            return SkippedRow(line=line, reason="other_table", value=raw_date)
        assert isinstance(parsed, dates.DateError)
        raise _CellError("date", parsed.message)

    def _row_errors(self, line: int, cells: list[str], first: _CellError) -> list[RowError]:
        """Every bad cell of a row that failed on ``first``, so one upload shows them all.

        Each cell is checked on its own; ``first`` comes first, the others follow in field
        order. A row-level error (too many cells) says it all: its cells are not aligned.
        """
        found: dict[str | None, str] = {first.field: first.message}
        if first.field is None:
            return [RowError(line=line, field=None, message=first.message)]
        padded = [*cells, *[""] * (self.width - len(cells)), ""]
        values = {f: padded[self.at[f]] for f in cols.FIELDS}
        if self.row_rule is not None:
            self.row_rule(values, dict(zip(self.normalized_header, padded, strict=False)))
        raw_date = values["date"].strip()
        parsed_date = self._date(raw_date) if raw_date else None
        if isinstance(parsed_date, dates.DateError):
            found.setdefault("date", parsed_date.message)
        marks: set[str] = set()
        for name in cols.AMOUNT_FIELDS:
            parsed = self._amount(values[name]) if values[name].strip() else None
            if isinstance(parsed, AmountError):
                found.setdefault(name, parsed.message)
            elif parsed is not None and parsed[1] is not None:
                marks.add(parsed[1])
        try:
            self._currency(values["currency"], marks)
        except _CellError as error:
            found.setdefault("currency", error.message)
        if _FORMULA.match(" ".join(values["note"].split())):
            found.setdefault("note", messages.FORMULA)
        for name, limit in (("external_id", MAX_EXTERNAL_ID_LENGTH), ("source", MAX_SOURCE_LENGTH)):
            try:
                self._text(values[name], limit, name)
            except _CellError as error:
                found.setdefault(name, error.message)
        order = {name: index for index, name in enumerate(cols.FIELDS)}
        rest = sorted((f for f in found if f != first.field), key=lambda f: order.get(f or "", -1))
        return [RowError(line=line, field=f, message=found[f]) for f in (first.field, *rest)]

    def _amount_of(self, field_name: str, cell: str, rounded: list[bool]) -> Decimal | None:
        """The amount of a field's cell; a field the file has no column for has the empty
        cell, unless the row rule filled it (Gumroad's refund is derived from flags)."""
        if not cell.strip():
            return None
        parsed = self._amount(cell)
        if isinstance(parsed, AmountError):
            raise _CellError(field_name, parsed.message)
        return _cent(parsed[0], rounded)

    def _text(self, cell: str, max_length: int, field_name: str) -> str:
        value = cell.strip()
        if not value:
            return ""
        if _FORMULA.match(cell) or _FORMULA.match(value):
            raise _CellError(field_name, messages.FORMULA)
        if len(value) > max_length:
            if field_name == "source_label":
                return value[:max_length]
            message = (
                messages.EXTERNAL_ID_TOO_LONG if field_name == "external_id"
                else messages.SOURCE_TOO_LONG
            )  # fmt: skip
            raise _CellError(field_name, message)
        return value

    def _note(self, cell: str) -> str:
        value = " ".join(cell.split())
        if _FORMULA.match(value):
            raise _CellError("note", messages.FORMULA)
        if len(value) > MAX_NOTE_LENGTH:
            self.notes_cut = True
            return value[: MAX_NOTE_LENGTH - 1] + "…"
        return value

    def _currency(self, cell: str, marks: set[str]) -> str:
        """The currency column, else the amounts' own code or symbol, else the mapping's,
        else the header's, else the default (see the module doc).

        A code on an amount that disagrees with the column is a contradiction, not
        something to guess about. ``$`` fits any dollar; alone it means the default
        currency if that is a dollar, else the US dollar, never the euro.
        """
        named = cell.strip().upper()
        if named:
            marks = {*marks, named}
        dollar = _DOLLAR in marks
        marks = marks - {_DOLLAR}
        if len(marks) > 1:
            raise _CellError("currency", messages.CURRENCY_MISMATCH)
        fallback = self.options.currency or self.columns.currency
        if marks:
            currency = next(iter(marks))
        elif fallback and fallback != _DOLLAR:
            currency = fallback
        elif (dollar or fallback == _DOLLAR) and self.default_currency not in _DOLLAR_CURRENCIES:
            currency = "USD"
        else:
            currency = self.default_currency
        if dollar and currency not in _DOLLAR_CURRENCIES:
            raise _CellError("currency", messages.CURRENCY_MISMATCH)
        if currency not in self.currencies:
            raise _CellError("currency", messages.UNKNOWN_CURRENCY)
        return currency

    # -------------------------------------------------------- across rows
    def _merge_taxes(
        self, drafts: list[_Draft], taxes: list[_TaxRow], errors: list[RowError]
    ) -> list[SkippedRow]:
        """Withholding-tax rows into their income row (see the module doc, rule 6).

        The sign that means "withheld" is the file's own: the majority of its tax rows'
        signs, or the mapping's ``tax_sign``. A tax row of the other sign gives tax back.
        """
        if not taxes:
            return []
        setting = self.options.tax_sign
        if setting == "auto":
            negatives = sum(1 for t in taxes if t.amount < 0)
            withheld = -1 if negatives * 2 >= len(taxes) else 1
        else:
            withheld = -1 if setting == "negative" else 1
        by_group: dict[str, list[_Draft]] = {}
        by_key: dict[tuple[object, ...], list[_Draft]] = {}
        for draft in drafts:
            if draft.group:
                by_group.setdefault(draft.group, []).append(draft)
            by_key.setdefault((draft.source, draft.date, draft.currency), []).append(draft)
        skipped: list[SkippedRow] = []
        touched: set[int] = set()
        for tax in taxes:
            candidates = (by_group.get(tax.group) if tax.group else None) or by_key.get(
                (tax.source, tax.date, tax.currency), []
            )
            candidates = [c for c in candidates if c.currency == tax.currency]
            if not candidates:
                skipped.append(SkippedRow(line=tax.line, reason="tax"))
                continue
            same_day = [c for c in candidates if c.date == tax.date]
            target = min(same_day or candidates, key=lambda c: abs(c.line - tax.line))
            target.tax_withheld += tax.amount * withheld
            target.merged_lines.append(tax.line)
            touched.add(id(target))
            skipped.append(SkippedRow(line=tax.line, reason="merged", into_line=target.line))
        for draft in drafts:
            if id(draft) in touched:
                try:
                    _check_amounts(draft)
                except _CellError as error:
                    errors.append(RowError(line=draft.line, field=error.field, message=error.message))
        return skipped

    def _check_ids(self, drafts: list[_Draft]) -> list[RowError]:
        seen: set[tuple[str, str]] = set()
        errors: list[RowError] = []
        for draft in drafts:
            if draft.external_id is None:
                continue
            key = (draft.source or "", draft.external_id)
            if key in seen:
                errors.append(
                    RowError(line=draft.line, field="external_id", message=messages.DUPLICATE_EXTERNAL_ID)
                )
            seen.add(key)
        return errors

    def _finish(self, drafts: list[_Draft]) -> tuple[StatementRow, ...]:
        occurrences: Counter[tuple[object, ...]] = Counter()
        rows: list[StatementRow] = []
        for d in drafts:
            values = (d.date, d.gross, d.tax_withheld, d.fees, d.currency, d.note, d.source)
            occurrence = occurrences[values]
            occurrences[values] = occurrence + 1
            rows.append(
                StatementRow(
                    line=d.line, date=d.date, gross=d.gross, tax_withheld=d.tax_withheld,
                    fees=d.fees, currency=d.currency, note=d.note, external_id=d.external_id,
                    source=d.source, source_label=d.source_label,
                    row_hash=row_hash(
                        payment_date=d.date, gross=d.gross, tax_withheld=d.tax_withheld,
                        fees=d.fees, currency=d.currency, note=d.note, source=d.source,
                        occurrence=occurrence,
                    ),
                    kind=d.kind, merged_lines=tuple(d.merged_lines),
                )
            )  # fmt: skip
        return tuple(rows)


_PERIOD_LABEL = re.compile(r"(?:period|zeitraum)\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


def _period_end(preamble: Sequence[text.Record]) -> date | None:
    """The last day of the period a preamble line names (rule 9): a line whose first
    cell says ``period``/``Zeitraum``, with the period after it or in the next cells."""
    for _line, cells in preamble:
        filled = [cell.strip() for cell in cells if cell.strip()]
        match = _PERIOD_LABEL.search(filled[0]) if filled else None
        if match is not None:
            end = dates.period_end(" ".join([match["rest"], *filled[1:]]))
            if end is not None:
                return end
    return None


def _check_amounts(draft: _Draft) -> None:
    """The ``Payment`` model's amount rules, so a row that passes here can be written."""
    problems = payment_amount_errors(
        gross=draft.gross, tax_withheld=draft.tax_withheld, fees=draft.fees
    )
    for field_name, message in problems.items():
        raise _CellError(field_name, message)


def row_hash(
    *,
    payment_date: date,
    gross: Decimal,
    tax_withheld: Decimal,
    fees: Decimal,
    currency: str,
    note: str,
    source: str | None,
    occurrence: int,
) -> str:
    """SHA-256 of a row's normalized values, so a re-imported or overlapping statement
    is recognised.

    Amounts are exact to the cent (``12.50``), so equal amounts hash equally; the file
    line is not part of it, so the same payment in two overlapping statements hashes
    the same. ``occurrence`` counts earlier rows of the file with the very same values:
    two equal payments on one day are two payments, and (source, row_hash) is unique in
    the database, so the second one must hash differently, the same way on every import.
    The unit separator keeps the fields apart: ``text.decode`` refuses control
    characters, so no value can contain it.
    """
    payload = (
        f"{_HASH_VERSION}\x1f{payment_date.isoformat()}\x1f{gross!s}\x1f{tax_withheld!s}"
        f"\x1f{fees!s}\x1f{currency}\x1f{note}\x1f{source or ''}\x1f{occurrence}"
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def rejected_lines_csv(result: StatementResult) -> str:
    """The rows with an error as CSV, each with its line and reasons, to fix and import again.

    The cells are written as the file had them (under the file's header), with two
    columns in front: the line and the reasons. Cells that could run as a formula in a
    spreadsheet are prefixed with an apostrophe.
    """
    reasons: dict[int, list[str]] = {}
    for error in result.errors:
        reasons.setdefault(error.line, []).append(error.message)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=result.delimiter or ",", lineterminator="\r\n")
    writer.writerow(["line", "reasons", *result.header])
    for line, cells in result.rejected:
        row = [str(line), " / ".join(reasons.get(line, [])), *cells]
        writer.writerow([f"'{c}" if c.startswith(("=", "+", "-", "@")) else c for c in row])
    return out.getvalue()
