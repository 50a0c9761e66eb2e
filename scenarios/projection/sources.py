"""Each linked source's own projection: its monthly net after its own costs and tax.

One model per kind of source (capital, rental, subscription, flat), each within the
source's start and end dates (PRODUCT.md §3); the projection, the stress test and plan vs
actual all read a source's months here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext
from typing import assert_never

from finance.errors import DomainError
from finance.figures import capital_income
from finance.rounding import EXACT, to_cents
from finance.schedule import months_between
from finance.tax.projection import MonthlyTax
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.projection.validation import source_errors

ZERO = Decimal(0)
ONE = Decimal(1)


def _years(months: int) -> int:
    """The plan years ``months`` months touch, the last one possibly partial."""
    return -(-months // 12)


def yearly_gross(source: SourceModel) -> Decimal:
    """The source's gross of a year at today's inputs, in cents: 12 months of its model's
    first gross without growth, churn or new subscribers (capital × annual_yield, 12 ×
    rent × (1 − vacancy), 12 × subscribers × price, 12 × monthly_amount).

    What a source weighs when the saver's allowance is shared among the capital sources
    (``finance.tax.projection.capital_bases``), as a bank's expected income weighs in
    the report's suggested allowance orders: an estimate, not a forecast.
    """
    with localcontext(EXACT):
        match source:
            case CapitalSource():
                gross = capital_income(capital=source.capital, annual_yield=source.annual_yield)
            case RentalSource():
                gross = 12 * source.monthly_rent * (ONE - source.vacancy_rate)
            case SubscriptionSource():
                gross = 12 * source.subscribers * source.price
            case FlatSource():
                gross = 12 * source.monthly_amount
            case _:
                assert_never(source)
        return to_cents(gross)


def source_monthly_net(
    source: SourceModel, *, months: int, start: date | None = None
) -> list[Decimal]:
    """The projected monthly net income of one source, in cents, for ``months`` months.

    Month index ``m`` counts from 0 at ``start``'s month (the plan's first month).

    Start and end dates (PRODUCT.md §3: "every projection respects a source's start and
    end dates"), in whole months: a source counts from the month of ``source.starts``
    through the month of ``source.ends``, both included (payouts are monthly and the
    models know no days), and is 0 outside them:

    - a source without ``starts``, or that started before ``start``'s month, runs its
      model from month 0 with its inputs as they are now;
    - a source that starts ``k`` months into the plan is 0 in months 0 … k − 1 and
      begins its own model in month k, as if that were its month 0: its subscribers are
      the count it starts with (the one entered, usually 0 for a launch), and the years
      of rent and flat growth are counted from its start, not from the plan's (growth
      belongs to the source's own life);
    - months after the month of ``ends`` are 0; a source that ended before ``start``'s
      month contributes nothing.

    ``start`` is required when the source has a date: without it the dates could not be
    placed, and silently projecting from month 0 is the error this rule prevents.

    Each source carries its own tax rate, tax base and costs; the plan's allowance does
    not apply (PRODUCT.md §3: independence "from each source's own after-tax
    projection"). A month's net is profit − tax as ``finance.tax.projection.MonthlyTax``
    takes it, the year of its allowance the model's own year. The models, with ``m`` the
    month of the source's own model and its year ``m // 12``:

    - capital: gross = capital × annual_yield / 12; costs = monthly_costs. With
      ``reinvest`` the capital grows by the (cent) net each month; a negative net
      shrinks it, never below 0, and a capital of 0 earns nothing.
    - rental: rent of year y = monthly_rent × (1 + annual_rent_growth)^y;
      gross = rent × (1 − vacancy); costs = gross × management_fee_rate +
      monthly_running_costs + monthly_costs (the costs do not grow).
    - subscription: each month first subscribers = subscribers × (1 − churn) + new
      (exact, a subscriber count is an expectation and is not rounded), then gross =
      subscribers × price; so the first month already has its churn and new
      subscribers, and the series tends to the steady state new / churn (§4).
    - flat: gross of year y = monthly_amount × (1 + annual_growth)^y; costs =
      monthly_costs.

    Raises ``DomainError`` (keyed by the source's field names) for a source outside the
    bounds, ``ValueError`` for a negative ``months`` or a dated source without ``start``.
    """
    if months < 0:
        raise ValueError(f"months must not be negative, not {months}.")
    errors = source_errors(source)
    if errors:
        raise DomainError(errors)
    first, last = 0, months - 1  # the plan months the source is running in, both included
    if source.starts is not None or source.ends is not None:
        if start is None:
            raise ValueError(f"{source.name} has a start or end date: give the plan's start.")
        if source.starts is not None:
            first = min(max(months_between(start, source.starts), 0), months)
        if source.ends is not None:
            last = min(months_between(start, source.ends), last)
    running = max(last - first + 1, 0)
    return (
        [ZERO] * first + _model_nets(source, months=running) + [ZERO] * (months - first - running)
    )


def _tiled(nets: list[Decimal], months: int) -> list[Decimal]:
    """``nets`` of one year repeated to ``months`` months."""
    return [nets[index % len(nets)] for index in range(months)]


def _model_nets(source: SourceModel, *, months: int) -> list[Decimal]:
    """The first ``months`` months of the source's own model (``source_monthly_net``).

    A model whose state (the capital, the subscribers) comes out of a month as it went
    in has reached its steady state: every later month nets the same, so the series is
    filled with that net instead of computed month by month (a capital paid out, a
    subscription without churn or new subscribers). With an allowance to use up each
    year that holds of years, not months: a year in which the state never moved is
    repeated. The report recompute projects 30 years of every user's sources; most of
    them are such series.
    """
    nets: list[Decimal] = []
    tax = MonthlyTax(rate=source.tax_rate, base=source.tax_base)
    stateless = source.tax_base.stateless
    with localcontext(EXACT):
        match source:
            case CapitalSource():
                capital = source.capital
                rate, costs = source.annual_yield, source.monthly_costs
                steady_year = source.tax_base.repeats_yearly
                while len(nets) < months:
                    if len(nets) % 12 == 0:
                        tax.new_year()
                        year_start = capital
                    gross = capital_income(capital=capital, annual_yield=rate, months=1)
                    net = tax.net(gross if capital > ZERO else ZERO, costs)
                    nets.append(net)
                    grown = max(capital + net, ZERO) if source.reinvest else capital
                    if grown == capital and stateless:
                        nets.extend([net] * (months - len(nets)))
                    elif len(nets) == 12 and steady_year and grown == year_start == capital:
                        # The first year's months all had this capital (it never moved).
                        return _tiled(nets, months)
                    capital = grown
            case RentalSource():
                # Every figure of a month depends on its year only: one gross and cost
                # per year, and one net too unless the tax carries a state over months.
                for year in range(_years(months)):
                    tax.new_year()
                    rent = source.monthly_rent * (ONE + source.annual_rent_growth) ** year
                    gross = rent * (ONE - source.vacancy_rate)
                    costs = (
                        gross * source.management_fee_rate
                        + source.monthly_running_costs
                        + source.monthly_costs
                    )
                    count = min(12, months - 12 * year)
                    if stateless:
                        nets.extend([tax.net(gross, costs)] * count)
                    else:
                        nets.extend(tax.net(gross, costs) for _ in range(count))
            case SubscriptionSource():
                subscribers = source.subscribers
                kept, new = ONE - source.churn_rate, source.new_per_month
                price, costs = source.price, source.monthly_costs
                while len(nets) < months:
                    if len(nets) % 12 == 0:
                        tax.new_year()
                    following = subscribers * kept + new
                    net = tax.net(following * price, costs)
                    nets.append(net)
                    if following == subscribers and stateless:
                        nets.extend([net] * (months - len(nets)))
                    subscribers = following
            case FlatSource():
                for year in range(_years(months)):
                    tax.new_year()
                    gross = source.monthly_amount * (ONE + source.annual_growth) ** year
                    count = min(12, months - 12 * year)
                    if stateless:
                        nets.extend([tax.net(gross, source.monthly_costs)] * count)
                    else:
                        nets.extend(tax.net(gross, source.monthly_costs) for _ in range(count))
            case _:
                assert_never(source)
    return nets
