"""Every message the statement parser can say, as translatable constants.

The parser is pure (no Django), so it only marks the messages: ``makemessages`` extracts
each ``gettext_noop("...")``, and the Django layer translates the constant by lookup when
it shows it. No message has a placeholder; the line and the field say where it happened.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it (no Django here)."""
    return message


# ---------------------------------------------------------------- file level
NOT_TEXT = gettext_noop("The file is not text in UTF-8 or Windows-1252.")
EMPTY_FILE = gettext_noop("The file is empty.")
NOT_CSV = gettext_noop("The file could not be read as CSV; check the quotes around cells.")
NO_ROWS = gettext_noop("The file has a header but no payment rows.")
TOO_MANY_ROWS = gettext_noop("The file has more rows than one import allows.")
NO_HEADER = gettext_noop(
    "No header row with a date and an amount column was found; choose the header row and "
    "the columns in the mapping."
)
HEADER_LINE_MISSING = gettext_noop("The chosen header line is not in the file.")
MISSING_DATE_COLUMN = gettext_noop(
    "The file has no date column (Datum, Date, Buchungstag, Valuta)."
)
MISSING_GROSS_COLUMN = gettext_noop(
    "The file has no amount column (Brutto, Betrag, Amount, Gross, Net)."
)
MAPPED_COLUMN_NOT_FOUND = gettext_noop("The column mapping names a column that is not in the file.")
DATE_ORDER_CONFLICT = gettext_noop(
    "The dates mix day/month and month/day order; choose the date order in the mapping."
)

# ---------------------------------------------------------------- row level
DATE_REQUIRED = gettext_noop("The date is required.")
INVALID_DATE = gettext_noop(
    "Enter the date as YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or a timestamp such as "
    "2025-12-31T10:00:00."
)
NONEXISTENT_DATE = gettext_noop("This date does not exist.")
GROSS_REQUIRED = gettext_noop("The amount is required.")
INVALID_AMOUNT = gettext_noop("Enter the amount as a plain number, like 1234.56 or 1.234,56.")
AMOUNT_TOO_LARGE = gettext_noop("Amounts may have at most 13 digits before the decimal point.")
UNKNOWN_CURRENCY = gettext_noop("Unknown currency; use a three-letter code such as EUR.")
CURRENCY_MISMATCH = gettext_noop("An amount is marked with a different currency than the row.")
FORMULA = gettext_noop("Cells may not start with =, @ or a sign before text (spreadsheet formula).")
EXTERNAL_ID_TOO_LONG = gettext_noop("The ID may have at most 100 characters.")
SOURCE_TOO_LONG = gettext_noop("The source may have at most 255 characters.")
DUPLICATE_EXTERNAL_ID = gettext_noop("The ID appears more than once in the file.")
CELL_TOO_LONG = gettext_noop("The cell is too long for an amount or a date.")
CELL_TOO_LONG_IN_ROW = gettext_noop(
    "A cell of the row has more than 4,000 characters; check the quoting of the cells."
)
TOO_MANY_CELLS = gettext_noop(
    "The row has more cells than the header; check the quoting of amounts."
)

# ---------------------------------------------------------------- warnings
AMBIGUOUS_DATES = gettext_noop(
    "No date decides between day/month and month/day; the dates were read in the order "
    "shown. Change the date order in the mapping if that is wrong."
)
MIXED_NUMBER_FORMATS = gettext_noop(
    "Some amounts look German (1.234,56) and some English (1,234.56); "
    "the more common format was used."
)
DUPLICATE_COLUMNS = gettext_noop(
    "Several columns could hold the same field; the first synonym in the list was used."
)
ROUNDED = gettext_noop("Amounts with more than two decimals were rounded half up to the cent.")
NOTE_SHORTENED = gettext_noop("Notes longer than 500 characters were shortened.")
TWO_DIGIT_YEARS = gettext_noop(
    "Two-digit years were read as 2000–2068 for 00–68 and 1969–1999 for 69–99."
)
PERIOD_DATE = gettext_noop(
    "The rows have no date; each was booked on the last day of the period named above the header."
)

# ---------------------------------------------------------------- why a row was skipped
SKIP_REASONS: dict[str, str] = {
    "deposit": gettext_noop("deposit"),
    "withdrawal": gettext_noop("withdrawal"),
    "buy": gettext_noop("buy"),
    "sell": gettext_noop("sell"),
    "transfer": gettext_noop("transfer"),
    "fee": gettext_noop("fee"),
    "tax": gettext_noop("tax without an income row to merge into"),
    "total": gettext_noop("total or balance row"),
    "debit": gettext_noop("outgoing payment"),
    "pending": gettext_noop("pending or cancelled"),
    "merged": gettext_noop("withholding tax merged into its income row"),
    "not_income": gettext_noop("not an income type"),
    "other_table": gettext_noop("another table of the file"),
    "zero": gettext_noop("amount is zero"),
    "header": gettext_noop("repeated header"),
    "never_paid": gettext_noop("subscription that was never paid"),
    "free": gettext_noop("free membership or follower"),
}
