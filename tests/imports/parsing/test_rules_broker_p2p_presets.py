"""Rules of the statement parser that the broker and P2P presets rely on, for any file:
a withholding-tax row goes to the income row of its group on its own day, and a row that
repeats the header's own names starts another table."""

from __future__ import annotations

from decimal import Decimal

from imports.parsing.options import Options
from imports.parsing.statement import StatementResult, parse_statement


def read(text: str, options: Options | None = None) -> StatementResult:
    result, _layout = parse_statement(
        text.encode(),
        currencies=("EUR", "USD"),
        default_currency="EUR",
        options=options or Options(),
    )
    return result


def test_a_tax_row_goes_to_the_income_row_of_its_group_on_its_own_day() -> None:
    # A dividend and its reversal share the action id; the reversal comes first in the
    # file, so "the nearest line" alone would give it both tax rows.
    result = read(
        "Date,Type,Amount,ISIN,ActionID\n"
        "2024-04-15,Dividends,12.83,US7561091049,A1\n"
        "2024-04-18,Dividends,-12.83,US7561091049,A1\n"
        "2024-04-15,Withholding Tax,-1.92,US7561091049,A1\n"
        "2024-04-18,Withholding Tax,1.92,US7561091049,A1\n"
    )

    assert result.ok
    assert [(r.line, r.gross, r.tax_withheld) for r in result.rows] == [
        (2, Decimal("12.83"), Decimal("1.92")),
        (3, Decimal("-12.83"), Decimal("-1.92")),
    ]
    assert [(s.line, s.reason, s.into_line) for s in result.skipped] == [
        (4, "merged", 2),
        (5, "merged", 3),
    ]


def test_a_tax_row_of_a_group_without_an_income_row_that_day_goes_to_the_nearest() -> None:
    result = read(
        "Date,Type,Amount,ISIN,ActionID\n"
        "2024-04-15,Dividends,12.83,US7561091049,A1\n"
        "2024-04-16,Withholding Tax,-1.92,US7561091049,A1\n"
    )

    assert [(r.line, r.tax_withheld) for r in result.rows] == [(2, Decimal("1.92"))]


def test_a_row_with_three_of_the_headers_own_names_starts_another_table() -> None:
    # The second section's names are no known column names (TradeDate, Proceeds), but it
    # repeats the account, currency and id columns of the first one.
    result = read(
        "ClientAccountID,CurrencyPrimary,Date/Time,Amount,Type,TransactionID\n"
        "U1,USD,20240322,88.63,Dividends,1\n"
        "ClientAccountID,CurrencyPrimary,TradeDate,Quantity,Proceeds,TransactionID\n"
        "U1,USD,20240103,10,-1045,2\n",
        Options(types={"Dividends": "income"}),
    )

    assert result.ok
    assert [r.line for r in result.rows] == [2]
    assert [(s.line, s.reason) for s in result.skipped] == [(3, "other_table"), (4, "other_table")]


def test_a_row_with_a_date_is_a_payment_whatever_names_it_repeats() -> None:
    result = read(
        "Date,Type,Amount,Note\n2024-03-22,Type,12.00,Amount\n2024-03-23,Dividend,1.00,x\n",
        Options(types={"Type": "income", "Dividend": "income"}),
    )

    assert [r.line for r in result.rows] == [2, 3]
