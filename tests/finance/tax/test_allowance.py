"""Allowance orders: the warning when they exceed the allowance, and the suggested split."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.tax.allowance import (
    AllowanceExcess,
    allowance_orders_excess,
    allowance_split,
)
from finance.tax.facts import KNOWN_FACTS, FilingStatus

D = Decimal
FACTS = KNOWN_FACTS[2025]
SINGLE = FilingStatus.SINGLE


def test_orders_of_801_and_400_exceed_the_single_allowance_by_201() -> None:
    # 801 (the old allowance, never updated) + 400 = 1,201 > 1,000: excess 201
    warning = allowance_orders_excess(
        orders={"old-bank": D(801), "broker": D(400)}, filing_status=SINGLE, facts=FACTS
    )
    assert warning == AllowanceExcess(total=D(1201), allowance=D(1000), excess=D(201))


def test_the_same_orders_fit_the_joint_allowance() -> None:
    orders = {"old-bank": D(801), "broker": D(400)}
    assert (
        allowance_orders_excess(orders=orders, filing_status=FilingStatus.JOINT, facts=FACTS)
        is None
    )


def test_orders_adding_up_to_exactly_the_allowance_are_fine() -> None:
    orders = {"a": D(600), "b": D(400)}
    assert allowance_orders_excess(orders=orders, filing_status=SINGLE, facts=FACTS) is None


def test_income_within_the_allowance_gets_orders_rounded_up_to_whole_euros() -> None:
    split = allowance_split(
        expected={"dkb": D("300.10"), "broker": D("200.00")}, filing_status=SINGLE, facts=FACTS
    )
    # 300.10 → 301, 200.00 stays 200; 1,000 − 501 = 499 left unassigned
    assert dict(split.orders) == {"broker": D(200), "dkb": D(301)}
    assert list(split.orders) == ["broker", "dkb"]
    assert split.unassigned == D(499)


def test_rounding_up_never_takes_the_orders_over_the_allowance() -> None:
    split = allowance_split(
        expected={"a": D("499.10"), "b": D("500.20")}, filing_status=SINGLE, facts=FACTS
    )
    # 999.30 ≤ 1,000, but 500 + 501 = 1,001: "a" was rounded up most (0.90 against 0.80),
    # so it gives the euro back: 499 + 501 = 1,000
    assert dict(split.orders) == {"a": D(499), "b": D(501)}
    assert split.unassigned == D(0)


def test_income_above_the_allowance_shares_it_in_proportion() -> None:
    split = allowance_split(
        expected={"a": D(3000), "b": D(1000), "c": D(1000)}, filing_status=SINGLE, facts=FACTS
    )
    # 1,000 × 3/5 = 600, × 1/5 = 200, × 1/5 = 200
    assert dict(split.orders) == {"a": D(600), "b": D(200), "c": D(200)}
    assert split.unassigned == D(0)


def test_the_largest_remainder_gets_the_last_euro() -> None:
    split = allowance_split(
        expected={"x": D(700), "y": D(500), "z": D(300)}, filing_status=SINGLE, facts=FACTS
    )
    # quotas 466.67, 333.33, 200: floors 466 + 333 + 200 = 999; x has the largest
    # remainder (2/3) and gets the 1,000th euro
    assert dict(split.orders) == {"x": D(467), "y": D(333), "z": D(200)}


def test_equal_remainders_go_by_bank_key() -> None:
    split = allowance_split(
        expected={"c": D(500), "a": D(500), "b": D(500)}, filing_status=SINGLE, facts=FACTS
    )
    # 333⅓ each: floors 999, the one euro left goes to the first key, "a"
    assert dict(split.orders) == {"a": D(334), "b": D(333), "c": D(333)}


def test_negative_expected_income_raises() -> None:
    with pytest.raises(ValueError, match="negative"):
        allowance_split(expected={"a": D(-1)}, filing_status=SINGLE, facts=FACTS)


expected_income = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    st.decimals(min_value=0, max_value=3_000, places=2),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(expected=expected_income, status=st.sampled_from(FilingStatus))
def test_the_split_sums_to_the_allowance_when_income_exceeds_it(
    expected: dict[str, Decimal], status: FilingStatus
) -> None:
    allowance = FACTS.saver_allowance(status)
    split = allowance_split(expected=expected, filing_status=status, facts=FACTS)
    total = sum(expected.values(), D(0))
    assert sorted(split.orders) == sorted(expected)
    assert all(order == order.to_integral_value() for order in split.orders.values())
    assert sum(split.orders.values(), D(0)) + split.unassigned == allowance
    if total > allowance:
        assert split.unassigned == 0
        for bank, income in expected.items():
            quota = Fraction(allowance) * Fraction(income) / Fraction(total)
            assert math.floor(quota) <= split.orders[bank] <= math.ceil(quota)
    else:
        assert split.unassigned >= 0
        for bank, income in expected.items():
            assert income - 1 < split.orders[bank] <= math.ceil(income)
