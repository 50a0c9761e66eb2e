"""Creator and business income: the year's profit at the personal rate, and the
Kleinunternehmer monitor (§19 UStG).

A Kleinunternehmer charges no VAT. From 2025 (Jahressteuergesetz 2024) the status
holds while the net turnover was at most 25,000 € in the previous year and is at most
100,000 € in the current one; it ends with the very sale that takes the current year
over 100,000 €, and that sale already bears VAT. Crossing 25,000 € this year ends it
from next year. In 2023 and 2024 the limits were 22,000 € and 50,000 €, the latter a
forecast at the start of the year rather than a line that ends the status when crossed
(``TaxYearFacts.kleinunternehmer_current_limit_ends_status``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from finance.rounding import EXACT, to_cents
from finance.schedule import by_month
from finance.tax.facts import TaxYearFacts

ZERO = Decimal(0)

# Warn when the running turnover reaches 80 % of a limit: with a fifth of the way left,
# a creator has time to plan prices, invoices and the switch to charging VAT.
KLEINUNTERNEHMER_WARNING_SHARE = Decimal("0.8")


@dataclass(frozen=True)
class BusinessYear:
    """``profit`` = ``income`` − ``costs``; ``tax`` = profit × marginal rate (negative: a
    loss, and the tax it saves)."""

    income: Decimal
    costs: Decimal
    profit: Decimal
    marginal_rate: Decimal
    tax: Decimal


def business_year(*, income: Decimal, costs: Decimal, marginal_rate: Decimal) -> BusinessYear:
    """Creator or business income of a year (Einnahmenüberschussrechnung, §4 (3) EStG):
    income less recorded costs, taxed at the person's ``marginal_rate``. The tax is an
    estimate rounded once; solidarity surcharge and church tax belong in the rate."""
    with localcontext(EXACT):
        profit = income - costs
        return BusinessYear(
            income=income,
            costs=costs,
            profit=profit,
            marginal_rate=marginal_rate,
            tax=to_cents(profit * marginal_rate),
        )


@dataclass(frozen=True)
class KleinunternehmerStatus:
    """The monitor of one year; months are first days, None when it never happened.

    - ``ruled_out_by_previous_year``: last year's turnover was over its limit, so the
      status does not apply this year at all;
    - ``current_limit_warning`` / ``current_limit_exceeded``: the month the running total
      first reached the warning share of ``current_limit`` / first went over it (from
      2025 the status ends with that month's sale that crossed it);
    - ``next_year_limit_warning`` / ``next_year_limit_exceeded``: the same for
      ``next_year_limit``, this year's turnover as next year's previous year.
    """

    year: int
    previous_year_turnover: Decimal
    previous_year_limit: Decimal
    ruled_out_by_previous_year: bool
    turnover: Decimal
    current_limit: Decimal
    current_limit_ends_status: bool
    current_limit_warning: date | None
    current_limit_exceeded: date | None
    next_year_limit: Decimal
    next_year_limit_warning: date | None
    next_year_limit_exceeded: date | None


def _first_month(
    running: list[tuple[date, Decimal]], reached: Callable[[Decimal], bool]
) -> date | None:
    """The first month whose running total has ``reached`` the mark; None when none has."""
    return next((month for month, total in running if reached(total)), None)


def kleinunternehmer_status(
    *,
    facts: TaxYearFacts,
    previous_year_turnover: Decimal,
    monthly_turnover: Mapping[date, Decimal],
    started_this_year: bool = False,
    next_year_facts: TaxYearFacts | None = None,
) -> KleinunternehmerStatus:
    """The Kleinunternehmer monitor for ``facts.year`` from the net turnover per month.

    ``monthly_turnover`` is keyed by month (a day in it counts toward its month). A
    business started this year has no previous year, and its current-year limit is the
    previous-year one (§19 (2) UStG from 2025: 25,000 €). ``next_year_facts`` give next
    year's previous-year limit; without them this year's is assumed to stay.
    Raises ``ValueError`` for a month outside ``facts.year``.
    """
    months = by_month(monthly_turnover)
    if any(month.year != facts.year for month in months):
        raise ValueError(f"Turnover outside {facts.year}.")
    previous_limit = facts.kleinunternehmer_previous_year_limit
    current_limit = (
        previous_limit if started_this_year else facts.kleinunternehmer_current_year_limit
    )
    next_limit = (next_year_facts or facts).kleinunternehmer_previous_year_limit
    running: list[tuple[date, Decimal]] = []
    total = ZERO
    with localcontext(EXACT):
        for month in sorted(months):
            total += months[month]
            running.append((month, total))
        current_warning = current_limit * KLEINUNTERNEHMER_WARNING_SHARE
        next_warning = next_limit * KLEINUNTERNEHMER_WARNING_SHARE
    ruled_out = not started_this_year and previous_year_turnover > previous_limit
    return KleinunternehmerStatus(
        year=facts.year,
        previous_year_turnover=previous_year_turnover,
        previous_year_limit=previous_limit,
        ruled_out_by_previous_year=ruled_out,
        turnover=total,
        current_limit=current_limit,
        current_limit_ends_status=facts.kleinunternehmer_current_limit_ends_status,
        current_limit_warning=_first_month(running, lambda total: total >= current_warning),
        current_limit_exceeded=_first_month(running, lambda total: total > current_limit),
        next_year_limit=next_limit,
        next_year_limit_warning=_first_month(running, lambda total: total >= next_warning),
        next_year_limit_exceeded=_first_month(running, lambda total: total > next_limit),
    )
