"""What reading a statement gives: the rows to book, the skipped rows, the errors, and
what was detected; and the rejected lines as a file to fix and import again."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from imports.parsing.options import Options
from imports.parsing.text import FORMULA


@dataclass(frozen=True, slots=True)
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
    #: The part of ``tax_withheld`` the source country took (``Payment.foreign_tax``).
    foreign_tax: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
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


class Rejectable(Protocol):
    """What the rejected lines are written from: a statement's or a billing export's
    reading (``imports.parsing.billing.rows.BillingResult``)."""

    @property
    def errors(self) -> tuple[RowError, ...]: ...
    @property
    def delimiter(self) -> str: ...
    @property
    def header(self) -> tuple[str, ...]: ...
    @property
    def rejected(self) -> tuple[tuple[int, tuple[str, ...]], ...]: ...


def rejected_lines_csv(result: Rejectable) -> str:
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
        writer.writerow([f"'{c}" if FORMULA.match(c) else c for c in row])
    return out.getvalue()
