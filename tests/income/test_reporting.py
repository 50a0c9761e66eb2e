"""The §3 figures of one user, computed end to end from their rows (hand-computed cases)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import figures
from income import reporting, services, source_figures
from income.calendar import income_calendar
from income.models import ExchangeRate
from tests.factories import PaymentFactory, PeriodFactory, SourceFactory, UserFactory, category

D = Decimal
AS_OF = date(2025, 6, 30)


@pytest.fixture
def portfolio(alice: User) -> dict[str, object]:
    services.profile_update(user=alice, monthly_expenses=D("1000"), hourly_value=D("50"))
    ExchangeRate.objects.create(date=date(2025, 3, 1), currency="USD", rate=D("1.1000"))
    ExchangeRate.objects.create(date=date(2025, 6, 1), currency="USD", rate=D("1.2500"))
    etf = SourceFactory.create(
        owner=alice, name="World ETF", currency="USD", invested_capital=D("10000"),
        start_date=date(2025, 1, 1), setup_hours=D("2"), platform="Broker A", country="IE",
    )  # fmt: skip
    PaymentFactory.create(
        source=etf, date=date(2025, 3, 31), gross=D("110.00"), tax_withheld=D("11.00")
    )
    PaymentFactory.create(source=etf, date=date(2025, 6, 30), gross=D("125.00"))
    rent = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), purchase_price=D("200000"),
        monthly_rent=D("1000"), vacancy_rate=D("0.05"), management_fee_rate=D("0.1"),
        monthly_running_costs=D("100"), start_date=date(2025, 4, 1), upfront_investment=D("20000"),
        monthly_costs=D("100"), setup_hours=D("10"), maintenance_hours_per_month=D("2"),
        platform="Tenant", country="DE",
    )  # fmt: skip
    for month in (4, 5, 6):
        PaymentFactory.create(source=rent, date=date(2025, month, 3), gross=D("1000"))
    membership = SourceFactory.create(
        owner=alice, name="Membership", category=category("membership"),
        price_per_subscriber=D("10"), start_date=date(2025, 1, 1),
        new_subscribers_per_month=12, monthly_churn_rate=D("0.04"),
    )  # fmt: skip
    PeriodFactory.create(
        source=membership, month=date(2025, 6, 1), subscribers_start=100,
        new_subscribers=10, churned_subscribers=5,
    )  # fmt: skip
    salary = SourceFactory.create(owner=alice, name="Job", category=category("salary"))
    PaymentFactory.create(
        source=salary, date=date(2025, 6, 28), gross=D("3000"), tax_withheld=D("600")
    )
    return {"etf": etf, "rent": rent, "membership": membership}


def by_name(view: reporting.Overview, name: str) -> source_figures.SourceFigures:
    return next(f for f in view.sources if f.source.name == name)


def test_ltv_of_a_recorded_month_divides_by_its_unrounded_churn(alice: User) -> None:
    """Issue #17.1: 10 churned of 210; 200 + 0 new = 200 left × 10.00 = MRR 2,000.00,
    ARPU 10.00; LTV = 10 ÷ (10/210) = 210.00 (10 ÷ the shown 0.0476 would be 210.08)."""
    club = SourceFactory.create(
        owner=alice, name="Club", category=category("membership"),
        price_per_subscriber=D("10"), start_date=date(2025, 1, 1),
    )  # fmt: skip
    PeriodFactory.create(
        source=club, month=date(2025, 6, 1), subscribers_start=210, churned_subscribers=10
    )
    figures_of_club = by_name(reporting.overview(owner=alice, as_of=AS_OF), "Club")
    assert (figures_of_club.churn_rate, figures_of_club.arpu) == (D("0.0476"), D("10.00"))
    assert figures_of_club.ltv == D("210.00")


def test_payments_are_converted_at_the_rate_of_their_date(alice: User, portfolio: object) -> None:
    etf = by_name(reporting.overview(owner=alice, as_of=AS_OF), "World ETF")
    # March: net 99 USD / 1.10 = 90.00 EUR; June: 125 USD / 1.25 = 100.00 EUR
    assert etf.monthly_net == {date(2025, 3, 1): D("90.00"), date(2025, 6, 1): D("100.00")}
    assert (etf.gross_to_date, etf.net_to_date) == (D("200.00"), D("190.00"))
    # 2 setup hours, no maintenance: (190 − 0) / 2
    assert etf.effective_hourly_rate == D("95.00")
    # dividends in the source currency: (110 + 125) / 10,000
    assert etf.yield_on_cost == D("0.0235")
    assert etf.cash_roi is None  # nothing invested upfront, no costs: no denominator


def test_rental_figures(alice: User, portfolio: object) -> None:
    rent = by_name(reporting.overview(owner=alice, as_of=AS_OF), "Flat")
    assert rent.net_to_date == D("3000.00")
    assert rent.costs_to_date == D("300.00")  # April to June at 100
    # A rental source's upfront money bought a flat that is still owned (issue #17.6): no
    # cash ROI, which counted the 20,000 as spent ((3000 − 300 − 20000) / 20300 = −85.22 %).
    assert rent.return_basis == source_figures.ReturnBasis.ASSET
    assert (rent.cash_roi, rent.full_roi) == (None, None)
    assert rent.money_put_in == D("20300.00")  # 20,000 upfront + 300 costs
    # no value recorded: no total return, and the income yield is on the upfront money:
    # 3000 net in the last twelve months / 20,000 = 0.15
    assert (rent.total_return, rent.total_return_ratio) == (None, None)
    assert (rent.income_yield, rent.income_yield_base) == (D("0.1500"), "upfront")
    assert rent.hours_to_date == D("16")  # 10 + 3 × 2
    assert rent.effective_hourly_rate == D("168.75")  # 2700 / 16
    # (12 × 1000 × 0.95 − 12 × 100 − 0.1 × 11400) / 200,000 = 9060 / 200,000
    assert rent.net_rental_yield == D("0.0453")
    # the income payback: 2700 after June; 900 a month to go: ⌈17300 / 900⌉ = 20 months later
    assert rent.payback == figures.Payback(month=date(2027, 2, 1), projected=True)


def test_subscription_figures_come_from_the_latest_month(alice: User, portfolio: object) -> None:
    membership = by_name(reporting.overview(owner=alice, as_of=AS_OF), "Membership")
    # 100 + 10 − 5 = 105 subscribers × 10
    assert membership.subscribers == 105
    assert (membership.mrr, membership.arr) == (D("1050.00"), D("12600.00"))
    assert membership.churn_rate == D("0.0500")
    assert (membership.arpu, membership.ltv) == (D("10.00"), D("200.00"))
    assert membership.steady_state_subscribers == D(300)  # 12 / 0.04


def test_the_steady_state_is_shown_as_a_whole_number_of_subscribers(alice: User) -> None:
    """10 / 0.03 is 333.3… to 1,200 digits in the projection; a person reads 333."""
    source = SourceFactory.create(
        owner=alice,
        category=category("membership"),
        new_subscribers_per_month=10,
        monthly_churn_rate=D("0.03"),
    )
    figures = by_name(reporting.overview(owner=alice, as_of=AS_OF), source.name)
    assert figures.steady_state_subscribers == D(333)
    assert str(figures.steady_state_subscribers) == "333"


def test_dashboard_totals_share_and_coverage(alice: User, portfolio: object) -> None:
    view = reporting.overview(owner=alice, as_of=AS_OF)
    assert view.passive_net_ttm == D("3190.00")  # 190 + 3000
    assert view.total_net_ttm == D("5590.00")  # + salary 2400
    assert view.passive_share == D("0.5707")  # 3190 / 5590
    assert view.expense_coverage == D("0.2658")  # 3190 / 12 / 1000
    assert view.passive_net_by_month[date(2025, 6, 1)] == D("1100.00")  # 100 + 1000
    assert view.active_net_by_month[date(2025, 6, 1)] == D("2400.00")
    assert len(view.months) == 24
    assert view.missing_rates == []


def test_concentration_warns_when_one_part_carries_more_than_half(
    alice: User, portfolio: object
) -> None:
    view = reporting.overview(owner=alice, as_of=AS_OF)
    assert view.concentration_warnings["source"].key == "Flat"
    assert view.concentration_warnings["source"].share == D("0.9404")  # 3000 / 3190
    # All three are in EUR, the base currency: EUR carrying 100 % is not a risk (issue
    # 17, item 4); before, it warned.
    assert "currency" not in view.concentration_warnings
    shares = {share.key: share.share for share in view.concentration["source"]}
    assert shares == {"Flat": D("0.9404"), "World ETF": D("0.0596"), "Membership": D("0")}


def test_sources_are_ranked_by_effective_hourly_rate(alice: User, portfolio: object) -> None:
    passive = [
        f
        for f in reporting.overview(owner=alice, as_of=AS_OF).sources
        if f.source.category.is_passive
    ]
    ranked = sorted(passive, key=lambda f: figures.hourly_rate_rank(f.effective_hourly_rate))
    assert [f.source.name for f in ranked] == ["Flat", "World ETF", "Membership"]


def test_a_currency_without_rates_is_reported_not_guessed(alice: User) -> None:
    source = SourceFactory.create(owner=alice, currency="CHF")
    PaymentFactory.create(source=source, date=date(2025, 6, 1), gross=D("100"))
    view = reporting.overview(owner=alice, as_of=AS_OF)
    assert view.missing_rates == ["CHF"]
    assert view.passive_net_ttm == D("0.00")


def test_a_new_user_has_empty_figures(alice: User) -> None:
    view = reporting.overview(owner=alice, as_of=AS_OF)
    assert view.sources == []
    assert view.passive_net_ttm == D("0.00")
    assert view.passive_share is None
    assert view.expense_coverage is None


def test_the_query_count_does_not_grow_with_the_data(db: None) -> None:
    small, large = UserFactory.create(), UserFactory.create()
    ExchangeRate.objects.create(date=date(2025, 1, 1), currency="USD", rate=D("1.1"))
    for owner, count in ((small, 2), (large, 100)):
        for n in range(count):
            source = SourceFactory.create(owner=owner, currency="USD" if n % 2 else "EUR")
            PaymentFactory.create(source=source, date=date(2025, 5, 5))
    counts = []
    for owner in (small, large):
        with CaptureQueriesContext(connection) as queries:
            reporting.overview(owner=owner, as_of=AS_OF)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_income_calendar_marks_received_expected_and_overdue(alice: User) -> None:
    etf = SourceFactory.create(
        owner=alice, payout_rhythm="quarterly", next_payout_date=date(2025, 6, 15),
        start_date=date(2024, 1, 1),
    )  # fmt: skip
    PaymentFactory.create(source=etf, date=date(2025, 3, 20), gross=D("50"))
    rows = income_calendar(owner=alice, today=date(2025, 7, 10))
    entries = {entry.month: entry for entry in rows[0].entries}
    # window: April 2025 (three months back) to June 2026; quarterly in Mar/Jun/Sep/Dec
    assert min(entries) == date(2025, 4, 1)
    assert entries[date(2025, 6, 1)].status == "overdue"  # expected, month passed, nothing came
    assert entries[date(2025, 9, 1)].status == "expected"
    assert entries[date(2025, 8, 1)].status == "none"


def test_yield_on_cost_counts_every_payment_of_a_month(alice: User) -> None:
    etf = SourceFactory.create(
        owner=alice, invested_capital=D("10000"), start_date=date(2025, 1, 1)
    )
    PaymentFactory.create(source=etf, date=date(2025, 6, 2), gross=D("60"))
    PaymentFactory.create(source=etf, date=date(2025, 6, 20), gross=D("40"))
    # (60 + 40) / 10,000, both June payments counted
    assert by_name(reporting.overview(owner=alice, as_of=AS_OF), etf.name).yield_on_cost == D(
        "0.0100"
    )
