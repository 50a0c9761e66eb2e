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
   gross − net − tax; with only a net column, gross = net + tax + fees. A foreign tax
   cell is the part of the tax withheld the source country took, signed like it and
   within it (else the row is an error); without a tax column it is all the tax withheld.
6. Withholding-tax rows are merged into their income row: the same ``group`` (a
   transaction/action id shared by both), else the same source, day and currency.
   Within a group the income row of the tax row's own day wins (a reversal reposted
   under the dividend's id takes its own tax back), then the nearest line.
   A tax row with nothing to merge into is skipped and listed. A foreign tax row (the
   source country's withholding, ``kinds.FOREIGN_TAX``) is also the row's foreign tax.
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
from collections.abc import Callable, Collection, Sequence

from imports.parsing import columns as cols
from imports.parsing import messages, text
from imports.parsing.layout import Layout, RowRule, find_header, signature
from imports.parsing.options import Options
from imports.parsing.reader import DEFAULT_MAX_ROWS, Progress, StatementReader
from imports.parsing.result import (
    RowError,
    SkippedRow,
    StatementResult,
    StatementRow,
    TypeValue,
    rejected_lines_csv,
)

__all__ = [
    "Layout", "RowError", "RowRule", "SkippedRow", "StatementResult", "StatementRow",
    "TypeValue", "parse_statement", "rejected_lines_csv", "signature",
]  # fmt: skip


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
        header_index = find_header(records, chosen)
    if header_index is None:
        message = messages.HEADER_LINE_MISSING if chosen.header_line else messages.NO_HEADER
        return _failed(message, chosen, delimiter=delimiter), layout
    data_records = records[header_index + 1 :]
    if len(data_records) > max_rows:
        return _failed(messages.TOO_MANY_ROWS, chosen, delimiter=delimiter), layout
    header_line, header = records[header_index]
    reader = StatementReader(
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
