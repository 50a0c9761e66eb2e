"""The stress test (PRODUCT.md §4): shocks on the source models, before and after by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from finance.errors import DomainError
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.stress import Shocks, SourceTags, apply_shocks, stress_test

D = Decimal
START = date(2025, 1, 1)

ETF = CapitalSource(
    name="ETF", capital=D(120000), annual_yield=D("0.03"), reinvest=False, tax_rate=D("0.25")
)
P2P = CapitalSource(
    name="P2P", capital=D(12000), annual_yield=D("0.1"), reinvest=False, tax_rate=D("0.25")
)
FLAT = RentalSource(
    name="Flat",
    monthly_rent=D(1000),
    vacancy_rate=D("0.05"),
    management_fee_rate=D("0.08"),
    monthly_running_costs=D(150),
    monthly_costs=D(20),
    tax_rate=D("0.3"),
)
SAAS = SubscriptionSource(
    name="SaaS",
    subscribers=D(100),
    price=D(10),
    new_per_month=D(5),
    churn_rate=D("0.1"),
    monthly_costs=D(50),
    tax_rate=D("0.2"),
)
BLOG = FlatSource(
    name="Blog ads",
    monthly_amount=D(200),
    annual_growth=D(0),
    monthly_costs=D(20),
    tax_rate=D("0.3"),
)
PORTFOLIO: list[tuple[SourceModel, SourceTags]] = [
    (ETF, SourceTags()),
    (P2P, SourceTags(p2p=True)),
    (FLAT, SourceTags()),
    (SAAS, SourceTags()),
    (BLOG, SourceTags(ads_or_affiliate=True, foreign_currency=True)),
]
SHOCKS = Shocks(
    dividend_cut=D("0.5"),
    p2p_default_rate=D("0.04"),
    vacancy=D("0.1"),
    churn_spike=D("0.05"),
    ad_revenue_drop=D("0.2"),
    currency_move=D("-0.1"),
)


def test_every_shock_hits_its_sources_in_the_first_month() -> None:
    result = stress_test(
        sources=PORTFOLIO,
        shocks=SHOCKS,
        monthly_expenses=D(1500),
        inflation=D(0),
        start=START,
    )
    assert result.per_source == (
        # 120000 × 0.03 / 12 = 300; tax 75 → 225. Cut by half: 150; tax 37.50 → 112.50
        ("ETF", D("225.00"), D("112.50")),
        # 12000 × 0.1 / 12 = 100 → 75. Yield 0.1 × 0.5 − 0.04 = 0.01: 10; tax 2.50 → 7.50
        ("P2P", D("75.00"), D("7.50")),
        # 950 − 76 fee − 170 = 704; tax 211.20 → 492.80.
        # Vacancy 0.15: 850 − 68 − 170 = 612; tax 183.60 → 428.40
        ("Flat", D("492.80"), D("428.40")),
        # 100 × 0.9 + 5 = 95 → 950 − 50 = 900; tax 180 → 720.
        # Churn 0.15: 100 × 0.85 + 5 = 90 → 900 − 50 = 850; tax 170 → 680
        ("SaaS", D("720.00"), D("680.00")),
        # 200 − 20 = 180; tax 54 → 126. 200 × 0.8 × 0.9 = 144 − 20 = 124; tax 37.20 → 86.80
        ("Blog ads", D("126.00"), D("86.80")),
    )
    # 225 + 75 + 492.80 + 720 + 126 = 1638.80; 112.50 + 7.50 + 428.40 + 680 + 86.80 = 1315.20
    assert (result.monthly_net_before, result.monthly_net_after) == (D("1638.80"), D("1315.20"))
    # 1638.80 covers 1500 in the first month; after the shocks it never does (it only falls)
    assert result.independence_before == START
    assert result.independence_after is None


def test_a_shock_moves_the_independence_month_later() -> None:
    royalties = FlatSource(
        name="Affiliate",
        monthly_amount=D(1000),
        annual_growth=D("0.1"),
        monthly_costs=D(0),
        tax_rate=D(0),
    )
    result = stress_test(
        sources=[(royalties, SourceTags(ads_or_affiliate=True))],
        shocks=Shocks(ad_revenue_drop=D("0.1")),
        monthly_expenses=D(1200),
        inflation=D(0),
        start=date(2025, 6, 15),
    )
    # before: 1000, 1100, 1210 ≥ 1200 in plan year 3 → June 2027
    # after: 900, 990, 1089, 1197.90, 1317.69 ≥ 1200 in plan year 5 → June 2029
    assert (result.monthly_net_before, result.monthly_net_after) == (D("1000.00"), D("900.00"))
    assert result.independence_before == date(2027, 6, 1)
    assert result.independence_after == date(2029, 6, 1)


def test_no_shocks_change_nothing() -> None:
    result = stress_test(
        sources=PORTFOLIO, shocks=Shocks(), monthly_expenses=D(0), inflation=D(0), start=START
    )
    assert result.monthly_net_before == result.monthly_net_after == D("1638.80")
    assert result.independence_before is result.independence_after is None
    assert all(before == after for _, before, after in result.per_source)


def test_vacancy_and_churn_are_capped_at_one() -> None:
    shocked = apply_shocks(
        [(replace(FLAT, vacancy_rate=D("0.95")), SourceTags()), (SAAS, SourceTags())],
        Shocks(vacancy=D("0.1"), churn_spike=D("0.95")),
    )
    assert isinstance(shocked[0], RentalSource)
    assert isinstance(shocked[1], SubscriptionSource)
    assert shocked[0].vacancy_rate == D(1)
    assert shocked[1].churn_rate == D(1)


def test_untagged_sources_are_spared_the_tagged_shocks() -> None:
    shocks = Shocks(p2p_default_rate=D("0.05"), ad_revenue_drop=D("0.5"), currency_move=D("0.2"))
    assert apply_shocks([(ETF, SourceTags()), (BLOG, SourceTags())], shocks) == [ETF, BLOG]


def test_a_currency_move_changes_income_but_not_costs() -> None:
    tags = SourceTags(foreign_currency=True)
    etf, flat, saas, blog = apply_shocks(
        [(ETF, tags), (FLAT, tags), (SAAS, tags), (BLOG, tags)], Shocks(currency_move=D("-0.1"))
    )
    assert etf == replace(ETF, capital=D("108000.0"))
    assert flat == replace(FLAT, monthly_rent=D("900.0"))
    assert saas == replace(SAAS, price=D("9.0"))
    assert blog == replace(BLOG, monthly_amount=D("180.0"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dividend_cut", D("1.1")),
        ("p2p_default_rate", D("-0.1")),
        ("vacancy", D("NaN")),
        ("churn_spike", D(2)),
        ("ad_revenue_drop", D(-1)),
        ("currency_move", D(-1)),
        ("currency_move", D("1.5")),
    ],
)
def test_shocks_outside_the_bounds_are_refused(field: str, value: Decimal) -> None:
    with pytest.raises(DomainError) as caught:
        apply_shocks(PORTFOLIO, replace(Shocks(), **{field: value}))
    assert list(caught.value.field_errors) == [field]
