"""The yearly tax report from a person's records (issue 22): hand-computed cases, each
figure traced to the payments, costs and fund years it is made of.

The arithmetic of each case is in its comments; the engine's own cases are in
tests/finance/tax/. Here the point is the mapping: which records become which item,
converted at which rate, on which line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User

from finance.tax.capital import CreditLimit, IncomeKind
from income.models import (
    AllowanceOrder,
    Cost,
    ExchangeRate,
    FundYear,
    IncomeSource,
    Payment,
    Profile,
)
from income.tax_report import tax_year_report
from income.tax_report.figures import report_figures
from tests.factories import PaymentFactory, SourceFactory, UserFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    user = UserFactory.create()
    ExchangeRate.objects.create(currency="USD", date=date(2020, 1, 1), rate=D("1.25"))
    return user


def _profile(user: User, **fields: object) -> None:
    Profile.objects.filter(user=user).update(**fields)
    user.refresh_from_db()


def _source(user: User, slug: str, **fields: object) -> IncomeSource:
    return SourceFactory.create(owner=user, category=category(slug), **fields)


def _pay(source: IncomeSource, day: date, gross: str, **amounts: str) -> Payment:
    return PaymentFactory.create(
        source=source, date=day, gross=D(gross), **{k: D(v) for k, v in amounts.items()}
    )


def _us_dividend(user: User) -> IncomeSource:
    """100 $ with 15 $ US withholding at 1.25 $/€: 80.00 € gross, 12.00 € foreign tax."""
    stock = _source(user, "etf-dividends", name="US shares", currency="USD", country="US",
                    platform="Broker")  # fmt: skip
    _pay(stock, date(2025, 6, 2), "100.00", tax_withheld="15.00", foreign_tax="15.00")
    return stock


def _allowance_used_up(user: User) -> IncomeSource:
    """1,000.00 € interest at the same bank in January: the allowance is gone."""
    savings = _source(user, "p2p-interest", name="Savings", platform="Broker", country="DE")
    _pay(savings, date(2025, 1, 31), "1000.00")
    return savings


def test_a_us_dividend_with_the_allowance_used_up_credits_the_treaty_rate(person: User) -> None:
    _allowance_used_up(person)
    stock = _us_dividend(person)
    report = tax_year_report(owner=person, year=2025)
    capital = report.capital
    # taxed 80.00; treaty cap 15 % × 80 = 12.00; German cap 25 % × 80 = 20.00 → 12.00.
    # Capital-gains tax 25 % × 80 − 12 = 8.00; solidarity 5.5 % × 8.00 = 0.44.
    assert capital.taxable == D("1080.00")
    assert capital.allowance_used == D("1000.00")
    assert capital.creditable == D("12.00")
    assert capital.reclaimable == D("0.00")
    assert (capital.due.capital_gains_tax, capital.due.solidarity) == (D("8.00"), D("0.44"))
    assert capital.due.total == D("8.44")
    assert capital.withheld == D("0.00")
    assert capital.difference == D("8.44")
    dividend = next(row for row in report.capital_rows if row.item.source == stock)
    assert dividend.tax.credit_limit is CreditLimit.WITHHELD
    assert dividend.item.income.kind is IncomeKind.DIVIDEND
    assert dividend.item.payment_ids == tuple(stock.payments.values_list("pk", flat=True))


def test_church_tax_follows_the_32d_formula(person: User) -> None:
    _profile(person, church_tax_rate=D("0.09"))
    _allowance_used_up(person)
    _us_dividend(person)
    due = tax_year_report(owner=person, year=2025).capital.due
    # (e − 4q) / (4 + k) = (80 − 48) / 4.09 = 7.8239… → 7.82;
    # solidarity 5.5 % × 7.82 = 0.4301 → 0.43; church tax 9 % × 7.82 = 0.7038 → 0.70.
    assert (due.capital_gains_tax, due.solidarity, due.church_tax) == (
        D("7.82"),
        D("0.43"),
        D("0.70"),
    )
    assert due.total == D("8.95")


def test_a_dividend_covered_by_the_allowance_credits_nothing_and_says_so(person: User) -> None:
    _us_dividend(person)
    report = tax_year_report(owner=person, year=2025)
    (row,) = report.capital_rows
    # 80.00 € all within the 1,000 € allowance: no German tax, so no credit; the 12.00 €
    # stay in the bank's pot and, with no later income, are not credited at all.
    assert row.tax.allowance_used == D("80.00")
    assert row.tax.taxed == D("0.00")
    assert row.tax.creditable == D("0.00")
    assert row.tax.credit_limit is CreditLimit.COVERED_BY_ALLOWANCE
    assert report.capital.not_credited == D("12.00")
    assert report.capital.due.total == D("0.00")


def test_an_accumulating_etf_bought_in_march_owes_ten_twelfths_of_the_vorabpauschale(
    person: User,
) -> None:
    etf = _source(person, "etf-dividends", name="World ETF", platform="Broker", country="IE",
                  fund_type="equity")  # fmt: skip
    fund_year = FundYear.objects.create(
        source=etf, year=2025, units=D("100"), start_price=D("50.00"), end_price=D("60.00"),
        bought_on=date(2025, 3, 10),
    )  # fmt: skip
    savings = _source(person, "p2p-interest", name="Savings", platform="Broker", country="DE")
    _pay(savings, date(2026, 1, 1), "1000.00")  # uses up the allowance of 2026 first
    report = tax_year_report(owner=person, year=2026)
    # 2025: base yield 50.00 × 2.53 % × 0.7 = 0.8855 per unit, below the gain of 10.00;
    # no distributions; bought in March: 10/12; × 100 units = 73.7916… → 73.79 €,
    # received on Friday 2 January 2026. Taxable after 30 %: 73.79 × 0.7 = 51.653 → 51.65.
    row = next(row for row in report.capital_rows if row.item.source == etf)
    assert row.item.income.day == date(2026, 1, 2)
    assert row.item.income.kind is IncomeKind.VORABPAUSCHALE
    assert row.item.income.gross == D("73.79")
    assert row.tax.taxable == D("51.65")
    assert row.item.fund_year_id == fund_year.pk
    # 25 % × 51.65 = 12.9125 → 12.91; solidarity 5.5 % × 12.91 = 0.71.
    assert report.capital.due.capital_gains_tax == D("12.91")
    assert report.capital.due.total == D("13.62")
    line = next(line for line in report.capital_lines if line.key == "vorabpauschale")
    assert (line.fund_type, line.amount, line.taxable) == ("equity", D("73.79"), D("51.65"))
    assert line.fund_year_ids == (fund_year.pk,)


def test_a_fund_that_lost_value_owes_no_vorabpauschale(person: User) -> None:
    etf = _source(person, "etf-dividends", name="World ETF", platform="Broker",
                  fund_type="equity")  # fmt: skip
    FundYear.objects.create(
        source=etf, year=2025, units=D("100"), start_price=D("60.00"), end_price=D("55.00")
    )
    report = tax_year_report(owner=person, year=2026)
    # gain 55 − 60 = −5 < base yield: the Vorabpauschale is 0, no item at all.
    assert report.capital_rows == ()
    assert not [notice for notice in report.notices if notice.code.startswith("fund_year")]


def test_a_fund_without_last_years_values_asks_for_them(person: User) -> None:
    _source(person, "etf-dividends", name="World ETF", fund_type="equity",
            start_date=date(2024, 1, 1))  # fmt: skip
    codes = [notice.code for notice in tax_year_report(owner=person, year=2026).notices]
    assert "fund_year_missing" in codes


def test_allowance_orders_over_the_allowance_warn(person: User) -> None:
    AllowanceOrder.objects.create(owner=person, year=2025, bank="Broker", amount=D("801"))
    AllowanceOrder.objects.create(owner=person, year=2025, bank="Bank", amount=D("400"))
    excess = tax_year_report(owner=person, year=2025).allowance_excess
    assert excess is not None
    assert (excess.total, excess.allowance, excess.excess) == (D("1201"), D("1000"), D("201"))


def test_each_bank_uses_only_its_own_order(person: User) -> None:
    AllowanceOrder.objects.create(owner=person, year=2025, bank="Broker", amount=D("200"))
    _allowance_used_up(person)  # 1,000 € interest at the Broker
    report = tax_year_report(owner=person, year=2025)
    (bank,) = report.capital.banks
    # The bank exempts 200 € and withholds on 800 €: 25 % = 200.00 + 11.00 solidarity.
    # The return has the whole 1,000 € allowance: nothing is due.
    assert bank.allowance_used == D("200.00")
    assert bank.due.total == D("211.00")
    assert report.capital.due.total == D("0.00")


def test_a_reversal_takes_back_its_sources_last_receipt(person: User) -> None:
    savings = _source(person, "p2p-interest", name="P2P", platform="P2P")
    first = _pay(savings, date(2025, 3, 1), "50.00")
    second = _pay(savings, date(2025, 4, 1), "60.00")
    back = _pay(savings, date(2025, 4, 20), "-20.00")
    report = tax_year_report(owner=person, year=2025)
    grosses = [(row.item.income.gross, row.item.payment_ids) for row in report.capital_rows]
    assert grosses == [(D("50.00"), (first.pk,)), (D("40.00"), (second.pk, back.pk))]


def test_a_flat_with_price_building_share_rent_and_costs(person: User) -> None:
    _profile(person, marginal_tax_rate=D("0.30"))
    flat = _source(person, "rent", name="Flat", purchase_price=D("200000"),
                   building_share=D("0.75"), completion_year=1990,
                   start_date=date(2024, 4, 15))  # fmt: skip
    rents = [_pay(flat, date(2025, month, 3), "800.00") for month in range(1, 13)]
    interest = Cost.objects.create(source=flat, date=date(2025, 12, 30), kind="loan_interest",
                                   amount=D("3000.00"), currency="EUR")  # fmt: skip
    Cost.objects.create(source=flat, date=date(2025, 2, 1), kind="running", amount=D("600.00"),
                        currency="EUR")  # fmt: skip
    Cost.objects.create(source=flat, date=date(2025, 7, 1), kind="maintenance",
                        amount=D("1200.00"), currency="EUR")  # fmt: skip
    (prop,) = tax_year_report(owner=person, year=2025).properties
    result = prop.result
    # Building 200,000 × 0.75 = 150,000; completed 1990: 2 % = 3,000.00 a year (2024 had
    # 9 months, 2,250.00, well within the value). 9,600 − 4,800 − 3,000 = 1,800.00;
    # at 30 %: 540.00.
    assert result.rent == D("9600.00")
    assert result.costs_total == D("4800.00")
    assert result.depreciation == D("3000.00")
    assert result.result == D("1800.00")
    assert result.tax == D("540.00")
    assert prop.rent_payment_ids == tuple(payment.pk for payment in rents)
    assert interest.pk in prop.cost_ids["loan_interest"]  # type: ignore[index]
    assert prop.missing == ()


def test_a_flat_without_building_data_is_not_depreciated_and_says_what_is_missing(
    person: User,
) -> None:
    flat = _source(person, "rent", name="Flat", purchase_price=D("200000"))
    _pay(flat, date(2025, 1, 3), "800.00")
    report = tax_year_report(owner=person, year=2025)
    (prop,) = report.properties
    assert prop.result.depreciation == D("0.00")
    assert prop.missing == ("building_share", "completion_year")
    assert {"building_missing", "marginal_rate_missing"} <= {n.code for n in report.notices}


def test_creator_income_crossing_100000_in_october(person: User) -> None:
    _profile(person, marginal_tax_rate=D("0.42"))
    course = _source(person, "online-courses", name="Course", start_date=date(2024, 1, 1))
    _pay(course, date(2024, 12, 1), "20000.00")
    for month in range(1, 13):
        _pay(course, date(2025, month, 5), "10500.00", fees="500.00")
    Cost.objects.create(source=course, date=date(2025, 5, 5), kind="other", amount=D("1000.00"),
                        currency="EUR")  # fmt: skip
    business = tax_year_report(owner=person, year=2025).business
    # 12 × 10,500 = 126,000 income; costs 12 × 500 fees + 1,000 = 7,000; profit 119,000;
    # at 42 %: 49,980.00.
    assert (business.total.income, business.total.costs) == (D("126000.00"), D("7000.00"))
    assert business.total.profit == D("119000.00")
    assert business.total.tax == D("49980.00")
    status = business.kleinunternehmer
    assert status is not None
    assert not status.ruled_out_by_previous_year
    # Running: Jul 73,500 < 80,000 ≤ Aug 84,000; Sep 94,500 ≤ 100,000 < Oct 105,000.
    assert status.current_limit_warning == date(2025, 8, 1)
    assert status.current_limit_exceeded == date(2025, 10, 1)
    # Next year's 25,000: Feb 21,000 ≥ 20,000 warns; Mar 31,500 crosses.
    assert status.next_year_limit_warning == date(2025, 2, 1)
    assert status.next_year_limit_exceeded == date(2025, 3, 1)


def test_another_persons_records_are_not_in_the_report(person: User) -> None:
    other = UserFactory.create()
    _us_dividend(other)
    report = tax_year_report(owner=person, year=2025)
    assert report.capital_rows == ()
    assert report.is_empty


def test_a_payment_without_a_rate_is_left_out_and_named(person: User) -> None:
    stock = _source(person, "etf-dividends", name="UK shares", currency="GBP", country="GB")
    payment = _pay(stock, date(2025, 6, 2), "100.00")
    report = tax_year_report(owner=person, year=2025)
    assert report.capital_rows == ()
    assert [(n.code, n.record_id) for n in report.notices] == [("missing_rate", payment.pk)]


def test_every_figure_of_the_page_is_a_line_of_the_files(person: User) -> None:
    _allowance_used_up(person)
    _us_dividend(person)
    figures = {(f.section, f.key): f.amount for f in report_figures(
        tax_year_report(owner=person, year=2025))}  # fmt: skip
    assert figures[("capital", "dividends")] == D("80.00")
    assert figures[("capital", "interest")] == D("1000.00")
    assert figures[("capital", "tax_due")] == D("8.44")
    assert figures[("bank:Broker", "tax_withheld")] == D("0.00")


def test_the_api_answers_the_report_with_the_records_behind_each_figure(person: User) -> None:
    from tests.conftest import token_client

    _allowance_used_up(person)
    stock = _us_dividend(person)
    client = token_client(person)
    answer = client.get("/api/v1/tax-report/2025/")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["capital"]["due"]["total"] == "8.44"
    assert data["capital"]["creditable"] == "12.00"
    dividend = next(item for item in data["capital_items"] if item["source_id"] == stock.pk)
    assert dividend["payment_ids"] == list(stock.payments.values_list("pk", flat=True))
    assert dividend["credit_limit"] == "withheld"
    assert client.get("/api/v1/tax-report/2025/csv/").status_code == 200
    pdf = client.get("/api/v1/tax-report/2025/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/tax-report/1999/").status_code == 404
    other = token_client(UserFactory.create())
    assert other.get("/api/v1/tax-report/2025/").json()["capital_items"] == []


def test_the_page_shows_the_report_in_english_and_german(person: User, client: object) -> None:
    from django.test import Client

    _allowance_used_up(person)
    _us_dividend(person)
    browser = Client()
    browser.force_login(person)
    page = browser.get("/tax/2025/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tax report 2025" in text
    assert "8.44" in text
    Profile.objects.filter(user=person).update(language="de")
    german = browser.get("/tax/2025/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Steuerbericht 2025" in german
    assert browser.get("/tax/2025/report.pdf").content.startswith(b"%PDF")
    assert browser.get("/tax/2025/report.csv").status_code == 200


def test_the_pdf_prints_a_negative_amount_with_its_minus_sign(person: User) -> None:
    from income.tax_report.documents import _text

    assert _text("−60,00\u202f€") == "-60,00\u00a0€"
    assert _text("Миля") == "????"


def test_the_report_reads_a_fixed_number_of_queries_however_many_records(
    person: User,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        person.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            tax_year_report(owner=person, year=2025)
        return len(captured)

    def one_of_each(index: int) -> None:
        flat = _source(person, "rent", name=f"Flat {index}", purchase_price=D("100000"),
                       building_share=D("0.8"), completion_year=2000)  # fmt: skip
        _pay(flat, date(2025, 2, 1), "700.00")
        Cost.objects.create(source=flat, date=date(2025, 3, 1), kind="running",
                            amount=D("50.00"), currency="EUR")  # fmt: skip
        course = _source(person, "online-courses", name=f"Course {index}")
        _pay(course, date(2025, 5, 1), "90.00", fees="9.00")
        fund = _source(person, "etf-dividends", name=f"Fund {index}", fund_type="equity")
        FundYear.objects.create(source=fund, year=2024, units=D("10"), start_price=D("100"),
                                end_price=D("110"))  # fmt: skip
        _pay(fund, date(2025, 7, 1), "12.00")

    _allowance_used_up(person)
    one_of_each(0)
    few = queries()
    for index in range(1, 7):
        one_of_each(index)
    assert queries() == few
