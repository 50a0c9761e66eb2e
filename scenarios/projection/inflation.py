"""The plan's inflation: real values by plan year, and the expenses as prices grow."""

from __future__ import annotations

from decimal import Decimal, localcontext

from finance.rounding import EXACT
from scenarios.projection.inputs import Plan

ONE = Decimal(1)


def deflator(*, inflation: Decimal, year: int) -> Decimal:
    """``(1 + inflation)^year`` for plan year ``year`` (0 for the first 12 months).

    Real value = nominal / deflator. The deflator is constant within a plan year rather
    than ``(1 + inflation)^(m/12)`` per month, because a fractional power of a Decimal
    is not exact, and an integer power is: the first plan year is "today's money", the
    second is deflated by one year's inflation, and so on.
    """
    with localcontext(EXACT):
        return (ONE + inflation) ** year


def grown_expenses(plan: Plan, index: int) -> Decimal:
    """The monthly expenses in plan month ``index``, grown with inflation (exact).

    ``monthly_expenses × deflator`` of the month's plan year: the expenses are given in
    today's money and grow as prices do (§3), so a month's nominal net income is held
    against them. ``project``'s independence month and the stress test's "the shocks end
    it" both read them here.
    """
    with localcontext(EXACT):
        return plan.monthly_expenses * deflator(inflation=plan.inflation, year=index // 12)
