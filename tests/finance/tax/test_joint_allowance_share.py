"""A spouse's share of the joint saver's allowance when each keeps their own books
(§20 (9) sentence 3 EStG): half each, and the half one spouse's capital income does
not use goes to the other (issue 24, households)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.tax.facts import KNOWN_FACTS

FACTS = KNOWN_FACTS[2025]


@pytest.mark.parametrize(
    ("partner_income", "share"),
    [
        (D("300"), D("1700")),  # 700 of the partner's half is unused
        (D("0"), D("2000")),
        (D("-250"), D("2000")),  # a loss uses nothing
        (D("999.99"), D("1000.01")),
        (D("1000"), D("1000")),
        (D("5000"), D("1000")),
    ],
)
def test_the_share_is_half_and_what_the_partners_half_leaves(partner_income: D, share: D) -> None:
    assert FACTS.joint_allowance_share(partner_income=partner_income) == share


cents = st.decimals(min_value=-5000, max_value=50000, places=2)


@given(mine=cents, theirs=cents)
def test_together_the_two_shares_use_the_joint_allowance_once(mine: D, theirs: D) -> None:
    used = min(max(mine, D(0)), FACTS.joint_allowance_share(partner_income=theirs)) + min(
        max(theirs, D(0)), FACTS.joint_allowance_share(partner_income=mine)
    )
    assert used == min(max(mine, D(0)) + max(theirs, D(0)), FACTS.saver_allowance_joint)
