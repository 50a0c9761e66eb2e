"""The yearly report's tax on a projection's months (issue 22 item 5), by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from finance.rounding import EXACT
from finance.tax.facts import KNOWN_FACTS, FilingStatus, FundType
from finance.tax.projection import (
    PROFIT,
    MonthlyTax,
    TaxBase,
    capital_bases,
    capital_income_rate,
    rental_base,
)
from finance.tax.rent import Building
from scenarios.projection.inputs import CapitalSource, RentalSource
from scenarios.projection.sources import source_monthly_net

D = Decimal
FACTS = KNOWN_FACTS[2025]
CAPITAL_RATE = D("0.26375")  # 25 % × 1.055


def _nets(tax: MonthlyTax, months: list[tuple[str, str]]) -> list[Decimal]:
    with localcontext(EXACT):
        return [tax.net(D(gross), D(costs)) for gross, costs in months]


def test_capital_income_is_taxed_at_the_rate_of_the_church_tax_formula() -> None:
    # k = 0: e / 4 × (1 + 5.5 %) = 26.375 % of e.
    assert capital_income_rate(church_rate=D(0), facts=FACTS) == CAPITAL_RATE
    # k = 9 %: e / 4.09 × (1 + 5.5 % + 9 %) = 1.145 / 4.09 of e, about 27.995 %.
    rate = capital_income_rate(church_rate=D("0.09"), facts=FACTS)
    assert rate.quantize(D("0.0000001")) == D("0.2799511")
    # The report's tax on 10,000 €: capital-gains tax 10,000 / 4.09 = 2,444.99, soli
    # 134.47, church tax 220.05, total 2,799.51; the rate gives the same cent.
    assert (D(10000) * rate).quantize(D("0.01")) == D("2799.51")


def test_the_allowance_accrues_by_twelfths_and_what_a_month_leaves_passes_on() -> None:
    tax = MonthlyTax(rate=CAPITAL_RATE, base=TaxBase(on_gross=True, yearly_allowance=D(1200)))
    # 100 a twelfth. Month 1: 400 − 100 = 300 × 26.375 % = 79.125 → 79.13, net 320.87.
    # Month 2 earns 50: all of it covered, 50 of the 200 accrued left unused. Month 3:
    # 300 accrued − 150 used = 150, 400 − 150 = 250 × 26.375 % = 65.9375 → 65.94, net
    # 334.06.
    assert _nets(tax, [("400", "0"), ("50", "0"), ("400", "0")]) == [
        D("320.87"),
        D(50),
        D("334.06"),
    ]
    # The year's 1,200 over 12 months of 400: 100 each month, 300 taxed: 79.13, net
    # 320.87 in every one; the year's tax 949.56 is 3,600 × 26.375 % = 949.50 but for the
    # rounding of each month's tax.
    tax.new_year()
    assert _nets(tax, [("400", "0")] * 12) == [D("320.87")] * 12


def test_capital_costs_are_not_deducted_but_a_funds_exemption_is() -> None:
    tax = MonthlyTax(rate=CAPITAL_RATE, base=TaxBase(on_gross=True))
    # Gross 100, costs 10: profit 90, taxed 100 → 26.375 → 26.38, net 63.62.
    assert _nets(tax, [("100", "10")]) == [D("63.62")]
    equity = MonthlyTax(rate=CAPITAL_RATE, base=TaxBase(on_gross=True, partial_exemption=D("0.30")))
    # Taxed 70 % of 100: 70 × 26.375 % = 18.4625 → 18.46, net 81.54.
    assert _nets(equity, [("100", "0")]) == [D("81.54")]


def test_the_profit_in_full_is_the_flat_rule_and_a_loss_pays_nothing() -> None:
    tax = MonthlyTax(rate=D("0.3"), base=PROFIT)
    # 500 − 120 = 380 × 30 % = 114, net 266; a loss of 20 stays a loss.
    assert _nets(tax, [("500", "120"), ("100", "120")]) == [D(266), D(-20)]


def test_depreciation_lowers_the_taxed_profit_until_the_building_is_written_off() -> None:
    tax = MonthlyTax(rate=D("0.42"), base=TaxBase(monthly_deduction=D(250), deduction_left=D(300)))
    # Profit 700: month 1 taxed 700 − 250 = 450 × 42 % = 189, net 511; month 2 only 50
    # is left: 650 × 42 % = 273, net 427; month 3 none: 700 × 42 % = 294, net 406.
    assert _nets(tax, [("800", "100")] * 3) == [D(511), D(427), D(406)]
    # More depreciation than profit is no tax (the saving on other income is left out).
    more = MonthlyTax(
        rate=D("0.42"), base=TaxBase(monthly_deduction=D(900), deduction_left=D(9000))
    )
    assert _nets(more, [("800", "100")]) == [D(700)]


def test_the_allowance_is_shared_as_the_suggested_orders_share_it() -> None:
    bases = capital_bases(
        expected={"etf": D(1200), "bank": D(800)},
        fund_types={"etf": FundType.EQUITY, "bank": None},
        filing_status=FilingStatus.SINGLE,
        facts=FACTS,
    )
    # Taxable: 1,200 × 70 % = 840 and 800, 1,640 in all over 1,000: 1,000 × 840 / 1,640
    # = 512.20 and 487.80; whole euros by the largest remainder: 512 and 488.
    assert bases["etf"] == TaxBase(
        on_gross=True, partial_exemption=D("0.30"), yearly_allowance=D(512)
    )
    assert bases["bank"] == TaxBase(on_gross=True, yearly_allowance=D(488))
    joint = capital_bases(
        expected={"etf": D(1200), "bank": D(800)},
        fund_types={"etf": FundType.EQUITY, "bank": None},
        filing_status=FilingStatus.JOINT,
        facts=FACTS,
    )
    # 1,640 fits in 2,000: each its own income.
    assert (joint["etf"].yearly_allowance, joint["bank"].yearly_allowance) == (D(840), D(800))


def test_a_buildings_depreciation_runs_from_what_the_years_before_left() -> None:
    building = Building(
        purchase_price=D(200000),
        building_share=D("0.75"),
        acquired_on=date(2020, 3, 1),
        completed_on=date(1990, 1, 1),
    )
    base = rental_base(building=building, year=2025)
    # Value 150,000 at 2 %: 3,000 a year, 250 a month. Before 2025: 2020 from March,
    # 10/12 of it = 2,500, then 4 × 3,000 = 12,000; 14,500 written off, 135,500 left.
    assert base == TaxBase(monthly_deduction=D(250), deduction_left=D(135500))
    assert rental_base(building=None, year=2025) == PROFIT
    bought_later = rental_base(building=building, year=2019)
    assert bought_later.deduction_left == D(150000)


def test_a_capital_sources_months_use_its_allowance_every_year() -> None:
    source = CapitalSource(
        name="ETF", capital=D(120000), annual_yield=D("0.04"), reinvest=False,
        tax_rate=CAPITAL_RATE, tax_base=TaxBase(on_gross=True, yearly_allowance=D(1000)),
    )  # fmt: skip
    # 400 a month, the allowance 1,000 a year: 83.33 a month, 316.67 taxed × 26.375 % =
    # 83.52, net 316.48; and 316.48 again in month 12, which uses what is left: 83.37
    # (the twelfths before it are not in cents; the accrued total is 1,000 exactly).
    nets = source_monthly_net(source, months=30)
    assert nets == [D("316.48")] * 30
    reinvested = source_monthly_net(
        CapitalSource(
            name="ETF", capital=D(120000), annual_yield=D("0.04"), reinvest=True,
            tax_rate=CAPITAL_RATE, tax_base=TaxBase(on_gross=True, yearly_allowance=D(1000)),
        ),
        months=13,
    )  # fmt: skip
    # Reinvested, month 2 earns on 120,316.48: 401.05, taxed on 401.05 − 83.33 = 317.72
    # × 26.375 % = 83.80, net 317.25; the capital keeps growing by the net.
    assert reinvested[:2] == [D("316.48"), D("317.25")]
    assert reinvested[12] > reinvested[11]


def test_a_rental_sources_months_run_its_depreciation_out() -> None:
    source = RentalSource(
        name="Flat", monthly_rent=D(800), vacancy_rate=D(0), management_fee_rate=D(0),
        monthly_running_costs=D(100), monthly_costs=D(0), tax_rate=D("0.42"),
        tax_base=TaxBase(monthly_deduction=D(250), deduction_left=D(300)),
    )  # fmt: skip
    assert source_monthly_net(source, months=4) == [D(511), D(427), D(406), D(406)]
