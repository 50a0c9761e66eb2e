"""The figures of PRODUCT.md §3: hand-computed cases, the undefined ones, and properties."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finance
from finance.figures import (
    CONCENTRATION_LIMIT,
    RATIO,
    UNKNOWN_KEY,
    Independence,
    Payback,
    Share,
    arpu,
    arr,
    cash_roi,
    churn_fraction,
    churn_rate,
    complete_months_average,
    concentrated,
    concentration,
    concentration_warning,
    effective_hourly_rate,
    expense_coverage,
    full_roi,
    hourly_rate_rank,
    independent_since,
    ltv,
    monthly_average,
    mrr,
    net_rental_yield,
    passive_share,
    payback_month,
    steady_state_subscribers,
    subscribers_next,
    to_ratio,
    ttm,
    yield_on_cost,
)
from finance.schedule import add_months, months_between

D = Decimal


def test_the_finance_package_imports_no_django() -> None:
    package = Path(finance.__file__).parent
    for source in sorted(package.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), source.name


# ------------------------------------------------------------------------------- ratios
def test_ratios_round_to_four_places_half_up() -> None:
    assert D("0.0001") == RATIO
    assert to_ratio(D("0.12345")) == D("0.1235")
    assert to_ratio(D("0.12344999")) == D("0.1234")
    assert to_ratio(D("-0.12345")) == D("-0.1235")  # half up is away from zero
    assert str(to_ratio(D("1"))) == "1.0000"


# --------------------------------------------------------------------------------- ttm
def test_ttm_sums_the_twelve_months_ending_with_the_month_of_as_of() -> None:
    monthly = {
        date(2023, 12, 1): D("1000.00"),  # 13th month back: outside
        date(2024, 1, 1): D("100.10"),
        date(2024, 6, 15): D("50.05"),  # keyed on another day: counts toward June
        date(2024, 12, 1): D("20.00"),  # the month of as_of: inside
        date(2025, 1, 1): D("999.00"),  # after as_of: outside
    }
    # 100.10 + 50.05 + 20.00 = 170.15
    assert ttm(monthly, as_of=date(2024, 12, 15)) == D("170.15")


def test_ttm_of_no_payments_is_zero() -> None:
    assert ttm({}, as_of=date(2024, 12, 15)) == 0


def test_ttm_keeps_a_loss() -> None:
    # 300.00 − 450.00 = −150.00
    monthly = {date(2024, 5, 1): D("300.00"), date(2024, 6, 1): D("-450.00")}
    assert ttm(monthly, as_of=date(2024, 6, 30)) == D("-150.00")


# ---------------------------------------------------------------------- passive share
def test_passive_share_is_passive_over_all_net_income() -> None:
    # 7500 / 10000 = 0.75
    assert passive_share(passive_net_ttm=D("7500"), total_net_ttm=D("10000")) == D("0.7500")
    # 1 / 3 = 0.33333… → 0.3333; 2 / 3 = 0.66666… → 0.6667
    assert passive_share(passive_net_ttm=D("1"), total_net_ttm=D("3")) == D("0.3333")
    assert passive_share(passive_net_ttm=D("2"), total_net_ttm=D("3")) == D("0.6667")


def test_passive_share_exceeds_one_when_active_income_was_a_loss() -> None:
    # passive 12000, active −2000 → total 10000; 12000 / 10000 = 1.2
    assert passive_share(passive_net_ttm=D("12000"), total_net_ttm=D("10000")) == D("1.2000")


@pytest.mark.parametrize("total", [D("0"), D("-100")])
def test_passive_share_is_undefined_without_positive_income(total: Decimal) -> None:
    assert passive_share(passive_net_ttm=D("0"), total_net_ttm=total) is None


# -------------------------------------------------------------------- expense coverage
def test_expense_coverage_is_a_months_passive_income_over_a_months_expenses() -> None:
    # 12000 / 12 = 1000 a month; 1000 / 2000 = 0.5
    assert expense_coverage(passive_net_ttm=D("12000"), monthly_expenses=D("2000")) == D("0.5000")
    # 1000 / 12 = 83.333…; / 3000 = 0.027777… → 0.0278
    assert expense_coverage(passive_net_ttm=D("1000"), monthly_expenses=D("3000")) == D("0.0278")


def test_expense_coverage_is_undefined_without_expenses() -> None:
    assert expense_coverage(passive_net_ttm=D("12000"), monthly_expenses=D("0")) is None


def test_expense_coverage_of_no_passive_income_is_zero() -> None:
    assert expense_coverage(passive_net_ttm=D("0"), monthly_expenses=D("2000")) == D("0.0000")


# ----------------------------------------------------------------------- subscriptions
def test_mrr_is_subscribers_times_price_and_arr_twelve_times_that() -> None:
    # 120 × 9.99 = 1198.80; × 12 = 14385.60
    assert mrr(subscribers=120, price=D("9.99")) == D("1198.80")
    assert arr(mrr=D("1198.80")) == D("14385.60")


def test_mrr_rounds_half_up_to_cents() -> None:
    # 1 × 0.125 = 0.125 → 0.13
    assert mrr(subscribers=1, price=D("0.125")) == D("0.13")


def test_mrr_without_subscribers_is_zero() -> None:
    assert mrr(subscribers=0, price=D("9.99")) == D("0.00")
    assert arr(mrr=D("0.00")) == D("0.00")


def test_churn_rate_is_churned_over_subscribers_at_the_start() -> None:
    # 3 / 120 = 0.025
    assert churn_rate(churned=3, subscribers_at_start=120) == D("0.0250")
    # 1 / 3 = 0.3333…
    assert churn_rate(churned=1, subscribers_at_start=3) == D("0.3333")
    assert churn_rate(churned=0, subscribers_at_start=120) == D("0.0000")


def test_churn_rate_is_undefined_without_subscribers_at_the_start() -> None:
    assert churn_rate(churned=0, subscribers_at_start=0) is None


def test_arpu_is_mrr_per_subscriber_in_cents() -> None:
    # 1198.80 / 120 = 9.99
    assert arpu(mrr=D("1198.80"), subscribers=120) == D("9.99")
    # 200 / 3 = 66.666… → 66.67
    assert arpu(mrr=D("200"), subscribers=3) == D("66.67")


def test_arpu_is_undefined_without_subscribers() -> None:
    assert arpu(mrr=D("0.00"), subscribers=0) is None


def test_ltv_is_arpu_over_churn() -> None:
    # 99.90 / 10 subscribers = ARPU 9.99; 9.99 / 0.025 = 399.60
    assert ltv(mrr=D("99.90"), subscribers=10, churn=D("0.025")) == D("399.60")
    # 10 / 0.03 = 333.333… → 333.33; 0.05 / 0.4 = 0.125 → 0.13 (half up)
    assert ltv(mrr=D("10.00"), subscribers=1, churn=D("0.03")) == D("333.33")
    assert ltv(mrr=D("0.05"), subscribers=1, churn=D("0.4")) == D("0.13")


def test_ltv_divides_by_the_unrounded_churn_and_rounds_once() -> None:
    # Issue #17.1: 10 churned of 210 at the month's start, ARPU 2,000.00 / 200 = 10.00:
    # 10 ÷ (10/210) = 210.00. The churn shown is 0.0476; 10 ÷ 0.0476 would be 210.08.
    churn = churn_fraction(churned=10, subscribers_at_start=210)
    assert churn_rate(churned=10, subscribers_at_start=210) == D("0.0476")
    assert ltv(mrr=D("2000.00"), subscribers=200, churn=churn) == D("210.00")
    # ARPU unrounded too: 100.00 / 3 = 33.333…; ÷ 0.1 = 333.33 (not 33.33 / 0.1 = 333.30)
    assert ltv(mrr=D("100.00"), subscribers=3, churn=D("0.1")) == D("333.33")


def test_ltv_is_undefined_at_zero_churn() -> None:
    assert ltv(mrr=D("99.90"), subscribers=10, churn=D("0")) is None


def test_ltv_is_undefined_without_subscribers() -> None:
    assert ltv(mrr=D("0.00"), subscribers=0, churn=D("0.05")) is None


def test_ltv_is_undefined_when_churn_is() -> None:
    assert ltv(mrr=D("99.90"), subscribers=10, churn=None) is None


def test_subscribers_next_loses_the_churned_and_adds_the_new() -> None:
    # 1000 × (1 − 0.05) + 30 = 980
    assert subscribers_next(subscribers=D("1000"), churn_rate=D("0.05"), new=D("30")) == D("980")
    # 10 × 0.97 + 1 = 10.70: kept fractional, not rounded
    assert subscribers_next(subscribers=D("10"), churn_rate=D("0.03"), new=D("1")) == D("10.70")
    # 3 × 0.97 = 2.91: no rounding to a whole subscriber
    assert subscribers_next(subscribers=D("3"), churn_rate=D("0.03"), new=D("0")) == D("2.91")


def test_steady_state_is_new_over_churn() -> None:
    # 30 / 0.05 = 600, and 600 is a fixed point: 600 × 0.95 + 30 = 600
    assert steady_state_subscribers(new=D("30"), churn_rate=D("0.05")) == D("600")
    assert subscribers_next(subscribers=D("600"), churn_rate=D("0.05"), new=D("30")) == D("600")


def test_steady_state_is_undefined_at_zero_churn() -> None:
    assert steady_state_subscribers(new=D("30"), churn_rate=D("0")) is None


# --------------------------------------------------------------------------------- ROI
def test_cash_roi_is_the_return_over_what_went_in() -> None:
    # (5000 − 1000 − 2000) / (2000 + 1000) = 2000 / 3000 = 0.6666… → 0.6667
    assert cash_roi(net_income=D("5000"), costs=D("1000"), upfront=D("2000")) == D("0.6667")


def test_cash_roi_of_a_loss_is_negative() -> None:
    # (500 − 1000 − 2000) / 3000 = −2500 / 3000 = −0.8333…
    assert cash_roi(net_income=D("500"), costs=D("1000"), upfront=D("2000")) == D("-0.8333")


def test_cash_roi_at_break_even_is_zero() -> None:
    # (3000 − 1000 − 2000) / 3000 = 0
    assert cash_roi(net_income=D("3000"), costs=D("1000"), upfront=D("2000")) == D("0.0000")


def test_cash_roi_is_undefined_when_nothing_went_in() -> None:
    assert cash_roi(net_income=D("500"), costs=D("0"), upfront=D("0")) is None


def test_full_roi_values_the_hours_on_both_sides() -> None:
    # hours 40 × 25 = 1000; (5000 − 1000 − 2000 − 1000) / (2000 + 1000 + 1000) = 0.25
    result = full_roi(
        net_income=D("5000"),
        costs=D("1000"),
        upfront=D("2000"),
        hours=D("40"),
        hourly_value=D("25"),
    )
    assert result == D("0.2500")


def test_full_roi_without_hours_is_the_cash_roi() -> None:
    args = {"net_income": D("5000"), "costs": D("1000"), "upfront": D("2000")}
    assert full_roi(**args, hours=D("0"), hourly_value=D("25")) == cash_roi(**args)


def test_full_roi_of_time_alone_is_a_total_loss_until_it_pays() -> None:
    # 10 h × 20 = 200 put in, nothing back: (0 − 200) / 200 = −1
    result = full_roi(
        net_income=D("0"), costs=D("0"), upfront=D("0"), hours=D("10"), hourly_value=D("20")
    )
    assert result == D("-1.0000")


def test_full_roi_is_undefined_when_nothing_went_in() -> None:
    result = full_roi(
        net_income=D("100"), costs=D("0"), upfront=D("0"), hours=D("0"), hourly_value=D("25")
    )
    assert result is None


# ------------------------------------------------------------------ effective hourly rate
def test_effective_hourly_rate_is_the_result_per_hour() -> None:
    # (5000 − 1000) / 160 = 25
    assert effective_hourly_rate(net_income=D("5000"), costs=D("1000"), hours=D("160")) == D(
        "25.00"
    )
    # 100 / 3 = 33.333… → 33.33
    assert effective_hourly_rate(net_income=D("100"), costs=D("0"), hours=D("3")) == D("33.33")


def test_effective_hourly_rate_of_a_loss_is_negative() -> None:
    # (100 − 400) / 7 = −42.857… → −42.86
    assert effective_hourly_rate(net_income=D("100"), costs=D("400"), hours=D("7")) == D("-42.86")


def test_effective_hourly_rate_is_undefined_with_zero_hours() -> None:
    assert effective_hourly_rate(net_income=D("5000"), costs=D("0"), hours=D("0")) is None


# ------------------------------------------------------------------------------ yields
def test_yield_on_cost_is_income_ttm_over_invested() -> None:
    # 450 / 10000 = 0.045
    assert yield_on_cost(income_ttm=D("450"), invested=D("10000")) == D("0.0450")
    assert yield_on_cost(income_ttm=D("0"), invested=D("10000")) == D("0.0000")


def test_yield_on_cost_is_undefined_without_invested_capital() -> None:
    assert yield_on_cost(income_ttm=D("450"), invested=D("0")) is None


def test_net_rental_yield_by_hand() -> None:
    # collected 12 × 1000 × 0.95 = 11400; fees 0.08 × 11400 = 912; costs 12 × 150 = 1800
    # (11400 − 1800 − 912) / 300000 = 8688 / 300000 = 0.02896 → 0.0290
    result = net_rental_yield(
        monthly_rent=D("1000"),
        vacancy_rate=D("0.05"),
        monthly_costs=D("150"),
        management_fee_rate=D("0.08"),
        purchase_price=D("300000"),
    )
    assert result == D("0.0290")


def test_the_management_fee_is_a_share_of_the_rent_collected() -> None:
    # collected 12 × 1000 × 0.5 = 6000; fee 0.1 × 6000 = 600 (not 0.1 × 12000 = 1200)
    # (6000 − 600) / 100000 = 0.054
    result = net_rental_yield(
        monthly_rent=D("1000"),
        vacancy_rate=D("0.5"),
        monthly_costs=D("0"),
        management_fee_rate=D("0.1"),
        purchase_price=D("100000"),
    )
    assert result == D("0.0540")


def test_net_rental_yield_of_an_empty_flat_is_negative() -> None:
    # vacancy 1: nothing collected, no fee; −12 × 200 / 240000 = −0.01
    result = net_rental_yield(
        monthly_rent=D("1000"),
        vacancy_rate=D("1"),
        monthly_costs=D("200"),
        management_fee_rate=D("0.1"),
        purchase_price=D("240000"),
    )
    assert result == D("-0.0100")


def test_net_rental_yield_is_undefined_without_a_purchase_price() -> None:
    result = net_rental_yield(
        monthly_rent=D("1000"),
        vacancy_rate=D("0"),
        monthly_costs=D("0"),
        management_fee_rate=D("0"),
        purchase_price=D("0"),
    )
    assert result is None


# ----------------------------------------------------------------------------- payback
def m(year: int, month: int) -> date:
    return date(year, month, 1)


def each_month(first: date, count: int, amount: str) -> dict[date, Decimal]:
    return {add_months(first, i): D(amount) for i in range(count)}


def test_payback_is_the_first_month_the_cumulative_result_reaches_the_upfront_money() -> None:
    # (400 − 50) a month: 350, 700, 1050 ≥ 1000 in March
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 3, "400"),
        monthly_costs=each_month(m(2024, 1), 3, "50"),
        upfront=D("1000"),
        as_of=date(2024, 6, 10),
    )
    assert result == Payback(month=m(2024, 3), projected=False)


def test_payback_reached_exactly_counts() -> None:
    # 500 + 500 = 1000 ≥ 1000 in February
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 3, "500"),
        monthly_costs={},
        upfront=D("1000"),
        as_of=date(2024, 3, 1),
    )
    assert result == Payback(month=m(2024, 2), projected=False)


def test_the_full_view_also_pays_back_the_valued_hours() -> None:
    # target 1000 + 400 = 1400: 350, 700, 1050, 1400 in April
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 6, "400"),
        monthly_costs=each_month(m(2024, 1), 6, "50"),
        upfront=D("1000"),
        hours_value=D("400"),
        as_of=date(2024, 6, 10),
    )
    assert result == Payback(month=m(2024, 4), projected=False)


def test_payback_not_reached_yet_is_projected_from_the_last_three_months() -> None:
    # (500 − 100) a month, Jan–Jun: cumulative 2400; shortfall 3000 − 2400 = 600;
    # average 400 → ⌈600 / 400⌉ = 2 months after June: August, projected
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 6, "500"),
        monthly_costs=each_month(m(2024, 1), 6, "100"),
        upfront=D("3000"),
        as_of=date(2024, 6, 30),
    )
    assert result == Payback(month=m(2024, 8), projected=True)


def test_a_projected_payback_lands_on_the_month_the_target_is_reached() -> None:
    kwargs: dict[str, Any] = {
        "monthly_net": each_month(m(2024, 1), 6, "400"),
        "monthly_costs": {},
        "as_of": date(2024, 6, 30),
    }
    # cumulative 2400; shortfall 800 = 2 × 400 → August; 801 needs a third month → September
    assert payback_month(**kwargs, upfront=D("3200")) == Payback(m(2024, 8), projected=True)
    assert payback_month(**kwargs, upfront=D("3201")) == Payback(m(2024, 9), projected=True)


def test_the_projection_uses_the_exact_average_not_a_rounded_one() -> None:
    # last three months 100 + 100 + 101 = 301, average 100.333…; cumulative 301;
    # shortfall 602 − 301 = 301 = 3 × 100.333… → exactly 3 months: September.
    # (An average rounded to 100.33 would give 300.99 < 301 and one month more.)
    result = payback_month(
        monthly_net={m(2024, 4): D("100"), m(2024, 5): D("100"), m(2024, 6): D("101")},
        monthly_costs={},
        upfront=D("602"),
        as_of=date(2024, 6, 15),
    )
    assert result == Payback(month=m(2024, 9), projected=True)


def test_missing_months_count_as_zero_in_the_projection() -> None:
    # only June 300: cumulative 300, average (0 + 0 + 300) / 3 = 100;
    # shortfall 700 → 7 months after June: January 2025
    result = payback_month(
        monthly_net={m(2024, 6): D("300")},
        monthly_costs={},
        upfront=D("1000"),
        as_of=date(2024, 6, 15),
    )
    assert result == Payback(month=m(2025, 1), projected=True)


def test_a_source_at_a_loss_never_pays_back() -> None:
    # (100 − 150) a month: the average is −50
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 6, "100"),
        monthly_costs=each_month(m(2024, 1), 6, "150"),
        upfront=D("1000"),
        as_of=date(2024, 6, 30),
    )
    assert result == Payback(month=None, projected=True)


def test_a_source_that_stopped_paying_never_pays_back() -> None:
    # 1050 by March, nothing April–June: the average of the last three months is 0
    result = payback_month(
        monthly_net=each_month(m(2024, 1), 3, "400"),
        monthly_costs=each_month(m(2024, 1), 3, "50"),
        upfront=D("1000"),
        hours_value=D("500"),
        as_of=date(2024, 6, 10),
    )
    assert result == Payback(month=None, projected=True)


def test_a_source_without_payments_never_pays_back_its_upfront_money() -> None:
    result = payback_month(
        monthly_net={}, monthly_costs={}, upfront=D("1000"), as_of=date(2024, 6, 10)
    )
    assert result == Payback(month=None, projected=True)


def test_a_payback_beyond_the_horizon_is_never() -> None:
    kwargs: dict[str, Any] = {
        "monthly_net": each_month(m(2024, 1), 6, "400"),
        "monthly_costs": {},
        "upfront": D("3201"),  # 3 months ahead, as above
        "as_of": date(2024, 6, 30),
    }
    assert payback_month(**kwargs, horizon_months=3) == Payback(m(2024, 9), projected=True)
    assert payback_month(**kwargs, horizon_months=2) == Payback(month=None, projected=True)
    # 1 a month against a million: far beyond the default 600 months
    result = payback_month(
        monthly_net=each_month(m(2024, 4), 3, "1"),
        monthly_costs={},
        upfront=D("1000000"),
        as_of=date(2024, 6, 30),
    )
    assert result == Payback(month=None, projected=True)


def test_nothing_to_pay_back_is_paid_back_in_the_first_month_with_data() -> None:
    result = payback_month(
        monthly_net={m(2024, 3): D("10"), m(2024, 5): D("10")},
        monthly_costs={},
        upfront=D("0"),
        as_of=date(2024, 6, 10),
    )
    assert result == Payback(month=m(2024, 3), projected=False)


def test_nothing_to_pay_back_and_no_data_is_paid_back_as_of_today() -> None:
    result = payback_month(
        monthly_net={}, monthly_costs={}, upfront=D("0"), as_of=date(2024, 6, 10)
    )
    assert result == Payback(month=m(2024, 6), projected=False)


def test_nothing_to_pay_back_still_waits_for_a_first_loss_to_be_earned_back() -> None:
    # March costs 50 with no income: −50; April +100: 50 ≥ 0 in April
    result = payback_month(
        monthly_net={m(2024, 4): D("100")},
        monthly_costs={m(2024, 3): D("50")},
        upfront=D("0"),
        as_of=date(2024, 6, 10),
    )
    assert result == Payback(month=m(2024, 4), projected=False)


def test_payments_after_as_of_are_ignored() -> None:
    # July's 10000 lies in the future: only June's 300 counts, as in the case above
    result = payback_month(
        monthly_net={m(2024, 6): D("300"), m(2024, 7): D("10000")},
        monthly_costs={},
        upfront=D("1000"),
        as_of=date(2024, 6, 15),
    )
    assert result == Payback(month=m(2025, 1), projected=True)


# ----------------------------------------------------------------------- concentration
def test_concentration_lists_shares_of_the_positive_total_largest_first() -> None:
    # positive total 600 + 300 + 100 = 1000; the loss and the zero carry nothing
    shares = concentration(
        {"c": D("100"), "d": D("-50"), "a": D("600"), "e": D("0"), "b": D("300")}
    )
    assert shares == [
        Share(key="a", amount=D("600"), share=D("0.6000")),
        Share(key="b", amount=D("300"), share=D("0.3000")),
        Share(key="c", amount=D("100"), share=D("0.1000")),
        Share(key="e", amount=D("0"), share=D("0.0000")),
        Share(key="d", amount=D("-50"), share=D("0.0000")),
    ]
    assert concentrated(shares) == shares[0]


def test_concentration_breaks_ties_by_key_and_rounds_each_share() -> None:
    shares = concentration({"b": D("1"), "c": D("1"), "a": D("1")})
    # 1 / 3 = 0.3333… each
    assert [(s.key, s.share) for s in shares] == [
        ("a", D("0.3333")),
        ("b", D("0.3333")),
        ("c", D("0.3333")),
    ]
    assert concentrated(shares) is None


def test_an_even_split_is_not_concentrated() -> None:
    assert D("0.5") == CONCENTRATION_LIMIT
    shares = concentration({"x": D("50"), "y": D("50")})
    assert [s.share for s in shares] == [D("0.5000"), D("0.5000")]
    assert concentrated(shares) is None
    # 50.01 / 100.01 = 0.50004… → 0.5000: still not more than half once rounded
    assert concentrated(concentration({"x": D("50.01"), "y": D("50")})) is None
    # 51 / 101 = 0.50495… → 0.5050
    assert concentrated(concentration({"x": D("51"), "y": D("50")})) == Share(
        key="x", amount=D("51"), share=D("0.5050")
    )


def test_a_single_part_at_100_percent_warns() -> None:
    # One source carries 100 %: the very risk the warning exists for (issue 17, item 4).
    shares = concentration({"Flat": D("1200")})
    assert concentration_warning(
        shares, dimension="source", base_currency="EUR", home_country="DE"
    ) == Share(key="Flat", amount=D("1200"), share=D("1.0000"))
    for dimension in ("category", "platform"):
        assert concentration_warning(
            shares, dimension=dimension, base_currency="EUR", home_country="DE"
        )


def test_currency_and_country_warn_only_for_foreign_exposure() -> None:
    # EUR 980 of 1000 = 98 % for a EUR user: their own currency, no warning.
    own = concentration({"EUR": D("980"), "USD": D("20")})
    assert (
        concentration_warning(own, dimension="currency", base_currency="EUR", home_country="")
        is None
    )
    # USD 600 of 1000 = 60 % for a EUR user: foreign, a warning.
    foreign = concentration({"USD": D("600"), "EUR": D("400")})
    warning = concentration_warning(
        foreign, dimension="currency", base_currency="EUR", home_country=""
    )
    assert warning is not None
    assert (warning.key, warning.share) == ("USD", D("0.6000"))
    # The same shares for a USD user: their own currency.
    assert (
        concentration_warning(foreign, dimension="currency", base_currency="USD", home_country="")
        is None
    )
    # Country: DE 100 % for a German user is home; US 75 % is foreign; no home, no warning.
    home = concentration({"DE": D("100")})
    assert (
        concentration_warning(home, dimension="country", base_currency="EUR", home_country="de")
        is None
    )
    abroad = concentration({"US": D("75"), "DE": D("25")})
    assert concentration_warning(
        abroad, dimension="country", base_currency="EUR", home_country="DE"
    ) == Share(key="US", amount=D("75"), share=D("0.7500"))
    assert (
        concentration_warning(abroad, dimension="country", base_currency="EUR", home_country="")
        is None
    )


def test_an_unrecorded_platform_or_country_never_warns() -> None:
    # No source has a payer recorded: "—" carries 100 %, but it is not one payer.
    shares = concentration({UNKNOWN_KEY: D("500")})
    assert (
        concentration_warning(shares, dimension="platform", base_currency="EUR", home_country="DE")
        is None
    )
    assert (
        concentration_warning(shares, dimension="country", base_currency="EUR", home_country="DE")
        is None
    )


def test_concentration_of_nothing_is_empty() -> None:
    assert concentration({}) == []
    assert concentration({"a": D("0"), "b": D("-10")}) == []
    assert concentrated([]) is None


# -------------------------------------------------------------------------- properties
money = st.decimals(
    min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False
)
positive_money = st.decimals(
    min_value=D("0.01"), max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False
)
non_negative_money = st.decimals(
    min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False
)
months = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)).map(
    lambda d: d.replace(day=1)
)


@given(amounts=st.dictionaries(st.text(min_size=1, max_size=8), money, max_size=30))
@settings(max_examples=300, deadline=None)
def test_concentration_shares_sum_to_one(amounts: dict[str, Decimal]) -> None:
    shares = concentration(amounts)
    positive = [s for s in shares if s.amount > 0]
    if not positive:
        assert shares == []
        return
    assert sorted(s.key for s in shares) == sorted(amounts)
    assert [s.amount for s in shares] == sorted((s.amount for s in shares), reverse=True)
    # each share is off by at most half a unit of the fourth place
    assert abs(sum((s.share for s in positive), D(0)) - 1) <= RATIO / 2 * len(positive)
    assert all(s.share == 0 for s in shares if s.amount <= 0)


@given(
    subscribers=st.decimals(min_value=0, max_value=100_000, places=0),
    churn=st.decimals(min_value=D("0.01"), max_value=1, places=4),
    new=st.decimals(min_value=0, max_value=10_000, places=0),
)
@settings(max_examples=60, deadline=None)
def test_subscribers_converge_to_the_steady_state(
    subscribers: Decimal, churn: Decimal, new: Decimal
) -> None:
    steady = steady_state_subscribers(new=new, churn_rate=churn)
    assert steady is not None
    for _ in range(2000):
        subscribers = subscribers_next(subscribers=subscribers, churn_rate=churn, new=new)
    # the distance shrinks by (1 − churn) ≤ 0.99 a month: 0.99^2000 ≈ 1.9e-9 of ≤ 1.1e6
    assert abs(subscribers - steady) <= D("0.01")


@given(
    monthly=st.dictionaries(months, money, max_size=40),
    as_of=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
)
@settings(max_examples=200, deadline=None)
def test_ttm_is_the_sum_of_the_last_twelve_months(
    monthly: dict[date, Decimal], as_of: date
) -> None:
    last = as_of.replace(day=1)
    window = {add_months(last, -i) for i in range(12)}
    assert ttm(monthly, as_of=as_of) == sum(
        (amount for month, amount in monthly.items() if month in window), D(0)
    )


@given(
    net=non_negative_money,
    costs=non_negative_money,
    upfront=non_negative_money,
    hours=st.decimals(min_value=0, max_value=10_000, places=1),
    value=non_negative_money,
)
@settings(max_examples=300, deadline=None)
def test_valuing_hours_never_improves_the_roi(
    net: Decimal, costs: Decimal, upfront: Decimal, hours: Decimal, value: Decimal
) -> None:
    cash = cash_roi(net_income=net, costs=costs, upfront=upfront)
    full = full_roi(net_income=net, costs=costs, upfront=upfront, hours=hours, hourly_value=value)
    if cash is not None:
        assert full is not None
        assert full <= cash


@given(
    first=months,
    net=st.lists(non_negative_money, min_size=1, max_size=36),
    costs=st.lists(non_negative_money, min_size=1, max_size=36),
    upfront=non_negative_money,
)
@settings(max_examples=300, deadline=None)
def test_an_actual_payback_month_is_the_first_to_reach_the_target(
    first: date, net: list[Decimal], costs: list[Decimal], upfront: Decimal
) -> None:
    monthly_net = {add_months(first, i): amount for i, amount in enumerate(net)}
    monthly_costs = {add_months(first, i): amount for i, amount in enumerate(costs)}
    as_of = add_months(first, max(len(net), len(costs)) - 1)
    result = payback_month(
        monthly_net=monthly_net, monthly_costs=monthly_costs, upfront=upfront, as_of=as_of
    )
    cumulative = D(0)
    reached = None
    for i in range(max(len(net), len(costs))):
        month = add_months(first, i)
        cumulative += monthly_net.get(month, D(0)) - monthly_costs.get(month, D(0))
        if cumulative >= upfront:
            reached = month
            break
    if reached is not None:
        assert result == Payback(month=reached, projected=False)
        return
    assert result.projected
    # oracle in exact fractions: the mean of the last three months, stepped month by month
    recent = [
        monthly_net.get(add_months(as_of, -i), D(0))
        - monthly_costs.get(add_months(as_of, -i), D(0))
        for i in range(3)
    ]
    mean = Fraction(sum(recent, D(0))) / 3
    if mean <= 0:
        assert result.month is None
        return
    if result.month is None:  # beyond the horizon: 600 months do not reach the target
        assert Fraction(cumulative) + 600 * mean < Fraction(upfront)
        return
    ahead = months_between(as_of, result.month)
    assert 1 <= ahead <= 600
    assert Fraction(cumulative) + ahead * mean >= Fraction(upfront)
    assert Fraction(cumulative) + (ahead - 1) * mean < Fraction(upfront)


def test_the_monthly_average_of_twelve_months_rounds_once_half_up() -> None:
    assert monthly_average(Decimal("1434.54")) == Decimal("119.55")  # 119.545
    assert monthly_average(Decimal("0")) == Decimal("0.00")


def test_sources_without_hours_rank_after_every_rate_even_a_negative_one() -> None:
    rates = [None, Decimal("-5.00"), Decimal("40.00"), Decimal("12.50")]
    assert sorted(rates, key=hourly_rate_rank) == [
        Decimal("40.00"), Decimal("12.50"), Decimal("-5.00"), None,
    ]  # fmt: skip


# ------------------------------------------------------------------ month-to-date, independence
def test_the_average_month_leaves_the_running_month_out() -> None:
    # Twelve complete months of 1,200 and 5 days of December with 40: the average month
    # is 12 × 1,200 / 12 = 1,200.00, not (11 × 1,200 + 40) / 12 = 1,103.33 (issue 17, item 7).
    monthly = {add_months(date(2025, 12, 1), -n): D("1200") for n in range(1, 13)}
    monthly[date(2025, 12, 1)] = D("40")
    assert complete_months_average(monthly, today=date(2025, 12, 5)) == D("1200.00")
    assert ttm(monthly, as_of=date(2025, 12, 5)) == D(
        "13240"
    )  # 11 × 1,200 + 40: the TTM is unchanged


def test_independent_since_is_the_first_month_of_the_covered_run() -> None:
    # Expenses 1,000 a month: covered when the TTM reaches 12,000.
    # 2024: 800 a month; 2025: 1,500 a month. TTM of month m of 2025 = (12 − m) × 800 + m × 1,500
    # ≥ 12,000 ⇔ 9,600 + 700 m ≥ 12,000 ⇔ m ≥ 3.43: first covered month is April 2025 (m = 4:
    # 8 × 800 + 4 × 1,500 = 12,400). Today is 5 December 2025: the last complete month is
    # November: TTM = 1 × 800 + 11 × 1,500 = 17,300; coverage 17,300 / 12,000 = 1.4417;
    # margin 17,300 / 12 − 1,000 = 1,441.67 − 1,000 = 441.67.
    monthly = {date(2024, m, 1): D("800") for m in range(1, 13)}
    monthly |= {date(2025, m, 1): D("1500") for m in range(1, 12)}
    monthly[date(2025, 12, 1)] = D("10")  # month-to-date: ignored
    result = independent_since(monthly, today=date(2025, 12, 5), monthly_expenses=D("1000"))
    assert result == Independence(since=date(2025, 4, 1), coverage=D("1.4417"), margin=D("441.67"))


def test_a_gap_in_coverage_restarts_the_run() -> None:
    # 1,200 a month for two years with expenses 1,000, but June 2025 paid nothing: the TTM of
    # June 2025 … May 2026 is 11 × 1,200 = 13,200 ≥ 12,000: still covered. Expenses 1,150:
    # need 13,800; 13,200 < 13,800, so every month whose twelve include June 2025 is not
    # covered: June 2025 to May 2026. The run starts in June 2026.
    monthly = {add_months(date(2024, 6, 1), n): D("1200") for n in range(25)}
    monthly[date(2025, 6, 1)] = D("0")
    result = independent_since(monthly, today=date(2026, 7, 3), monthly_expenses=D("1150"))
    assert result is not None
    assert result.since == date(2026, 6, 1)


def test_not_independent_without_coverage_or_expenses() -> None:
    monthly = {date(2025, m, 1): D("100") for m in range(1, 13)}
    assert independent_since(monthly, today=date(2026, 1, 2), monthly_expenses=D("101")) is None
    assert independent_since(monthly, today=date(2026, 1, 2), monthly_expenses=D("0")) is None
    assert independent_since({}, today=date(2026, 1, 2), monthly_expenses=D("1")) is None
    # Exactly 100 %: 12 × 100 = 1,200 = 12 × 100, covered since the first month with twelve.
    exact = independent_since(monthly, today=date(2026, 1, 2), monthly_expenses=D("100"))
    assert exact == Independence(since=date(2025, 12, 1), coverage=D("1.0000"), margin=D("0.00"))
