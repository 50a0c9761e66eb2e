"""The plan's own tax, with its yearly allowance and partial exemption.

Linked sources carry their own tax (``sources``); this is the tax on the plan's income.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from finance.rounding import EXACT
from scenarios.projection.rounding import RunningCents

ZERO = Decimal(0)
ONE = Decimal(1)


class PlanTax:
    """The plan's tax, per plan year, applied month by month in order (PRODUCT.md §2, §4).

    For a plan year: taxable = max(0, income × (1 − partial_exemption) − the allowance
    left of that year); tax = taxable × tax_rate. Month by month this means the
    allowance is used up by the earliest income of the year. A month whose income is
    not positive (a loss) pays no tax and uses no allowance; it does not offset other
    months either (no loss carry within the year: a simplification that can only
    overstate the tax).

    The plan year (the 12 months from the plan's first month) stands in for the
    calendar year: plan year 1 is the first 12 months, whatever month the plan starts.

    The tax is computed on the shown (cent) income, so a user can check it from the
    table, and rounded as a running total within the year, so each month's tax is in
    cents and the year's tax is exactly ``to_cents(year's taxable × tax_rate)``.
    """

    def __init__(self, *, rate: Decimal, allowance: Decimal, exemption: Decimal) -> None:
        self._rate = rate
        self._allowance = allowance
        self._exemption = exemption
        self._left = allowance
        self._year = RunningCents()

    def new_year(self) -> None:
        self._left = self._allowance
        self._year = RunningCents()

    def tax(self, income: Decimal) -> Decimal:
        """The tax of a month with ``income`` (in cents)."""
        with localcontext(EXACT):
            taxable = ZERO
            if income > ZERO:
                base = income * (ONE - self._exemption)
                used = min(base, self._left)
                self._left -= used
                taxable = base - used
            return self._year.add(taxable * self._rate)
