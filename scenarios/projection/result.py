"""What a projection returns: its month rows, its year rows and its headline figures.

Every amount in cents; the pages, the API and the comparison read them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.calculator import CalculatorResult


@dataclass(frozen=True)
class MonthRow:
    """One month of the schedule, every amount in cents.

    ``capital`` is at the end of the month (after the contribution, the return credited
    in it and, when reinvesting, the tax paid out of it; with the tax at the end, before
    that tax, as the calculator's end capital is). ``plan_income`` is the plan's
    gross income (investment income + additional income); ``tax`` is the plan's tax
    only (linked sources carry their own, inside ``sources_net``);
    ``net_income = plan_income − tax + sources_net`` is the month's total passive net
    income, and ``real_net_income`` is that in money of the first plan year.
    """

    month: date
    capital: Decimal
    contribution: Decimal
    plan_income: Decimal
    sources_net: Decimal
    tax: Decimal
    net_income: Decimal
    real_net_income: Decimal


@dataclass(frozen=True)
class YearRow:
    """One plan year (``year`` 1 = the first 12 months).

    The flows (contributions, incomes, tax, nets, real net) are the sums of the year's
    month rows, so the table adds up; ``capital_end`` is the last month's capital and
    ``real_capital_end`` that capital in today's money: at the end of plan year y it is y
    years ahead, so it is deflated by ``(1 + inflation)^y`` (§4), one year more than the
    months of that year are.
    ``monthly_net_average`` is the year's net income / 12.
    """

    year: int
    capital_end: Decimal
    real_capital_end: Decimal
    contributions: Decimal
    plan_income: Decimal
    sources_net: Decimal
    tax: Decimal
    net_income: Decimal
    real_net_income: Decimal
    monthly_net_average: Decimal


@dataclass(frozen=True)
class Projection:
    """The whole schedule and its headline figures.

    ``independence_month`` / ``target_month`` are None when not reached within the
    horizon (or when no expenses / no target were given). ``total_contributions`` is the
    sum of the monthly contributions, without the starting capital.

    ``calculation`` is the calculator's result that a plan taxed at the end reproduces
    (its end capital, gross income, tax and net income are the page's and the API's
    headline figures for such a plan); None for a plan taxed every year.
    """

    months: tuple[MonthRow, ...]
    years: tuple[YearRow, ...]
    independence_month: date | None
    target_month: date | None
    final_capital: Decimal
    total_contributions: Decimal
    total_net_income: Decimal
    calculation: CalculatorResult | None = None
