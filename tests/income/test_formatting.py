"""How amounts look: every digit of a long amount is shown, in both languages."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from income.formatting import format_money, format_percent

LONG = Decimal("-87969535195371468959352626779765163.96")  # 35 digits before the point


def test_an_amount_longer_than_28_digits_keeps_every_digit() -> None:
    with translation.override("en"):
        assert format_money(LONG, "EUR") == "−€87,969,535,195,371,468,959,352,626,779,765,163.96"
    with translation.override("de"):
        assert format_money(LONG, "EUR") == (
            "−87.969.535.195.371.468.959.352.626.779.765.163,96\u00a0€"
        )


def test_a_percentage_is_rounded_half_up_not_cut_off() -> None:
    # 0.0709 is 7.09 %: 7.1 % at one place (cut off, it read 7.0 %); 0.07049 is 7.0 %;
    # 0.12345 is 12.345 %: 12.35 % at two places, half up; −0.0004 is −0.04 %: 0.0 %.
    with translation.override("en"):
        assert format_percent(Decimal("0.0709"), places=1) == "7.1%"
        assert format_percent(Decimal("0.07049"), places=1) == "7.0%"
        assert format_percent(Decimal("0.12345")) == "12.35%"
        assert format_percent(Decimal("-0.0004"), places=1) == "0.0%"
        assert format_percent(Decimal("-0.0005"), places=1) == "−0.1%"


def test_a_percentage_is_the_fraction_times_a_hundred() -> None:
    with translation.override("en"):
        assert format_percent(Decimal("0.0525")) == "5.25%"
        assert format_percent(Decimal("-0.5")) == "−50.00%"
    with translation.override("de"):
        assert format_percent(Decimal("0.123456"), places=1) == "12,3\u00a0%"
