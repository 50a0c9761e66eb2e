"""Read an uploaded CSV file of payments (PRODUCT.md §2 Payment, §5 imports, §7).

Pure: bytes in, a ``ParseResult`` out; no Django, no database. The import service decides
what to do with the rows; this module only guarantees that every row it returns would
pass the ``Payment`` model's constraints (non-negative amounts, tax + fees <= gross, a
known currency, ``DecimalField(max_digits=15, decimal_places=2)``), and that nothing it
returns can turn into a spreadsheet formula when the data is exported again.

The file comes from a person's spreadsheet or bank export, so the formats are detected
per file, never per cell: a cell on its own cannot tell ``1.234`` (German one thousand
two hundred thirty-four) from ``1.234`` (English one and a bit), but the file can.

- Encoding: UTF-8 (with or without BOM), else Windows-1252, which is what Excel on a
  German Windows writes. Text with NUL or other control characters (other than tab and
  line breaks) is not a CSV file (UTF-16, a spreadsheet, random bytes): a file error.
- Delimiter: ``;`` (German Excel), ``,`` or tab. ``csv.Sniffer`` reads the first lines,
  but its guess is kept only if it splits the header into as many columns as the best
  candidate does, since header names almost never contain a delimiter while amounts
  (``1.234,56``) and notes often do. Quoting is the csv module's standard (``"``,
  doubled to escape): the sniffer's quote-character guess is not used because a note
  with two apostrophes would fool it.
- Numbers: each amount cell votes. A cell with both separators tells the order
  (``1.234,56`` German, ``1,234.56`` English); several of the same separator are grouping
  (``1.234.567`` German, ``1,234,567`` English); a lone dot followed by one or two digits
  is an English decimal (German never groups fewer than three digits); a lone comma
  followed by one or two digits is a German decimal when the delimiter is ``;``. The
  majority wins (a warning says when both kinds were seen); with no decisive cell the
  delimiter decides: ``;`` German, ``,`` and tab English. A cell that is not valid in
  the chosen format is a row error, never re-read in the other format. Currency marks
  and (non-breaking) spaces around the number are stripped; a leading ``+`` is fine (bank
  exports write it), a leading ``-`` is a negative amount with its own message; NaN,
  Infinity and exponents are never handed to ``Decimal``.
- Text cells (note, ID, source) that start with ``=``, ``+``, ``-``, ``@``, tab or CR are
  refused: stored as they are, they would run as formulas when exported to Excel.
- Currency: the currency column, else a code or symbol on the amounts (``USD 12.50``,
  ``12,50 €``), else the default currency. A code on an amount that disagrees with
  the column is a row error rather than a guess; ``$`` only ever means a dollar.
- Dates: ``2025-12-31`` and ``31.12.2025`` are unambiguous and always accepted.
  ``12/31/2025`` is read as DD/MM/YYYY when any row has a first part above 12, as
  MM/DD/YYYY when any row has a second part above 12, a file error when both happen,
  and DD/MM/YYYY with a warning when no row decides. Two-digit years are rejected: the
  century is a guess.

Every message is a module-level constant without placeholders, so the Django layer can
translate it by lookup; the field and the line say where it happened.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it (no Django here).

    ``makemessages`` extracts every ``gettext_noop("...")`` call; the Django layer
    translates the constant with ``gettext`` when it shows it.
    """
    return message


# ---------------------------------------------------------------- messages (file level)
NOT_TEXT = gettext_noop("The file is not text in UTF-8 or Windows-1252.")
EMPTY_FILE = gettext_noop("The file is empty.")
NOT_CSV = gettext_noop("The file could not be read as CSV; check the quotes around cells.")
NO_ROWS = gettext_noop("The file has a header but no payment rows.")
TOO_MANY_ROWS = gettext_noop("The file has more rows than one import allows.")
MISSING_DATE_COLUMN = gettext_noop(
    "The file has no date column (Datum, Date, Buchungstag, Valuta)."
)
MISSING_GROSS_COLUMN = gettext_noop(
    "The file has no amount column (Brutto, Betrag, Amount, Gross)."
)
MAPPED_COLUMN_NOT_FOUND = gettext_noop("The column mapping names a column that is not in the file.")
DATE_ORDER_CONFLICT = gettext_noop(
    "The dates mix DD/MM/YYYY and MM/DD/YYYY; write them as YYYY-MM-DD or DD.MM.YYYY."
)

# ---------------------------------------------------------------- messages (row level)
DATE_REQUIRED = gettext_noop("The date is required.")
INVALID_DATE = gettext_noop("Enter the date as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY.")
TWO_DIGIT_YEAR = gettext_noop("Write the year with four digits (31.12.2025, not 31.12.25).")
NONEXISTENT_DATE = gettext_noop("This date does not exist.")
GROSS_REQUIRED = gettext_noop("The gross amount is required.")
INVALID_AMOUNT = gettext_noop("Enter the amount as a plain number, like 1234.56 or 1.234,56.")
NEGATIVE_AMOUNT = gettext_noop("Amounts may not be negative.")
TOO_MANY_DECIMALS = gettext_noop("Amounts may have at most 2 decimal places.")
AMOUNT_TOO_LARGE = gettext_noop("Amounts may have at most 13 digits before the decimal point.")
DEDUCTIONS_EXCEED_GROSS = gettext_noop(
    "Tax withheld and fees together may not exceed the gross amount."
)
UNKNOWN_CURRENCY = gettext_noop("Unknown currency; use a three-letter code such as EUR.")
CURRENCY_MISMATCH = gettext_noop("An amount is marked with a different currency than the row.")
FORMULA = gettext_noop("Cells may not start with =, +, -, @ (spreadsheet formula).")
NOTE_TOO_LONG = gettext_noop("The note may have at most 500 characters.")
EXTERNAL_ID_TOO_LONG = gettext_noop("The ID may have at most 100 characters.")
SOURCE_TOO_LONG = gettext_noop("The source may have at most 120 characters.")
DUPLICATE_EXTERNAL_ID = gettext_noop("The ID appears more than once in the file.")
TOO_MANY_CELLS = gettext_noop(
    "The row has more cells than the header; check the quoting of amounts."
)

# ---------------------------------------------------------------- messages (warnings)
AMBIGUOUS_DATES = gettext_noop(
    "No date decides between day/month and month/day; the dates were read as DD/MM/YYYY."
)
MIXED_NUMBER_FORMATS = gettext_noop(
    "Some amounts look German (1.234,56) and some English (1,234.56); "
    "the more common format was used."
)
DUPLICATE_COLUMNS = gettext_noop(
    "Several columns could hold the same field; the first synonym in the list was used."
)

# ---------------------------------------------------------------- fields and limits
FIELDS: tuple[str, ...] = (
    "date",
    "gross",
    "tax_withheld",
    "fees",
    "currency",
    "note",
    "external_id",
    "source",
)
REQUIRED_FIELDS: tuple[str, ...] = ("date", "gross")
AMOUNT_FIELDS: tuple[str, ...] = ("gross", "tax_withheld", "fees")
TEXT_FIELDS: tuple[str, ...] = ("note", "external_id", "source")

# Header names per field, compared case-insensitively with runs of spaces collapsed. The
# order matters: when a file has two candidates (bank exports carry both "Buchungstag"
# and "Valuta"), the one listed first wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("Datum", "Date", "Buchungstag", "Valuta"),
    "gross": ("Brutto", "Gross", "Betrag", "Amount"),
    "tax_withheld": (
        "Steuer",
        "Tax",
        "Quellensteuer",
        "Kapitalertragsteuer",
        "Kapitalertragssteuer",
        "Withholding tax",
        "Tax withheld",
        "Einbehaltene Steuer",
    ),
    "fees": ("Gebühren", "Gebuehren", "Gebühr", "Gebuehr", "Fees", "Fee"),
    "currency": ("Währung", "Waehrung", "Currency"),
    "note": ("Notiz", "Note", "Hinweis", "Beschreibung", "Description", "Verwendungszweck"),
    "external_id": ("ID", "Referenz", "Reference", "Transaction ID", "Buchungs-ID"),
    "source": ("Quelle", "Source"),
}

MAX_AMOUNT_INTEGER_DIGITS = 13  # DecimalField(max_digits=15, decimal_places=2)
MAX_NOTE_LENGTH = 500  # Payment.note
MAX_EXTERNAL_ID_LENGTH = 100  # Payment.external_id
MAX_SOURCE_LENGTH = 120  # IncomeSource.name
DEFAULT_MAX_ROWS = 100_000

# Shown in the preview; a German reads TT.MM.JJJJ (Tag, Monat, Jahr).
DATE_FORMAT_ISO = gettext_noop("YYYY-MM-DD")
DATE_FORMAT_DE = gettext_noop("DD.MM.YYYY")
DATE_FORMAT_DMY = gettext_noop("DD/MM/YYYY")
DATE_FORMAT_MDY = gettext_noop("MM/DD/YYYY")

_DELIMITERS = (";", "\t", ",")  # ties go to the earlier one: `;` never appears in amounts
_SNIFF_LINES = 20
_SNIFF_CHARS = 64_000  # the sniffer's regular expressions need not see a huge first line
_HASH_VERSION = "payment-row-v1"
_ZERO = Decimal(0)
_NO_AMOUNT = Decimal("0.00")  # an empty tax or fees cell

# C0 controls other than tab, LF and CR, DEL, and the C1 range: never in a text CSV.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Sign, currency (symbol or three-letter code) before or after, and the number itself.
# `\s` matches non-breaking spaces too. Everything else (NaN, 1e30, 1 234) fails here.
_AMOUNT_CELL = re.compile(
    r"\s*(?P<sign>[-+])?\s*(?P<pre>[€$£]|[A-Za-z]{3})?\s*(?P<sign2>[-+])?\s*"
    r"(?P<number>[0-9][0-9.,]*)\s*(?P<post>[€$£]|[A-Za-z]{3})?\s*"
)
_NUMBER = {
    "de": re.compile(r"(?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<frac>[0-9]+))?"),
    "en": re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?"),
}
_LONE_DECIMAL = re.compile(r"[0-9]+[.,][0-9]{1,2}")
# `$` stays a symbol: it is the US dollar, but also the Canadian, Australian, ... one.
_DOLLAR = "$"
_SYMBOL_CURRENCY = {"€": "EUR", "£": "GBP", _DOLLAR: _DOLLAR}
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD"})

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DE_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_SLASH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SHORT_YEAR_DATE = re.compile(r"[0-9]{1,2}([./])[0-9]{1,2}\1[0-9]{2}")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_LIMITS = (
    ("note", MAX_NOTE_LENGTH, NOTE_TOO_LONG),
    ("external_id", MAX_EXTERNAL_ID_LENGTH, EXTERNAL_ID_TOO_LONG),
    ("source", MAX_SOURCE_LENGTH, SOURCE_TOO_LONG),
)


# ---------------------------------------------------------------- result
@dataclass(frozen=True)
class ParsedPayment:
    """One valid row, with amounts exact to the cent and text trimmed."""

    line: int
    date: date
    gross: Decimal
    tax_withheld: Decimal
    fees: Decimal
    currency: str
    note: str
    external_id: str | None
    source: str | None
    row_hash: str


@dataclass(frozen=True)
class RowError:
    """What is wrong with a row; ``field`` is None when the row as a whole is wrong."""

    line: int
    field: str | None
    message: str


@dataclass(frozen=True)
class ParseResult:
    """Everything the import screen shows: rows, errors, and what was detected.

    ``rows`` holds only rows without any error; with a file error there are none.
    ``columns`` maps each recognised field to its header as written in the file.
    """

    rows: tuple[ParsedPayment, ...]
    errors: tuple[RowError, ...]
    file_errors: tuple[str, ...]
    columns: dict[str, str]
    unknown_columns: tuple[str, ...]
    number_format: str
    date_format: str
    delimiter: str
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors


class _CellError(Exception):
    """A cell that cannot be read; carries one of the row-level message constants."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- entry point
#: Called with (rows parsed, rows in the file) while a long file is parsed.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000


def parse_payments(
    data: bytes,
    *,
    currencies: Collection[str],
    default_currency: str,
    mapping: Mapping[str, str] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    on_progress: Progress | None = None,
) -> ParseResult:
    """Parse an uploaded CSV file of payments.

    ``mapping`` (field -> header text as in the file) overrides the header guesses for
    the fields it names; an empty header text means "this field has no column".
    ``default_currency`` applies where the file names none. Line numbers are 1-based
    lines of the file, counting the header. More than ``max_rows`` non-empty data rows
    is a file error, decided before any row is parsed.

    Raises ``ValueError`` for a programming error (an unknown field in ``mapping``, a
    default currency outside ``currencies``); everything wrong with the file itself is
    reported in the result.
    """
    known_currencies = frozenset(currencies)
    if default_currency not in known_currencies:
        raise ValueError(f"default_currency {default_currency!r} is not in currencies")
    explicit = dict(mapping or {})
    unknown_fields = sorted(set(explicit) - set(FIELDS))
    if unknown_fields:
        raise ValueError(f"mapping names unknown fields: {', '.join(unknown_fields)}")

    text = _decode(data)
    if text is None:
        return _failed(NOT_TEXT)
    if not text.strip():
        return _failed(EMPTY_FILE)
    delimiter = ""
    try:
        delimiter = _detect_delimiter(text)
        read = _read_records(text, delimiter=delimiter, max_rows=max_rows)
    except csv.Error:  # a cell over the csv module's field limit, or broken quoting
        return _failed(NOT_CSV, delimiter=delimiter)
    if read is None:
        return _failed(TOO_MANY_ROWS, delimiter=delimiter)
    header, records = read

    columns = _resolve_columns(header, explicit)
    file_errors = list(columns.errors)
    warnings = list(columns.warnings)
    for required, message in (("date", MISSING_DATE_COLUMN), ("gross", MISSING_GROSS_COLUMN)):
        if required not in columns.index:
            file_errors.append(message)
    if not records and not file_errors:
        file_errors.append(NO_ROWS)

    amount_positions = [columns.index[f] for f in AMOUNT_FIELDS if f in columns.index]
    amount_cells: Counter[str] = Counter()
    for position in amount_positions:
        amount_cells.update(map(itemgetter(position), map(itemgetter(1), records)))
    number_format, mixed_numbers = _detect_number_format(amount_cells, delimiter=delimiter)
    if mixed_numbers:
        warnings.append(MIXED_NUMBER_FORMATS)
    date_position = columns.index.get("date")
    date_cells = (
        {cells[date_position].strip() for _, cells in records}
        if date_position is not None
        else set()
    )
    dates = _detect_date_format(date_cells)
    if dates.conflict:
        file_errors.append(DATE_ORDER_CONFLICT)
    if dates.ambiguous:
        warnings.append(AMBIGUOUS_DATES)

    result_rows: tuple[ParsedPayment, ...] = ()
    result_errors: tuple[RowError, ...] = ()
    if not file_errors:
        parser = _RowParser(
            index=columns.index,
            width=len(header),
            number_format=number_format,
            month_first=dates.month_first,
            currencies=known_currencies,
            default_currency=default_currency,
        )
        result_rows, result_errors = parser.parse(records, on_progress=on_progress)
    return ParseResult(
        rows=result_rows,
        errors=result_errors,
        file_errors=tuple(file_errors),
        columns=columns.names,
        unknown_columns=columns.unknown,
        number_format=number_format,
        date_format=dates.label,
        delimiter=delimiter,
        warnings=tuple(warnings),
    )


def _failed(message: str, *, delimiter: str = "") -> ParseResult:
    return ParseResult(
        rows=(),
        errors=(),
        file_errors=(message,),
        columns={},
        unknown_columns=(),
        number_format="de" if delimiter == ";" else "en",
        date_format="",
        delimiter=delimiter,
        warnings=(),
    )


# ---------------------------------------------------------------- reading the file
def _decode(data: bytes) -> str | None:
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


def _detect_delimiter(text: str) -> str:
    """The sniffer's delimiter if it splits the header as well as any other, else the best.

    Header names almost never contain a delimiter, amounts and notes often do, so the
    number of header columns is the check on the sniffer's guess.
    """
    non_empty = (line for line in io.StringIO(text, newline="") if line.strip())
    lines = list(itertools.islice(non_empty, _SNIFF_LINES))
    header = lines[0]
    widths = {d: len(next(csv.reader([header], delimiter=d))) for d in _DELIMITERS}
    best = max(widths.values())
    try:
        sample = "".join(lines)[:_SNIFF_CHARS]
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    if widths.get(sniffed) == best:
        return sniffed
    return next(d for d in _DELIMITERS if widths[d] == best)


def _read_records(
    text: str, *, delimiter: str, max_rows: int
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The header and each non-empty data row with the file line it starts on.

    Quoting is strict: a quote left open would otherwise swallow the following rows
    into one cell without a word, so it raises ``csv.Error`` instead. A row of nothing
    but empty cells (``;;;``, as Excel writes empty rows) is an empty line. Short rows
    are padded to the header's width, so every column can be read from every row.
    None when there are more than ``max_rows`` data rows.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    previous_line = 0
    width = 0
    for cells in reader:
        line = previous_line + 1
        previous_line = reader.line_num
        if not "".join(cells).strip():
            continue
        if header is None:
            header = cells
            width = len(header)
            continue
        if len(records) == max_rows:
            return None
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        records.append((line, cells))
    return header or [], records


# ---------------------------------------------------------------- columns
_SYNONYM_LOOKUP: dict[str, tuple[str, int]] = {
    " ".join(name.split()).casefold(): (field, priority)
    for field, names in SYNONYMS.items()
    for priority, name in enumerate(names)
}


def _normalize_header(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]
    names: dict[str, str]
    unknown: tuple[str, ...]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def _resolve_columns(header: Sequence[str], explicit: Mapping[str, str]) -> _Columns:
    """Explicit mapping first, then synonyms for the fields it leaves out.

    A column the mapping claims is never also guessed as another field.
    """
    normalized = [_normalize_header(name) for name in header]
    index: dict[str, int] = {}
    errors: list[str] = []
    warnings: list[str] = []
    for field, wanted in explicit.items():
        target = _normalize_header(wanted)
        if not target:
            continue
        if target not in normalized:
            errors.append(MAPPED_COLUMN_NOT_FOUND)
            continue
        index[field] = normalized.index(target)
    claimed = set(index.values())
    candidates: dict[str, list[tuple[int, int]]] = {}
    for position, name in enumerate(normalized):
        match = _SYNONYM_LOOKUP.get(name)
        if match is None or position in claimed or match[0] in explicit:
            continue
        candidates.setdefault(match[0], []).append((match[1], position))
    for field, options in candidates.items():
        index[field] = min(options)[1]
        if len(options) > 1:
            warnings.append(DUPLICATE_COLUMNS)
    used = set(index.values())
    unknown = tuple(
        name.strip()
        for position, name in enumerate(header)
        if position not in used and name.strip()
    )
    return _Columns(
        index={field: index[field] for field in FIELDS if field in index},
        names={field: header[index[field]].strip() for field in FIELDS if field in index},
        unknown=unknown,
        errors=tuple(dict.fromkeys(errors)),
        warnings=tuple(dict.fromkeys(warnings)),
    )


# ---------------------------------------------------------------- number format
def _detect_number_format(cells: Mapping[str, int], *, delimiter: str) -> tuple[str, bool]:
    """``("de" | "en", mixed)`` from the votes of all amount cells (see the module doc).

    ``cells`` counts each distinct cell, so every cell votes once per occurrence while
    each distinct text is looked at only once.
    """
    votes = {"de": 0, "en": 0}
    for cell, count in cells.items():
        match = _AMOUNT_CELL.fullmatch(cell)
        if match is None:
            continue
        vote = _number_vote(match["number"], delimiter=delimiter)
        if vote is not None:
            votes[vote] += count
    mixed = votes["de"] > 0 and votes["en"] > 0
    if votes["de"] != votes["en"]:
        return ("de" if votes["de"] > votes["en"] else "en"), mixed
    return ("de" if delimiter == ";" else "en"), mixed


def _number_vote(number: str, *, delimiter: str) -> str | None:
    commas = number.count(",")
    dots = number.count(".")
    if commas and dots:
        return "de" if number.rfind(",") > number.rfind(".") else "en"
    if commas > 1:
        return "en"
    if dots > 1:
        return "de"
    if _LONE_DECIMAL.fullmatch(number) is None:
        return None  # an integer, or 1.234 / 1,234: either reading is possible
    if dots:
        return "en"
    return "de" if delimiter == ";" else None


def _parse_amount(cell: str, *, number_format: str) -> tuple[Decimal, str | None]:
    """The amount to the cent, and the currency its symbol or code names (if any)."""
    match = _AMOUNT_CELL.fullmatch(cell)
    if match is None or (match["sign"] and match["sign2"]):
        raise _CellError(INVALID_AMOUNT)
    number = _NUMBER[number_format].fullmatch(match["number"])
    if number is None:
        raise _CellError(INVALID_AMOUNT)
    fraction = number["frac"] or ""
    if len(fraction) > 2:
        raise _CellError(TOO_MANY_DECIMALS)
    integer = number["int"].replace("." if number_format == "de" else ",", "").lstrip("0")
    if len(integer) > MAX_AMOUNT_INTEGER_DIGITS:
        raise _CellError(AMOUNT_TOO_LARGE)
    value = Decimal(f"{integer or '0'}.{fraction:0<2}")
    if (match["sign"] or match["sign2"]) == "-" and value != _ZERO:
        raise _CellError(NEGATIVE_AMOUNT)
    mark = match["pre"] or match["post"]
    if mark is None:
        return value, None
    return value, _SYMBOL_CURRENCY.get(mark) or mark.upper()


# ---------------------------------------------------------------- date format
@dataclass(frozen=True)
class _DateFormat:
    label: str
    month_first: bool
    ambiguous: bool
    conflict: bool


def _detect_date_format(cells: Iterable[str]) -> _DateFormat:
    """The order of ``/``-dates for the whole file, and the most common style as a label."""
    styles: Counter[str] = Counter()
    day_first = month_first = undecided = False
    for cell in cells:
        if _ISO_DATE.fullmatch(cell):
            styles[DATE_FORMAT_ISO] += 1
        elif _DE_DATE.fullmatch(cell):
            styles[DATE_FORMAT_DE] += 1
        elif slash := _SLASH_DATE.fullmatch(cell):
            styles["/"] += 1
            first, second = int(slash[1]), int(slash[2])
            if first > 12 >= second:
                day_first = True
            elif second > 12 >= first:
                month_first = True
            elif first != second and first <= 12 and second <= 12:
                undecided = True
    slash_label = DATE_FORMAT_MDY if month_first and not day_first else DATE_FORMAT_DMY
    label = styles.most_common(1)[0][0] if styles else ""
    return _DateFormat(
        label=slash_label if label == "/" else label,
        month_first=month_first and not day_first,
        ambiguous=undecided and not day_first and not month_first,
        conflict=day_first and month_first,
    )


def _parse_date(cell: str, *, month_first: bool) -> date:
    if match := _ISO_DATE.fullmatch(cell):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DE_DATE.fullmatch(cell):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _SLASH_DATE.fullmatch(cell):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        month, day = (first, second) if month_first else (second, first)
    elif _SHORT_YEAR_DATE.fullmatch(cell):
        raise _CellError(TWO_DIGIT_YEAR)
    else:
        raise _CellError(INVALID_DATE)
    try:
        return date(year, month, day)
    except ValueError:
        raise _CellError(NONEXISTENT_DATE) from None


# ---------------------------------------------------------------- rows
def _row_hash(
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
    """SHA-256 of a row's normalized values, so a re-import of the same file is recognised.

    Amounts are exact to the cent (``12.50``), so equal amounts hash equally.
    ``occurrence`` counts earlier rows of the file with the very same values: two
    equal payments on one day are two payments, and (source, row_hash) is unique in the
    database, so the second one must hash differently, the same way on every import.
    The unit separator keeps the fields apart: ``_decode`` refuses control characters,
    so no value can contain it.
    """
    payload = (
        f"{_HASH_VERSION}\x1f{payment_date.isoformat()}\x1f{gross!s}\x1f{tax_withheld!s}"
        f"\x1f{fees!s}\x1f{currency}\x1f{note}\x1f{source or ''}\x1f{occurrence}"
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _text_cell(cell: str, *, max_length: int, too_long: str) -> str:
    """Trimmed text that cannot become a formula when the data is exported to a spreadsheet.

    The check is on the raw cell (a leading tab or CR) and on the trimmed value, since
    the trimmed value is what is stored and exported.
    """
    if not cell:
        return cell
    value = cell.strip()
    if cell.startswith(_FORMULA_START) or value.startswith(_FORMULA_START):
        raise _CellError(FORMULA)
    if len(value) > max_length:
        raise _CellError(too_long)
    return value


class _RowParser:
    """Turns the records of one file into payments, with the formats detected for it.

    Dates and amounts are cached per distinct text: a file repeats its dates, tax and
    fee cells a lot, and the cache keeps 100,000 rows well within a second or two.
    """

    def __init__(
        self,
        *,
        index: Mapping[str, int],
        width: int,
        number_format: str,
        month_first: bool,
        currencies: frozenset[str],
        default_currency: str,
    ) -> None:
        self.width = width
        # An absent field reads the empty cell appended after the last column.
        self.at = {field: index.get(field, width) for field in FIELDS}
        self.number_format = number_format
        self.month_first = month_first
        self.currencies = currencies
        self.default_currency = default_currency
        self.dates: dict[str, date | _CellError] = {}
        self.amounts: dict[str, tuple[Decimal, str | None] | _CellError] = {}
        self.occurrences: Counter[tuple[object, ...]] = Counter()
        self.external_ids: set[tuple[str, str]] = set()

    def parse(
        self, records: Sequence[tuple[int, list[str]]], *, on_progress: Progress | None = None
    ) -> tuple[tuple[ParsedPayment, ...], tuple[RowError, ...]]:
        rows: list[ParsedPayment] = []
        errors: list[RowError] = []
        for done, (line, cells) in enumerate(records, start=1):
            if on_progress is not None and done % PROGRESS_EVERY == 0:
                on_progress(done, len(records))
            row_errors: list[RowError] = []
            payment = self._row(line, cells, row_errors)
            if payment is None:
                errors.extend(row_errors)
            else:
                rows.append(payment)
        return tuple(rows), tuple(errors)

    def _date(self, cell: str) -> date:
        cached = self.dates.get(cell)
        if cached is None:
            try:
                cached = _parse_date(cell, month_first=self.month_first)
            except _CellError as error:
                cached = error
            self.dates[cell] = cached
        if isinstance(cached, _CellError):
            raise cached
        return cached

    def _amount(self, cell: str) -> tuple[Decimal, str | None] | _CellError:
        """Parse an amount not seen before in this file, and remember the outcome."""
        try:
            parsed: tuple[Decimal, str | None] | _CellError = _parse_amount(
                cell, number_format=self.number_format
            )
        except _CellError as error:
            parsed = error
        self.amounts[cell] = parsed
        return parsed

    def _row(self, line: int, cells: list[str], errors: list[RowError]) -> ParsedPayment | None:
        width = self.width
        if len(cells) > width:
            if any(cell.strip() for cell in cells[width:]):
                errors.append(RowError(line=line, field=None, message=TOO_MANY_CELLS))
                return None
            del cells[width:]
        cells.append("")  # _read_records padded short rows; this cell is for absent fields
        at = self.at
        amount_cache = self.amounts

        payment_date: date | None = None
        raw_date = cells[at["date"]].strip()
        if not raw_date:
            errors.append(RowError(line=line, field="date", message=DATE_REQUIRED))
        else:
            try:
                payment_date = self._date(raw_date)
            except _CellError as error:
                errors.append(RowError(line=line, field="date", message=error.message))

        amounts: list[Decimal] = []
        marks: set[str] = set()
        for field in AMOUNT_FIELDS:
            raw = cells[at[field]]
            if not raw or raw.isspace():
                if field == "gross":
                    errors.append(RowError(line=line, field=field, message=GROSS_REQUIRED))
                else:
                    amounts.append(_NO_AMOUNT)
                continue
            parsed = amount_cache.get(raw) or self._amount(raw)
            if isinstance(parsed, _CellError):
                errors.append(RowError(line=line, field=field, message=parsed.message))
                continue
            value, mark = parsed
            amounts.append(value)
            if mark is not None:
                marks.add(mark)
        if len(amounts) == len(AMOUNT_FIELDS) and amounts[1] + amounts[2] > amounts[0]:
            errors.append(RowError(line=line, field=None, message=DEDUCTIONS_EXCEED_GROSS))

        currency = self._currency(line, cells[at["currency"]], marks, errors)

        texts: dict[str, str] = {}
        for field, max_length, too_long in _TEXT_LIMITS:
            try:
                texts[field] = _text_cell(
                    cells[at[field]], max_length=max_length, too_long=too_long
                )
            except _CellError as error:
                errors.append(RowError(line=line, field=field, message=error.message))
        external_id = texts.get("external_id") or None
        source = texts.get("source") or None
        if external_id is not None and "source" in texts:
            key = (source or "", external_id)
            if key in self.external_ids:
                errors.append(
                    RowError(line=line, field="external_id", message=DUPLICATE_EXTERNAL_ID)
                )
            self.external_ids.add(key)

        if errors or payment_date is None or currency is None:
            return None
        gross, tax_withheld, fees = amounts
        note = texts["note"]
        values = (payment_date, gross, tax_withheld, fees, currency, note, source)
        occurrence = self.occurrences[values]
        self.occurrences[values] = occurrence + 1
        hashed = _row_hash(
            payment_date=payment_date,
            gross=gross,
            tax_withheld=tax_withheld,
            fees=fees,
            currency=currency,
            note=note,
            source=source,
            occurrence=occurrence,
        )
        return ParsedPayment(
            line=line,
            date=payment_date,
            gross=gross,
            tax_withheld=tax_withheld,
            fees=fees,
            currency=currency,
            note=note,
            external_id=external_id,
            source=source,
            row_hash=hashed,
        )

    def _currency(
        self, line: int, cell: str, marks: set[str], errors: list[RowError]
    ) -> str | None:
        """The currency cell, else the amounts' own code or symbol, else the default.

        An amount marked ``USD 12.50`` in a row that says EUR is a contradiction, not
        something to guess about. A bare ``$`` fits any dollar; alone it means the
        default currency if that is a dollar, else the US dollar, never the euro.
        """
        named = cell.strip().upper()
        if named:
            marks.add(_SYMBOL_CURRENCY.get(named, named))
        dollar = _DOLLAR in marks
        marks.discard(_DOLLAR)
        if len(marks) > 1:
            errors.append(RowError(line=line, field="currency", message=CURRENCY_MISMATCH))
            return None
        if marks:
            currency = marks.pop()
        elif dollar and self.default_currency not in _DOLLAR_CURRENCIES:
            currency = "USD"
        else:
            currency = self.default_currency
        if dollar and currency not in _DOLLAR_CURRENCIES:
            errors.append(RowError(line=line, field="currency", message=CURRENCY_MISMATCH))
            return None
        if currency not in self.currencies:
            errors.append(RowError(line=line, field="currency", message=UNKNOWN_CURRENCY))
            return None
        return currency
