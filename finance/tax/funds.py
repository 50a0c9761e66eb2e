"""Fund income under the InvStG: the partial exemption and the Vorabpauschale.

An accumulating fund pays nothing out, yet its holder is taxed each year on a minimum
yield, the Vorabpauschale (§18 InvStG), computed from the fund's price per unit at the
start and end of the calendar year and the Basiszins the BMF publishes for that year.
Fund income, paid or deemed, is then taxed only in part: the partial exemption of the
fund's type (§20 InvStG) is left out (``fund_taxable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

from finance.rounding import EXACT, to_cents
from finance.tax.facts import FundType, TaxYearFacts

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = 12

# §18 (1) sentence 3 InvStG: the base yield is 70 % of the Basiszins.
BASE_YIELD_SHARE = Decimal("0.7")

SATURDAY = 5


def fund_taxable(*, gross: Decimal, fund_type: FundType, facts: TaxYearFacts) -> Decimal:
    """The taxable part of fund income: gross × (1 − partial exemption), in cents.

    §20 (1)–(3) InvStG exempt 30 % (equity), 15 % (mixed), 60 % (real estate) or 80 %
    (foreign real estate) of a private investor's distributions, Vorabpauschalen and
    gains. Rounded once, from the gross in cents, as the return shows the gross and the
    Finanzamt applies the exemption to it. The one place the exemption is applied.
    """
    with localcontext(EXACT):
        return to_cents(gross * (ONE - facts.exemption(fund_type)))


def base_yield(*, value: Decimal, basiszins: Decimal) -> Decimal:
    """The base yield of a holding worth ``value`` at the start of the year: value ×
    Basiszins × 0.7 (§18 (1) sentences 2–3 InvStG), exact. A negative Basiszins (2021,
    2022) gives a negative base yield, and with it no Vorabpauschale."""
    with localcontext(EXACT):
        return value * basiszins * BASE_YIELD_SHARE


def vorabpauschale_due(*, base_yield: Decimal, gain: Decimal, distributions: Decimal) -> Decimal:
    """The Vorabpauschale before the 1/12 reduction: the base yield capped at the year's
    gain (end value − start value + distributions), less the distributions, never below
    zero (§18 (1) InvStG), exact. Per unit or for a whole holding alike: the one place
    the rule is written, for the report's holdings and the projection's plan."""
    with localcontext(EXACT):
        return max(ZERO, min(base_yield, gain) - distributions)


def first_working_day(year: int) -> date:
    """The first working day of ``year``: 2 January, or the Monday after it at a weekend.

    §18 (3) InvStG says "Werktag", which in German law includes Saturday; banks book the
    Vorabpauschale on their first business day, Monday to Friday, and so does this. Either
    way it lies in the first days of January, so the tax year is the same. 1 January is a
    holiday everywhere in Germany, and the earliest regional holiday (Epiphany, 6 January,
    in Baden-Württemberg, Bavaria and Saxony-Anhalt) comes after the latest possible
    result (Monday 4 January), so no regional calendar is needed.
    """
    day = date(year, 1, 2)
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Vorabpauschale:
    """The Vorabpauschale of one holding for one year.

    ``per_unit`` is exact (an intermediate, never rounded); ``gross`` is the figure of the
    holding in cents and ``taxable`` its part after the partial exemption. It counts as
    received on ``received_on``, the first working day of the next year (§18 (3) InvStG),
    so it is income, and uses the allowance, of that next year.
    """

    fund_type: FundType
    base_yield_per_unit: Decimal
    gain_per_unit: Decimal
    per_unit: Decimal
    months: int
    units: Decimal
    gross: Decimal
    taxable: Decimal
    received_on: date


def vorabpauschale(
    *,
    facts: TaxYearFacts,
    fund_type: FundType,
    start_price: Decimal,
    end_price: Decimal,
    distributions_per_unit: Decimal,
    units: Decimal,
    bought_on: date | None = None,
) -> Vorabpauschale:
    """The Vorabpauschale of ``units`` held at the end of ``facts.year`` (§18 InvStG).

    Per unit: the base yield is the price at the start of the year × Basiszins × 0.7
    (§18 (1) sentences 2–3), capped at the year's gain (end price − start price +
    distributions, sentence 3), less the year's distributions (sentence 1), never below
    zero. In the year of purchase it is reduced by 1/12 for each full month before the
    month of purchase (§18 (2)): bought in March, 10/12 of it. ``start_price`` is the
    first price of the calendar year even when the units were bought later, as the law
    has it (for a fund launched during the year, its first price). ``bought_on`` None,
    or a date in an earlier year, means held the whole year; units bought at different
    times in the year are separate holdings, one call each.

    ``gross`` = per unit × months/12 × units, rounded once; ``taxable`` from it
    (``fund_taxable``).
    """
    if min(start_price, end_price, distributions_per_unit, units) < ZERO:
        raise ValueError("Prices, distributions and units cannot be negative.")
    if bought_on is not None and bought_on.year > facts.year:
        raise ValueError(f"Units bought on {bought_on} were not held in {facts.year}.")
    months = TWELVE
    if bought_on is not None and bought_on.year == facts.year:
        months = TWELVE - (bought_on.month - 1)
    yield_per_unit = base_yield(value=start_price, basiszins=facts.basiszins)
    with localcontext(EXACT):
        gain = end_price - start_price + distributions_per_unit
        per_unit = vorabpauschale_due(
            base_yield=yield_per_unit, gain=gain, distributions=distributions_per_unit
        )
        gross = to_cents(per_unit * months / TWELVE * units)
    return Vorabpauschale(
        fund_type=fund_type,
        base_yield_per_unit=yield_per_unit,
        gain_per_unit=gain,
        per_unit=per_unit,
        months=months,
        units=units,
        gross=gross,
        taxable=fund_taxable(gross=gross, fund_type=fund_type, facts=facts),
        received_on=first_working_day(facts.year + 1),
    )
