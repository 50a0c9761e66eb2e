"""``expected_payout_amount``: how much an expected payout of the calendar should bring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from finance.schedule import expected_payout_amount

TODAY = date(2025, 7, 10)


def test_a_quarterly_payout_is_three_average_months_of_the_last_year() -> None:
    # Jul 2024 … Jun 2025: 100 + 100 + 100 + 120 = 420; 420 / 12 = 35 a month; × 3 = 105.00
    net = {date(2024, 9, 1): D("100"), date(2024, 12, 1): D("100")}
    net |= {date(2025, 3, 1): D("100"), date(2025, 6, 1): D("120")}
    net[date(2025, 7, 1)] = D("999")  # the running month is left out
    net[date(2024, 6, 1)] = D("999")  # older than the last year
    amount = expected_payout_amount(
        monthly_net=net, started=date(2020, 1, 1), rhythm="quarterly", today=TODAY
    )
    assert amount == D("105.00")


def test_a_young_source_averages_only_the_months_since_it_started() -> None:
    # started in May 2025: complete months May and June; (100 + 50) / 2 = 75.00 a month
    net = {date(2025, 5, 1): D("100"), date(2025, 6, 1): D("50")}
    amount = expected_payout_amount(
        monthly_net=net, started=date(2025, 5, 20), rhythm="monthly", today=TODAY
    )
    assert amount == D("75.00")


def test_a_yearly_payout_is_the_whole_last_year_rounded_once() -> None:
    # 100.01 / 12 × 12 = 100.01 (rounded once at the end, not per month)
    net = {date(2025, 2, 1): D("100.01")}
    amount = expected_payout_amount(
        monthly_net=net, started=date(2020, 1, 1), rhythm="yearly", today=TODAY
    )
    assert amount == D("100.01")


def test_no_amount_without_a_schedule_history_or_income() -> None:
    net = {date(2025, 6, 1): D("100")}
    started = date(2020, 1, 1)
    assert (
        expected_payout_amount(monthly_net=net, started=started, rhythm="irregular", today=TODAY)
        is None
    )
    # started this month: no complete month yet
    assert (
        expected_payout_amount(
            monthly_net=net, started=date(2025, 7, 1), rhythm="monthly", today=TODAY
        )
        is None
    )
    # a year of losses expects no payout
    assert (
        expected_payout_amount(
            monthly_net={date(2025, 6, 1): D("-5")}, started=started, rhythm="monthly", today=TODAY
        )
        is None
    )
