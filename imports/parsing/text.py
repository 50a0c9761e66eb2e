"""From bytes to records: the encoding, the delimiter and the rows of cells, bounded.

A person's export is read as it was downloaded: UTF-8 (with or without BOM) or
Windows-1252 (German Excel and bank exports), ``;``, ``,`` or tab, strict csv quoting.
Everything here is bounded: the number of rows (``max_rows``, decided while reading, so a
huge file stops early) and the csv module's cell limit (a cell over it is ``csv.Error``).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DELIMITERS = (";", "\t", ",")  # ties go to the earlier one: `;` never appears in amounts
_SAMPLE_LINES = 60
#: Characters of the file the delimiter is detected from: the first lines of any export
#: fit, and one long line cannot make detection cost more than this.
SAMPLE_CHARS = 64 * 1024

Record = tuple[int, list[str]]
#: A cell a spreadsheet would run as a formula: ``=``, ``@``, a tab or CR first, or a sign
#: before text (``-SUM(A1)``, ``+A1``); a sign before digits, a space or another sign is a
#: number, a phone number or a banner (``-12,50``, ``+49 …``, ``+++ Miete +++``).
FORMULA = re.compile(r"^(?:[=@\t\r]|[-+](?![0-9\s+\-]|$))")


def decode(data: bytes) -> str | None:
    """UTF-8 first (a BOM is dropped), then Windows-1252; None when it is not text.

    Windows-1252 decodes almost any byte, so the control-character check is what tells
    a binary file or UTF-16 (NUL in every other byte) from text.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if _CONTROL.search(text):
        return None
    return text


def sample_rows(text: str, *, delimiter: str) -> list[list[str]]:
    """The first non-empty lines split by ``delimiter``, leniently (for detection only),
    from at most the first ``SAMPLE_CHARS`` characters."""
    lines = itertools.islice(
        (line for line in io.StringIO(text[:SAMPLE_CHARS], newline="") if line.strip()),
        _SAMPLE_LINES,
    )
    return list(csv.reader(lines, delimiter=delimiter))


def detect_delimiter(text: str, *, header_score: Callable[[list[list[str]]], int]) -> str:
    """The delimiter under which the file has the best header, else the most regular rows.

    ``csv.Sniffer`` is not used: preamble lines above the header (German bank exports)
    and German amounts in a comma file fool it. Instead each candidate splits the first
    lines; ``header_score`` rates the best header it finds (known column names), and the
    rows' regularity (how many share the most common width, and that width) breaks ties.
    """
    best: tuple[int, int, int] | None = None
    chosen = DELIMITERS[0]
    for delimiter in DELIMITERS:
        try:
            rows = sample_rows(text, delimiter=delimiter)
        except csv.Error:
            continue
        widths = [len(row) for row in rows if len(row) > 1]
        modal = max(set(widths), key=lambda w: (widths.count(w), w)) if widths else 1
        key = (header_score(rows), widths.count(modal) if widths else 0, modal)
        if best is None or key > best:
            best, chosen = key, delimiter
    return chosen


def read_records(text: str, *, delimiter: str, max_rows: int) -> list[Record] | None:
    """Every non-empty row with the file line it starts on (1-based); None past ``max_rows``.

    Quoting is strict: a quote left open would otherwise swallow the following rows into
    one cell without a word, so it raises ``csv.Error`` instead. A row of nothing but
    empty cells (``;;;``, as Excel writes empty rows) is an empty line. The header is
    among the records: which row it is, is decided afterwards.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    previous_line = 0
    limit = max_rows + _SAMPLE_LINES  # the header and preamble lines are not payment rows
    for cells in reader:
        line = previous_line + 1
        previous_line = reader.line_num
        if not "".join(cells).strip():
            continue
        if len(records) == limit:
            return None
        records.append((line, cells))
    return records
