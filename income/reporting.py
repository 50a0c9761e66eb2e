"""The figures of PRODUCT.md §3 for one user: load their rows once, compute with the pure math.

Every amount is converted into the user's base currency at the rate of the payment's
date (ECB: the latest rate on or before it). A payment whose currency has no rate that
old cannot be converted; it is left out of the figures and its currency is reported in
``missing_rates`` so the page can say so instead of showing a wrong total.

The queries are a fixed handful per call (profile, sources, payments, rates, periods,
effort logs, asset values), whatever the number of rows, so the dashboard's query count
does not grow with the data (asserted in tests).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import groupby, repeat
from operator import itemgetter
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Q

from finance import figures
from finance.money import RateBook, payment_net
from finance.rounding import EXACT, to_cents, to_whole
from finance.schedule import (
    add_months,
    month_range,
    month_start,
)
from income.models import (
    ASSET_MODELS,
    AssetValue,
    CalculationModel,
    EffortLog,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
    TaxProfile,
)
from income.selectors import exchange_rates
from income.services import profiles_get_or_create

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


@dataclass
class MonthlySeries:
    """A user's monthly sums over their whole history, in the base currency, not rounded:
    what every month of the reports is computed from. A month without a payment has no
    key (by category: no key for a category without a payment that month)."""

    passive_net: dict[date, Decimal]
    passive_gross: dict[date, Decimal]
    active_net: dict[date, Decimal]
    passive_net_by_category: dict[str, dict[date, Decimal]]


@dataclass
class Overview:
    """A user's §3 figures as of a day: the dashboard, the API summary and the reports."""

    as_of: date
    currency: str
    profile: Profile
    sources: list[SourceFigures]
    months: list[date]
    passive_net_by_month: dict[date, Decimal]
    passive_gross_by_month: dict[date, Decimal]
    active_net_by_month: dict[date, Decimal]
    passive_net_by_category: dict[str, dict[date, Decimal]]
    passive_gross_ttm: Decimal
    passive_net_ttm: Decimal
    total_net_ttm: Decimal
    passive_share: Decimal | None
    expense_coverage: Decimal | None
    concentration: dict[str, list[figures.Share]]
    concentration_warnings: dict[str, figures.Share]
    missing_rates: list[str]
    category_names: dict[int, str]

    @cached_property
    def series(self) -> MonthlySeries:
        """The whole history's monthly sums, built when asked for: the figures above need
        only the months they show and each source's trailing twelve months."""
        return _monthly_series(self.sources, names=self.category_names)


@dataclass(frozen=True)
class CompleteMonths:
    """The figures of §3 that leave the running month out (month-to-date), as of a day.

    ``month_to_date`` is the running month's passive net so far (``running`` False when
    the day is its month's last, and the month complete); the average month and the
    coverage are of the 12 complete months before it; ``independence`` is "independent
    since …" when they cover the expenses. The dashboard page computes the same from
    the stored months with the same ``figures`` functions.
    """

    month: date
    running: bool
    month_to_date: Decimal
    average_month: Decimal
    coverage: Decimal | None
    independence: figures.Independence | None


def complete_months(view: Overview) -> CompleteMonths:
    history = view.series.passive_net
    expenses = view.profile.monthly_expenses
    month = month_start(view.as_of)
    return CompleteMonths(
        month=month,
        running=add_months(month, 1) - timedelta(days=1) > view.as_of,
        month_to_date=to_cents(history.get(month, ZERO)),
        average_month=figures.complete_months_average(history, today=view.as_of),
        coverage=figures.complete_months_coverage(
            history, today=view.as_of, monthly_expenses=expenses
        ),
        independence=figures.independent_since(
            history, today=view.as_of, monthly_expenses=expenses
        ),
    )


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


def _source_figures(
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
) -> SourceFigures:
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


#: A tuple's constructor: a ``PaymentRow`` made from a tuple without the keyword
#: handling of its own ``__new__`` (a recompute makes one per payment).
_row = tuple.__new__


#: What the figures read of an asset value: its day and its value in the source's currency.
ValueRow = tuple[date, Decimal]


class PaymentRow(NamedTuple):
    """What the figures read of a payment: a tuple, not a model instance, since a recompute
    loads every payment of a user (hundreds of rows); its net worked out once, on loading."""

    date: date
    gross: Decimal
    net: Decimal
    currency: str


@dataclass(frozen=True)
class EarlierMonths:
    """A user's payments dated before ``until``, as what the figures read of them: each
    source's monthly net and gross in the base currency, the payments' currencies (for
    the rate book) and those without a rate (``missing_rates``).

    The sweep keeps it (``reports.models.ReportHistory``) while those payments are
    unchanged, so a recompute loads the trailing twelve months of payments, not every
    payment since the first: the months before are the same sums either way.
    """

    until: date
    net: dict[int, dict[date, Decimal]]
    gross: dict[int, dict[date, Decimal]]
    currencies: frozenset[str]
    missing: frozenset[str]


@dataclass(frozen=True)
class ReportInputs:
    """Every row a user's figures are computed from, loaded in a fixed handful of queries.

    With ``earlier``, ``payments`` holds only those dated from ``earlier.until`` on; the
    months before are ``earlier``'s sums.
    """

    owner: User
    as_of: date
    profile: Profile
    sources: list[IncomeSource]
    payments: dict[int, list[PaymentRow]]
    periods: dict[int, list[SubscriptionPeriod]]
    efforts: dict[int, dict[date, Decimal]]
    rates: RateBook  # every rate of the user's currencies up to ``as_of``
    # The sources' category names in the active language, by category id: a name is
    # looked up per language, which costs more than a figure, so once per batch.
    category_names: dict[int, str]
    earlier: EarlierMonths | None = None
    # Each source's recorded asset values up to ``as_of`` (capital and rental), by day.
    asset_values: dict[int, list[ValueRow]] = field(default_factory=dict)


RateRow = tuple[str, date, Decimal]

#: The rate books last built, by their currencies, with the rows they were built from. A
#: sweep builds the same few books for every chunk of users, and a book's digests hash
#: every rate; a chunk whose rows equal a book's (compared, never assumed) reuses it.
_books: dict[frozenset[str], tuple[list[RateRow], RateBook]] = {}
_BOOKS_KEPT = 32


def _rate_book(wanted: frozenset[str], rates: list[RateRow]) -> RateBook:
    """The ``RateBook`` of the ``rates`` of the ``wanted`` currencies."""
    rows = [rate for rate in rates if rate[0] in wanted]
    kept = _books.get(wanted)
    if kept is not None and kept[0] == rows:
        return kept[1]
    book = RateBook(rows)
    if len(_books) >= _BOOKS_KEPT:
        _books.clear()
    _books[wanted] = (rows, book)
    return book


def report_inputs(*, owner: User, as_of: date) -> ReportInputs:
    """Load what ``overview_of`` needs; payments after ``as_of`` are not part of it."""
    return report_inputs_many(owners=[owner], as_of=as_of)[owner.pk]


def report_inputs_many(
    *,
    owners: Sequence[User],
    as_of: date,
    earlier: Mapping[int, EarlierMonths] | None = None,
) -> dict[int, ReportInputs]:
    """``report_inputs`` of several users, keyed by user id, in the same fixed queries.

    The nightly sweep loads a chunk of users at once: a fixed handful of queries for the
    chunk, not a handful per user, and one rate table for all of them. Sources come with
    their category and tax profile and profiles with their default tax profile, so the
    independence projection (``scenarios.selectors.independence_question``) needs no
    query of its own. A user in ``earlier`` gets only the payments dated from its
    ``until`` on, and those sums of the months before (``EarlierMonths``).
    """
    earlier = earlier or {}
    owner_ids = [owner.pk for owner in owners]
    profiles = profiles_get_or_create(users=owners)
    # A category or tax profile is one instance for all the sources that have it (a few
    # dozen rows), instead of one each by ``select_related``.
    categories = {category.pk: category for category in IncomeCategory.objects.all()}
    taxes = {tax.pk: tax for tax in TaxProfile.objects.all()}
    sources: dict[int, list[IncomeSource]] = defaultdict(list)
    for source in IncomeSource.objects.filter(owner_id__in=owner_ids).order_by(
        "owner_id", "name", "pk"
    ):
        source.category = categories[source.category_id]
        source.tax_profile = taxes.get(source.tax_profile_id) if source.tax_profile_id else None
        sources[source.owner_id].append(source)
    owner_of = {source.pk: owner_id for owner_id, rows in sources.items() for source in rows}
    # By the sources' ids, in the order of the database's index on the source (no join,
    # no sort of the whole batch); each source's few dozen rows are sorted by day here,
    # so that they come in one order whatever the database's.
    payments: dict[int, list[PaymentRow]] = {
        source_id: sorted(
            _row(
                PaymentRow,
                (day, gross, payment_net(gross=gross, tax_withheld=tax, fees=fees), currency),
            )
            for _source_id, day, gross, tax, fees, currency in rows
        )
        for source_id, rows in groupby(
            Payment.objects.filter(_payments_wanted(owner_of, earlier), date__lte=as_of)
            .order_by("source_id")
            .values_list("source_id", "date", "gross", "tax_withheld", "fees", "currency"),
            key=itemgetter(0),
        )
    }
    currencies = {profile.base_currency for profile in profiles.values()}
    currencies |= {source.currency for rows in sources.values() for source in rows}
    currencies |= {payment.currency for rows in payments.values() for payment in rows}
    currencies = currencies.union(*(sums.currencies for sums in earlier.values()))
    periods: dict[int, dict[int, list[SubscriptionPeriod]]] = defaultdict(lambda: defaultdict(list))
    for period in SubscriptionPeriod.objects.filter(source__owner_id__in=owner_ids).order_by("pk"):
        periods[owner_of[period.source_id]][period.source_id].append(period)
    efforts: dict[int, dict[int, dict[date, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for source_id, month, hours in EffortLog.objects.filter(
        source__owner_id__in=owner_ids
    ).values_list("source_id", "month", "hours"):
        efforts[owner_of[source_id]][source_id][month] = hours
    values: dict[int, dict[int, list[ValueRow]]] = defaultdict(lambda: defaultdict(list))
    for source_id, day, value in (
        AssetValue.objects.filter(source__owner_id__in=owner_ids, date__lte=as_of)
        .order_by("source_id", "date")
        .values_list("source_id", "date", "value")
    ):
        values[owner_of[source_id]][source_id].append((day, value))
    rates = exchange_rates(currencies=currencies, as_of=as_of)
    names = {
        category_id: categories[category_id].name
        for category_id in {source.category_id for rows in sources.values() for source in rows}
    }
    books: dict[frozenset[str], RateBook] = {}  # one per set of currencies, shared
    result = {}
    for owner in owners:
        profile = profiles[owner.pk]
        paid = {
            source.pk: payments[source.pk] for source in sources[owner.pk] if source.pk in payments
        }
        sums = earlier.get(owner.pk)
        wanted = frozenset(
            {payment.currency for rows in paid.values() for payment in rows}
            | {source.currency for source in sources[owner.pk]}
            | {profile.base_currency}
            | (sums.currencies if sums is not None else frozenset())
        )
        if wanted not in books:
            books[wanted] = _rate_book(wanted, rates)
        result[owner.pk] = ReportInputs(
            owner=owner,
            as_of=as_of,
            profile=profile,
            sources=sources[owner.pk],
            payments=paid,
            periods=dict(periods[owner.pk]),
            efforts=dict(efforts[owner.pk]),
            rates=books[wanted],
            category_names=names,
            earlier=sums,
            asset_values=dict(values[owner.pk]),
        )
    return result


def _payments_wanted(owner_of: dict[int, int], earlier: Mapping[int, EarlierMonths]) -> Q:
    """The payments of the sources in ``owner_of``: all of them, or for a user with
    ``earlier`` months those dated from its ``until`` on."""
    whole = [source_id for source_id, owner_id in owner_of.items() if owner_id not in earlier]
    wanted = Q(source_id__in=whole)
    since: dict[date, list[int]] = defaultdict(list)
    for source_id, owner_id in owner_of.items():
        if owner_id in earlier:
            since[earlier[owner_id].until].append(source_id)
    for until, source_ids in since.items():
        wanted |= Q(source_id__in=source_ids, date__gte=until)
    return wanted


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


def overview(*, owner: User, as_of: date, months: int = 24) -> Overview:
    """All §3 figures of ``owner`` as of ``as_of``, with ``months`` months of history."""
    return overview_of(report_inputs(owner=owner, as_of=as_of), months=months)


def overview_of(inputs: ReportInputs, *, months: int = 24) -> Overview:
    """The §3 figures from loaded inputs (no queries)."""
    profile = inputs.profile
    currency = profile.base_currency
    rates = inputs.rates
    missing: set[str] = set()
    per_source = [
        _source_figures(
            source,
            payments=inputs.payments.get(source.pk, []),
            periods=inputs.periods.get(source.pk, []),
            efforts=inputs.efforts.get(source.pk, {}),
            rates=rates,
            currency=currency,
            hourly_value=profile.hourly_value,
            as_of=inputs.as_of,
            missing=missing,
            earlier=inputs.earlier,
            values=inputs.asset_values.get(source.pk, ()),
        )
        for source in inputs.sources
    ]
    if inputs.earlier is not None:
        missing |= inputs.earlier.missing
    return _summarise(
        profile=profile,
        currency=currency,
        per_source=per_source,
        names=inputs.category_names,
        as_of=inputs.as_of,
        months=months,
        missing=missing,
    )


def _summarise(
    *,
    profile: Profile,
    currency: str,
    per_source: list[SourceFigures],
    names: dict[int, str],
    as_of: date,
    months: int,
    missing: set[str],
) -> Overview:
    window = list(month_range(add_months(as_of, 1 - months), as_of))
    passive = [f for f in per_source if f.source.category.is_passive]
    active = [f for f in per_source if not f.source.category.is_passive]
    # Sums of the sources' own trailing twelve months: exact, so equal to the twelve
    # months of the summed series, without summing the whole history first.
    with localcontext(EXACT):
        passive_net_ttm = sum((f.net_ttm for f in passive), ZERO)
        total_net_ttm = passive_net_ttm + sum((f.net_ttm for f in active), ZERO)
        passive_gross_ttm = sum((f.gross_ttm for f in passive), ZERO)
    by_category: dict[str, list[SourceFigures]] = {}
    for f in passive:
        if f.monthly_net:  # a category shows from its first payment on
            by_category.setdefault(names[f.source.category_id], []).append(f)
    passive_sources = passive
    keyed: dict[str, dict[str, Decimal]] = {
        "source": {},
        "category": defaultdict(lambda: ZERO),
        "currency": defaultdict(lambda: ZERO),
        "platform": defaultdict(lambda: ZERO),
        "country": defaultdict(lambda: ZERO),
    }
    # Keyed by stable codes (a source's id, a category's slug), shown by their labels:
    # a client tells the parts apart whatever the language (issue 20).
    labels: dict[str, dict[str, str]] = {key: {} for key in keyed}
    for f in passive_sources:
        source = f.source
        source_code, category_code = str(source.pk), source.category.slug
        labels["source"][source_code] = source.name
        labels["category"][category_code] = names[source.category_id]
        keyed["source"][source_code] = f.net_ttm
        keyed["category"][category_code] += f.net_ttm
        keyed["currency"][source.currency] += f.net_ttm
        keyed["platform"][source.platform or figures.UNKNOWN_KEY] += f.net_ttm
        keyed["country"][(source.country or figures.UNKNOWN_KEY).upper()] += f.net_ttm
    concentration = {
        key: figures.concentration(dict(values), labels=labels[key])
        for key, values in keyed.items()
    }
    warnings = {
        key: share
        for key, shares in concentration.items()
        if (
            share := figures.concentration_warning(
                shares,
                dimension=key,
                base_currency=currency,
                home_country=profile.home_country,
            )
        )
        is not None
    }
    return Overview(
        as_of=as_of,
        currency=currency,
        profile=profile,
        sources=per_source,
        months=window,
        passive_net_by_month={m: _month_sum(passive, m) for m in window},
        passive_gross_by_month={m: _month_sum(passive, m, gross=True) for m in window},
        active_net_by_month={m: _month_sum(active, m) for m in window},
        passive_net_by_category={
            name: {m: _month_sum(of_category, m) for m in window}
            for name, of_category in sorted(by_category.items())
        },
        passive_gross_ttm=to_cents(passive_gross_ttm),
        passive_net_ttm=to_cents(passive_net_ttm),
        total_net_ttm=to_cents(total_net_ttm),
        passive_share=figures.passive_share(
            passive_net_ttm=passive_net_ttm, total_net_ttm=total_net_ttm
        ),
        expense_coverage=figures.expense_coverage(
            passive_net_ttm=passive_net_ttm, monthly_expenses=profile.monthly_expenses
        ),
        concentration=concentration,
        concentration_warnings=warnings,
        missing_rates=sorted(missing),
        category_names=names,
    )


def _month_sum(sources: list[SourceFigures], month: date, *, gross: bool = False) -> Decimal:
    """The sources' net (or gross) of ``month``, in cents."""
    with localcontext(EXACT):
        return to_cents(
            sum(
                ((f.monthly_gross if gross else f.monthly_net).get(month, ZERO) for f in sources),
                ZERO,
            )
        )


def _monthly_series(per_source: list[SourceFigures], *, names: dict[int, str]) -> MonthlySeries:
    """The sources' monthly nets and grosses summed per month: passive, active, by category."""
    passive_net: dict[date, Decimal] = {}
    passive_gross: dict[date, Decimal] = {}
    active_net: dict[date, Decimal] = {}
    by_category: dict[str, dict[date, Decimal]] = {}
    for figures_of in per_source:
        category = figures_of.source.category
        if not category.is_passive:
            for month, net in figures_of.monthly_net.items():
                active_net[month] = active_net.get(month, ZERO) + net
            continue
        if not figures_of.monthly_net:
            continue
        of_category = by_category.setdefault(names[category.pk], {})
        gross = figures_of.monthly_gross
        for month, net in figures_of.monthly_net.items():
            passive_net[month] = passive_net.get(month, ZERO) + net
            passive_gross[month] = passive_gross.get(month, ZERO) + gross[month]
            of_category[month] = of_category.get(month, ZERO) + net
    return MonthlySeries(
        passive_net=passive_net,
        passive_gross=passive_gross,
        active_net=active_net,
        passive_net_by_category=by_category,
    )
