"""Each source's projected series equals its model computed plainly, month by month.

``sources._model_nets`` fills a series once a model's state stops changing (a capital
paid out, subscribers at their steady state) and enters the exact context once per
series. The reference here computes every month with the formulas of
``source_monthly_net``'s docstring and no shortcut; the two must be equal to the cent,
on random sources and on sources built to reach a steady state.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from decimal import localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from finance.rounding import EXACT, to_cents
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.projection.sources import source_monthly_net
from tests.scenarios.source_models import capital, flat, rental, subscription

ZERO, ONE, TWELVE = D(0), D(1), D(12)
START = date(2026, 1, 1)


def plain_net(gross: D, costs: D, tax_rate: D) -> D:
    with localcontext(EXACT):
        profit = to_cents(gross - costs)
        tax = to_cents(profit * tax_rate) if profit > ZERO else ZERO
        return profit - tax


def plain_model(source: SourceModel, months: int) -> list[D]:
    """Every month of the model, each computed from the state the month before left."""
    nets: list[D] = []
    with localcontext(EXACT):
        if isinstance(source, CapitalSource):
            money = source.capital
            for _ in range(months):
                gross = money * source.annual_yield / TWELVE if money > ZERO else ZERO
                net = plain_net(gross, source.monthly_costs, source.tax_rate)
                nets.append(net)
                if source.reinvest:
                    money = max(money + net, ZERO)
        elif isinstance(source, SubscriptionSource):
            subscribers = source.subscribers
            for _ in range(months):
                subscribers = subscribers * (ONE - source.churn_rate) + source.new_per_month
                nets.append(
                    plain_net(subscribers * source.price, source.monthly_costs, source.tax_rate)
                )
        elif isinstance(source, RentalSource):
            for month in range(months):
                rent = source.monthly_rent * (ONE + source.annual_rent_growth) ** (month // 12)
                gross = rent * (ONE - source.vacancy_rate)
                costs = (
                    gross * source.management_fee_rate
                    + source.monthly_running_costs
                    + source.monthly_costs
                )
                nets.append(plain_net(gross, costs, source.tax_rate))
        else:
            assert isinstance(source, FlatSource)
            for month in range(months):
                gross = source.monthly_amount * (ONE + source.annual_growth) ** (month // 12)
                nets.append(plain_net(gross, source.monthly_costs, source.tax_rate))
    return nets


def undated(source: SourceModel) -> SourceModel:
    return type(source)(**{**source.__dict__, "starts": None, "ends": None})


@settings(max_examples=300, deadline=None)
@given(source=(capital | rental | subscription | flat).map(undated), months=st.integers(0, 400))
def test_every_model_equals_its_plain_month_by_month_series(
    source: SourceModel, months: int
) -> None:
    assert source_monthly_net(source, months=months, start=START) == plain_model(source, months)


steady = st.sampled_from(
    [
        # Paid out: the capital never moves.
        CapitalSource("ETF", D("120000"), D("0.035"), False, D("0.26375")),
        # Reinvested, but the costs eat the yield: the net is 0 and the capital stays.
        CapitalSource("Deposit", D("12000"), D("0.01"), True, D(0), monthly_costs=D("10")),
        # Reinvested and shrinking to 0, then 0 for good.
        CapitalSource("Loss", D("50"), D("0.01"), True, D(0), monthly_costs=D("20")),
        # Nothing invested.
        CapitalSource("Empty", D(0), D("0.05"), True, D("0.25")),
        # Already at the steady state new / churn = 10 / 0.1.
        SubscriptionSource("Club", D("100"), D("9.99"), D("10"), D("0.1"), D("5"), D("0.3")),
        # Neither churn nor new subscribers.
        SubscriptionSource("Lifetime", D("40"), D("4.50"), D(0), D(0), D(0), D(0)),
        # Reaches 0 subscribers and stays there.
        SubscriptionSource("Gone", D("3"), D("20"), D(0), D(1), D("2"), D(0)),
    ]
)


@settings(max_examples=50, deadline=None)
@given(source=steady, months=st.integers(0, 400))
def test_a_model_at_its_steady_state_equals_its_plain_series(
    source: SourceModel, months: int
) -> None:
    assert source_monthly_net(source, months=months, start=START) == plain_model(source, months)
