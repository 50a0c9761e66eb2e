"""The independence month taxes each source as the yearly tax report does (issue 22
item 5): capital income at the Abgeltungsteuer with its allowance and partial
exemption, rent and business income at the marginal rate, rent less depreciation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

import pytest
from django.contrib.auth.models import User

from finance.money import RateBook
from finance.rounding import EXACT
from finance.tax.facts import KNOWN_FACTS
from finance.tax.projection import PROFIT, TaxBase
from income.models import Profile, TaxProfile
from income.models.sources import IncomeSource
from scenarios import selectors
from scenarios.plans import source_models_of
from tests.factories import SourceFactory, category

D = Decimal
TODAY = date(2025, 6, 15)
FACTS = KNOWN_FACTS[2025]
EUR_ONLY = RateBook([])
pytestmark = pytest.mark.django_db


def _profile(user: User, **fields: object) -> Profile:
    flat = TaxProfile.objects.get(slug="de-capital-gains")  # 26.375 %
    Profile.objects.filter(user=user).update(default_tax_profile=flat, **fields)
    return Profile.objects.select_related("default_tax_profile").get(user=user)


def _sources(owner: User) -> list[IncomeSource]:
    return [
        SourceFactory.create(
            owner=owner, name="World ETF", category=category("etf-dividends"),
            invested_capital=D(60000), expected_yield=D("0.02"), fund_type="equity",
            tax_profile=TaxProfile.objects.get(slug="de-equity-fund"),
        ),
        SourceFactory.create(
            owner=owner, name="Loans", category=category("p2p-interest"),
            invested_capital=D(8000), expected_yield=D("0.10"),
        ),
        SourceFactory.create(
            owner=owner, name="Flat", category=category("rent"), monthly_rent=D(900),
            purchase_price=D(200000), building_share=D("0.75"), completion_year=1990,
            acquired_on=date(2020, 3, 1),
        ),
        SourceFactory.create(
            owner=owner, name="Book", category=category("licences"),
            expected_monthly_amount=D(300),
        ),
        SourceFactory.create(
            owner=owner, name="Abroad", category=category("etf-dividends"),
            invested_capital=D(10000), expected_yield=D("0.03"), tax_rate=D("0.15"),
        ),
        SourceFactory.create(
            owner=owner, name="Own rule", category=category("licences"),
            expected_monthly_amount=D(50), tax_profile=TaxProfile.objects.get(slug="flat-rate"),
        ),
    ]  # fmt: skip


def _taxes(
    profile: Profile, sources: list[IncomeSource], facts: object = FACTS
) -> dict[str, tuple[Decimal, TaxBase]]:
    inputs = source_models_of(
        profile=profile,
        sources=sources,
        rates=EUR_ONLY,
        today=TODAY,
        facts=facts,  # type: ignore[arg-type]
    )
    return {model.name: (model.tax_rate, model.tax_base) for model, _tags in inputs.models}


def test_each_source_is_taxed_by_its_categorys_treatment(alice: User) -> None:
    profile = _profile(alice, church_tax_rate=D("0.09"), marginal_tax_rate=D("0.42"))
    taxes = _taxes(profile, _sources(alice))
    with localcontext(EXACT):
        capital = (D(1) + D("0.055") + D("0.09")) / (D(4) + D("0.09"))  # §32d with 9 %
    # Yearly gross 1,200 (ETF, 70 % taxable: 840) and 800: 1,640 taxable share the
    # single allowance of 1,000 as 512 and 488 (finance tests work it by hand).
    assert taxes["World ETF"] == (
        capital,
        TaxBase(on_gross=True, partial_exemption=D("0.30"), yearly_allowance=D(512)),
    )
    assert taxes["Loans"] == (capital, TaxBase(on_gross=True, yearly_allowance=D(488)))
    # 150,000 building at 2 %: 250 a month, 135,500 not written off before 2025.
    assert taxes["Flat"] == (
        D("0.42"),
        TaxBase(monthly_deduction=D(250), deduction_left=D(135500)),
    )
    assert taxes["Book"] == (D("0.42"), PROFIT)
    assert taxes["Abroad"] == (D("0.15"), PROFIT)  # its own rate: kept, and no allowance
    # The flat-rate profile says the source states its own rate (none here: 0); the
    # equity-fund profile of the World ETF only names the rule the report applies.
    assert taxes["Own rule"] == (D(0), PROFIT)


def test_without_a_marginal_rate_rent_and_business_keep_the_flat_rate(alice: User) -> None:
    profile = _profile(alice)
    taxes = _taxes(profile, _sources(alice))
    assert taxes["Flat"] == taxes["Book"] == (D("0.26375"), PROFIT)
    assert taxes["Loans"][0] == D("0.26375")  # capital income: the law's rate, 25 % + soli


@pytest.mark.parametrize(
    ("fields", "facts"),
    [({"base_currency": "USD"}, FACTS), ({}, None)],
    ids=["base currency not the euro", "no tax facts"],
)
def test_every_source_keeps_its_flat_rate_where_the_german_rules_cannot_apply(
    alice: User, fields: dict[str, object], facts: object
) -> None:
    profile = _profile(alice, marginal_tax_rate=D("0.42"), **fields)
    rates = RateBook([("USD", date(2025, 6, 13), D("1.1"))])
    inputs = source_models_of(
        profile=profile,
        sources=_sources(alice),
        rates=rates,
        today=TODAY,
        facts=facts,  # type: ignore[arg-type]
    )
    assert {(model.tax_rate, model.tax_base) for model, _tags in inputs.models} == {
        (D("0.26375"), PROFIT),  # the default tax profile's, and the equity-fund profile's
        (D("0.15"), PROFIT),
        (D(0), PROFIT),
    }


def test_an_equity_funds_payouts_cover_the_expenses_once_its_exemption_counts(
    alice: User,
) -> None:
    """400 a month of an equity fund's distributions against expenses of 300:

    - at a flat 26.375 %: 400 − 105.50 = 294.50 every month, never enough;
    - as the report taxes it: the allowance leaves the first months untaxed, and after
      it 70 % is taxed: 280 × 26.375 % = 73.85, net 326.15, enough every month.
    """
    _profile(alice, monthly_expenses=D(300))
    SourceFactory.create(
        owner=alice, name="World ETF", category=category("etf-dividends"),
        invested_capital=D(120000), expected_yield=D("0.04"), fund_type="equity",
    )  # fmt: skip
    month = selectors.independence_month(owner=alice, today=TODAY, inflation=D(0))
    assert month == date(2025, 6, 1)
    IncomeSource.objects.filter(owner=alice).update(tax_rate=D("0.26375"))
    assert selectors.independence_month(owner=alice, today=TODAY, inflation=D(0)) is None
