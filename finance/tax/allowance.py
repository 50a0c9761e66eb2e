"""Allowance orders (Freistellungsaufträge): checked against the allowance, and suggested.

A saver spreads the allowance of §20 (9) EStG over the banks by orders (§44a (2)
sentence 1 no. 1 EStG); each bank withholds no tax up to its order. Together they may
not exceed the allowance, and the banks report what they exempted to the
Bundeszentralamt für Steuern (§45d EStG), which sees an excess: ``allowance_orders_excess``
warns before it does. ``allowance_split`` suggests orders from each bank's
expected taxable income, in whole euros.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction
from types import MappingProxyType

from finance.rounding import EXACT
from finance.tax.facts import FilingStatus, TaxYearFacts

ZERO = Decimal(0)
EURO = Decimal(1)


@dataclass(frozen=True)
class AllowanceExcess:
    """Orders adding up to more than the allowance: ``excess`` = ``total`` − ``allowance``."""

    total: Decimal
    allowance: Decimal
    excess: Decimal


@dataclass(frozen=True)
class AllowanceSplit:
    """Suggested orders by bank (in bank-key order) and the allowance left unassigned."""

    orders: Mapping[str, Decimal]
    unassigned: Decimal


def allowance_orders_excess(
    *, orders: Mapping[str, Decimal], filing_status: FilingStatus, facts: TaxYearFacts
) -> AllowanceExcess | None:
    """The warning when ``orders`` add up to more than the allowance; None when they fit."""
    allowance = facts.saver_allowance(filing_status)
    with localcontext(EXACT):
        total = sum(orders.values(), ZERO)
    if total <= allowance:
        return None
    return AllowanceExcess(total=total, allowance=allowance, excess=total - allowance)


def allowance_split(
    *, expected: Mapping[str, Decimal], filing_status: FilingStatus, facts: TaxYearFacts
) -> AllowanceSplit:
    """Orders from each bank's ``expected`` taxable capital income of the year, in euros.

    When all the expected income fits in the allowance, each bank gets its income
    rounded up to whole euros, so no bank withholds on a few cents; where that rounding
    would take the sum over the allowance, the banks rounded up the most give back one
    euro each (ties by bank key) and the sum is at most the allowance, the rest left
    unassigned. When the income exceeds the allowance, the allowance is shared in
    proportion to it, whole euros by the largest-remainder (Hamilton) method, ties by
    bank key, so the orders add up to the allowance exactly. Exact fractions throughout:
    no remainder is compared after a rounding.

    Raises ``ValueError`` for negative expected income or an allowance in cents.
    """
    allowance = facts.saver_allowance(filing_status)
    if any(amount < ZERO for amount in expected.values()):
        raise ValueError("Expected income cannot be negative.")
    if allowance != allowance.to_integral_value():
        raise ValueError("The allowance must be whole euros to be split in whole euros.")
    banks = sorted(expected)
    with localcontext(EXACT):
        total = sum(expected.values(), ZERO)
    if total <= allowance:
        orders = {
            bank: expected[bank].quantize(EURO, rounding=ROUND_CEILING, context=EXACT)
            for bank in banks
        }
        over = int(sum(orders.values(), ZERO) - allowance)
        rounded_up_most = sorted(banks, key=lambda bank: (expected[bank] - orders[bank], bank))
        for bank in rounded_up_most[: max(0, over)]:
            orders[bank] -= EURO
    else:
        quotas = {
            bank: Fraction(allowance) * Fraction(expected[bank]) / Fraction(total) for bank in banks
        }
        floors = {bank: math.floor(quotas[bank]) for bank in banks}
        left = int(allowance) - sum(floors.values())
        by_remainder = sorted(banks, key=lambda bank: (floors[bank] - quotas[bank], bank))
        for bank in by_remainder[:left]:
            floors[bank] += 1
        orders = {bank: Decimal(floors[bank]) for bank in banks}
    unassigned = allowance - sum(orders.values(), ZERO)
    return AllowanceSplit(orders=MappingProxyType(orders), unassigned=unassigned)
