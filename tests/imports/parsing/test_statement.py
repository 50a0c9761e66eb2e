"""Reading a statement: formats, headers, every bad cell, limits, and the rules of issue #16.

Ported from the tests of the old payment-list parser (``finance.csv_payments``).
What issue #16 changed is asserted the new way, each beside its old counterpart:
negative amounts are read, two-digit years and more than two decimals are read with a
warning, the header may sit below preamble lines, and timestamps, compact and dashed
dates, Excel exponents and German decimals in a comma file are read.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.money import RECEIPT_DEDUCTIONS
from imports.parsing import messages as msg
from imports.parsing.options import Options, OptionsError
from imports.parsing.presets import detect_layout
from imports.parsing.statement import RowError, SkippedRow, StatementResult, StatementRow
from imports.parsing.statement import parse_statement as parse_bytes

D = Decimal
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD")


def parse(
    data: str | bytes,
    *,
    currencies: Collection[str] = CURRENCIES,
    default_currency: str = "EUR",
    options: Options | None = None,
    max_rows: int = 100_000,
) -> StatementResult:
    result, _layout = parse_bytes(
        data.encode() if isinstance(data, str) else data,
        currencies=currencies,
        default_currency=default_currency,
        options=options,
        detect=lambda records: detect_layout(records)[0],
        max_rows=max_rows,
    )
    return result


def only_row(result: StatementResult) -> StatementRow:
    assert result.ok, (result.file_errors, result.errors)
    assert len(result.rows) == 1
    return result.rows[0]


def skips(result: StatementResult) -> list[tuple[int, str]]:
    return [(skip.line, skip.reason) for skip in result.skipped]


def unknown_columns(result: StatementResult) -> tuple[str, ...]:
    used = set(result.columns.values())
    return tuple(name for position, name in enumerate(result.header) if position not in used)


# ---------------------------------------------------------------- whole files
def test_a_german_excel_file_in_windows_1252_is_read() -> None:
    text = (
        "Datum;Brutto;Steuer;Gebühren;Währung;Notiz\r\n"
        "31.12.2025;1.234,56 €;325,61;1,50;EUR;Dividende Müller Öl & Süß\r\n"
        "01.02.2025;12,5;;0;;Zinsen für Januar\r\n"
    )
    result = parse(text.encode("cp1252"))

    assert result.ok
    assert (result.delimiter, result.number_format, result.date_order) == (";", "de", "dmy")
    assert result.column_names == {
        "date": "Datum",
        "gross": "Brutto",
        "tax_withheld": "Steuer",
        "fees": "Gebühren",
        "currency": "Währung",
        "note": "Notiz",
    }
    first, second = result.rows
    assert first.line == 2
    assert first.date == date(2025, 12, 31)
    assert (first.gross, first.tax_withheld, first.fees) == (D("1234.56"), D("325.61"), D("1.50"))
    assert first.currency == "EUR"
    assert first.note == "Dividende Müller Öl & Süß"
    assert (first.external_id, first.source) == (None, None)
    assert second.line == 3
    assert second.date == date(2025, 2, 1)
    assert (second.gross, second.tax_withheld, second.fees) == (D("12.50"), D("0.00"), D("0.00"))
    assert second.currency == "EUR"  # empty currency cell: the default


def test_an_english_utf8_file_with_bom_is_read() -> None:
    text = (
        "\ufeffDate,Amount,Tax,Fees,Currency,Description,Transaction ID,Source\n"
        '2025-12-31,"1,234.56",185.18,0.99,USD,Dividend ACME,T-1001,Broker\n'
        "2025-01-15,12.5,0,0,usd,,T-1002,Broker\n"
    )
    result = parse(text.encode("utf-8"))

    assert result.ok
    assert (result.delimiter, result.number_format) == (",", "en")
    assert result.column_names["date"] == "Date"  # the BOM is not part of the first header
    first, second = result.rows
    assert (first.date, first.gross, first.tax_withheld, first.fees) == (
        date(2025, 12, 31),
        D("1234.56"),
        D("185.18"),
        D("0.99"),
    )
    assert (first.currency, first.note, first.external_id, first.source) == (
        "USD",
        "Dividend ACME",
        "T-1001",
        "Broker",
    )
    assert (second.gross, second.currency, second.note) == (D("12.50"), "USD", "")


def test_a_tab_separated_file_is_read() -> None:
    text = "date\tgross\tfees\tnote\n2025-03-01\t1,000.00\t2.5\tRent, March\n"
    result = parse(text)

    assert (result.delimiter, result.number_format) == ("\t", "en")
    row = only_row(result)
    assert (row.gross, row.fees, row.note) == (D("1000.00"), D("2.50"), "Rent, March")


def test_semicolons_inside_quotes_and_line_breaks_in_notes_are_kept_as_one_cell() -> None:
    text = 'Datum;Betrag;Notiz\n31.12.2025;10,00;"a; b\nzweite Zeile"\n01.01.2025;5,00;x\n'
    result = parse(text)

    assert result.ok
    # Changed with the new parser: a note's runs of white space, line breaks included,
    # are one space (a statement's Verwendungszweck is wrapped at random places).
    assert [row.note for row in result.rows] == ["a; b zweite Zeile", "x"]
    assert [row.line for row in result.rows] == [2, 4]


def test_empty_lines_are_skipped_and_lines_keep_their_file_numbers() -> None:
    text = "Datum;Betrag\n\n31.12.2025;10,00\n;\n   \n01.01.2025;-5\n"
    result = parse(text)

    assert [row.line for row in result.rows] == [3]
    # Issue #16: a negative amount is read; without a type column it is an outgoing payment.
    assert result.errors == ()
    assert skips(result) == [(6, "debit")]


# ---------------------------------------------------------------- headers
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Buchungstag;Betrag;Kapitalertragsteuer;Gebühr;Währung;Verwendungszweck;Referenz;Quelle",
            ("date", "gross", "tax_withheld", "fees", "currency", "note", "external_id", "source"),
        ),
        (
            "VALUTA;brutto;Quellensteuer;GEBÜHREN;währung;Beschreibung;Buchungs-ID;quelle",
            ("date", "gross", "tax_withheld", "fees", "currency", "note", "external_id", "source"),
        ),
        (
            "Date;Gross;Withholding  tax;Fee;Currency;Note;Transaction ID;Source",
            ("date", "gross", "tax_withheld", "fees", "currency", "note", "external_id", "source"),
        ),
        (
            " date ; AMOUNT ; tax ; fees ; CURRENCY ; description ; Reference ; source ",
            ("date", "gross", "tax_withheld", "fees", "currency", "note", "external_id", "source"),
        ),
    ],
)
def test_header_synonyms_in_both_languages_are_recognised(
    header: str, expected: tuple[str, ...]
) -> None:
    result = parse(f"{header}\n31.12.2025;10,00;1,00;0,50;EUR;n;id-1;s\n")

    assert tuple(result.columns) == expected
    assert result.column_names["date"] == header.split(";")[0].strip()
    row = only_row(result)
    assert (row.gross, row.tax_withheld, row.fees, row.external_id, row.source) == (
        D("10.00"),
        D("1.00"),
        D("0.50"),
        "id-1",
        "s",
    )


def test_unknown_columns_are_ignored() -> None:
    result = parse("Datum;ISIN;Betrag;Stück\n31.12.2025;DE0001;10,00;3\n")

    # Changed with the new parser: the ISIN names a broker's source (PRODUCT.md §8).
    assert unknown_columns(result) == ("Stück",)
    row = only_row(result)
    assert (row.gross, row.source) == (D("10.00"), "DE0001")


def test_of_two_candidate_columns_the_first_synonym_wins() -> None:
    result = parse("Valuta;Buchungstag;Betrag\n02.01.2026;31.12.2025;10,00\n")

    assert result.column_names["date"] == "Buchungstag"
    assert unknown_columns(result) == ("Valuta",)
    # Changed with the new parser: a bank file's Buchungstag beside its Valuta is normal,
    # so only two columns of the very same name are worth a warning.
    assert result.warnings == ()
    assert only_row(result).date == date(2025, 12, 31)


def test_two_columns_of_the_same_name_take_the_first_with_a_warning() -> None:
    result = parse("Datum;Betrag;Betrag\n31.12.2025;10,00;99,00\n")

    assert result.warnings == (msg.DUPLICATE_COLUMNS,)
    assert only_row(result).gross == D("10.00")


def test_an_explicit_mapping_overrides_the_guesses() -> None:
    text = "Wann;Wieviel;Betrag;Text\n31.12.2025;10,00;99,00;Miete\n"
    result = parse(
        text, options=Options(columns={"date": "wann", "gross": "Wieviel", "note": "Text"})
    )

    assert result.column_names == {"date": "Wann", "gross": "Wieviel", "note": "Text"}
    assert unknown_columns(result) == ("Betrag",)
    row = only_row(result)
    assert (row.date, row.gross, row.note) == (date(2025, 12, 31), D("10.00"), "Miete")


def test_a_mapping_to_an_empty_header_means_the_field_has_no_column() -> None:
    result = parse(
        "Datum;Betrag;Notiz\n31.12.2025;10,00;intern\n", options=Options(columns={"note": ""})
    )

    assert "note" not in result.columns
    assert only_row(result).note == ""


def test_a_mapping_to_a_column_that_is_not_there_is_a_file_error() -> None:
    text = "Datum;Betrag\n31.12.2025;10,00\n"
    result = parse(text, options=Options(header_line=1, columns={"gross": "Brutto"}))

    assert msg.MAPPED_COLUMN_NOT_FOUND in result.file_errors
    assert result.rows == ()
    # Without a header line the mapping's names find the header, and no row has them.
    assert parse(text, options=Options(columns={"gross": "Brutto"})).file_errors == (msg.NO_HEADER,)


def test_a_mapping_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(OptionsError, match="columns"):
        Options.from_json({"columns": {"amount": "Betrag"}})
    assert issubclass(OptionsError, ValueError)


def test_a_default_currency_outside_the_currencies_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="default_currency"):
        parse("Datum;Betrag\n31.12.2025;10,00\n", default_currency="XYZ")


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Datum;Notiz\n31.12.2025;x\n", [msg.MISSING_GROSS_COLUMN]),
        ("Betrag;Notiz\n10,00;x\n", [msg.MISSING_DATE_COLUMN]),
        ("Foo;Bar\n1;2\n", [msg.MISSING_DATE_COLUMN, msg.MISSING_GROSS_COLUMN]),
    ],
)
def test_a_missing_required_column_is_a_file_error(text: str, missing: list[str]) -> None:
    # Changed with the new parser: the header is found by scanning, and a row is a header
    # only with a date and an amount column, so without a mapping none is found ...
    assert parse(text).file_errors == (msg.NO_HEADER,)
    # ... and with the header line chosen, the missing columns are named.
    result = parse(text, options=Options(header_line=1))

    assert list(result.file_errors) == missing
    assert (result.rows, result.errors, result.ok) == ((), (), False)


# ---------------------------------------------------------------- bad cells
GERMAN = "Datum;Brutto;Steuer;Gebühren;Währung;Notiz;ID;Quelle\n31.12.2025;100,00;0;0;EUR;ok;;\n"
ENGLISH = "date,gross,tax,fees,currency,note,id,source\n2025-12-31,100.00,0,0,EUR,ok,,\n"


@pytest.mark.parametrize(
    ("head", "row", "field", "message"),
    [
        (GERMAN, "31.12.2025;NaN;0;0;EUR;;;", "gross", msg.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,nan,0,0,EUR,,,", "gross", msg.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;Infinity;0;0;EUR;;;", "gross", msg.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,-Infinity,0,0,EUR,,,", "gross", msg.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,1e30,0,0,EUR,,,", "gross", msg.AMOUNT_TOO_LARGE),
        (ENGLISH, "2025-12-31,1e-30,0,0,EUR,,,", "gross", msg.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;=1+1;0;0;EUR;;;", "gross", msg.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;1 23,56;0;0;EUR;;;", "gross", msg.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;12,34,56;0;0;EUR;;;", "gross", msg.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;10000000000000,00;0;0;EUR;;;", "gross", msg.AMOUNT_TOO_LARGE),
        (GERMAN, "31.12.2025;;0;0;EUR;;;", "gross", msg.GROSS_REQUIRED),
        (ENGLISH, "2025-02-30,1,0,0,EUR,,,", "date", msg.NONEXISTENT_DATE),
        (GERMAN, "30.02.2025;1;0;0;EUR;;;", "date", msg.NONEXISTENT_DATE),
        (GERMAN, "31.13.2025;1;0;0;EUR;;;", "date", msg.NONEXISTENT_DATE),
        (GERMAN, "gestern;1;0;0;EUR;;;", "date", msg.INVALID_DATE),
        (GERMAN, ";1;0;0;EUR;;;", "date", msg.DATE_REQUIRED),
        (GERMAN, "31.12.2025;1;0;0;XYZ;;;", "currency", msg.UNKNOWN_CURRENCY),
        (GERMAN, "31.12.2025;1;0;0;JPY;;;", "currency", msg.UNKNOWN_CURRENCY),
        (GERMAN, "31.12.2025;USD 1;0;0;EUR;;;", "currency", msg.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;1 £;0;0;EUR;;;", "currency", msg.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;$ 1;0;0;EUR;;;", "currency", msg.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;10,00;6,00;4,01;EUR;;;", "tax_withheld", RECEIPT_DEDUCTIONS),
        (GERMAN, "31.12.2025;1;0;0;EUR;=cmd|' /C calc'!A0;;", "note", msg.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;-rabatt;;", "note", msg.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;+A1;;", "note", msg.FORMULA),
        (GERMAN, '31.12.2025;1;0;0;EUR;"\t=1+1";;', "note", msg.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;;@SUM(A1);", "external_id", msg.FORMULA),
        (GERMAN, '31.12.2025;1;0;0;EUR;;"\t-x";', "external_id", msg.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;;;=HYPERLINK(1)", "source", msg.FORMULA),
        (GERMAN, f"31.12.2025;1;0;0;EUR;;{'x' * 101};", "external_id", msg.EXTERNAL_ID_TOO_LONG),
        (GERMAN, f"31.12.2025;1;0;0;EUR;;;{'x' * 256}", "source", msg.SOURCE_TOO_LONG),
        (GERMAN, "31.12.2025;1;0;0;EUR;;;;10,00", None, msg.TOO_MANY_CELLS),
    ],
)
def test_every_bad_cell_is_a_row_error_and_the_good_rows_stay(
    head: str, row: str, field: str | None, message: str
) -> None:
    result = parse(f"{head}{row}\n", currencies=("EUR", "USD", "GBP"))

    assert result.file_errors == ()
    assert result.errors == (RowError(line=3, field=field, message=message),)
    assert [good.line for good in result.rows] == [2]
    assert result.ok is False


def test_every_bad_cell_of_a_row_is_reported() -> None:
    result = parse(GERMAN + "30.02.2025;NaN;-1;0;XYZ;=1;@id;-quelle\n")

    assert [(error.field, error.message) for error in result.errors] == [
        ("date", msg.NONEXISTENT_DATE),
        ("gross", msg.INVALID_AMOUNT),
        ("currency", msg.UNKNOWN_CURRENCY),
        ("note", msg.FORMULA),
        ("external_id", msg.FORMULA),
        ("source", msg.FORMULA),
    ]
    cells = ("30.02.2025", "NaN", "-1", "0", "XYZ", "=1", "@id", "-quelle")
    assert result.rejected == ((3, cells),)


def test_a_note_over_500_characters_is_shortened_with_a_warning() -> None:
    # Changed with the new parser: the note is the one cell a bank fills generously;
    # it is cut to the 500 characters a payment keeps, and the preview says so.
    result = parse(f"{GERMAN}31.12.2025;1;0;0;EUR;{'x' * 501};;\n")

    assert result.ok
    assert result.rows[1].note == "x" * 499 + "…"
    assert result.warnings == (msg.NOTE_SHORTENED,)


def test_a_source_may_have_255_characters() -> None:
    # Changed with the new parser: the source cell is the value that names a source
    # (an ISIN, a product title), matched per user, not the source's own name.
    result = parse(f"{GERMAN}31.12.2025;1;0;0;EUR;;;{'x' * 255}\n")

    assert result.ok
    assert result.rows[1].source == "x" * 255


@pytest.mark.parametrize(
    "cell",
    [
        "1.234,56",
        "1234,56",
        "  1.234,56\u00a0€ ",
        "EUR 1.234,56",
        "1.234,56EUR",
        "€1234,56",
        "+1234,56",
        "1 234,56",
        "1\u202f234,56",
    ],
)
def test_currency_marks_signs_and_spaces_around_amounts_are_stripped(cell: str) -> None:
    row = only_row(parse(f"Datum;Betrag\n31.12.2025;{cell}\n"))

    assert (row.gross, row.currency) == (D("1234.56"), "EUR")


def test_a_currency_code_on_the_amount_is_the_rows_currency_when_the_column_is_empty() -> None:
    result = parse("Datum;Betrag;Steuer\n31.12.2025;USD 10,00;1,00 USD\n01.01.2025;£ 5,00;0\n")

    assert [(row.gross, row.currency) for row in result.rows] == [
        (D("10.00"), "USD"),
        (D("5.00"), "GBP"),
    ]


def test_a_dollar_sign_means_the_default_dollar_or_the_us_dollar() -> None:
    text = "date,gross\n2025-12-31,$10.00\n"

    assert only_row(parse(text)).currency == "USD"
    assert only_row(parse(text, default_currency="CAD")).currency == "CAD"
    assert only_row(parse("date,gross,currency\n2025-12-31,$10.00,CAD\n")).currency == "CAD"


def test_a_zero_with_a_minus_sign_is_zero() -> None:
    row = only_row(parse("Datum;Betrag;Gebühren\n31.12.2025;10,00;-0,00\n"))

    assert row.fees == D("0.00")


def test_the_largest_amount_that_fits_the_database_is_accepted() -> None:
    row = only_row(parse("date,gross\n2025-12-31,9999999999999.99\n"))

    assert row.gross == D("9999999999999.99")


def test_tax_and_fees_may_add_up_to_the_whole_gross() -> None:
    row = only_row(parse("Datum;Betrag;Steuer;Gebühren\n31.12.2025;10,00;6,00;4,00\n"))

    assert (row.gross, row.tax_withheld, row.fees) == (D("10.00"), D("6.00"), D("4.00"))


def test_an_id_that_appears_twice_for_the_same_source_is_a_row_error() -> None:
    text = "date,gross,id,source\n2025-01-01,1,A,x\n2025-01-02,2,A,y\n2025-01-03,3, A ,x\n"
    result = parse(text)

    assert [row.line for row in result.rows] == [2, 3]
    assert result.rows[0].external_id == "A"
    assert result.errors == (
        RowError(line=4, field="external_id", message=msg.DUPLICATE_EXTERNAL_ID),
    )


# ---------------------------------------------------------------- signs (issue #16)
@pytest.mark.parametrize(
    "cell", ["-5", "-12,5", "- 1.234,56 €", "1.234,56-", "(12,50)", "\u22123,00"]
)
def test_a_negative_income_row_without_a_type_column_is_skipped_as_outgoing(cell: str) -> None:
    result = parse(f"Datum;Betrag\n31.12.2025;10,00\n31.12.2025;{cell}\n")

    assert result.ok
    assert [row.line for row in result.rows] == [2]
    assert result.skipped == (SkippedRow(line=3, reason="debit"),)


def test_a_negative_income_row_with_a_type_column_is_a_reversal() -> None:
    text = (
        "Datum;Typ;Betrag;Steuer\n"
        "15.01.2025;Dividende;12,34;1,85\n"
        "20.01.2025;Dividende;-12,34;-1,85\n"
    )
    result = parse(text)

    assert result.ok
    receipt, reversal = result.rows
    assert (receipt.gross, receipt.tax_withheld, receipt.kind) == (D("12.34"), D("1.85"), "income")
    # The reversal is booked on its own day, its withholding tax going back with it.
    assert (reversal.date, reversal.gross, reversal.tax_withheld, reversal.kind) == (
        date(2025, 1, 20),
        D("-12.34"),
        D("-1.85"),
        "refund",
    )


def test_tax_and_fee_cells_count_by_their_size_on_a_receipt() -> None:
    result = parse(
        "Datum;Brutto;Steuer;Gebühren\n31.12.2025;10;-1;EUR -0,50\n01.01.2026;20;-2;-1,00\n"
    )

    assert result.ok
    assert [(row.tax_withheld, row.fees) for row in result.rows] == [
        (D("1.00"), D("0.50")),
        (D("2.00"), D("1.00")),
    ]


def test_a_refund_row_is_negative_even_when_the_file_writes_it_unsigned() -> None:
    result = parse("Date,Type,Amount\n2025-01-10,Charge,20.00\n2025-01-12,Refund,5.00\n")

    assert result.ok
    assert [(row.gross, row.kind) for row in result.rows] == [
        (D("20.00"), "income"),
        (D("-5.00"), "refund"),
    ]


# ---------------------------------------------------------------- type column (issue #16)
def test_a_type_column_keeps_only_income_rows_and_lists_each_skipped_row() -> None:
    text = (
        "Datum;Typ;Betrag;ISIN\n"
        "02.01.2025;Einzahlung;1.000,00;\n"
        "03.01.2025;Kauf;-500,00;IE00B4L5Y983\n"
        "15.01.2025;Dividende;12,34;IE00B4L5Y983\n"
        "20.01.2025;Gebühr;-1,00;\n"
        "27.01.2025;Auszahlung;-100,00;\n"
        "31.01.2025;Zinsen;2,50;\n"
    )
    result = parse(text)

    assert result.ok
    assert [(row.line, row.gross, row.source) for row in result.rows] == [
        (4, D("12.34"), "IE00B4L5Y983"),
        (7, D("2.50"), None),
    ]
    assert result.skipped == (
        SkippedRow(line=2, reason="deposit", value="Einzahlung"),
        SkippedRow(line=3, reason="buy", value="Kauf"),
        SkippedRow(line=5, reason="fee", value="Gebühr"),
        SkippedRow(line=6, reason="withdrawal", value="Auszahlung"),
    )
    assert {value.value: value.kind for value in result.type_values} == {
        "Einzahlung": "skip:deposit",
        "Kauf": "skip:buy",
        "Dividende": "income",
        "Gebühr": "skip:fee",
        "Auszahlung": "skip:withdrawal",
        "Zinsen": "income",
    }


def test_a_mapping_can_turn_a_type_value_into_income() -> None:
    text = "Datum;Typ;Betrag\n31.01.2025;Sonstiges;5,00\n"

    assert skips(parse(text)) == [(2, "not_income")]
    result = parse(text, options=Options(types={"sonstiges": "income"}))
    assert only_row(result).gross == D("5.00")


def test_a_withholding_tax_row_is_merged_into_its_dividend_of_the_same_security_and_day() -> None:
    text = (
        "Datum;Typ;ISIN;Betrag\n"
        "15.01.2025;Dividende;US0378331005;10,00\n"
        "15.01.2025;Quellensteuer;US0378331005;-1,50\n"
        "15.01.2025;Dividende;US5949181045;20,00\n"
        "16.01.2025;Quellensteuer;US5949181045;-3,00\n"
    )
    result = parse(text)

    assert result.ok
    first, second = result.rows
    assert (first.gross, first.tax_withheld, first.merged_lines) == (D("10.00"), D("1.50"), (3,))
    assert (second.gross, second.tax_withheld, second.merged_lines) == (D("20.00"), D("0.00"), ())
    assert result.skipped == (
        SkippedRow(line=3, reason="merged", into_line=2),
        SkippedRow(line=5, reason="tax"),  # another day: no dividend to merge into
    )


def test_a_withholding_tax_row_is_merged_into_the_row_of_its_group_id() -> None:
    text = (
        "Date,Type,Symbol,Amount,ActionID\n"
        "2025-01-15,Dividend,AAPL,10.00,A1\n"
        "2025-01-15,Dividend,AAPL,10.00,A2\n"
        "2025-01-17,Withholding Tax,AAPL,-1.50,A2\n"
    )
    result = parse(text)

    assert result.ok
    assert [(row.line, row.tax_withheld) for row in result.rows] == [
        (2, D("0.00")),
        (3, D("1.50")),
    ]
    assert result.skipped == (SkippedRow(line=4, reason="merged", into_line=3),)


def test_a_total_row_is_skipped() -> None:
    text = "Datum;Betrag;Notiz\n31.12.2025;10,00;Miete\n;10,00;Summe\nSumme;10,00;\n"
    result = parse(text)

    assert result.ok
    assert [row.line for row in result.rows] == [2]
    assert skips(result) == [(3, "total"), (4, "total")]


# ---------------------------------------------------------------- number and date formats
@pytest.mark.parametrize(
    ("text", "expected_format", "expected_amounts"),
    [
        ("Datum;Betrag\n31.12.2025;1.234\n", "de", [D("1234.00")]),  # no cell decides: `;`
        ("date,gross\n2025-12-31,1.234\n", "en", [D("1.23")]),  # 3 decimals in English
        ("Datum;Betrag\n31.12.2025;1.234\n01.01.2025;2,5\n", "de", [D("1234.00"), D("2.50")]),
        ("Datum;Betrag\n31.12.2025;1.234\n01.01.2025;2.50\n", "en", [D("1.23"), D("2.50")]),
        ("Datum;Betrag\n31.12.2025;1.234.567\n", "de", [D("1234567.00")]),
        ('date,gross\n2025-12-31,"1,234,567"\n', "en", [D("1234567.00")]),
        ("date\tgross\n2025-12-31\t1234.5\n", "en", [D("1234.50")]),
        ("date\tgross\n2025-12-31\t1.234,5\n", "de", [D("1234.50")]),
        ('date,gross\n2025-12-31,"100,00"\n', "de", [D("100.00")]),  # issue #16
    ],
)
def test_the_number_format_is_decided_for_the_whole_file(
    text: str, expected_format: str, expected_amounts: list[Decimal]
) -> None:
    result = parse(text)

    assert result.ok
    assert result.number_format == expected_format
    assert [row.gross for row in result.rows] == expected_amounts


def test_german_decimals_in_a_comma_file_are_read() -> None:
    result = parse('Date,Amount,Fees\n2025-12-31,"100,00","0,50"\n2026-01-02,"1.234,56","1,25"\n')

    assert result.ok
    assert (result.delimiter, result.number_format) == (",", "de")
    assert [(row.gross, row.fees) for row in result.rows] == [
        (D("100.00"), D("0.50")),
        (D("1234.56"), D("1.25")),
    ]


@pytest.mark.parametrize(
    ("head", "row"),
    [
        (ENGLISH, '2025-12-31,"1,234.567",0,0,EUR,,,'),
        (GERMAN, "31.12.2025;1.234,567;0;0;EUR;;;"),
    ],
)
def test_more_than_two_decimals_are_rounded_half_up_with_a_warning(head: str, row: str) -> None:
    result = parse(f"{head}{row}\n")

    assert result.ok
    assert result.rows[1].gross == D("1234.57")
    assert result.rounded_lines == (3,)
    assert result.warnings == (msg.ROUNDED,)


def test_rounding_is_half_up_once_before_anything_is_derived() -> None:
    result = parse("date,gross,net\n2025-12-31,0.125,0.115\n2025-12-31,2.675,2.665\n")

    assert result.ok
    assert [(row.gross, row.fees) for row in result.rows] == [
        (D("0.13"), D("0.01")),  # fee = rounded gross − rounded net
        (D("2.68"), D("0.01")),
    ]
    assert result.rounded_lines == (2, 3)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,23456E+02", D("123.46")), ("5,55556E-01", D("0.56")), ("1E5", D("100000.00"))],
)
def test_excel_exponents_are_read(cell: str, expected: Decimal) -> None:
    result = parse(f"Datum;Zinsen;Betrag\n31.12.2025;x;{cell}\n")

    assert only_row(result).gross == expected


def test_a_tiny_exponent_rounds_to_zero_and_is_skipped_as_zero() -> None:
    result = parse("Datum;Betrag\n31.12.2025;7,05883E-05\n31.12.2025;0,5\n")

    assert result.ok
    assert skips(result) == [(2, "zero")]
    assert [row.gross for row in result.rows] == [D("0.50")]
    assert result.warnings == (msg.ROUNDED,)


def test_mixed_number_formats_use_the_majority_with_a_warning() -> None:
    result = parse("Datum;Betrag\n31.12.2025;1.234,50\n01.01.2025;2,50\n02.01.2025;1,234.50\n")

    assert result.number_format == "de"
    assert result.warnings == (msg.MIXED_NUMBER_FORMATS,)
    assert [row.gross for row in result.rows] == [D("1234.50"), D("2.50")]
    assert result.errors == (RowError(line=4, field="gross", message=msg.INVALID_AMOUNT),)


def test_slash_dates_are_day_first_when_a_day_is_above_12() -> None:
    result = parse("date,gross\n13/01/2025,1\n02/03/2025,1\n")

    assert result.date_order == "dmy"
    assert [row.date for row in result.rows] == [date(2025, 1, 13), date(2025, 3, 2)]
    assert result.warnings == ()


def test_slash_dates_are_month_first_when_a_day_is_above_12() -> None:
    result = parse("date,gross\n12/31/2025,1\n02/03/2025,1\n")

    assert result.date_order == "mdy"
    assert [row.date for row in result.rows] == [date(2025, 12, 31), date(2025, 2, 3)]


def test_undecidable_slash_dates_are_day_first_with_a_warning() -> None:
    result = parse("date,gross\n02/03/2025,1\n05/05/2025,1\n")

    assert result.date_order == "dmy"
    assert result.warnings == (msg.AMBIGUOUS_DATES,)
    assert [row.date for row in result.rows] == [date(2025, 3, 2), date(2025, 5, 5)]


def test_slash_dates_that_contradict_each_other_are_a_file_error() -> None:
    result = parse("date,gross\n13/01/2025,1\n01/13/2025,1\n")

    assert result.file_errors == (msg.DATE_ORDER_CONFLICT,)
    assert result.rows == ()


def test_iso_and_german_dates_may_share_a_file() -> None:
    result = parse("Datum;Betrag\n2025-12-31;1\n01.02.2025;1\n1.2.2025;1\n")

    dates = [row.date for row in result.rows]
    assert dates == [date(2025, 12, 31), date(2025, 2, 1), date(2025, 2, 1)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-12-31T23:30:00Z", date(2025, 12, 31)),
        ("2025-12-31T23:30:00+01:00", date(2025, 12, 31)),  # the day as written
        ("2025-12-31 10:15:02 +0000", date(2025, 12, 31)),
        ("2025-12-31T08:00:00.123456", date(2025, 12, 31)),
        ("20251231", date(2025, 12, 31)),
        ("20251231;101500", date(2025, 12, 31)),
        ("31-12-2025", date(2025, 12, 31)),
        ("31.12.2025 14:30", date(2025, 12, 31)),
        ("15 Mar 2024", date(2024, 3, 15)),
        ("Mar 15, 2024", date(2024, 3, 15)),
    ],
)
def test_timestamps_and_the_common_date_forms_are_read(cell: str, expected: date) -> None:
    result = parse(f'Date,Amount\n"{cell}",1.00\n')

    assert only_row(result).date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Datum;Betrag\n31.12.25;1\n", date(2025, 12, 31)),
        ("date,gross\n12/31/25,1\n", date(2025, 12, 31)),
        ("Datum;Betrag\n01.01.68;1\n", date(2068, 1, 1)),
        ("Datum;Betrag\n01.01.69;1\n", date(1969, 1, 1)),
    ],
)
def test_two_digit_years_are_read_by_the_posix_rule_with_a_warning(
    text: str, expected: date
) -> None:
    result = parse(text)

    assert only_row(result).date == expected
    assert result.warnings == (msg.TWO_DIGIT_YEARS,)


# ---------------------------------------------------------------- where the table is (issue #16)
def test_the_header_may_be_below_preamble_lines() -> None:
    text = (
        '"Kontonummer:";"DE12 3456 7890 1234 5678 90";\n'
        '"Von:";"01.01.2025";\n'
        '"Bis:";"31.01.2025";\n'
        '"Kontostand vom 31.01.2025:";"1.234,56 EUR";\n'
        "\n"
        '"Buchungstag";"Wertstellung";"Buchungstext";"Auftraggeber";"Verwendungszweck";'
        '"Betrag (EUR)";\n'
        '"15.01.2025";"15.01.2025";"Gutschrift";"Mieter GmbH";"Miete Januar";"850,00";\n'
    )
    result = parse(text.encode("cp1252"))

    assert result.ok
    assert result.header_line == 6
    row = only_row(result)
    assert (row.line, row.date, row.gross, row.currency) == (
        7,
        date(2025, 1, 15),
        D("850.00"),
        "EUR",
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Betrag (€)", "EUR"),
        ("Amount ($)", "USD"),
        ("Betrag in EUR", "EUR"),
        ("Umsatz [GBP]", "GBP"),
    ],
)
def test_a_currency_in_the_amount_header_is_the_files_currency(header: str, expected: str) -> None:
    result = parse(f"Datum;{header}\n31.12.2025;10,00\n", default_currency="CHF")

    assert only_row(result).currency == expected


# ---------------------------------------------------------------- not a payments file
@pytest.mark.parametrize(
    "data",
    [
        random.Random(20251231).randbytes(4096),
        "Datum;Betrag\n31.12.2025;10,00\n".encode("utf-16"),
        "Datum;Betrag\n31.12.2025;10,00\n".encode("utf-16-le"),
        b"Datum;Betrag\n31.12.2025;10,00\x00\n",
        b"PK\x03\x04\x14\x00\x06\x00",  # the start of an .xlsx
        b"Datum;Betrag\n31.12.2025;10,00 \x81\n",  # undefined in Windows-1252
    ],
)
def test_a_file_that_is_not_text_is_a_file_error(data: bytes) -> None:
    result = parse(data)

    assert result.file_errors == (msg.NOT_TEXT,)
    assert (result.rows, result.errors) == ((), ())


@pytest.mark.parametrize(
    "text",
    [
        'Datum;Betrag;Notiz\n31.12.2025;1;"open\n01.01.2025;2;x\n',  # would swallow a row
        'Datum;Betrag;Notiz\n31.12.2025;1;"a"b\n',
        "Datum;Betrag;Notiz\n31.12.2025;1;" + "x" * 200_000 + "\n",
    ],
)
def test_broken_quoting_or_a_huge_cell_is_a_file_error(text: str) -> None:
    result = parse(text)

    assert result.file_errors == (msg.NOT_CSV,)
    assert result.rows == ()


def test_a_quote_inside_an_unquoted_cell_is_text() -> None:
    result = parse('Datum;Betrag;Notiz\n31.12.2025;1;12" Monitor\n')

    assert only_row(result).note == '12" Monitor'


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n"])
def test_an_empty_file_is_a_file_error(data: bytes) -> None:
    assert parse(data).file_errors == (msg.EMPTY_FILE,)


def test_a_header_without_rows_is_a_file_error() -> None:
    result = parse("Datum;Betrag;Notiz\r\n\r\n")

    assert result.file_errors == (msg.NO_ROWS,)
    assert result.column_names == {"date": "Datum", "gross": "Betrag", "note": "Notiz"}


def test_more_rows_than_allowed_is_a_file_error() -> None:
    text = "Datum;Betrag\n" + "31.12.2025;1,00\n" * 3

    assert parse(text, max_rows=3).ok
    result = parse(text + "\n\n", max_rows=3)  # empty lines do not count
    assert result.ok
    result = parse(text + "01.01.2025;2,00\n", max_rows=3)
    assert result.file_errors == (msg.TOO_MANY_ROWS,)
    assert result.rows == ()


# ---------------------------------------------------------------- row hash
def test_the_row_hash_is_stable_across_re_parsing() -> None:
    text = "Datum;Betrag;Notiz\n31.12.2025;10,00;Miete\n01.01.2025;10,00;Miete\n"

    first, second = parse(text).rows, parse(text.replace("\n", "\r\n").encode("cp1252")).rows

    assert [row.row_hash for row in first] == [row.row_hash for row in second]
    assert all(len(row.row_hash) == 64 for row in first)


def test_the_row_hash_depends_on_the_values_not_on_their_spelling() -> None:
    german = parse("Datum;Betrag;Notiz\n31.12.2025;1.000,5;Miete\n")
    english = parse("Date,Amount,Tax,Note\n2025-12-31,1000.50,0, Miete \n")

    assert only_row(german).row_hash == only_row(english).row_hash


def test_the_row_hash_differs_for_different_rows() -> None:
    base = ["31.12.2025", "10,00", "0", "0", "EUR", "Miete", "Haus"]
    lines = [";".join(base)]
    for position, changed in enumerate(["01.01.2025", "10,01", "1", "1", "USD", "Pacht", "Hof"]):
        cells = list(base)
        cells[position] = changed
        lines.append(";".join(cells))
    result = parse("Datum;Betrag;Steuer;Gebühren;Währung;Notiz;Quelle\n" + "\n".join(lines))

    assert len(result.rows) == 8
    assert len({row.row_hash for row in result.rows}) == 8


def test_identical_rows_get_different_hashes_that_are_stable_too() -> None:
    text = "Datum;Betrag\n31.12.2025;10,00\n31.12.2025;10,00\n"

    first, second = parse(text).rows, parse(text).rows

    assert first[0].row_hash != first[1].row_hash
    assert [row.row_hash for row in first] == [row.row_hash for row in second]


# ---------------------------------------------------------------- size and round trip
def test_a_file_of_100_000_rows_is_parsed() -> None:
    lines = ["Datum;Brutto;Steuer;Gebühren;Währung;Notiz;ID"]
    for i in range(100_000):
        euros = f"{i // 1000}.{i % 1000:03d}" if i >= 1000 else str(i)
        lines.append(
            f"{1 + i % 28:02d}.{1 + i % 12:02d}.2025;{euros},{i % 100:02d} €;0,10;0,05;EUR;"
            f"Zahlung {i};ID-{i}"
        )
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")

    result = parse(data)

    assert result.file_errors == ()
    assert result.errors == ()
    assert result.skipped == (SkippedRow(line=2, reason="zero"),)  # the first row: 0,00
    assert len(result.rows) == 99_999
    last = result.rows[-1]
    assert (last.line, last.gross, last.external_id) == (100_001, D("99999.99"), "ID-99999")
    assert sum(row.gross for row in result.rows) == sum(
        D(f"{i}.{i % 100:02d}") for i in range(1, 100_000)
    )


def _german(amount: Decimal) -> str:
    return f"{amount:,.2f}".translate(str.maketrans(",.", ".,"))


def _german3(amount: Decimal) -> str:
    return f"{amount:,.3f}".translate(str.maketrans(",.", ".,"))


@given(
    amount=st.decimals(
        min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
    ),
)
def test_amounts_written_german_or_english_style_read_back_exactly(amount: Decimal) -> None:
    german = parse(f"Datum;Betrag\n31.12.2025;{_german(amount)}\n")
    english = parse(f'date,gross\n2025-12-31,"{amount:,.2f}"\n')

    if amount == 0:  # a zero amount is no payment
        assert skips(german) == skips(english) == [(2, "zero")]
        return
    assert only_row(german).gross == amount
    assert only_row(english).gross == amount
    exponents = {
        german.rows[0].gross.as_tuple().exponent,
        english.rows[0].gross.as_tuple().exponent,
    }
    assert exponents == {-2}


@given(
    amount=st.decimals(
        min_value=D("-1e12"), max_value=D("1e12"), places=3, allow_nan=False, allow_infinity=False
    ),
)
def test_signed_amounts_with_three_decimals_read_back_rounded_half_up(amount: Decimal) -> None:
    result = parse(f"Datum;Typ;Betrag\n31.12.2025;Zinsen;{_german3(amount)}\n")
    expected = amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)

    if expected == 0:
        assert skips(result) == [(2, "zero")]
        return
    assert only_row(result).gross == expected
