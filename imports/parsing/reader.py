"""The reader of one statement's rows: the rules of ``imports.parsing.statement``, row by
row, with the formats detected once per file; each cell is read by ``CellReader``
(``imports.parsing.cells``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from imports.parsing import columns as cols
from imports.parsing import dates, kinds, messages, text
from imports.parsing.cells import MAX_EXTERNAL_ID_LENGTH, MAX_SOURCE_LENGTH, CellReader
from imports.parsing.drafts import (
    CellError,
    Draft,
    TaxRow,
    check_amounts,
    check_ids,
    finish,
    merge_taxes,
)
from imports.parsing.layout import RowRule, signature
from imports.parsing.numbers import AmountError, detect_number_format
from imports.parsing.options import Options
from imports.parsing.result import RowError, SkippedRow, StatementResult, TypeValue
from imports.parsing.text import FORMULA

ZERO = Decimal("0.00")
DEFAULT_MAX_ROWS = 100_000
#: The longest cell a row may have: a note is cut at 500 characters, and no column of a
#: statement holds more than a few hundred; a longer cell fails its row before any rule
#: looks at it, so no single cell can make a row expensive.
MAX_CELL_LENGTH = 4000
PROGRESS_EVERY = 1000
_SHARED_NAMES = 3  # of this header's names in a row without a date: another table's header

_TOTAL_WORDS = re.compile(
    r"^\s*+(summe|gesamt|total|totals|grand total|subtotal|zwischensumme|saldo|endsaldo"
    r"|anfangssaldo|kontostand|alter kontostand|neuer kontostand|opening balance"
    r"|closing balance|starting balance|ending balance|balance)\b",
    re.IGNORECASE,
)
# A row of a dateless table (``imports.parsing.statement``, rule 9) that starts with one
# of these words is its total.
_TOTAL_CELL = re.compile(r"^\s*+(summe|gesamt|total|totals|grand total)\s*+:?\s*+$", re.IGNORECASE)
_PENDING_WORDS = frozenset(
    {"offen", "pending", "vorgemerkt", "ausstehend", "in bearbeitung", "processing"}
)
_PENDING_STATUSES = frozenset(
    {
        *_PENDING_WORDS, "storniert", "canceled", "cancelled", "failed", "denied",
        "abgelehnt", "fehlgeschlagen", "expired", "abgelaufen", "voided", "rejected",
    }
)  # fmt: skip

#: Called with (rows read, rows in the file) while a long file is read.
Progress = Callable[[int, int], None]


class StatementReader:
    """Turns the data records of one file into rows, skips and errors.

    Dates, amounts and type values are cached per distinct text (``CellReader``): a
    statement repeats them a lot, and the caches keep 100,000 rows within a second or two.
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
        self.field_at = tuple(self.at.items())
        self.has = set(resolved.index)
        self.skip_statuses = {kinds.normalize_value(s) for s in options.skip_statuses}
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
            parsed = self.cell_reader.amount_of(cell) if cell.strip() else None
            if isinstance(parsed, tuple) and parsed[0]:
                votes[-1 if parsed[0] < 0 else 1] += 1
        return -1 if votes[-1] > votes[1] else 1

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
        self.cell_reader = CellReader(
            options=self.options,
            currencies=self.currencies,
            default_currency=self.default_currency,
            header_currency=self.columns.currency,
            number_format=self.number_format,
            date_order=self.order,
        )
        base = {
            "options": self.options,
            "header_line": self.header_line,
            "header": tuple(self.header),
            "signature": signature(self.header),
            "columns": dict(self.columns.index),
            "delimiter": self.delimiter,
            "number_format": self.number_format,
            "date_order": self.order,
            "total_rows": len(records),
        }
        if self.file_errors:
            return StatementResult(
                rows=(), skipped=(), errors=(), file_errors=tuple(dict.fromkeys(self.file_errors)),
                warnings=tuple(dict.fromkeys(self.warnings)), **base,  # type: ignore[arg-type]
            )  # fmt: skip
        self.fee_sign = self._sign_of(table, "fees", self.options.fee_sign)
        self.negative = self.options.negative
        if self.negative == "auto":
            self.negative = "reduce" if "type" in self.has else "skip"
        drafts: list[Draft] = []
        taxes: list[TaxRow] = []
        errors: list[RowError] = []
        rejected: list[tuple[int, tuple[str, ...]]] = []
        type_counts: Counter[str] = Counter()
        rounded_lines: list[int] = []
        for done, (line, cells) in enumerate(table, start=1):
            if on_progress is not None and done % PROGRESS_EVERY == 0:
                on_progress(done, len(table))
            rounded = [False]
            try:
                outcome = self._row(line, cells, type_counts, rounded)
            except CellError as error:
                errors.extend(self._row_errors(line, cells, error))
                rejected.append((line, tuple(cells)))
                continue
            if rounded[0]:
                rounded_lines.append(line)
            if isinstance(outcome, SkippedRow):
                skipped.append(outcome)
            elif isinstance(outcome, TaxRow):
                taxes.append(outcome)
            else:
                drafts.extend(outcome)
        skipped.extend(merge_taxes(drafts, taxes, errors, tax_sign=self.options.tax_sign))
        errors.extend(check_ids(drafts))
        if rounded_lines:
            self.warnings.append(messages.ROUNDED)
        if self.cell_reader.notes_cut:
            self.warnings.append(messages.NOTE_SHORTENED)
        error_lines = {e.line for e in errors}
        rejected.extend(
            (line, tuple(cells)) for line, cells in table
            if line in error_lines and all(line != r[0] for r in rejected)
        )  # fmt: skip
        rows = finish([d for d in drafts if d.line not in error_lines])
        type_values = tuple(
            TypeValue(value=value, count=count, kind=self.cell_reader.kind_of(value))
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

    def _table(self, records: Sequence[text.Record]) -> tuple[list[text.Record], list[SkippedRow]]:
        """The rows of this table: a repeated header and other tables' rows are skipped."""
        table: list[text.Record] = []
        skipped: list[SkippedRow] = []
        header = self.normalized_header
        names = {name for name in header if name}
        outside = False
        date_at = self.at["date"]
        dated: dict[str, bool] = {}
        for line, cells in records:
            if not outside and date_at < len(cells):
                # A row with a date where the date goes is this table's (the common case,
                # decided without looking at its other cells).
                cell = cells[date_at]
                is_date = dated.get(cell)
                if is_date is None:
                    is_date = dated[cell] = dates.looks_like_date(cell)
                if is_date:
                    table.append((line, cells))
                    continue
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
    ) -> SkippedRow | TaxRow | list[Draft]:
        width = self.width
        if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
            raise CellError(None, messages.CELL_TOO_LONG_IN_ROW)
        if len(cells) > width:
            if any(cell.strip() for cell in cells[width:]):
                raise CellError(None, messages.TOO_MANY_CELLS)
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells = [*cells, ""]  # the cell of every field the file does not have
        values = {f: cells[i] for f, i in self.field_at}
        if self.period_end is not None and not _TOTAL_CELL.match(next(filter(None, cells), "")):
            values["date"] = self.period_end.isoformat()
        if self.row_rule is not None:
            self.row_rule(values, dict(zip(self.normalized_header, cells, strict=False)))

        raw_date = values["date"].strip()
        parsed_date = self.cell_reader.date_of(raw_date) if raw_date else None
        if not isinstance(parsed_date, date):
            return self._dateless(line, cells, raw_date, values, parsed_date)

        status = kinds.normalize_value(values["status"])
        if status and (status in self.skip_statuses or status in _PENDING_STATUSES):
            return SkippedRow(line=line, reason="pending", value=values["status"].strip())

        type_value = values["type"].strip()
        kind = kinds.INCOME
        if type_value:
            type_counts[type_value] += 1
            kind = self.cell_reader.kind_of(type_value)
        reason = kinds.reason_of(kind)
        if reason is not None:
            return SkippedRow(line=line, reason=reason, value=type_value)

        amounts: dict[str, Decimal | None] = {}
        marks: set[str] = set()
        for field_name in cols.AMOUNT_FIELDS:
            cell = values[field_name]
            if not cell or cell.isspace():
                amounts[field_name] = None
                continue
            cents = self.cell_reader.cents.get(cell) or self.cell_reader.cents_of(cell)
            if isinstance(cents, AmountError):
                raise CellError(field_name, cents.message)
            amounts[field_name], mark, was_rounded = cents
            if was_rounded:
                rounded[0] = True
            if mark is not None:
                marks.add(mark)
        gross_cell, net_cell = amounts["gross"], amounts["net"]
        main = gross_cell if gross_cell is not None else net_cell
        if main is None:
            raise CellError("gross", messages.GROSS_REQUIRED)
        currency = self.cell_reader.currency_of(values["currency"], marks)
        named = self.cell_reader.text_of(values["source"], MAX_SOURCE_LENGTH, "source")
        source = named or self.options.source_fallback or ""
        group = values["group"].strip()

        if kind in kinds.TAX_KINDS:
            return TaxRow(
                line=line, date=parsed_date, amount=main, currency=currency, source=source or None,
                group=group, foreign=kind == kinds.FOREIGN_TAX,
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
        # The foreign tax is the part of the tax withheld the source country took; a file
        # whose only tax column is the foreign one withheld nothing else.
        foreign = abs(amounts["foreign_tax"] or ZERO)
        tax = abs(amounts["tax_withheld"] or ZERO) if "tax_withheld" in self.has else foreign
        if reversal:
            tax, foreign = -tax, -foreign + ZERO  # never -0.00
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
        note = self.cell_reader.note_of(values["note"])
        external_id = self.cell_reader.text_of(
            values["external_id"], MAX_EXTERNAL_ID_LENGTH, "external_id"
        )
        # The label names the row's own source value, never the fallback's.
        label = named and self.cell_reader.text_of(
            values["source_label"], MAX_SOURCE_LENGTH, "source_label"
        )
        draft = Draft(
            line=line, date=parsed_date, gross=gross, tax_withheld=tax, fees=fees,
            currency=currency, note=note, external_id=external_id or None,
            source=source or None, source_label=label or None, group=group,
            kind=kinds.REFUND if gross < 0 else kinds.INCOME, foreign_tax=foreign,
        )  # fmt: skip
        check_amounts(draft)
        drafts = [draft]
        refunded = amounts["refunded"]
        if refunded:
            drafts.append(
                Draft(
                    line=line,
                    date=parsed_date,
                    gross=-abs(refunded),
                    tax_withheld=ZERO,
                    fees=ZERO,
                    currency=currency,
                    note=note,
                    external_id=f"{external_id}:refund" if external_id else None,
                    source=source or None,
                    source_label=label or None,
                    group=group,
                    kind=kinds.REFUND,
                )
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
        if type_value and kinds.reason_of(self.cell_reader.kind_of(type_value)) == "total":
            return SkippedRow(line=line, reason="total", value=type_value)
        if not raw_date:
            if not any(values[f].strip() for f in ("gross", "net")):
                return SkippedRow(line=line, reason="total", value="")
            raise CellError("date", messages.DATE_REQUIRED)
        if not any(values[f].strip() for f in ("gross", "net")):
            # Text for a date and no amount: the title of the next table (comdirect's
            # "Umsätze Visa-Karte") or a note around this one, never a payment.
            return SkippedRow(line=line, reason="other_table", value=raw_date)
        message = parsed.message if isinstance(parsed, dates.DateError) else messages.INVALID_DATE
        raise CellError("date", message)

    def _row_errors(self, line: int, cells: list[str], first: CellError) -> list[RowError]:
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
        parsed_date = self.cell_reader.date_of(raw_date) if raw_date else None
        if isinstance(parsed_date, dates.DateError):
            found.setdefault("date", parsed_date.message)
        marks: set[str] = set()
        for name in cols.AMOUNT_FIELDS:
            parsed = self.cell_reader.amount_of(values[name]) if values[name].strip() else None
            if isinstance(parsed, AmountError):
                found.setdefault(name, parsed.message)
            elif parsed is not None and parsed[1] is not None:
                marks.add(parsed[1])
        try:
            self.cell_reader.currency_of(values["currency"], marks)
        except CellError as error:
            found.setdefault("currency", error.message)
        if FORMULA.match(" ".join(values["note"].split())):
            found.setdefault("note", messages.FORMULA)
        for name, limit in (("external_id", MAX_EXTERNAL_ID_LENGTH), ("source", MAX_SOURCE_LENGTH)):
            try:
                self.cell_reader.text_of(values[name], limit, name)
            except CellError as error:
                found.setdefault(name, error.message)
        order = {name: index for index, name in enumerate(cols.FIELDS)}
        rest = sorted((f for f in found if f != first.field), key=lambda f: order.get(f or "", -1))
        return [RowError(line=line, field=f, message=found[f]) for f in (first.field, *rest)]


_PERIOD_LABEL = re.compile(
    r"(?:period|zeitraum)\s*+:?\s*+(?P<rest>.*)\Z", re.IGNORECASE | re.DOTALL
)


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
