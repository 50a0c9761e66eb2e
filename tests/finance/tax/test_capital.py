"""The Abgeltungsteuer of a year: hand-computed cases, the bank's view, and properties.

Single, 2025 (allowance 1,000 €) unless a test says otherwise. "Allowance used up" is an
interest payment of 1,000.00 € in January at the same bank, before the dividend.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.rounding import to_cents
from finance.tax.capital import (
    CapitalIncome,
    CreditLimit,
    IncomeKind,
    TaxDue,
    capital_tax,
    capital_year,
    vorabpauschale_income,
)
from finance.tax.facts import KNOWN_FACTS, FilingStatus, FundType
from finance.tax.funds import vorabpauschale

D = Decimal
FACTS = KNOWN_FACTS[2025]
SINGLE = FilingStatus.SINGLE

INTEREST_USING_THE_ALLOWANCE = CapitalIncome(
    day=date(2025, 1, 15), bank="dkb", kind=IncomeKind.INTEREST, gross=D("1000.00")
)


def us_dividend(*, withheld: str = "15.00", german_tax: str = "0") -> CapitalIncome:
    """A US dividend of 100.00 € gross (100 $ at 1 EUR = 1.0000 USD, for round figures)."""
    return CapitalIncome(
        day=date(2025, 5, 2),
        bank="dkb",
        kind=IncomeKind.DIVIDEND,
        gross=D("100.00"),
        foreign_tax=D(withheld),
        country="US",
        german_tax_withheld=D(german_tax),
    )


def test_a_us_dividend_after_the_allowance_is_used_up_credits_the_15_percent() -> None:
    year = capital_year(
        facts=FACTS,
        items=[INTEREST_USING_THE_ALLOWANCE, us_dividend(german_tax="10.55")],
        filing_status=SINGLE,
        allowance_orders={"dkb": D(1000)},
    )
    interest, dividend = year.items
    assert (interest.allowance_used, interest.taxed) == (D("1000.00"), D("0.00"))
    # the dividend: taxable 100.00, no allowance left, taxed 100.00
    assert (dividend.taxable, dividend.allowance_used, dividend.taxed) == (
        D("100.00"),
        D(0),
        D("100.00"),
    )
    # treaty cap 15 % × 100.00 = 15.00; German cap 25 % × 100.00 = 25.00; withheld 15.00
    assert dividend.creditable == D("15.00")
    assert dividend.reclaimable == D(0)
    assert dividend.not_credited == D(0)
    assert dividend.credit_limit is CreditLimit.WITHHELD
    # e = 100.00, q = 15.00, k = 0: (100 − 4 × 15) / 4 = 10.00 = 25 % × 100 − 15
    # solidarity 5.5 % × 10.00 = 0.55; total 10.55
    assert year.due == TaxDue(
        capital_gains_tax=D("10.00"), solidarity=D("0.55"), church_tax=D("0.00"), total=D("10.55")
    )
    # the bank withheld 10.55: the return adds nothing
    assert year.withheld == D("10.55")
    assert year.difference == D(0)


def test_church_tax_at_9_percent_lowers_the_capital_gains_tax_by_the_formula() -> None:
    year = capital_year(
        facts=FACTS,
        items=[INTEREST_USING_THE_ALLOWANCE, us_dividend()],
        filing_status=SINGLE,
        church_rate=D("0.09"),
        allowance_orders={"dkb": D(1000)},
    )
    # (e − 4q) / (4 + k) = (100.00 − 60.00) / 4.09 = 9.77995… → 9.78
    # solidarity 5.5 % × 9.78 = 0.5379 → 0.54; church tax 9 % × 9.78 = 0.8802 → 0.88
    # total 9.78 + 0.54 + 0.88 = 11.20
    assert year.due == TaxDue(
        capital_gains_tax=D("9.78"), solidarity=D("0.54"), church_tax=D("0.88"), total=D("11.20")
    )
    assert year.items[1].creditable == D("15.00")  # the credit does not depend on k


def test_a_us_dividend_covered_by_the_allowance_credits_nothing() -> None:
    year = capital_year(
        facts=FACTS, items=[us_dividend()], filing_status=SINGLE, allowance_orders={"dkb": D(1000)}
    )
    (dividend,) = year.items
    # 100.00 of the 1,000 allowance is used: taxed 0, so the German tax on it is 0.
    assert (dividend.allowance_used, dividend.taxed) == (D("100.00"), D("0.00"))
    # 15.00 withheld is exactly the 15 % treaty rate: nothing to reclaim in the US.
    # German cap 25 % × 0 = 0: nothing creditable. So all 15.00 is lost ("not credited").
    assert dividend.creditable == D("0.00")
    assert dividend.reclaimable == D("0.00")
    assert dividend.not_credited == D("15.00")
    assert dividend.credit_limit is CreditLimit.COVERED_BY_ALLOWANCE
    assert year.due.total == D("0.00")
    assert year.allowance_used == D("100.00")
    # no later taxed income in the year takes it from the pot: lost at the year's end
    assert year.credited_from_pot == D(0)
    assert year.not_credited == D("15.00")
    assert year.banks[0].not_credited == D("15.00")  # what the bank certifies


def test_a_covered_dividends_foreign_tax_is_credited_from_the_pot_later_that_year() -> None:
    interest = CapitalIncome(
        day=date(2025, 8, 1), bank="dkb", kind=IncomeKind.INTEREST, gross=D("1000.00")
    )
    year = capital_year(
        facts=FACTS,
        items=[us_dividend(), interest],
        filing_status=SINGLE,
        allowance_orders={"dkb": D(1000)},
    )
    dividend, later = year.items
    # May: the dividend uses 100.00 of the allowance and credits nothing itself;
    # its 15.00 goes to the pot (Quellensteuertopf)
    assert dividend.credit_limit is CreditLimit.COVERED_BY_ALLOWANCE
    assert dividend.not_credited == D("15.00")
    # August: the interest uses the 900.00 left, 100.00 taxed, German tax 25.00 on it:
    # room for the 15.00 from the pot
    assert (later.allowance_used, later.taxed) == (D("900.00"), D("100.00"))
    assert later.credited_from_pot == D("15.00")
    # e = 100.00, q = 15.00: the same 10.00 + 0.55 as with the allowance used up first
    assert year.creditable == D("15.00")
    assert year.not_credited == D(0)
    assert year.due.total == D("10.55")


def test_withholding_above_the_treaty_rate_is_reclaimable_abroad() -> None:
    year = capital_year(
        facts=FACTS,
        items=[INTEREST_USING_THE_ALLOWANCE, us_dividend(withheld="30.00")],
        filing_status=SINGLE,
        allowance_orders={"dkb": D(1000)},
    )
    dividend = year.items[1]
    # 30.00 withheld (no W-8BEN), treaty 15 % × 100.00 = 15.00: 15.00 reclaimable from
    # the IRS, 15.00 creditable (German cap 25.00 does not bind)
    assert dividend.reclaimable == D("15.00")
    assert dividend.creditable == D("15.00")
    assert dividend.not_credited == D("0.00")
    assert dividend.credit_limit is CreditLimit.TREATY_RATE
    # the same German tax as with 15 % withheld: 25.00 − 15.00 = 10.00, + 0.55
    assert year.due.total == D("10.55")
    assert year.reclaimable == D("15.00")


def test_a_dividend_partly_covered_by_the_allowance_credits_only_the_tax_on_the_rest() -> None:
    interest = CapitalIncome(
        day=date(2025, 1, 15), bank="dkb", kind=IncomeKind.INTEREST, gross=D("940.00")
    )
    year = capital_year(
        facts=FACTS,
        items=[interest, us_dividend()],
        filing_status=SINGLE,
        allowance_orders={"dkb": D(1000)},
    )
    dividend = year.items[1]
    # 1,000 − 940 = 60.00 of the allowance left for the dividend: taxed 40.00
    # German cap 25 % × 40.00 = 10.00 < 15.00 withheld: 10.00 credited, 5.00 lost
    assert (dividend.allowance_used, dividend.taxed) == (D("60.00"), D("40.00"))
    assert dividend.creditable == D("10.00")
    assert dividend.not_credited == D("5.00")
    assert dividend.credit_limit is CreditLimit.GERMAN_TAX
    # e = 40.00, q = 10.00: 10.00 − 10.00 = 0
    assert year.due.total == D("0.00")


def test_the_allowance_is_used_by_the_earliest_income_first() -> None:
    later = CapitalIncome(
        day=date(2025, 11, 3), bank="dkb", kind=IncomeKind.INTEREST, gross=D("700.00")
    )
    earlier = CapitalIncome(
        day=date(2025, 2, 3), bank="dkb", kind=IncomeKind.INTEREST, gross=D("600.00")
    )
    year = capital_year(
        facts=FACTS, items=[later, earlier], filing_status=SINGLE, allowance_orders={}
    )
    # February's 600.00 uses 600.00, November's 700.00 the remaining 400.00
    assert [item.income for item in year.items] == [earlier, later]
    assert [item.allowance_used for item in year.items] == [D("600.00"), D("400.00")]
    # e = 300.00: 75.00 + 4.125 → 4.13 = 79.13
    assert year.due.total == D("79.13")


def test_each_bank_uses_only_its_order_and_the_return_refunds_the_difference() -> None:
    at_a = CapitalIncome(
        day=date(2025, 3, 31), bank="bank-a", kind=IncomeKind.INTEREST, gross=D("200.00")
    )
    at_b = CapitalIncome(
        day=date(2025, 6, 30),
        bank="bank-b",
        kind=IncomeKind.INTEREST,
        gross=D("500.00"),
        german_tax_withheld=D("131.88"),
    )
    year = capital_year(
        facts=FACTS,
        items=[at_a, at_b],
        filing_status=SINGLE,
        allowance_orders={"bank-a": D(1000)},
    )
    bank_a, bank_b = year.banks
    # bank A: 200.00 under its 1,000 order: nothing to withhold
    assert (bank_a.taxable, bank_a.allowance_order, bank_a.allowance_used) == (
        D("200.00"),
        D(1000),
        D("200.00"),
    )
    assert bank_a.due.total == D("0.00")
    # bank B: no order: 25 % × 500.00 = 125.00, solidarity 6.875 → 6.88, total 131.88
    assert (bank_b.allowance_order, bank_b.allowance_used) == (D(0), D(0))
    assert bank_b.due.total == D("131.88")
    assert bank_b.withheld == D("131.88")
    # the return: 700.00 all within the 1,000 allowance: no tax, 131.88 refunded
    assert year.allowance_used == D("700.00")
    assert year.due.total == D("0.00")
    assert year.difference == D("-131.88")


def test_a_bank_with_an_order_but_no_income_is_listed() -> None:
    year = capital_year(
        facts=FACTS, items=[], filing_status=SINGLE, allowance_orders={"idle": D(500)}
    )
    (idle,) = year.banks
    assert (idle.bank, idle.taxable, idle.allowance_used) == ("idle", D(0), D(0))
    assert year.due.total == D(0)


def test_an_equity_fund_distribution_is_taxed_at_70_percent() -> None:
    distribution = CapitalIncome(
        day=date(2025, 6, 15),
        bank="dkb",
        kind=IncomeKind.FUND_DISTRIBUTION,
        fund_type=FundType.EQUITY,
        gross=D("100.00"),
    )
    year = capital_year(
        facts=FACTS,
        items=[INTEREST_USING_THE_ALLOWANCE, distribution],
        filing_status=SINGLE,
        allowance_orders={},
    )
    # taxable 100.00 × 0.7 = 70.00; tax 17.50, solidarity 0.9625 → 0.96; total 18.46
    assert year.items[1].taxable == D("70.00")
    assert year.due.total == D("18.46")


def test_a_vorabpauschale_is_income_of_the_year_it_counts_as_received() -> None:
    pauschale = vorabpauschale(
        facts=FACTS,
        fund_type=FundType.EQUITY,
        start_price=D("100.00"),
        end_price=D("110.00"),
        distributions_per_unit=D(0),
        units=D(20),
        bought_on=date(2025, 3, 14),
    )
    item = vorabpauschale_income(vorabpauschale=pauschale, bank="broker")
    assert (item.day, item.kind, item.fund_type) == (
        date(2026, 1, 2),
        IncomeKind.VORABPAUSCHALE,
        FundType.EQUITY,
    )
    with pytest.raises(ValueError, match="tax year 2025"):
        capital_year(facts=FACTS, items=[item], filing_status=SINGLE, allowance_orders={})
    year = capital_year(
        facts=KNOWN_FACTS[2026], items=[item], filing_status=SINGLE, allowance_orders={}
    )
    # gross 29.52, taxable 20.66 (the funds test), all within the 2026 allowance
    assert year.items[0].taxable == pauschale.taxable == D("20.66")
    assert year.allowance_used == D("20.66")


def test_joint_filers_have_twice_the_allowance() -> None:
    income = CapitalIncome(
        day=date(2025, 4, 1), bank="dkb", kind=IncomeKind.INTEREST, gross=D("1500.00")
    )
    year = capital_year(
        facts=FACTS, items=[income], filing_status=FilingStatus.JOINT, allowance_orders={}
    )
    assert year.allowance == D(2000)
    assert year.due.total == D("0.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": date(2024, 12, 31)}, "tax year"),
        ({"gross": D("-1.00")}, "negative"),
        ({"fund_type": FundType.EQUITY}, "fund type"),
        ({"kind": IncomeKind.FUND_DISTRIBUTION}, "fund type"),
    ],
)
def test_an_item_that_breaks_a_rule_raises(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "day": date(2025, 5, 2),
        "bank": "dkb",
        "kind": IncomeKind.DIVIDEND,
        "gross": D("100.00"),
    }
    item = CapitalIncome(**(fields | changes))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        capital_year(facts=FACTS, items=[item], filing_status=SINGLE, allowance_orders={})


def test_an_unknown_church_rate_or_a_negative_order_raises() -> None:
    with pytest.raises(ValueError, match="church"):
        capital_year(
            facts=FACTS, items=[], filing_status=SINGLE, church_rate=D("0.1"), allowance_orders={}
        )
    with pytest.raises(ValueError, match="order"):
        capital_year(facts=FACTS, items=[], filing_status=SINGLE, allowance_orders={"x": D(-1)})


amounts = st.decimals(min_value=0, max_value=5_000, places=2)
church_rates = st.sampled_from([D(0), D("0.08"), D("0.09")])


@st.composite
def incomes(draw: st.DrawFn) -> CapitalIncome:
    kind = draw(st.sampled_from(IncomeKind))
    gross = draw(amounts)
    return CapitalIncome(
        day=date(2025, draw(st.integers(1, 12)), draw(st.integers(1, 28))),
        bank=draw(st.sampled_from(["a", "b", "c"])),
        kind=kind,
        fund_type=draw(st.sampled_from(FundType))
        if kind
        in {
            IncomeKind.FUND_DISTRIBUTION,
            IncomeKind.VORABPAUSCHALE,
        }
        else None,
        gross=gross,
        foreign_tax=draw(st.decimals(min_value=0, max_value=gross, places=2)),
        country=draw(st.sampled_from(["US", "CH", "DE", "XX"])),
        german_tax_withheld=draw(st.decimals(min_value=0, max_value=gross, places=2)),
    )


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(incomes(), max_size=8),
    church_rate=church_rates,
    status=st.sampled_from(FilingStatus),
    orders=st.dictionaries(st.sampled_from(["a", "b", "c"]), amounts, max_size=3),
)
def test_tax_is_never_negative_and_credits_stay_within_withheld_and_treaty(
    items: list[CapitalIncome],
    church_rate: Decimal,
    status: FilingStatus,
    orders: dict[str, Decimal],
) -> None:
    year = capital_year(
        facts=FACTS,
        items=items,
        filing_status=status,
        church_rate=church_rate,
        allowance_orders=orders,
    )
    for due in [year.due, *(bank.due for bank in year.banks)]:
        assert min(due.capital_gains_tax, due.solidarity, due.church_tax) >= 0
        assert due.total == due.capital_gains_tax + due.solidarity + due.church_tax
    for item in [*year.items, *(i for bank in year.banks for i in bank.items)]:
        treaty = FACTS.treaty_rate(item.income.country)
        assert 0 <= item.creditable <= item.income.foreign_tax
        if treaty is not None:
            assert item.creditable <= to_cents(treaty * item.income.gross)
        german_tax = to_cents(FACTS.capital_gains_tax_rate * item.taxed)
        assert item.creditable + item.credited_from_pot <= german_tax
        assert item.credited_from_pot >= 0
        assert item.creditable + item.reclaimable + item.not_credited == item.income.foreign_tax
        assert min(item.reclaimable, item.not_credited) >= 0
        assert item.allowance_used + item.taxed == item.taxable
        if item.taxed == 0 and item.income.foreign_tax > 0:
            assert item.credit_limit is CreditLimit.COVERED_BY_ALLOWANCE
            assert item.creditable == 0
    assert year.allowance_used <= year.allowance
    assert year.creditable + year.reclaimable + year.not_credited == year.foreign_tax
    assert year.not_credited >= 0
    for bank in year.banks:
        assert bank.allowance_used <= bank.allowance_order


@settings(max_examples=300, deadline=None)
@given(taxed=amounts, creditable=amounts)
def test_the_church_formula_with_k_zero_is_25_percent_of_e_less_q(
    taxed: Decimal, creditable: Decimal
) -> None:
    due = capital_tax(taxed=taxed, creditable=creditable, church_rate=D(0), facts=FACTS)
    assert due.capital_gains_tax == to_cents(max(D(0), D("0.25") * taxed - creditable))
    assert due.church_tax == 0


@settings(max_examples=300, deadline=None)
@given(taxed=amounts, church_rate=church_rates)
def test_church_tax_is_deductible_so_the_total_never_exceeds_the_rate_without_it(
    taxed: Decimal, church_rate: Decimal
) -> None:
    # e / (4 + k) ≤ e / 4: church tax is deductible, so it lowers the capital-gains tax
    with_church = capital_tax(taxed=taxed, creditable=D(0), church_rate=church_rate, facts=FACTS)
    without = capital_tax(taxed=taxed, creditable=D(0), church_rate=D(0), facts=FACTS)
    assert with_church.capital_gains_tax <= without.capital_gains_tax
