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
from finance.rounding import EXACT, to_cents
from finance.schedule import months_between
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
TWELVE = Decimal(12)


def _net(gross: Decimal, costs: Decimal, tax_rate: Decimal) -> Decimal:
    """A source's net of a month, in cents: gross − costs − tax_rate × max(0, gross − costs).

    The profit (gross − costs) is rounded first and the tax is computed on that shown
    profit and rounded, so profit − tax = net to the cent. A loss pays no tax and is a
    negative net. Called inside ``localcontext(EXACT)`` (``_model_nets`` enters it once
    for a whole series rather than once a month).
    """
    profit = to_cents(gross - costs)
    return profit - to_cents(profit * tax_rate) if profit > ZERO else profit


def _years(months: int) -> int:
    """The plan years ``months`` months touch, the last one possibly partial."""
    return -(-months // 12)


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

    Each source carries its own tax rate and costs; the plan's allowance does not apply
    (PRODUCT.md §3: independence "from each source's own after-tax projection"). The
    models, with ``m`` the month of the source's own model and its year ``m // 12``:

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


def _model_nets(source: SourceModel, *, months: int) -> list[Decimal]:
    """The first ``months`` months of the source's own model (``source_monthly_net``).

    A model whose state (the capital, the subscribers) comes out of a month as it went
    in has reached its steady state: every later month nets the same, so the series is
    filled with that net instead of computed month by month (a capital paid out, a
    subscription without churn or new subscribers). The report recompute projects 30
    years of every user's sources; most of them are such series.
    """
    nets: list[Decimal] = []
    with localcontext(EXACT):
        match source:
            case CapitalSource():
                capital = source.capital
                rate, costs, tax = source.annual_yield, source.monthly_costs, source.tax_rate
                while len(nets) < months:
                    # capital × rate / 12 in this order: rate / 12 alone is not exact.
                    net = _net(capital * rate / TWELVE if capital > ZERO else ZERO, costs, tax)
                    nets.append(net)
                    grown = max(capital + net, ZERO) if source.reinvest else capital
                    if grown == capital:
                        nets.extend([net] * (months - len(nets)))
                    capital = grown
            case RentalSource():
                # Every figure of a month depends on its year only: one net per year.
                for year in range(_years(months)):
                    rent = source.monthly_rent * (ONE + source.annual_rent_growth) ** year
                    gross = rent * (ONE - source.vacancy_rate)
                    costs = (
                        gross * source.management_fee_rate
                        + source.monthly_running_costs
                        + source.monthly_costs
                    )
                    net = _net(gross, costs, source.tax_rate)
                    nets.extend([net] * min(12, months - 12 * year))
            case SubscriptionSource():
                subscribers = source.subscribers
                kept, new = ONE - source.churn_rate, source.new_per_month
                price, costs, tax = source.price, source.monthly_costs, source.tax_rate
                while len(nets) < months:
                    following = subscribers * kept + new
                    net = _net(following * price, costs, tax)
                    nets.append(net)
                    if following == subscribers:
                        nets.extend([net] * (months - len(nets)))
                    subscribers = following
            case FlatSource():
                for year in range(_years(months)):
                    gross = source.monthly_amount * (ONE + source.annual_growth) ** year
                    net = _net(gross, source.monthly_costs, source.tax_rate)
                    nets.extend([net] * min(12, months - 12 * year))
            case _:
                assert_never(source)
    return nets
