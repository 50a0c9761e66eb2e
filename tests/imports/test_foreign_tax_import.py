"""The foreign tax of an imported payment: the part of its tax withheld the source country
took, read where the export tells it apart (a broker that withholds no German tax, a
withholding-tax row, a foreign-tax column), and 0 where the export gives one tax amount.

The rows are written here; their header layouts are the real ones of the presets'
fixtures (``tests/imports/fixtures``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from finance.money import FOREIGN_TAX_WITHIN_TAX
from imports import services, writing
from imports.api.serializers import PreviewPaymentSerializer
from imports.parsing.options import Options
from imports.parsing.presets import detect_layout
from imports.parsing.statement import StatementResult, parse_statement
from income.models import Payment
from tests.factories import SourceFactory
from tests.web.test_import_pages import post_preview, preview, upload

D = Decimal
CURRENCIES = ("EUR", "USD", "GBP", "CHF")

IBKR_HEADER = (
    '"ClientAccountID","CurrencyPrimary","Symbol","Description","ISIN","Date/Time","Amount",'
    '"Type","TransactionID","ActionID","LevelOfDetail"\n'
)
IBKR = (
    IBKR_HEADER
    + '"U1","USD","KO","KO(US1912161007) CASH DIVIDEND USD 0.485 PER SHARE (Ordinary Dividend)",'
    '"US1912161007","20250401;202000","48.5","Dividends","T1","A1","DETAIL"\n'
    '"U1","USD","KO","KO(US1912161007) CASH DIVIDEND USD 0.485 PER SHARE - US TAX",'
    '"US1912161007","20250401;202000","-7.28","Withholding Tax","T2","A1","DETAIL"\n'
    '"U1","EUR","BAS","BAS(DE000BASF111) CASH DIVIDEND EUR 2.25 PER SHARE (Ordinary Dividend)",'
    '"DE000BASF111","20250430;202000","45","Dividends","T3","A2","DETAIL"\n'
    '"U1","EUR","BAS","BAS(DE000BASF111) CASH DIVIDEND EUR 2.25 PER SHARE - DE TAX",'
    '"DE000BASF111","20250430;202000","-11.87","Withholding Tax","T4","A2","DETAIL"\n'
)
DEGIRO = (
    "Datum,Uhrzeit,Valutadatum,Produkt,ISIN,Beschreibung,FX,Änderung,,Saldo,,Order-ID\n"
    "02-04-2025,07:30,01-04-2025,COCA-COLA CO,US1912161007,Dividende,,USD,9.70,USD,9.70,\n"
    "02-04-2025,07:30,01-04-2025,COCA-COLA CO,US1912161007,Dividendensteuer,,USD,-1.46,USD,8.24,\n"
    "05-05-2025,07:30,02-05-2025,BASF SE,DE000BASF111,Dividende,,EUR,22.50,EUR,22.50,\n"
    "05-05-2025,07:30,02-05-2025,BASF SE,DE000BASF111,Dividendensteuer,,EUR,-5.93,EUR,16.57,\n"
)
MINTOS = (
    'Date,"Transaction ID:",Details,Turnover,Balance,Currency,"Payment Type"\n'
    '"2025-03-15 14:02:11",1001,"ISIN: LV0000876543 (Loan 27718221-01) Interest received",'
    '2.40,102.40,EUR,"Interest received"\n'
    '"2025-03-15 14:02:11",1002,"ISIN: LV0000876543 (Loan 27718221-01) Tax withholding",'
    '-0.12,102.28,EUR,"Tax withholding"\n'
)
TRADE_REPUBLIC = (
    "Datum;Typ;Wert;Notiz;ISIN;Stück;Gebühren;Steuern\n"
    "2025-04-01T10:00:00;Dividende;5,62;Coca-Cola;US1912161007;10;;2,13\n"
)
SCALABLE = (
    "date;time;status;reference;description;assetType;type;isin;shares;price;amount;fee;tax;"
    "currency\n"
    '2025-04-01;02:00:00;Executed;"R1";"Coca-Cola";Security;Distribution;US1912161007;;;'
    "7,04;0,00;2,66;EUR\n"
)
# No preset: withholding rows of both kinds, told apart by the words of their type.
GENERIC = (
    "Datum;Typ;Betrag;Wertpapier\n"
    "01.04.2025;Dividende;100,00;US1912161007\n"
    "01.04.2025;Quellensteuer;-15,00;US1912161007\n"
    "01.04.2025;Kapitalertragsteuer;-10,00;US1912161007\n"
    "01.04.2025;Solidaritätszuschlag;-0,55;US1912161007\n"
)


def parse(data: str, options: Options | None = None) -> StatementResult:
    result, _layout = parse_statement(
        data.encode(),
        currencies=CURRENCIES,
        default_currency="EUR",
        options=options,
        detect=lambda records: detect_layout(records)[0],
    )
    return result


def taxes(result: StatementResult) -> list[tuple[str | None, Decimal, Decimal, Decimal]]:
    assert result.ok, (result.file_errors, result.errors)
    return [(r.source, r.gross, r.tax_withheld, r.foreign_tax) for r in result.rows]


# ------------------------------------------------------------------------------ the presets
def test_ibkr_withholding_is_foreign_tax_but_on_a_german_security() -> None:
    assert taxes(parse(IBKR)) == [
        ("US1912161007", D("48.50"), D("7.28"), D("7.28")),
        ("DE000BASF111", D("45.00"), D("11.87"), D("0.00")),
    ]


def test_degiro_dividend_tax_is_foreign_tax_but_on_a_german_security() -> None:
    assert taxes(parse(DEGIRO)) == [
        ("US1912161007", D("9.70"), D("1.46"), D("1.46")),
        ("DE000BASF111", D("22.50"), D("5.93"), D("0.00")),
    ]


def test_degiro_in_english_reads_the_same() -> None:
    english = DEGIRO.replace(
        "Datum,Uhrzeit,Valutadatum,Produkt,ISIN,Beschreibung,FX,Änderung,,Saldo,,Order-ID",
        "Date,Time,Value date,Product,ISIN,Description,FX,Change,,Balance,,Order Id",
    ).replace("Dividendensteuer", "Dividend Tax")
    assert [row[3] for row in taxes(parse(english))] == [D("1.46"), D("0.00")]


def test_mintos_tax_withholding_is_foreign_tax() -> None:
    assert taxes(parse(MINTOS)) == [("Mintos", D("2.40"), D("0.12"), D("0.12"))]


def test_trade_republic_taxes_are_one_amount_and_stay_german() -> None:
    assert taxes(parse(TRADE_REPUBLIC)) == [("US1912161007", D("7.75"), D("2.13"), D("0.00"))]


def test_scalable_capital_tax_is_one_amount_and_stays_german() -> None:
    assert taxes(parse(SCALABLE)) == [("US1912161007", D("9.70"), D("2.66"), D("0.00"))]


def test_a_reversal_takes_its_foreign_tax_back() -> None:
    reversal = IBKR_HEADER + (
        '"U1","USD","KO","KO(US1912161007) CASH DIVIDEND (Ordinary Dividend)","US1912161007",'
        '"20250405;202000","-48.5","Dividends","T5","A1","DETAIL"\n'
        '"U1","USD","KO","KO(US1912161007) CASH DIVIDEND - US TAX","US1912161007",'
        '"20250405;202000","7.28","Withholding Tax","T6","A1","DETAIL"\n'
    )
    assert taxes(parse(reversal)) == [("US1912161007", D("-48.50"), D("-7.28"), D("-7.28"))]


# ------------------------------------------------------------------- files without a preset
def test_withholding_rows_are_foreign_and_german_tax_rows_are_not() -> None:
    result = parse(GENERIC)
    assert taxes(result) == [("US1912161007", D("100.00"), D("25.55"), D("15.00"))]
    assert result.rows[0].merged_lines == (3, 4, 5)


def test_a_type_value_can_be_made_foreign_tax_in_the_mapping() -> None:
    options = Options.from_json({"types": {"Kapitalertragsteuer": "foreign_tax"}})
    assert taxes(parse(GENERIC, options)) == [("US1912161007", D("100.00"), D("25.55"), D("25.00"))]


def test_a_foreign_tax_column_is_read_as_part_of_the_tax_withheld() -> None:
    data = (
        "Datum;Betrag;Steuer;Anteil Ausland;Quelle\n"
        "31.03.2025;100,00;26,38;15,00;ETF\n"
        "30.06.2025;-100,00;26,38;15,00;ETF\n"
    )
    options = Options.from_json(
        {"columns": {"foreign_tax": "Anteil Ausland"}, "negative": "reduce"}
    )
    assert taxes(parse(data, options)) == [
        ("ETF", D("100.00"), D("26.38"), D("15.00")),
        ("ETF", D("-100.00"), D("-26.38"), D("-15.00")),
    ]


def test_a_foreign_tax_column_is_recognised_by_its_name() -> None:
    data = "Date;Amount;Tax;Foreign tax;Source\n2025-03-31;100.00;26.38;15.00;ETF\n"
    assert taxes(parse(data)) == [("ETF", D("100.00"), D("26.38"), D("15.00"))]


def test_without_a_tax_column_the_foreign_tax_is_all_the_tax_withheld() -> None:
    data = "Date;Amount;Foreign tax;Source\n2025-03-31;100.00;15.00;ETF\n"
    assert taxes(parse(data)) == [("ETF", D("100.00"), D("15.00"), D("15.00"))]


def test_a_file_without_foreign_tax_has_none() -> None:
    data = "Datum;Betrag;Steuer;Quelle\n31.03.2025;100,00;26,38;ETF\n"
    assert taxes(parse(data)) == [("ETF", D("100.00"), D("26.38"), D("0.00"))]


# ---------------------------------------------------------------------------- the amount rule
def test_a_foreign_tax_above_the_tax_withheld_is_an_error_row() -> None:
    data = (
        "Date;Amount;Tax;Foreign tax;Source\n"
        "2025-03-31;100.00;10.00;15.00;ETF\n"
        "2025-06-30;100.00;26.38;15.00;ETF\n"
    )
    result = parse(data)
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (2, "foreign_tax", FOREIGN_TAX_WITHIN_TAX)
    ]
    assert [r.line for r in result.rows] == [3]
    assert [line for line, _cells in result.rejected] == [2]


def test_a_foreign_tax_refund_without_its_tax_is_an_error_row() -> None:
    """A withholding-tax refund merged into a dividend with no foreign tax of its own
    would make the foreign tax negative on a receipt."""
    data = (
        "Datum;Typ;Betrag;Wertpapier\n"
        "01.04.2025;Dividende;100,00;US1912161007\n"
        "01.04.2025;Kapitalertragsteuer;-10,00;US1912161007\n"
        "01.04.2025;Quellensteuer-Erstattung;2,00;US1912161007\n"
    )
    result = parse(data, Options.from_json({"tax_sign": "negative"}))
    assert [(e.line, e.field) for e in result.errors] == [(2, "foreign_tax")]
    assert result.rows == ()


# -------------------------------------------------------------------------------- the writes
def test_an_import_stores_the_foreign_tax(alice: User) -> None:
    summary = writing.payments_import(owner=alice, data=IBKR.encode())
    assert summary.created == 2
    stored = Payment.objects.filter(source__owner=alice).order_by("date")
    assert [(p.tax_withheld, p.foreign_tax, p.german_tax) for p in stored] == [
        (D("7.28"), D("7.28"), D("0.00")),
        (D("11.87"), D("0.00"), D("11.87")),
    ]


def test_an_out_of_range_foreign_tax_imports_nothing_unless_the_good_rows_are_asked_for(
    alice: User,
) -> None:
    source = SourceFactory.create(owner=alice, currency="USD")
    data = (
        b"Date;Amount;Tax;Foreign tax;Currency\n"
        b"2025-03-31;100.00;10.00;15.00;USD\n"
        b"2025-06-30;100.00;26.38;15.00;USD\n"
    )
    with pytest.raises(writing.ImportRejected) as rejected:
        writing.payments_import(owner=alice, data=data, source=source)
    assert [(line, field) for line, field, _m in rejected.value.errors] == [(2, "foreign_tax")]
    assert not Payment.objects.exists()
    partial = writing.payments_import(owner=alice, data=data, source=source, partial=True)
    assert partial.created == 1
    assert Payment.objects.get().foreign_tax == D("15.00")


def test_the_api_preview_gives_the_foreign_tax() -> None:
    row = parse(IBKR).rows[0]
    assert PreviewPaymentSerializer(row).data["foreign_tax"] == "7.28"


# ---------------------------------------------------------------------- the mapping, the page
def test_the_mapping_step_offers_a_foreign_tax_column_and_the_preview_shows_it(
    client: Client,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(
        client, b"Datum;Betrag;Steuer;Anteil Ausland\n31.03.2025;100,00;26,38;15,00\n", source.pk
    )
    html = preview(client, imported)
    assert '<label for="id_column_foreign_tax">Of which foreign tax' in html
    assert 'data-testid="foreign-tax"' not in html  # the column is not known yet

    assert post_preview(client, imported, column_foreign_tax="3").status_code == 302
    html = preview(client, imported)
    assert 'data-testid="foreign-tax"' in html
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, imported, "import")
    payment = Payment.objects.get(source=source)
    assert (payment.tax_withheld, payment.foreign_tax) == (D("26.38"), D("15.00"))


@pytest.mark.parametrize("kind", ["tax", "foreign_tax"])
def test_a_saved_mapping_keeps_the_kind_of_a_tax_type(alice: User, kind: str) -> None:
    upload_ = services.payment_import_upload(
        owner=alice, filename="bank.csv", content=GENERIC.encode(), source=None
    )
    services.payment_import_configure(
        upload=upload_, source=None, mapping={"types": {"Quellensteuer": kind}}
    )
    row = services.payment_import_preview(upload=upload_).result.rows[0]
    assert row.foreign_tax == (D("15.00") if kind == "foreign_tax" else D("0.00"))
