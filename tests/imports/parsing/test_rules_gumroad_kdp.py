"""Rules added for the Gumroad and Amazon KDP presets: a dateless table booked on the
period its preamble names (statement rule 9), every bad cell of a row reported, and the
presets' own row rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from imports.parsing import messages as msg
from imports.parsing.dates import period_end
from imports.parsing.options import Options
from imports.parsing.presets import detect_layout
from imports.parsing.statement import SkippedRow, StatementResult, parse_statement

D = Decimal
CURRENCIES = ("EUR", "USD", "GBP", "CAD")


def parse(text: str, options: Options | None = None) -> StatementResult:
    result, _layout = parse_statement(
        text.encode(),
        currencies=CURRENCIES,
        default_currency="EUR",
        options=options,
        detect=lambda records: detect_layout(records)[0],
    )
    return result


# ---------------------------------------------------------------- the period of a table
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 2024", date(2024, 3, 31)),
        ("März 2024", date(2024, 3, 31)),
        ("Feb 2024", date(2024, 2, 29)),
        ("December 2024", date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("03/2024", date(2024, 3, 31)),
        ("01.03.2024 - 31.03.2024", date(2024, 3, 31)),
        ("01-Jan-2016 to 31-Jan-2016", date(2016, 1, 31)),
        ("1.3.2024 bis 15.3.2024", date(2024, 3, 15)),
        ("2024-03-15", date(2024, 3, 15)),
    ],
)
def test_a_period_ends_on_its_last_day(text: str, expected: date) -> None:
    assert period_end(text) == expected


@pytest.mark.parametrize("text", ["", "Sales", "13/2024", "Kontostand 1.234,56 EUR"])
def test_text_that_names_no_period_has_no_end(text: str) -> None:
    assert period_end(text) is None


ROYALTIES = (
    "Title,Marketplace,Payout Plan,Royalty Type,Currency,Earnings\n"
    "The Quiet Orchard,Amazon.com,Standard,70%,USD,38.12\n"
    "Total Recall,Amazon.de,Standard,70%,EUR,11.45\n"
)


@pytest.mark.parametrize(
    "preamble",
    [
        "Sales Period,March 2024,,,,\n",
        '"Zeitraum: 01.03.2024 - 31.03.2024",,,,,\n',
        "Sales report for the period 01-Mar-2024 to 31-Mar-2024\n",
    ],
)
def test_a_table_without_dates_is_booked_on_the_last_day_of_its_period(preamble: str) -> None:
    result = parse(preamble + ROYALTIES, Options(header_line=2, columns={"gross": "Earnings"}))

    assert result.ok, (result.file_errors, result.errors)
    assert [(row.date, row.gross, row.currency) for row in result.rows] == [
        (date(2024, 3, 31), D("38.12"), "USD"),
        (date(2024, 3, 31), D("11.45"), "EUR"),  # a title that starts with "Total"
    ]
    assert result.warnings == (msg.PERIOD_DATE,)


def test_a_table_without_dates_or_a_period_is_missing_its_date_column() -> None:
    result = parse(ROYALTIES, Options(header_line=1, columns={"gross": "Earnings"}))

    assert result.file_errors == (msg.MISSING_DATE_COLUMN,)


def test_the_total_row_of_a_table_without_dates_is_a_total() -> None:
    text = "Sales Period,March 2024,,,,\n" + ROYALTIES + "Total,,,,,49.57\n"
    result = parse(text, Options(header_line=2, columns={"gross": "Earnings"}))

    assert result.ok
    assert len(result.rows) == 2
    assert result.skipped == (SkippedRow(line=5, reason="total"),)


def test_a_table_with_a_date_column_ignores_a_period_line() -> None:
    text = "Zeitraum:;01.03.2024 - 31.03.2024\nDatum;Betrag\n05.03.2024;10,00\n"
    result = parse(text)

    assert [row.date for row in result.rows] == [date(2024, 3, 5)]
    assert result.warnings == ()


# ---------------------------------------------------------------- every bad cell
def test_a_row_with_too_many_cells_reports_only_that() -> None:
    result = parse("Datum;Betrag;Notiz\n30.02.2025;NaN;=1;x\n")

    assert [(error.field, error.message) for error in result.errors] == [(None, msg.TOO_MANY_CELLS)]


def test_a_row_reports_each_bad_cell_once_in_field_order() -> None:
    result = parse("Datum;Betrag;Steuer;Notiz;ID\n31.12.2025;10,00;abc;@x;=1\n")

    assert [(error.field, error.message) for error in result.errors] == [
        ("tax_withheld", msg.INVALID_AMOUNT),
        ("note", msg.FORMULA),
        ("external_id", msg.FORMULA),
    ]


def test_the_bad_cells_of_a_preset_row_are_read_through_its_row_rule() -> None:
    result = parse(GUMROAD_HEADER + "Ab1==,Planner,2024-02-31,12.0,2.35,1,abc,0,0,0,0,0,42\n")

    assert [(error.field, error.message) for error in result.errors] == [
        ("date", msg.NONEXISTENT_DATE),
        ("refunded", msg.INVALID_AMOUNT),  # the row rule took it from "Partial Refund ($)"
    ]


# ---------------------------------------------------------------- Gumroad
GUMROAD_HEADER = (
    "Purchase ID,Item Name,Purchase Date,Sale Price ($),Fees ($),Refunded?,"
    "Partial Refund ($),Fully Refunded?,Disputed?,Dispute Won?,Free trial purchase?,"
    "Pre-order authorization?,Order Number\n"
)


def test_a_gumroad_id_that_starts_with_a_dash_takes_the_newest_exports_form() -> None:
    bare = parse(GUMROAD_HEADER + "-Qv7Hs2==,Planner,2025-06-03,5.0,1.45,0,0.0,0,0,0,0,0,31\n")
    safe = parse(GUMROAD_HEADER + "'-Qv7Hs2==,Planner,2025-06-03,5.0,1.45,0,0.0,0,0,0,0,0,31\n")

    assert bare.ok
    assert safe.ok
    assert bare.rows[0].external_id == safe.rows[0].external_id == "'-Qv7Hs2=="


@pytest.mark.parametrize(
    ("flags", "refund"),
    [
        ("0,0.0,0,0,0", None),
        ("1,4.8,0,0,0", D("-4.80")),  # partial refund
        ("1,0.0,1,0,0", D("-12.00")),  # full refund
        ("0,0.0,0,1,0", D("-12.00")),  # dispute lost
        ("0,0.0,0,1,1", None),  # dispute won
        ("1,4.0,0,1,0", D("-12.00")),  # partial refund, then the rest lost in a dispute
    ],
)
def test_a_gumroad_sale_is_followed_by_the_refund_its_flags_mean(
    flags: str, refund: Decimal | None
) -> None:
    result = parse(GUMROAD_HEADER + f"Ab1==,Planner,2024-02-23,12.0,2.35,{flags},0,0,42\n")

    assert result.ok
    sale, *rest = result.rows
    assert (sale.gross, sale.fees, sale.currency) == (D("12.00"), D("2.35"), "USD")
    assert [(row.gross, row.fees, row.external_id, row.date) for row in rest] == (
        [(refund, D("0.00"), "Ab1==:refund", date(2024, 2, 23))] if refund else []
    )


def test_gumroad_rows_that_move_no_money_are_skipped() -> None:
    result = parse(
        GUMROAD_HEADER
        + "Tr1==,Club,2025-06-04,5.0,0.0,0,0.0,0,0,0,1,0,1\n"
        + "Po1==,Guide,2025-06-05,15.0,0.0,0,0.0,0,0,0,0,1,2\n"
    )

    assert result.ok
    assert result.rows == ()
    assert [(skip.line, skip.reason) for skip in result.skipped] == [
        (2, "not_income"),
        (3, "pending"),
    ]


def test_an_old_gumroad_export_without_the_refund_columns_is_read() -> None:
    text = (
        "Purchase ID,Item Name,Purchase Email,Purchase Date,Sale Price ($),Fees ($)\n"
        "Ab1==,Planner,a@example.org,2019-05-02,9.0,1.2\n"
    )
    result = parse(text)

    assert result.ok
    assert [(row.gross, row.fees, row.source) for row in result.rows] == [
        (D("9.00"), D("1.20"), "Planner")
    ]


# ---------------------------------------------------------------- Amazon KDP
def test_every_kdp_transaction_type_is_a_royalty_by_its_sign() -> None:
    text = (
        "Royalty Date,Title,Author Name,ASIN/ISBN,Marketplace,Royalty Type,Transaction Type,"
        "Royalty,Currency\n"
        "2024-03-01,Orchard,H. E.,B0CQ,Amazon.com,70%,Pre Order,2.10,USD\n"
        "2024-03-02,Orchard,H. E.,B0CQ,Amazon.com,70%,Some New Program,1.00,USD\n"
        "2024-03-03,Orchard,H. E.,B0CQ,Amazon.com,70%,Standard,-1.00,USD\n"
    )
    result = parse(text)

    assert result.ok
    assert [(row.gross, row.kind, row.note) for row in result.rows] == [
        (D("2.10"), "income", "Amazon.com, Pre Order, B0CQ"),
        (D("1.00"), "income", "Amazon.com, Some New Program, B0CQ"),
        (D("-1.00"), "refund", "Amazon.com, Standard, B0CQ"),
    ]
