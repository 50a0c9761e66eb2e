"""What a scenario projection takes: the plan and the models of its linked sources.

Plain frozen data; their bounds are checked in ``validation``, and ``scenarios.plans``
builds them from a saved scenario and its sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from finance.tax.projection import PROFIT, TaxBase

ZERO = Decimal(0)

COMPOUNDING_YEARLY = "yearly"
COMPOUNDING_MONTHLY = "monthly"
COMPOUNDINGS = (COMPOUNDING_YEARLY, COMPOUNDING_MONTHLY)

# When the plan's tax is paid: on each plan year's income in that year, or once at the end
# on the whole gain, as the seed's calculator does (a saved calculation, see ``project``).
TAX_YEARLY = "yearly"
TAX_AT_END = "at_end"
# A German investment fund (§§16–18 InvStG): a distributing plan is taxed on its payouts as
# TAX_YEARLY is; a reinvesting one only on the Vorabpauschale of each year, due on the
# first working day of the next, the rest of its gain deferred to a sale.
TAX_FUND = "fund"
TAX_TIMINGS = (TAX_YEARLY, TAX_AT_END, TAX_FUND)


@dataclass(frozen=True)
class Plan:
    """The inputs of a scenario projection (PRODUCT.md §4 "Scenario projection").

    Rates are fractions (0.05 is 5 %); amounts are in the user's base currency.
    ``start`` may be any day: the plan starts with its month (``month_start``).
    ``volatility`` is used only by ``scenarios.montecarlo``. ``tax_timing`` is
    ``TAX_YEARLY``, ``TAX_AT_END`` or ``TAX_FUND``; ``one_off_income`` is the calculator's
    one-off additional income, which only a plan taxed at the end has
    (``tax_timing_conflicts``). ``basiszins`` is the Basiszins a ``TAX_FUND`` plan's
    Vorabpauschale is computed with (the latest year's tax facts; 0.032 is 3.20 %).
    """

    start: date
    horizon_years: int
    starting_capital: Decimal
    monthly_contribution: Decimal
    annual_return: Decimal
    compounding: str
    payout: bool
    tax_rate: Decimal
    yearly_allowance: Decimal
    partial_exemption: Decimal
    inflation: Decimal
    additional_yearly_income: Decimal
    target_monthly_income: Decimal
    monthly_expenses: Decimal = ZERO
    volatility: Decimal | None = None
    tax_timing: str = TAX_YEARLY
    one_off_income: Decimal = ZERO
    basiszins: Decimal = ZERO


# Every source model ends with ``starts`` and ``ends``: the source's first and last day
# (None: running before the plan / open-ended). Whole months count; see
# ``source_monthly_net`` for how a projection respects them (PRODUCT.md §3). Then its
# ``tax_base``: what of a month ``tax_rate`` applies to (``finance.tax.projection``), the
# profit in full unless the German tax year's rules say otherwise.


@dataclass(frozen=True)
class CapitalSource:
    """Dividends or interest: ``capital × annual_yield / 12`` a month.

    With ``reinvest`` the month's net income is added to the capital.
    """

    name: str
    capital: Decimal
    annual_yield: Decimal
    reinvest: bool
    tax_rate: Decimal
    monthly_costs: Decimal = ZERO
    starts: date | None = None
    ends: date | None = None
    tax_base: TaxBase = PROFIT


@dataclass(frozen=True)
class RentalSource:
    """A let property: rent less vacancy, management fee and costs."""

    name: str
    monthly_rent: Decimal
    vacancy_rate: Decimal
    management_fee_rate: Decimal
    monthly_running_costs: Decimal
    monthly_costs: Decimal
    tax_rate: Decimal
    annual_rent_growth: Decimal = ZERO
    starts: date | None = None
    ends: date | None = None
    tax_base: TaxBase = PROFIT


@dataclass(frozen=True)
class SubscriptionSource:
    """A subscription business: subscribers × price, with new subscribers and churn."""

    name: str
    subscribers: Decimal
    price: Decimal
    new_per_month: Decimal
    churn_rate: Decimal
    monthly_costs: Decimal
    tax_rate: Decimal
    starts: date | None = None
    ends: date | None = None
    tax_base: TaxBase = PROFIT


@dataclass(frozen=True)
class FlatSource:
    """Royalties, affiliate, advertising, other: an expected monthly amount and its growth."""

    name: str
    monthly_amount: Decimal
    annual_growth: Decimal
    monthly_costs: Decimal
    tax_rate: Decimal
    starts: date | None = None
    ends: date | None = None
    tax_base: TaxBase = PROFIT


SourceModel: TypeAlias = CapitalSource | RentalSource | SubscriptionSource | FlatSource
