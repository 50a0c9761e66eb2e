"""Reader rules the bank and PayPal presets rely on, each shown on a small file of any
layout: the currency beside the amount, a zero fee without a sign, a refund in an account
whose signs are its money flow, and title lines between the tables of one export."""

from __future__ import annotations

from decimal import Decimal

from imports.parsing import columns as cols
from imports.parsing import kinds
from imports.parsing.options import Options
from imports.parsing.statement import StatementResult, parse_statement

CURRENCIES = ("EUR", "USD", "GBP")


def read(text: str, options: Options) -> StatementResult:
    result, _layout = parse_statement(
        text.encode(), currencies=CURRENCIES, default_currency="EUR", options=options
    )
    return result


def test_of_two_currency_columns_the_one_after_the_amount_is_the_amounts() -> None:
    header = ["Datum", "Saldo", "Währung", "Betrag", "Währung"]
    assert cols.resolve(header, {}, guess=True).index["currency"] == 4
    assert cols.resolve(header, {}, guess=True).warnings == ()


def test_the_currency_after_the_amount_wins_wherever_the_balance_stands() -> None:
    header = ["Datum", "Betrag", "Währung", "Saldo", "Währung"]
    assert cols.resolve(header, {"gross": "Betrag"}, guess=True).index["currency"] == 2


def test_two_currency_columns_with_none_beside_an_amount_still_warn() -> None:
    resolved = cols.resolve(["Datum", "Währung", "Betrag", "Notiz", "Währung"], {}, guess=True)
    assert resolved.index["currency"] == 1
    assert resolved.warnings


def test_a_file_reads_the_currency_of_its_amount_not_of_its_balance() -> None:
    result = read(
        "Datum;Saldo;Währung;Betrag;Währung\n01.07.2025;100,00;EUR;12,50;USD\n",
        Options(number_format="de"),
    )
    assert [(r.gross, r.currency) for r in result.rows] == [(Decimal("12.50"), "USD")]


def test_a_zero_fee_written_without_a_sign_is_zero_not_minus_zero() -> None:
    result = read(
        "Date,Type,Gross,Fee\n2025-06-12,Payment,60.00,0.00\n2025-06-13,Refund,-49.00,0.00\n",
        Options(fee_sign="negative", types={"Payment": kinds.INCOME, "Refund": kinds.REFUND}),
    )
    assert [str(r.fees) for r in result.rows] == ["0.00", "0.00"]


def test_a_positive_refund_where_signs_are_money_flow_is_a_refund_received() -> None:
    text = (
        "Date,Type,Gross\n"
        "2025-06-18,Refund,-49.00\n"  # paid back to a buyer: reduces income
        "2025-06-19,Refund,19.99\n"  # refunded to the holder for a purchase
        "2025-06-20,Payment,-15.00\n"  # the holder's purchase
    )
    types = {"Payment": kinds.INCOME, "Refund": kinds.REFUND}
    result = read(text, Options(negative="skip", types=types))
    assert [(r.line, r.gross) for r in result.rows] == [(2, Decimal("-49.00"))]
    assert [(s.line, s.reason) for s in result.skipped] == [(3, "not_income"), (4, "debit")]


def test_a_refund_written_unsigned_still_reduces_income_in_a_platform_report() -> None:
    result = read(
        "Date,Type,Gross\n2025-06-19,Refund,19.99\n",
        Options(negative="reduce", types={"Refund": kinds.REFUND}),
    )
    assert [r.gross for r in result.rows] == [Decimal("-19.99")]


def test_a_title_line_between_tables_is_skipped_not_an_error() -> None:
    text = (
        '"Buchungstag";"Vorgang";"Umsatz in EUR";\n'
        '"01.07.2025";"Gutschrift";"780,00";\n'
        '\n"Umsätze Tagesgeld PLUS-Konto";"Zeitraum: 30 Tage";\n'
        '"Buchungstag";"Vorgang";"Umsatz in EUR";\n'
        '"30.06.2025";"Kontoabschluss";"2,41";\n'
    )
    result = read(
        text,
        Options(
            number_format="de", types={"Gutschrift": kinds.INCOME, "Kontoabschluss": kinds.INCOME}
        ),
    )
    assert result.ok
    assert [r.line for r in result.rows] == [2, 6]
    assert [(s.line, s.reason) for s in result.skipped] == [(4, "other_table"), (5, "header")]


def test_a_row_with_an_amount_and_no_readable_date_is_still_an_error() -> None:
    result = read("Datum;Betrag\n01.07.2025;10,00\nirgendwann;20,00\n", Options(number_format="de"))
    assert [(e.line, e.field) for e in result.errors] == [(3, "date")]
