"""Every projection respects a source's start and end dates (PRODUCT.md §3, issue #17
item 3): a source that starts later counts from its start, one that ended counts no more."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from finance.errors import DomainError
from income.models import Profile
from scenarios import plan_actual, selectors, services
from scenarios.models import Scenario
from scenarios.plans import projection_facts, rates_of
from scenarios.projection.engine import project
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.projection.sources import source_monthly_net
from scenarios.stress import Shocks, SourceTags, stress_test, zero_plan
from tests.factories import ScenarioFactory, SourceFactory, category

D = Decimal
START = date(2025, 1, 1)
ZERO = D("0.00")

# 600 a month, no growth, no costs, no tax; it began long before the plan.
ROYALTIES = FlatSource(
    name="Royalties",
    monthly_amount=D(600),
    annual_growth=D(0),
    monthly_costs=D(0),
    tax_rate=D(0),
    starts=date(2020, 1, 1),
)
# A launch: 0 subscribers, 10 new a month, 10 % churn, 10 a month each.
CLUB = SubscriptionSource(
    name="Club",
    subscribers=D(0),
    price=D(10),
    new_per_month=D(10),
    churn_rate=D("0.1"),
    monthly_costs=D(0),
    tax_rate=D(0),
)
RENT = RentalSource(
    name="Flat",
    monthly_rent=D(1000),
    vacancy_rate=D(0),
    management_fee_rate=D(0),
    monthly_running_costs=D(0),
    monthly_costs=D(0),
    tax_rate=D(0),
)


def _independence(*sources: SourceModel) -> date | None:
    plan = zero_plan(start=START, horizon_years=5, monthly_expenses=D(1000), inflation=D(0))
    return project(plan, sources=sources).independence_month


# ------------------------------------------------------------------------- start dates
def test_a_source_starting_in_four_months_moves_independence_by_four_months() -> None:
    # The club's own months: subscribers 10, 19, 27.1, 34.39, 40.951 → net 100.00,
    # 190.00, 271.00, 343.90, 409.51. With the royalties' 600, expenses of 1000 are
    # covered from the club's 5th month (600 + 343.90 = 943.90 < 1000 ≤ 600 + 409.51).
    # Counted from the plan's start (as every source was before): the 5th month is May
    # 2025. Starting on 20 May 2025, month 4 of the plan, the club's own month 0 is May
    # and its 5th month is September 2025: four months later, as it starts four later.
    assert _independence(ROYALTIES, CLUB) == date(2025, 5, 1)
    assert _independence(ROYALTIES, replace(CLUB, starts=date(2025, 5, 20))) == date(2025, 9, 1)


def test_a_later_source_is_zero_before_its_start_and_begins_its_own_model_there() -> None:
    club = replace(CLUB, starts=date(2025, 3, 1))
    assert source_monthly_net(club, months=5, start=START) == [
        ZERO, ZERO, D("100.00"), D("190.00"), D("271.00"),
    ]  # fmt: skip
    # A reinvested capital grows from its own start: 12000 × 0.1 / 12 = 100.00 in
    # March; then 12100 × 0.1 / 12 = 100.833… → 100.83.
    etf = CapitalSource(
        name="ETF", capital=D(12000), annual_yield=D("0.1"), reinvest=True, tax_rate=D(0),
        starts=date(2025, 3, 31),
    )  # fmt: skip
    assert source_monthly_net(etf, months=4, start=START) == [
        ZERO, ZERO, D("100.00"), D("100.83"),
    ]  # fmt: skip


def test_growth_years_count_from_the_source_start() -> None:
    # Starts in July (month 6): 12 months at 100.00, then its second year at 110.00,
    # even though the plan's second year began in January.
    flat = FlatSource(
        name="Book", monthly_amount=D(100), annual_growth=D("0.1"), monthly_costs=D(0),
        tax_rate=D(0), starts=date(2025, 7, 1),
    )  # fmt: skip
    nets = source_monthly_net(flat, months=24, start=START)
    assert nets == [ZERO] * 6 + [D("100.00")] * 12 + [D("110.00")] * 6


def test_a_source_started_before_the_plan_runs_from_its_first_month() -> None:
    # Nothing changes for a source that is already running: 600 from month 0.
    assert source_monthly_net(ROYALTIES, months=3, start=START) == [D("600.00")] * 3


def test_a_source_starting_after_the_horizon_adds_nothing() -> None:
    later = replace(CLUB, starts=date(2040, 1, 1))
    assert source_monthly_net(later, months=12, start=START) == [ZERO] * 12


# --------------------------------------------------------------------------- end dates
def test_a_source_with_an_end_date_stops_after_its_last_month() -> None:
    # Ends on 15 March: January, February and March count in full, April on nothing.
    flat = replace(RENT, ends=date(2025, 3, 15))
    assert source_monthly_net(flat, months=5, start=START) == [D("1000.00")] * 3 + [ZERO] * 2


def test_an_ended_source_contributes_nothing_and_independence_waits() -> None:
    ended = replace(RENT, starts=date(2020, 1, 1), ends=date(2024, 12, 31))
    assert source_monthly_net(ended, months=6, start=START) == [ZERO] * 6
    # The rent alone covers 1000 in the first month; ended, it covers nothing ever.
    assert _independence(RENT) == START
    assert _independence(ended) is None


def test_an_end_date_ends_independence_in_the_projection() -> None:
    # 1000 of rent until June 2025, expenses 1000: covered from January; the schedule's
    # source net is 1000 through June and 0 from July.
    plan = zero_plan(start=START, horizon_years=1, monthly_expenses=D(1000), inflation=D(0))
    projection = project(plan, sources=[replace(RENT, ends=date(2025, 6, 30))])
    assert [row.sources_net for row in projection.months] == [D("1000.00")] * 6 + [ZERO] * 6
    assert projection.independence_month == START


# ------------------------------------------------------------------------------ errors
def test_a_dated_source_needs_the_plan_start() -> None:
    with pytest.raises(ValueError, match="start"):
        source_monthly_net(replace(CLUB, starts=date(2025, 5, 1)), months=3)


def test_an_end_before_the_start_is_refused() -> None:
    broken = replace(RENT, starts=date(2025, 5, 1), ends=date(2025, 4, 30))
    with pytest.raises(DomainError) as caught:
        source_monthly_net(broken, months=3, start=START)
    assert list(caught.value.field_errors) == ["ends"]


# ------------------------------------------------------------------- the stress test
def test_the_stress_test_counts_a_later_source_from_its_start() -> None:
    result = stress_test(
        sources=[
            (ROYALTIES, SourceTags()),
            (replace(CLUB, starts=date(2025, 5, 20)), SourceTags()),
        ],
        shocks=Shocks(),
        monthly_expenses=D(1000),
        inflation=D(0),
        start=date(2025, 1, 15),
    )
    # Now (January) only the royalties pay: 600; the club is 0 until May.
    assert result.monthly_net_before == D("600.00")
    assert result.per_source == (("Royalties", D("600.00"), D("600.00")), ("Club", ZERO, ZERO))
    assert result.independence_before == date(2025, 9, 1)  # as computed above
    assert [month.net_before for month in result.path[3:6]] == [
        D("600.00"), D("700.00"), D("790.00"),
    ]  # fmt: skip


# ---------------------------------------------------------- from the user's sources
TODAY = date(2025, 1, 15)


def _expenses(user: User, amount: Decimal) -> None:
    Profile.objects.filter(user=user).update(monthly_expenses=amount)


def test_the_reports_independence_month_waits_for_a_source_to_start(alice: User) -> None:
    _expenses(alice, D(1000))
    SourceFactory.create(
        owner=alice, name="Royalties", category=category("licences"), tax_rate=D(0),
        expected_monthly_amount=D(600), start_date=date(2020, 1, 1),
    )  # fmt: skip
    club = SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), tax_rate=D(0),
        price_per_subscriber=D(10), current_subscribers=0, new_subscribers_per_month=10,
        monthly_churn_rate=D("0.1"), start_date=date(2025, 5, 20),
    )  # fmt: skip
    # As the pure test above: September 2025, not May.
    assert selectors.independence_month(owner=alice, today=TODAY, inflation=D(0)) == date(
        2025, 9, 1
    )
    question = selectors.independence_question(
        profile=Profile.objects.get(user=alice),
        sources=list(selectors.current_passive_sources(owner=alice)),
        rates=rates_of(Profile.objects.get(user=alice), [club], TODAY),
        today=TODAY,
        facts=projection_facts(today=TODAY),
        inflation=D(0),
    )
    assert question is not None
    assert "datetime.date(2025, 5, 20)" in repr(question.sources)  # the key names the start


def test_plan_vs_actual_expects_nothing_before_a_source_starts(alice: User) -> None:
    today = date(2025, 6, 15)
    blog = SourceFactory.create(
        owner=alice, name="Blog", category=category("affiliate"), tax_rate=D(0),
        expected_monthly_amount=D(400), start_date=date(2025, 4, 1),
    )  # fmt: skip
    scenario = ScenarioFactory.create(owner=alice, sources=[blog])
    Scenario.objects.filter(pk=scenario.pk).update(
        created_at=timezone.make_aware(datetime.combine(date(2025, 2, 10), time(12)))
    )
    scenario.refresh_from_db()
    (tracking,) = plan_actual.plan_vs_actual(scenario=scenario, today=today)
    # February to May; the blog starts in April: nothing expected in February and March,
    # so no payment then is not "behind", and two months behind are not three.
    assert [m.expected for m in tracking.months] == [ZERO, ZERO, D("400.00"), D("400.00")]
    assert [m.behind for m in tracking.months] == [False, False, True, True]
    assert tracking.flagged is False


def test_a_linked_scenario_counts_a_later_source_from_its_start(alice: User) -> None:
    blog = SourceFactory.create(
        owner=alice, name="Blog", category=category("affiliate"), tax_rate=D(0),
        expected_monthly_amount=D(400), start_date=date(2025, 4, 10),
    )  # fmt: skip
    scenario = ScenarioFactory.create(
        owner=alice, sources=[blog], starting_capital=D(0), monthly_contribution=D(0),
        horizon_years=1,
    )  # fmt: skip
    projection = services.scenario_run(scenario=scenario, today=TODAY).projection
    # January to March nothing; from April (month 3) 400.00 a month: 9 × 400 = 3600.00.
    assert [row.sources_net for row in projection.months[:4]] == [ZERO] * 3 + [D("400.00")]
    assert projection.years[0].sources_net == D("3600.00")
