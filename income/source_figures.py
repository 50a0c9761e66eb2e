"""One source's figures of PRODUCT.md §3: what it earned, what it took, what it returned.

Every amount is converted into the user's base currency at the rate of the payment's
date (ECB: the latest rate on or before it). A payment whose currency has no rate that
old cannot be converted; it is left out of the figures and its currency is reported in
``missing_rates`` so the page can say so instead of showing a wrong total.

Pure of queries: the rows come loaded (``income.report_inputs``); the user's summary
over all sources is ``income.reporting``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from finance import figures
from finance.money import RateBook
from finance.rounding import EXACT, to_whole
from finance.schedule import add_months, month_range, month_start
from finance.subscriptions.metrics import engine_rates, subscription_metrics_of
from finance.subscriptions.records import Subscription
from income.models import (
    ASSET_MODELS,
    CalculationModel,
    IncomeCategory,
    IncomeSource,
    SubscriptionPeriod,
)
from income.report_inputs import EarlierMonths, PaymentRow, ReportInputs, ValueRow

ZERO = Decimal(0)


class ReturnBasis(StrEnum):
    """How a source's return is measured (PRODUCT.md §3), from its category.

    - ``cash``: the upfront money was spent (an e-book, a membership): cash ROI, full ROI
      and payback;
    - ``asset``: it bought an asset still owned (capital, rental): income yield, total
      return with the asset's latest recorded value, and an *income* payback;
    - ``none``: an active source (salary, freelance, consulting, trading) is work paid,
      not money invested: no ROI and no payback.
    """

    CASH = "cash"
    ASSET = "asset"
    NONE = "none"


def return_basis(category: IncomeCategory) -> ReturnBasis:
    """The ``ReturnBasis`` of a source of ``category``: the one place that decides it."""
    if not category.is_passive:
        return ReturnBasis.NONE
    return ReturnBasis.ASSET if category.model in ASSET_MODELS else ReturnBasis.CASH


class YieldBase(StrEnum):
    """What an income yield divides by: the asset's latest recorded value, or, while none
    is recorded, the upfront money that bought it (the page says which)."""

    VALUE = "value"
    UPFRONT = "upfront"


@dataclass
class SourceFigures:
    """What one source earned and what it took, to ``as_of``, in the base currency.

    Which return figures are set follows ``return_basis``: cash ROI and full ROI for
    ``cash`` only; income yield and total return for ``asset`` only (whose ``payback`` is
    an income payback: income alone against the money put in); neither ROI nor payback
    for ``none``.
    """

    source: IncomeSource
    gross_to_date: Decimal = ZERO
    net_to_date: Decimal = ZERO
    net_ttm: Decimal = ZERO
    gross_ttm: Decimal = ZERO
    costs_to_date: Decimal = ZERO
    hours_to_date: Decimal = ZERO
    monthly_net: dict[date, Decimal] = field(default_factory=dict)
    monthly_gross: dict[date, Decimal] = field(default_factory=dict)
    monthly_costs: dict[date, Decimal] = field(default_factory=dict)
    return_basis: ReturnBasis = ReturnBasis.CASH
    money_put_in: Decimal | None = None
    cash_roi: Decimal | None = None
    full_roi: Decimal | None = None
    payback: figures.Payback | None = None
    full_payback: figures.Payback | None = None
    asset_value: Decimal | None = None  # the latest recorded, in the base currency
    asset_value_date: date | None = None
    total_return: Decimal | None = None
    total_return_ratio: Decimal | None = None
    income_yield: Decimal | None = None
    income_yield_base: YieldBase | None = None
    effective_hourly_rate: Decimal | None = None
    yield_on_cost: Decimal | None = None
    net_rental_yield: Decimal | None = None
    mrr: Decimal | None = None
    arr: Decimal | None = None
    churn_rate: Decimal | None = None
    arpu: Decimal | None = None
    ltv: Decimal | None = None
    subscribers: int | None = None
    steady_state_subscribers: Decimal | None = None


#: ``month_start``, remembered: a recompute asks it for every payment of every user, and
#: the days of a few decades are a few ten thousand entries at most.
month_of = lru_cache(maxsize=None)(month_start)


def _ttm_of_months(series: dict[date, Decimal], *, as_of: date) -> Decimal:
    """``figures.ttm`` of a series keyed by month: twelve lookups instead of a pass."""
    with localcontext(EXACT):
        return sum(map(series.get, month_range(add_months(as_of, -11), as_of), repeat(ZERO)), ZERO)


def _sum_by_month(
    payments: Sequence[PaymentRow],
    *,
    rates: RateBook,
    currency: str,
    as_of: date,
    missing: set[str],
    net: dict[date, Decimal],
    gross: dict[date, Decimal],
) -> None:
    """Add ``payments`` (up to ``as_of``) to the monthly ``net`` and ``gross`` in
    ``currency``, each converted at its day's rate; a currency without one goes to
    ``missing``. The one place a payment becomes part of a month's figures."""
    for day, paid_gross, paid_net, payment_currency in payments:
        if day > as_of:
            continue
        if payment_currency != currency:
            pair = rates.pair(payment_currency, currency, day)
            if pair is not None:
                paid_gross, paid_net = rates.at(paid_gross, pair), rates.at(paid_net, pair)
            elif paid_gross or paid_net:  # a zero needs no rate
                missing.add(payment_currency)
                continue
        month = month_of(day)
        net[month] = net.get(month, ZERO) + paid_net
        gross[month] = gross.get(month, ZERO) + paid_gross


def _active_months(source: IncomeSource, as_of: date) -> tuple[date, ...]:
    """The months from the source's start to ``as_of`` (or its end), each as day 1."""
    return month_range(source.start_date, min(as_of, source.end_date) if source.end_date else as_of)


def source_figures(
    source: IncomeSource,
    *,
    payments: list[PaymentRow],
    periods: list[SubscriptionPeriod],
    efforts: dict[date, Decimal],
    rates: RateBook,
    currency: str,
    hourly_value: Decimal,
    as_of: date,
    missing: set[str],
    earlier: EarlierMonths | None = None,
    values: Sequence[ValueRow] = (),
    billing: Sequence[Subscription] = (),
) -> SourceFigures:
    """``source``'s figures as of ``as_of`` from its loaded rows; a currency without a
    rate goes to ``missing``. ``earlier`` holds the months before the loaded payments;
    ``billing`` a subscription source's billing data, which its figures come from."""
    result = SourceFigures(source=source, return_basis=return_basis(source.category))
    monthly_net, monthly_gross = result.monthly_net, result.monthly_gross
    if earlier is not None:  # the months before the loaded payments, summed already
        monthly_net.update(earlier.net.get(source.pk, {}))
        monthly_gross.update(earlier.gross.get(source.pk, {}))
    _sum_by_month(
        payments,
        rates=rates,
        currency=currency,
        as_of=as_of,
        missing=missing,
        net=monthly_net,
        gross=monthly_gross,
    )
    result.gross_to_date = sum(monthly_gross.values(), ZERO)
    result.net_to_date = sum(monthly_net.values(), ZERO)
    result.net_ttm = _ttm_of_months(monthly_net, as_of=as_of)
    result.gross_ttm = _ttm_of_months(monthly_gross, as_of=as_of)

    months = _active_months(source, as_of)
    cost = rates.convert(source.monthly_costs, currency=source.currency, to=currency, day=as_of)
    upfront = rates.convert(
        source.upfront_investment, currency=source.currency, to=currency, day=source.start_date
    )
    if cost is None or upfront is None:
        missing.add(source.currency)
        cost, upfront = cost or ZERO, upfront or ZERO
    result.monthly_costs = dict.fromkeys(months, cost)
    result.costs_to_date = cost * len(months)
    # Hours: the setup, then per month what was logged, or the plan where nothing was.
    planned = source.maintenance_hours_per_month
    result.hours_to_date = source.setup_hours + (
        sum((efforts.get(month, planned) for month in months), ZERO)
        if efforts or not months
        else planned * len(months)  # the same sum, exactly, without a month's lookup
    )
    _return_figures(
        result,
        upfront=upfront,
        hourly_value=hourly_value,
        values=values,
        rates=rates,
        currency=currency,
        as_of=as_of,
        missing=missing,
    )
    result.effective_hourly_rate = figures.effective_hourly_rate(
        net_income=result.net_to_date, costs=result.costs_to_date, hours=result.hours_to_date
    )
    model = source.category.model
    if model == CalculationModel.CAPITAL:
        # In the source's own currency, so the yield does not move with the exchange rate.
        first = add_months(as_of, -11)
        with localcontext(EXACT):
            gross_ttm = sum(
                (
                    p.gross
                    for p in payments
                    if p.currency == source.currency and first <= p.date <= as_of
                ),
                ZERO,
            )
        result.yield_on_cost = figures.yield_on_cost(
            income_ttm=gross_ttm, invested=source.invested_capital
        )
    elif model == CalculationModel.RENTAL:
        result.net_rental_yield = figures.net_rental_yield(
            monthly_rent=source.monthly_rent,
            vacancy_rate=source.vacancy_rate,
            monthly_costs=source.monthly_running_costs,
            management_fee_rate=source.management_fee_rate,
            purchase_price=source.purchase_price,
        )
    elif model == CalculationModel.SUBSCRIPTION:
        if billing:
            _billing_figures(
                result, billing=billing, rates=rates, currency=currency, as_of=as_of,
                missing=missing,
            )  # fmt: skip
        else:
            _subscription_figures(result, source=source, periods=periods, as_of=as_of)
    return result


def _return_figures(
    result: SourceFigures,
    *,
    upfront: Decimal,
    hourly_value: Decimal,
    values: Sequence[ValueRow],
    rates: RateBook,
    currency: str,
    as_of: date,
    missing: set[str],
) -> None:
    """The return of the source as its ``return_basis`` measures it (PRODUCT.md §3).

    ``upfront`` is in the base currency. An asset's latest value on or before ``as_of``
    is converted at the rate of its own day, as a payment is: it is what the asset was
    worth then. Without a rate that old it counts as not recorded (and its currency is
    reported missing).
    """
    basis = result.return_basis
    if basis == ReturnBasis.NONE:
        return
    result.money_put_in = figures.money_put_in(upfront=upfront, costs=result.costs_to_date)
    hours_value = result.hours_to_date * hourly_value
    result.payback, result.full_payback = figures.payback_months(
        monthly_net=result.monthly_net,
        monthly_costs=result.monthly_costs,
        targets=(upfront, EXACT.add(upfront, hours_value)),
        as_of=as_of,
        keyed_by_month=True,
    )
    if basis == ReturnBasis.CASH:
        result.cash_roi = figures.cash_roi(
            net_income=result.net_to_date, costs=result.costs_to_date, upfront=upfront
        )
        result.full_roi = figures.full_roi(
            net_income=result.net_to_date,
            costs=result.costs_to_date,
            upfront=upfront,
            hours=result.hours_to_date,
            hourly_value=hourly_value,
        )
        return
    source = result.source
    latest = max((row for row in values if row[0] <= as_of), default=None)
    if latest is not None:
        value = rates.convert(latest[1], currency=source.currency, to=currency, day=latest[0])
        if value is None:
            missing.add(source.currency)
        else:
            result.asset_value, result.asset_value_date = value, latest[0]
    if result.asset_value is not None:
        gained = figures.total_return(
            income=result.net_to_date, value=result.asset_value, put_in=result.money_put_in
        )
        result.total_return, result.total_return_ratio = gained.amount, gained.ratio
    base, kind = (
        (result.asset_value, YieldBase.VALUE)
        if result.asset_value is not None
        else (upfront, YieldBase.UPFRONT)
    )
    result.income_yield = figures.income_yield(income_ttm=result.net_ttm, base=base)
    if result.income_yield is not None:
        result.income_yield_base = kind


def period_mrr(period: SubscriptionPeriod, *, price: Decimal) -> Decimal:
    """The MRR of a recorded month (§3): its recorded revenue, or else its subscribers at
    the month's end × the source's price. The one definition the figures, the months
    table, the chart and the API share."""
    recorded: Decimal | None = period.revenue
    if recorded is not None:
        return recorded
    return figures.mrr(subscribers=period.subscribers_end, price=price)


def _subscription_figures(
    result: SourceFigures, *, source: IncomeSource, periods: list[SubscriptionPeriod], as_of: date
) -> None:
    """MRR and friends from the latest recorded month, or from the source's own inputs."""
    latest = max((p for p in periods if p.month <= as_of), key=lambda p: p.month, default=None)
    if latest is not None:
        subscribers = latest.subscribers_end
        churn = figures.churn_fraction(
            churned=latest.churned_subscribers, subscribers_at_start=latest.subscribers_start
        )
        result.mrr = period_mrr(latest, price=source.price_per_subscriber)
    else:
        subscribers = source.current_subscribers
        churn = source.monthly_churn_rate
        result.mrr = figures.mrr(subscribers=subscribers, price=source.price_per_subscriber)
    result.churn_rate = None if churn is None else figures.to_ratio(churn)
    result.subscribers = subscribers
    result.arr = figures.arr(mrr=result.mrr)
    result.arpu = figures.arpu(mrr=result.mrr, subscribers=subscribers)
    result.ltv = figures.ltv(mrr=result.mrr, subscribers=subscribers, churn=churn)
    # Exact in the projection, where it is a limit; shown, it is a count of people.
    steady_state = figures.steady_state_subscribers(
        new=Decimal(source.new_subscribers_per_month), churn_rate=source.monthly_churn_rate
    )
    result.steady_state_subscribers = None if steady_state is None else to_whole(steady_state)


def _billing_figures(
    result: SourceFigures,
    *,
    billing: Sequence[Subscription],
    rates: RateBook,
    currency: str,
    as_of: date,
    missing: set[str],
) -> None:
    """MRR and friends from the source's billing data: the analytics' own figures
    (``finance.subscriptions.metrics``), in the base ``currency`` as the source page and
    ``subscription-metrics`` show them, so the dashboard, the reports and the page give
    one MRR for the source (a hand-typed source's stay in its own currency, as its
    price is). Subscribers are
    the paying customers, ARPU their ARPA, churn the last complete month's customer
    churn, LTV the analytics' (pooled over twelve months), the steady state the one of
    the measured rates."""
    currencies = {record.currency for record in billing}
    metrics = subscription_metrics_of(
        billing,
        base=currency,
        as_of=as_of,
        rates=engine_rates(rates, currencies=currencies, base=currency, as_of=as_of),
        with_cohorts=False,
    )
    missing.update(metrics.missing_rates)
    result.mrr, result.arr = metrics.mrr, metrics.arr
    result.subscribers = metrics.paying
    churn = metrics.complete.customer_churn if metrics.complete else None
    result.churn_rate = None if churn is None else figures.to_ratio(churn)
    result.arpu, result.ltv = metrics.arpa, metrics.ltv
    result.steady_state_subscribers = metrics.steady_state


def earlier_months(inputs: ReportInputs, *, until: date) -> EarlierMonths:
    """``inputs``' payments dated before ``until`` as ``EarlierMonths``, summed as the
    figures sum them (``_sum_by_month``), for a later recompute to start from."""
    if inputs.earlier is not None:
        raise ValueError("The inputs hold no payments before their earlier months.")
    currency = inputs.profile.base_currency
    net: dict[int, dict[date, Decimal]] = {}
    gross: dict[int, dict[date, Decimal]] = {}
    currencies: set[str] = set()
    missing: set[str] = set()
    for source_id, rows in inputs.payments.items():  # by day
        before = rows[: bisect_left(rows, until, key=itemgetter(0))]
        if not before:
            continue
        currencies.update(row.currency for row in before)
        net[source_id], gross[source_id] = {}, {}
        _sum_by_month(
            before,
            rates=inputs.rates,
            currency=currency,
            as_of=inputs.as_of,
            missing=missing,
            net=net[source_id],
            gross=gross[source_id],
        )
    return EarlierMonths(
        until=until,
        net=net,
        gross=gross,
        currencies=frozenset(currencies),
        missing=frozenset(missing),
    )
