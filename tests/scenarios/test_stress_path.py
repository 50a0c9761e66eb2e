"""The stress test's long run (issue #17 item 10): a shock is held for the whole horizon,
so the result carries the path before and after over 36 months and, for a person who is
already independent, the month the shocks end it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scenarios.projection.inputs import FlatSource, SubscriptionSource
from scenarios.stress import PATH_MONTHS, Shocks, SourceTags, StressResult, stress_test

D = Decimal
START = date(2025, 1, 1)

# In its steady state: 100 × (1 − 0.05) + 5 = 100 subscribers every month (new / churn),
# 10 each, no costs, no tax: 1000.00 a month for ever.
STEADY = SubscriptionSource(
    name="Club",
    subscribers=D(100),
    price=D(10),
    new_per_month=D(5),
    churn_rate=D("0.05"),
    monthly_costs=D(0),
    tax_rate=D(0),
)
SPIKE = Shocks(churn_spike=D("0.05"))
NO_INFLATION = D(0)


def _run(*, expenses: Decimal, inflation: Decimal = NO_INFLATION) -> StressResult:
    return stress_test(
        sources=[(STEADY, SourceTags())],
        shocks=SPIKE,
        monthly_expenses=expenses,
        inflation=inflation,
        start=START,
    )


def test_a_churn_spike_path_shows_the_long_run_drop() -> None:
    result = _run(expenses=D(900))
    # Churn 0.10 after the spike: s(n) = 0.9 × s(n − 1) + 5 = 50 + 50 × 0.9^n.
    # Month 1: 95 → 950.00 (−50.00: what the one-month view showed).
    # Month 12: 50 + 50 × 0.9^12 = 64.1214… → 641.21; month 24: 53.9883… → 539.88;
    # month 36: 51.1264… → 511.26, −488.74 a month: ten times the first month's loss.
    assert len(result.path) == PATH_MONTHS == 36
    assert result.path[0].month == START
    assert result.path[-1].month == date(2027, 12, 1)
    assert {month.net_before for month in result.path} == {D("1000.00")}
    picked = [m.net_after for m in (result.path[0], result.path[11], result.path[23])]
    assert picked == [D("950.00"), D("641.21"), D("539.88")]
    assert result.path[-1].net_after == D("511.26")
    assert result.path[-1].net_after - result.path[-1].net_before == D("-488.74")
    # The path is the projection's: its first month is the headline "after".
    assert (result.monthly_net_before, result.monthly_net_after) == (D("1000.00"), D("950.00"))
    assert {month.expenses for month in result.path} == {D("900.00")}


def test_the_shocks_end_an_independence_already_reached() -> None:
    result = _run(expenses=D(900))
    # Before: 1000 ≥ 900 in the first month, so independent now, and for ever.
    # After: 950, 905 cover 900; month 3 (n = 3): 864.50 < 900 → March 2025.
    assert result.independent_now is True
    assert result.independence_before == START
    assert result.independence_ends_before is None
    assert result.independence_ends_after == date(2025, 3, 1)
    # Never covered again: 50 + 50 × 0.9^n falls towards 50 subscribers, 500.00.
    assert result.independence_after == START


def test_inflation_can_end_independence_even_without_the_shocks() -> None:
    result = _run(expenses=D(900), inflation=D("0.02"))
    # Expenses in plan year y: 900 × 1.02^y. Year 5 (2030): 993.67 ≤ 1000; year 6:
    # 900 × 1.02^6 = 1013.55 > 1000 → the unshocked path falls short in January 2031.
    assert result.independent_now is True
    assert result.independence_ends_before == date(2031, 1, 1)
    assert result.independence_ends_after == date(2025, 3, 1)
    # The path's expenses grow with the plan year: 900.00 in 2025, 918.00 in 2026.
    assert (result.path[11].expenses, result.path[12].expenses) == (D("900.00"), D("918.00"))


def test_independence_that_holds_through_the_horizon_is_not_ended() -> None:
    result = _run(expenses=D(400))
    # After the spike the club tends to 500.00 a month, always above 400.
    assert result.independent_now is True
    assert result.independence_ends_before is result.independence_ends_after is None


def test_a_person_not_independent_yet_has_no_end_month() -> None:
    result = _run(expenses=D(1200))
    # 1000 never covers 1200: not independent now, nothing to end.
    assert result.independent_now is False
    assert result.independence_before is None
    assert result.independence_ends_before is result.independence_ends_after is None


def test_the_path_is_as_long_as_a_short_horizon() -> None:
    flat = FlatSource(
        name="Blog", monthly_amount=D(100), annual_growth=D(0), monthly_costs=D(0), tax_rate=D(0)
    )
    result = stress_test(
        sources=[(flat, SourceTags(ads_or_affiliate=True))],
        shocks=Shocks(ad_revenue_drop=D("0.5")),
        monthly_expenses=D(0),
        inflation=D(0),
        start=START,
        horizon_years=1,
    )
    # One year: 12 months of 100.00 before and 50.00 after; no expenses, no independence.
    assert [(m.net_before, m.net_after) for m in result.path] == [(D("100.00"), D("50.00"))] * 12
    assert result.independent_now is False
