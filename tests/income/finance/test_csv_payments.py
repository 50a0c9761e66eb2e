"""Parsing uploaded CSV files of payments: formats, headers, every bad cell, limits."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from income.finance import csv_payments as csvp
from income.finance.csv_payments import ParsedPayment, ParseResult, RowError, parse_payments

D = Decimal
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD")


def parse(
    data: str | bytes,
    *,
    currencies: Collection[str] = CURRENCIES,
    default_currency: str = "EUR",
    mapping: Mapping[str, str] | None = None,
    max_rows: int = 100_000,
) -> ParseResult:
    return parse_payments(
        data.encode() if isinstance(data, str) else data,
        currencies=currencies,
        default_currency=default_currency,
        mapping=mapping,
        max_rows=max_rows,
    )


def only_row(result: ParseResult) -> ParsedPayment:
    assert result.ok, (result.file_errors, result.errors)
    assert len(result.rows) == 1
    return result.rows[0]


# ---------------------------------------------------------------- whole files
def test_a_german_excel_file_in_windows_1252_is_read() -> None:
    text = (
        "Datum;Brutto;Steuer;Gebühren;Währung;Notiz\r\n"
        "31.12.2025;1.234,56 €;325,61;1,50;EUR;Dividende Müller Öl & Süß\r\n"
        "01.02.2025;12,5;;0;;Zinsen für Januar\r\n"
    )
    result = parse(text.encode("cp1252"))

    assert result.ok
    assert (result.delimiter, result.number_format, result.date_format) == (";", "de", "DD.MM.YYYY")
    assert result.columns == {
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
    assert (result.delimiter, result.number_format, result.date_format) == (",", "en", "YYYY-MM-DD")
    assert result.columns["date"] == "Date"  # the BOM is not part of the first header
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


def test_semicolons_inside_quotes_and_line_breaks_in_notes_are_kept() -> None:
    text = 'Datum;Betrag;Notiz\n31.12.2025;10,00;"a; b\nzweite Zeile"\n01.01.2025;5,00;x\n'
    result = parse(text)

    assert result.ok
    assert [row.note for row in result.rows] == ["a; b\nzweite Zeile", "x"]
    assert [row.line for row in result.rows] == [2, 4]


def test_empty_lines_are_skipped_and_lines_keep_their_file_numbers() -> None:
    text = "Datum;Betrag\n\n31.12.2025;10,00\n;\n   \n01.01.2025;-5\n"
    result = parse(text)

    assert [row.line for row in result.rows] == [3]
    assert result.errors == (RowError(line=6, field="gross", message=csvp.NEGATIVE_AMOUNT),)


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
    assert result.columns["date"] == header.split(";")[0].strip()
    row = only_row(result)
    assert (row.gross, row.tax_withheld, row.fees, row.external_id, row.source) == (
        D("10.00"),
        D("1.00"),
        D("0.50"),
        "id-1",
        "s",
    )


def test_unknown_columns_are_ignored_and_listed() -> None:
    result = parse("Datum;ISIN;Betrag;Stück\n31.12.2025;DE0001;10,00;3\n")

    assert result.unknown_columns == ("ISIN", "Stück")
    assert only_row(result).gross == D("10.00")


def test_of_two_candidate_columns_the_first_synonym_wins_with_a_warning() -> None:
    result = parse("Valuta;Buchungstag;Betrag\n02.01.2026;31.12.2025;10,00\n")

    assert result.columns["date"] == "Buchungstag"
    assert result.unknown_columns == ("Valuta",)
    assert result.warnings == (csvp.DUPLICATE_COLUMNS,)
    assert only_row(result).date == date(2025, 12, 31)


def test_an_explicit_mapping_overrides_the_guesses() -> None:
    text = "Wann;Wieviel;Betrag;Text\n31.12.2025;10,00;99,00;Miete\n"
    result = parse(text, mapping={"date": "wann", "gross": "Wieviel", "note": "Text"})

    assert result.columns == {"date": "Wann", "gross": "Wieviel", "note": "Text"}
    assert result.unknown_columns == ("Betrag",)
    row = only_row(result)
    assert (row.date, row.gross, row.note) == (date(2025, 12, 31), D("10.00"), "Miete")


def test_a_mapping_to_an_empty_header_means_the_field_has_no_column() -> None:
    result = parse("Datum;Betrag;Notiz\n31.12.2025;10,00;intern\n", mapping={"note": ""})

    assert "note" not in result.columns
    assert only_row(result).note == ""


def test_a_mapping_to_a_column_that_is_not_there_is_a_file_error() -> None:
    result = parse("Datum;Betrag\n31.12.2025;10,00\n", mapping={"gross": "Brutto"})

    assert csvp.MAPPED_COLUMN_NOT_FOUND in result.file_errors
    assert result.rows == ()


def test_a_mapping_with_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown fields"):
        parse("Datum;Betrag\n31.12.2025;10,00\n", mapping={"amount": "Betrag"})


def test_a_default_currency_outside_the_currencies_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="default_currency"):
        parse("Datum;Betrag\n31.12.2025;10,00\n", default_currency="XYZ")


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Datum;Notiz\n31.12.2025;x\n", [csvp.MISSING_GROSS_COLUMN]),
        ("Betrag;Notiz\n10,00;x\n", [csvp.MISSING_DATE_COLUMN]),
        ("Foo;Bar\n1;2\n", [csvp.MISSING_DATE_COLUMN, csvp.MISSING_GROSS_COLUMN]),
    ],
)
def test_a_missing_required_column_is_a_file_error(text: str, missing: list[str]) -> None:
    result = parse(text)

    assert list(result.file_errors) == missing
    assert (result.rows, result.errors, result.ok) == ((), (), False)


# ---------------------------------------------------------------- bad cells
GERMAN = "Datum;Brutto;Steuer;Gebühren;Währung;Notiz;ID;Quelle\n31.12.2025;100,00;0;0;EUR;ok;;\n"
ENGLISH = "date,gross,tax,fees,currency,note,id,source\n2025-12-31,100.00,0,0,EUR,ok,,\n"


@pytest.mark.parametrize(
    ("head", "row", "field", "message"),
    [
        (GERMAN, "31.12.2025;NaN;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,nan,0,0,EUR,,,", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;Infinity;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,-Infinity,0,0,EUR,,,", "gross", csvp.INVALID_AMOUNT),
        (ENGLISH, "2025-12-31,1e30,0,0,EUR,,,", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;1E5;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;=1+1;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;1 234,56;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;12,34,56;0;0;EUR;;;", "gross", csvp.INVALID_AMOUNT),
        (GERMAN, "31.12.2025;-5;0;0;EUR;;;", "gross", csvp.NEGATIVE_AMOUNT),
        (GERMAN, "31.12.2025;-12,5;0;0;EUR;;;", "gross", csvp.NEGATIVE_AMOUNT),
        (GERMAN, "31.12.2025;- 1.234,56 €;0;0;EUR;;;", "gross", csvp.NEGATIVE_AMOUNT),
        (GERMAN, "31.12.2025;10;-1;0;EUR;;;", "tax_withheld", csvp.NEGATIVE_AMOUNT),
        (GERMAN, "31.12.2025;10;0;EUR -0,50;EUR;;;", "fees", csvp.NEGATIVE_AMOUNT),
        (ENGLISH, '2025-12-31,"1,234.567",0,0,EUR,,,', "gross", csvp.TOO_MANY_DECIMALS),
        (GERMAN, "31.12.2025;1.234,567;0;0;EUR;;;", "gross", csvp.TOO_MANY_DECIMALS),
        (GERMAN, "31.12.2025;10000000000000,00;0;0;EUR;;;", "gross", csvp.AMOUNT_TOO_LARGE),
        (GERMAN, "31.12.2025;;0;0;EUR;;;", "gross", csvp.GROSS_REQUIRED),
        (ENGLISH, "2025-02-30,1,0,0,EUR,,,", "date", csvp.NONEXISTENT_DATE),
        (GERMAN, "30.02.2025;1;0;0;EUR;;;", "date", csvp.NONEXISTENT_DATE),
        (GERMAN, "31.13.2025;1;0;0;EUR;;;", "date", csvp.NONEXISTENT_DATE),
        (GERMAN, "31.12.25;1;0;0;EUR;;;", "date", csvp.TWO_DIGIT_YEAR),
        (ENGLISH, "12/31/25,1,0,0,EUR,,,", "date", csvp.TWO_DIGIT_YEAR),
        (GERMAN, "gestern;1;0;0;EUR;;;", "date", csvp.INVALID_DATE),
        (GERMAN, ";1;0;0;EUR;;;", "date", csvp.DATE_REQUIRED),
        (GERMAN, "31.12.2025;1;0;0;XYZ;;;", "currency", csvp.UNKNOWN_CURRENCY),
        (GERMAN, "31.12.2025;1;0;0;JPY;;;", "currency", csvp.UNKNOWN_CURRENCY),
        (GERMAN, "31.12.2025;USD 1;0;0;EUR;;;", "currency", csvp.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;1 £;0;0;EUR;;;", "currency", csvp.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;$ 1;0;0;EUR;;;", "currency", csvp.CURRENCY_MISMATCH),
        (GERMAN, "31.12.2025;10,00;6,00;4,01;EUR;;;", None, csvp.DEDUCTIONS_EXCEED_GROSS),
        (GERMAN, "31.12.2025;1;0;0;EUR;=cmd|' /C calc'!A0;;", "note", csvp.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;  +49 30 123;;", "note", csvp.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;-rabatt;;", "note", csvp.FORMULA),
        (GERMAN, '31.12.2025;1;0;0;EUR;"\tx";;', "note", csvp.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;;@SUM(A1);", "external_id", csvp.FORMULA),
        (GERMAN, "31.12.2025;1;0;0;EUR;;;=HYPERLINK(1)", "source", csvp.FORMULA),
        (GERMAN, f"31.12.2025;1;0;0;EUR;{'x' * 501};;", "note", csvp.NOTE_TOO_LONG),
        (GERMAN, f"31.12.2025;1;0;0;EUR;;{'x' * 101};", "external_id", csvp.EXTERNAL_ID_TOO_LONG),
        (GERMAN, f"31.12.2025;1;0;0;EUR;;;{'x' * 121}", "source", csvp.SOURCE_TOO_LONG),
        (GERMAN, "31.12.2025;1;0;0;EUR;;;;10,00", None, csvp.TOO_MANY_CELLS),
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
    result = parse(GERMAN + "30.02.2025;NaN;-1;0;XYZ;=1;;\n")

    assert [(error.field, error.message) for error in result.errors] == [
        ("date", csvp.NONEXISTENT_DATE),
        ("gross", csvp.INVALID_AMOUNT),
        ("tax_withheld", csvp.NEGATIVE_AMOUNT),
        ("currency", csvp.UNKNOWN_CURRENCY),
        ("note", csvp.FORMULA),
    ]


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
        RowError(line=4, field="external_id", message=csvp.DUPLICATE_EXTERNAL_ID),
    )


# ---------------------------------------------------------------- number and date formats
@pytest.mark.parametrize(
    ("text", "expected_format", "expected_amounts"),
    [
        ("Datum;Betrag\n31.12.2025;1.234\n", "de", [D("1234.00")]),  # no cell decides: `;`
        ("date,gross\n2025-12-31,1.234\n", "en", None),  # 3 decimals in English
        ("Datum;Betrag\n31.12.2025;1.234\n01.01.2025;2,5\n", "de", [D("1234.00"), D("2.50")]),
        ("Datum;Betrag\n31.12.2025;1.234\n01.01.2025;2.50\n", "en", None),
        ("Datum;Betrag\n31.12.2025;1.234.567\n", "de", [D("1234567.00")]),
        ('date,gross\n2025-12-31,"1,234,567"\n', "en", [D("1234567.00")]),
        ("date\tgross\n2025-12-31\t1234.5\n", "en", [D("1234.50")]),
        ("date\tgross\n2025-12-31\t1.234,5\n", "de", [D("1234.50")]),
    ],
)
def test_the_number_format_is_decided_for_the_whole_file(
    text: str, expected_format: str, expected_amounts: list[Decimal] | None
) -> None:
    result = parse(text)

    assert result.number_format == expected_format
    if expected_amounts is None:
        assert result.errors[0].message == csvp.TOO_MANY_DECIMALS
    else:
        assert [row.gross for row in result.rows] == expected_amounts


def test_mixed_number_formats_use_the_majority_with_a_warning() -> None:
    result = parse("Datum;Betrag\n31.12.2025;1.234,50\n01.01.2025;2,50\n02.01.2025;1,234.50\n")

    assert result.number_format == "de"
    assert result.warnings == (csvp.MIXED_NUMBER_FORMATS,)
    assert [row.gross for row in result.rows] == [D("1234.50"), D("2.50")]
    assert result.errors == (RowError(line=4, field="gross", message=csvp.INVALID_AMOUNT),)


def test_slash_dates_are_day_first_when_a_day_is_above_12() -> None:
    result = parse("date,gross\n13/01/2025,1\n02/03/2025,1\n")

    assert result.date_format == "DD/MM/YYYY"
    assert [row.date for row in result.rows] == [date(2025, 1, 13), date(2025, 3, 2)]
    assert result.warnings == ()


def test_slash_dates_are_month_first_when_a_day_is_above_12() -> None:
    result = parse("date,gross\n12/31/2025,1\n02/03/2025,1\n")

    assert result.date_format == "MM/DD/YYYY"
    assert [row.date for row in result.rows] == [date(2025, 12, 31), date(2025, 2, 3)]


def test_undecidable_slash_dates_are_day_first_with_a_warning() -> None:
    result = parse("date,gross\n02/03/2025,1\n05/05/2025,1\n")

    assert result.date_format == "DD/MM/YYYY"
    assert result.warnings == (csvp.AMBIGUOUS_DATES,)
    assert [row.date for row in result.rows] == [date(2025, 3, 2), date(2025, 5, 5)]


def test_slash_dates_that_contradict_each_other_are_a_file_error() -> None:
    result = parse("date,gross\n13/01/2025,1\n01/13/2025,1\n")

    assert result.file_errors == (csvp.DATE_ORDER_CONFLICT,)
    assert result.rows == ()


def test_iso_and_german_dates_may_share_a_file() -> None:
    result = parse("Datum;Betrag\n2025-12-31;1\n01.02.2025;1\n1.2.2025;1\n")

    dates = [row.date for row in result.rows]
    assert dates == [date(2025, 12, 31), date(2025, 2, 1), date(2025, 2, 1)]


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

    assert result.file_errors == (csvp.NOT_TEXT,)
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

    assert result.file_errors == (csvp.NOT_CSV,)
    assert result.rows == ()


def test_a_quote_inside_an_unquoted_cell_is_text() -> None:
    result = parse('Datum;Betrag;Notiz\n31.12.2025;1;12" Monitor\n')

    assert only_row(result).note == '12" Monitor'


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n"])
def test_an_empty_file_is_a_file_error(data: bytes) -> None:
    assert parse(data).file_errors == (csvp.EMPTY_FILE,)


def test_a_header_without_rows_is_a_file_error() -> None:
    result = parse("Datum;Betrag;Notiz\r\n\r\n")

    assert result.file_errors == (csvp.NO_ROWS,)
    assert result.columns == {"date": "Datum", "gross": "Betrag", "note": "Notiz"}


def test_more_rows_than_allowed_is_a_file_error() -> None:
    text = "Datum;Betrag\n" + "31.12.2025;1,00\n" * 3

    assert parse(text, max_rows=3).ok
    result = parse(text + "\n\n", max_rows=3)  # empty lines do not count
    assert result.ok
    result = parse(text + "01.01.2025;2,00\n", max_rows=3)
    assert result.file_errors == (csvp.TOO_MANY_ROWS,)
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
    # the first row's gross (0,00) is less than its tax and fees
    assert result.errors == (RowError(line=2, field=None, message=csvp.DEDUCTIONS_EXCEED_GROSS),)
    assert len(result.rows) == 99_999
    last = result.rows[-1]
    assert (last.line, last.gross, last.external_id) == (100_001, D("99999.99"), "ID-99999")
    assert sum(row.gross for row in result.rows) == sum(
        D(f"{i}.{i % 100:02d}") for i in range(1, 100_000)
    )


def _german(amount: Decimal) -> str:
    return f"{amount:,.2f}".translate(str.maketrans(",.", ".,"))


@given(
    amount=st.decimals(
        min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
    ),
)
def test_amounts_written_german_or_english_style_read_back_exactly(amount: Decimal) -> None:
    german = only_row(parse(f"Datum;Betrag\n31.12.2025;{_german(amount)}\n"))
    english = only_row(parse(f'date,gross\n2025-12-31,"{amount:,.2f}"\n'))

    assert german.gross == amount
    assert english.gross == amount
    assert german.gross.as_tuple().exponent == english.gross.as_tuple().exponent == -2
