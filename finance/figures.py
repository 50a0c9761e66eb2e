"""The figures of PRODUCT.md §3, as pure functions: Decimal in, Decimal (or None) out.

Each result is rounded once, at the end, in one of two ways:

- money (MRR, ARR, ARPU, LTV, the effective hourly rate) to cents, half up, with
  ``rounding.to_cents``, as every amount in the product is;
- ratios (shares, churn, ROI, yields, coverage) to four decimals, half up, with
  ``to_ratio``: 0.1234 is 12.34 %, the precision a percentage with two decimals needs.

All arithmetic runs in ``rounding.EXACT``, so that final rounding is the only one.

A figure that is undefined for its inputs is ``None`` and never a
``ZeroDivisionError`` (§3: LTV is "undefined at 0 churn, shown as such, never a
division error"). Every quotient here is undefined when its denominator is not
positive: a zero one divides by nothing, and a negative one (negative costs, a
negative price) is input without meaning that would silently flip the figure's sign.

Monthly series are ``Mapping[date, Decimal]`` keyed by month (``schedule.month_start``);
a key on another day counts toward its month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, by_month, month_range, month_start

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)

RATIO = Decimal("0.0001")

# §3: "a warning when one of them carries more than half".
CONCENTRATION_LIMIT = Decimal("0.5")

# The projected payback looks at most 50 years ahead; beyond that it is "never".
PAYBACK_HORIZON_MONTHS = 600


def to_ratio(value: Decimal) -> Decimal:
    """Round a ratio to four decimals (``RATIO``), half up: 0.1234 is 12.34 %.

    Four places are exactly what a percentage shown with two decimals needs; half up
    because money rounds half up too (``rounding.to_cents``), so the product has one
    rounding rule. Rounds in ``EXACT`` so a long quotient is never cut by the context.
    """
    return value.quantize(RATIO, rounding=ROUND_HALF_UP, context=EXACT)


def ratio_of(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator`` as a ratio; None when the denominator is not positive."""
    if denominator <= ZERO:
        return None
    return to_ratio(EXACT.divide(numerator, denominator))


def _money_per(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator`` in cents; None when the denominator is not positive."""
    if denominator <= ZERO:
        return None
    with localcontext(EXACT):
        return to_cents(numerator / denominator)


# ------------------------------------------------------------------ income and coverage
def ttm(monthly: Mapping[date, Decimal], *, as_of: date) -> Decimal:
    """Trailing twelve months: the sum of the 12 months ending with ``as_of``'s month.

    The month of ``as_of`` is included even when it is not over, so the figure moves
    as payments arrive; months without an entry count as nothing. Exact, not rounded:
    a sum of cents is cents.
    """
    first = add_months(as_of, -11)
    end = add_months(as_of, 1)  # a key on any day of ``as_of``'s month is before it
    with localcontext(EXACT):
        return sum((amount for month, amount in monthly.items() if first <= month < end), ZERO)


def passive_share(*, passive_net_ttm: Decimal, total_net_ttm: Decimal) -> Decimal | None:
    """Passive share = passive net TTM / all net income TTM (§3), as a ratio.

    Active sources count in the denominator, which is the whole point: it shows how
    much of what the user lives on is passive. None when the total is not positive,
    where a share of it means nothing. It can exceed 1 when active income was a loss.
    """
    return ratio_of(passive_net_ttm, total_net_ttm)


def expense_coverage(*, passive_net_ttm: Decimal, monthly_expenses: Decimal) -> Decimal | None:
    """Expense coverage = passive net TTM / 12 / monthly expenses (§3), as a ratio.

    1 means the passive income of an average month of the last year pays a month of
    expenses. None when the user has entered no (positive) expenses.
    """
    return ratio_of(passive_net_ttm, EXACT.multiply(TWELVE, monthly_expenses))


def monthly_average(ttm_amount: Decimal) -> Decimal:
    """An average month of a trailing twelve months' amount, rounded to cents once."""
    with localcontext(EXACT):
        return to_cents(ttm_amount / TWELVE)


def complete_months_average(monthly: Mapping[date, Decimal], *, today: date) -> Decimal:
    """The average month: the 12 complete months before ``today``'s month ÷ 12 (§3).

    The current month is month-to-date, so it is left out: on the 5th it holds five
    days of income, and averaging it in would show a collapse that is not there. The
    same as the coverage behind ``independent_since``, so the two always agree.
    """
    return monthly_average(ttm(monthly, as_of=add_months(month_start(today), -1)))


def complete_months_coverage(
    monthly: Mapping[date, Decimal], *, today: date, monthly_expenses: Decimal
) -> Decimal | None:
    """Expense coverage of the 12 complete months before ``today``'s month (§3).

    ``expense_coverage`` of their TTM: the running month is left out, as it is of the
    average month, so the dashboard's coverage does not dip at the start of a month.
    """
    return expense_coverage(
        passive_net_ttm=ttm(monthly, as_of=add_months(month_start(today), -1)),
        monthly_expenses=monthly_expenses,
    )


@dataclass(frozen=True)
class Independence:
    """Already independent (§3): since which month, and the margin now.

    ``since`` is the first month of the unbroken run of complete months, up to the
    last one, whose expense coverage (passive net TTM / 12 / expenses) is at least
    100 %. ``coverage`` is the last complete month's; ``margin`` is its average month
    minus the monthly expenses, in cents (what is left over a month).
    """

    since: date
    coverage: Decimal
    margin: Decimal


def independent_since(
    monthly: Mapping[date, Decimal], *, today: date, monthly_expenses: Decimal
) -> Independence | None:
    """Whether passive income already covers the expenses, and since when (§3).

    ``monthly`` is passive net by month. Only complete months count (the current one
    is month-to-date). Coverage is compared exactly (TTM ≥ 12 × expenses), not as a
    rounded ratio, so 99.996 % is not "independent". The expenses are today's: the
    question is "has my passive income covered what I spend now, and since when". None
    when the last complete month is not covered or no expenses are set.
    """
    if monthly_expenses <= ZERO:
        return None
    last = add_months(month_start(today), -1)
    by_month_of: dict[date, Decimal] = {}
    for month, amount in monthly.items():
        key = month_start(month)
        by_month_of[key] = by_month_of.get(key, ZERO) + amount
    need = EXACT.multiply(TWELVE, monthly_expenses)

    def covered(month: date) -> bool:
        return ttm(by_month_of, as_of=month) >= need

    if not covered(last):
        return None
    first_data = min(by_month_of)  # not empty: the last complete month is covered
    since = last
    while since > first_data and covered(add_months(since, -1)):
        since = add_months(since, -1)
    coverage = complete_months_coverage(by_month_of, today=today, monthly_expenses=monthly_expenses)
    if coverage is None:  # not reached: the expenses are positive
        return None
    with localcontext(EXACT):
        margin = complete_months_average(by_month_of, today=today) - monthly_expenses
    return Independence(since=since, coverage=coverage, margin=margin)


# ------------------------------------------------------------------------ subscriptions
def capital_income(*, capital: Decimal, annual_yield: Decimal, months: int = 12) -> Decimal:
    """A capital's expected income over ``months`` months (the caller rounds): capital ×
    annual_yield × months / 12, multiplied before it is divided, as annual_yield / 12
    alone is not exact. The capital model of the projections (a month's gross) and the
    expected income an allowance order is suggested from: one formula for both.

    Called inside ``localcontext(EXACT)``, unlike the figures here: the projection calls
    it for every month of every capital source, where entering the context each time
    cost it two thirds more than the arithmetic itself.
    """
    return capital * annual_yield * months / 12


def mrr(*, subscribers: int, price: Decimal) -> Decimal:
    """Monthly recurring revenue = subscribers × monthly price (§3), in cents."""
    with localcontext(EXACT):
        return to_cents(subscribers * price)


def arr(*, mrr: Decimal) -> Decimal:
    """Annual recurring revenue = 12 × MRR (§3), in cents."""
    with localcontext(EXACT):
        return to_cents(TWELVE * mrr)


def churn_fraction(*, churned: int, subscribers_at_start: int) -> Decimal | None:
    """Churned / subscribers at the month's start (§3), exact: what LTV divides by.

    New subscribers of the month are not in the denominator, as the SaaS-metrics tools
    define it. None for a month that started without subscribers.
    """
    if subscribers_at_start <= 0:
        return None
    return EXACT.divide(Decimal(churned), Decimal(subscribers_at_start))


def churn_rate(*, churned: int, subscribers_at_start: int) -> Decimal | None:
    """The churn rate as shown: ``churn_fraction`` rounded once, to a ratio."""
    fraction = churn_fraction(churned=churned, subscribers_at_start=subscribers_at_start)
    return None if fraction is None else to_ratio(fraction)


def arpu(*, mrr: Decimal, subscribers: int) -> Decimal | None:
    """Average revenue per user = MRR / subscribers (§3), in cents; None without any."""
    return _money_per(mrr, Decimal(subscribers))


def ltv(*, mrr: Decimal, subscribers: int, churn: Decimal | None) -> Decimal | None:
    """Lifetime value = ARPU / churn rate (§3), rounded once, to cents.

    Both from their unrounded values (ARPU = MRR / subscribers, ``churn`` exact, e.g.
    ``churn_fraction``): ratios are computed unrounded and rounded at the end (§3), so 10
    churned of 210 with an ARPU of 10.00 is 10 × 210 / 10 = 210.00, not 10 / 0.0476 =
    210.08. 1 / churn is the expected lifetime of a subscriber in months: at zero churn
    it is unbounded, so LTV is undefined (None, "shown as such"), as it is when the churn
    or the ARPU is (no subscribers).
    """
    if churn is None or churn <= ZERO or subscribers <= 0:
        return None
    with localcontext(EXACT):
        return to_cents(mrr / Decimal(subscribers) / churn)


def subscribers_next(*, subscribers: Decimal, churn_rate: Decimal, new: Decimal) -> Decimal:
    """One month of the subscription projection: subscribers × (1 − churn) + new.

    Not rounded: fractional subscribers are the expected value, and rounding each
    month would make a small base stick at a whole number instead of converging to
    ``steady_state_subscribers``. Only the ``EXACT`` context's 1,200 digits bound it.
    """
    with localcontext(EXACT):
        return subscribers * (ONE - churn_rate) + new


def steady_state_subscribers(*, new: Decimal, churn_rate: Decimal) -> Decimal | None:
    """The subscriber count the projection converges to: new / churn.

    It is the fixed point of ``subscribers_next`` (s = s × (1 − c) + n gives s = n / c).
    None at zero churn, where the count grows without bound. Not rounded, like the
    projection it describes.
    """
    if churn_rate <= ZERO:
        return None
    with localcontext(EXACT):
        return new / churn_rate


# ------------------------------------------------------------------ return on effort
def cash_roi(*, net_income: Decimal, costs: Decimal, upfront: Decimal) -> Decimal | None:
    """Cash ROI = (net income − costs − upfront) / (upfront + costs), all to date (§3).

    What came back beyond what went in, per unit that went in. None when nothing
    went in (no upfront money and no costs): a return on nothing is undefined.
    """
    with localcontext(EXACT):
        return ratio_of(net_income - costs - upfront, upfront + costs)


def full_roi(
    *,
    net_income: Decimal,
    costs: Decimal,
    upfront: Decimal,
    hours: Decimal,
    hourly_value: Decimal,
) -> Decimal | None:
    """Full ROI: cash ROI with the setup and maintenance hours valued as money (§3).

    The hours, at the user's hourly value, are one more thing put in, so they are
    both subtracted from the return and added to the denominator:
    (net − costs − upfront − hours × value) / (upfront + costs + hours × value).
    This is the seed's warning made a number: a source that took a lot of time is
    less passive than its cash ROI says.
    """
    with localcontext(EXACT):
        hours_value = hours * hourly_value
        return ratio_of(net_income - costs - upfront - hours_value, upfront + costs + hours_value)


def effective_hourly_rate(*, net_income: Decimal, costs: Decimal, hours: Decimal) -> Decimal | None:
    """Effective hourly rate = (net income − costs) / hours, to date, in cents (§3).

    ``hours`` are setup plus maintenance hours. None when no hour was spent: then the
    income is truly passive and a rate per hour does not exist.
    """
    with localcontext(EXACT):
        return _money_per(net_income - costs, hours)


def hourly_rate_rank(rate: Decimal | None) -> tuple[bool, Decimal]:
    """Sort key of "how passive is it really?": best effective hourly rate first.

    A source without hours has no rate (None) and goes last: it is not "infinitely"
    passive, its effort is simply not known.
    """
    return (rate is None, -(rate if rate is not None else ZERO))


# ------------------------------------------------------------- return of an owned asset
def money_put_in(*, upfront: Decimal, costs: Decimal) -> Decimal:
    """Money put into a source to date: the upfront money plus the costs to date (§3).

    The same two amounts the cash ROI divides by, so the two views of a source agree on
    what went in. Exact: a sum of cents.
    """
    with localcontext(EXACT):
        return upfront + costs


@dataclass(frozen=True)
class TotalReturn:
    """What a capital or rental source gained in all: its income and its asset's value.

    ``amount`` in cents; ``ratio`` is ``amount`` per unit of money put in, None when
    nothing was put in (a return on nothing is undefined).
    """

    amount: Decimal
    ratio: Decimal | None


def total_return(*, income: Decimal, value: Decimal, put_in: Decimal) -> TotalReturn:
    """Total return = income to date + the asset's latest value − money put in (§3).

    For a capital or rental source the upfront money bought an asset that is still
    owned; counting it as spent (the cash ROI) would call an ETF that kept its value a
    loss. ``income`` is the net income to date, ``put_in`` is ``money_put_in``. The
    ratio divides the unrounded amount and is rounded once, at the end: 60,000 put in,
    2,800 income, a value of 63,000 is 5,800.00 and 5,800 / 60,000 = 0.0967.
    """
    with localcontext(EXACT):
        gained = income + value - put_in
    return TotalReturn(amount=to_cents(gained), ratio=ratio_of(gained, put_in))


def income_yield(*, income_ttm: Decimal, base: Decimal) -> Decimal | None:
    """Income yield = net income of the trailing twelve months / the asset's value (§3).

    What the asset pays a year per unit it is worth, now; ``base`` is its latest
    recorded value (the caller falls back to the upfront money when none is recorded,
    and says so). None when the base is not positive.
    """
    return ratio_of(income_ttm, base)


# ------------------------------------------------------------------------------ yields
def yield_on_cost(*, income_ttm: Decimal, invested: Decimal) -> Decimal | None:
    """Yield on cost (capital) = dividends/interest TTM / invested capital (§3)."""
    return ratio_of(income_ttm, invested)


def net_rental_yield(
    *,
    monthly_rent: Decimal,
    vacancy_rate: Decimal,
    monthly_costs: Decimal,
    management_fee_rate: Decimal,
    purchase_price: Decimal,
) -> Decimal | None:
    """Net rental yield = (12 × rent × (1 − vacancy) − 12 × costs − fees) / price (§3).

    The management fee is a share of the rent actually collected (12 × rent ×
    (1 − vacancy)), not of the rent asked: a manager is paid on what comes in, so an
    empty month costs no fee. None without a (positive) purchase price.
    """
    with localcontext(EXACT):
        collected = TWELVE * monthly_rent * (ONE - vacancy_rate)
        fees = management_fee_rate * collected
        return ratio_of(collected - TWELVE * monthly_costs - fees, purchase_price)


# ----------------------------------------------------------------------------- payback
@dataclass(frozen=True)
class Payback:
    """When a source has earned back what was put into it.

    ``projected`` is False for a month already reached by recorded payments, True when
    the answer comes from the projection; ``month`` is None when the projection never
    gets there ("never at this pace", or not within the horizon).
    """

    month: date | None
    projected: bool


def payback_month(
    *,
    monthly_net: Mapping[date, Decimal],
    monthly_costs: Mapping[date, Decimal],
    upfront: Decimal,
    hours_value: Decimal = ZERO,
    as_of: date,
    horizon_months: int = PAYBACK_HORIZON_MONTHS,
) -> Payback:
    """The first month in which cumulative (net − costs) reaches upfront + hours_value (§3).

    ``hours_value`` is the valued setup and maintenance hours for the full view, 0 for
    the cash view. Months are walked in order from the earliest one present in either
    series up to ``as_of``'s month (from ``as_of`` when there is none); a month without
    an entry adds nothing, and entries after ``as_of`` are ignored. With nothing to pay
    back, the first month whose cumulative result is not negative is the payback month.

    When the target is not reached by ``as_of``, §3 projects it "from the last three
    months' average": the mean (net − costs) of ``as_of``'s month and the two before
    (missing months count as 0, so a source only one month old is not judged on one
    good month). If that mean is not positive the target is never reached at this pace;
    otherwise the payback is the first month after ``as_of`` in which the cumulative
    result plus k × mean reaches the target. k is found exactly, as
    ⌈3 × shortfall / (sum of the three months)⌉, never by repeated rounded addition.
    Beyond ``horizon_months`` the answer is "never" too.
    """
    (result,) = payback_months(
        monthly_net=monthly_net,
        monthly_costs=monthly_costs,
        targets=(upfront + hours_value,),
        as_of=as_of,
        horizon_months=horizon_months,
    )
    return result


def payback_months(
    *,
    monthly_net: Mapping[date, Decimal],
    monthly_costs: Mapping[date, Decimal],
    targets: tuple[Decimal, ...],
    as_of: date,
    horizon_months: int = PAYBACK_HORIZON_MONTHS,
    keyed_by_month: bool = False,
) -> tuple[Payback, ...]:
    """``payback_month`` for several targets (upfront, upfront + hours value) in one walk
    over the months: a source's cash and full payback share every step but the last.

    ``keyed_by_month`` says the series are keyed by month already (``month_start``), as
    the reports build them, so they need not be checked and summed per month again.
    """
    last = month_start(as_of)
    if keyed_by_month:
        net, costs = monthly_net, monthly_costs
    else:
        net, costs = by_month(monthly_net), by_month(monthly_costs)
    # The earliest month of either series, unless every one lies after ``as_of``'s month.
    first = min(min(net, default=last), min(costs, default=last), last)
    # Lowest target first: a cumulative result that reaches one reaches every lower one.
    order = sorted(range(len(targets)), key=targets.__getitem__)
    reached: list[Payback | None] = [None] * len(targets)
    pending = 0
    with localcontext(EXACT):
        cumulative = ZERO
        for month in month_range(first, last):
            cumulative += net.get(month, ZERO) - costs.get(month, ZERO)
            while pending < len(order) and cumulative >= targets[order[pending]]:
                reached[order[pending]] = Payback(month=month, projected=False)
                pending += 1
            if pending == len(order):
                break
        recent = sum(
            (
                net.get(m, ZERO) - costs.get(m, ZERO)
                for m in (add_months(last, -2), add_months(last, -1), last)
            ),
            ZERO,
        )
        return tuple(
            found
            if found is not None
            else _projected_payback(
                shortfall=target - cumulative, recent=recent, last=last, horizon=horizon_months
            )
            for found, target in zip(reached, targets, strict=True)
        )


def _projected_payback(*, shortfall: Decimal, recent: Decimal, last: date, horizon: int) -> Payback:
    """When ``shortfall`` is made up at the pace of ``recent`` (the last three months' sum)."""
    if recent <= ZERO:
        return Payback(month=None, projected=True)
    with localcontext(EXACT):
        whole, part = divmod(3 * shortfall, recent)
    ahead = int(whole) + (1 if part else 0)
    if ahead > horizon:
        return Payback(month=None, projected=True)
    return Payback(month=add_months(last, ahead), projected=True)


# ----------------------------------------------------------------------- concentration
@dataclass(frozen=True)
class Share:
    """One slice of the concentration view: a source, category, currency, payer or country.

    ``key`` is what the part is called, as shown (a source's name, a category's name in
    the language of the moment); ``code`` names it in a way no language or renaming
    changes (a source's id, a category's slug, a currency or country code, the platform
    as entered), so an API client can tell parts apart (issue 20). ``code`` is None for
    the part whose platform or country was not recorded, and for shares made without
    labels.
    """

    key: str
    amount: Decimal
    share: Decimal
    code: str | None = None


#: The key of the part whose platform or country was not recorded: not one payer or
#: country, so it never warns.
UNKNOWN_KEY = "—"


def concentration(
    amounts: Mapping[str, Decimal], *, labels: Mapping[str, str] | None = None
) -> list[Share]:
    """Each key's share of passive net TTM (§3), largest first (ties by key).

    Shares are of the total of the positive amounts only: a loss-making source carries
    nothing, and counting it would push the others' shares past 100 %. It is still
    listed, with share 0, so the view shows every source. Empty when nothing positive
    was earned, where shares do not exist.

    With ``labels`` the amounts are keyed by each part's stable code: a share's ``key``
    is its label (ties go by it, as they went by the name the view shows) and ``code``
    the code. Keyed by code, two sources of one name stay two parts.
    """
    with localcontext(EXACT):
        total = sum((amount for amount in amounts.values() if amount > ZERO), ZERO)
        if total <= ZERO:
            return []
        named = {code: (labels.get(code, code) if labels is not None else code) for code in amounts}
        rows = sorted(amounts.items(), key=lambda item: (-item[1], named[item[0]], item[0]))
        return [
            Share(
                key=named[code],
                amount=amount,
                share=to_ratio(amount / total if amount > ZERO else ZERO),
                code=code if labels is not None and code != UNKNOWN_KEY else None,
            )
            for code, amount in rows
        ]


def concentrated(shares: list[Share], *, home: str | None = None) -> Share | None:
    """The first share above ``CONCENTRATION_LIMIT``: §3's "carries more than half".

    Strictly above: an even split between two payers is not a warning. A single part at
    100 % is the very risk the warning exists for, so it warns too. ``home`` is the
    user's own part (the base currency, the home country), which never warns: only
    foreign exposure is a risk there. The unrecorded part (``UNKNOWN_KEY``) never warns.
    """
    own = home.upper() if home else None
    return next(
        (
            share
            for share in shares
            if share.share > CONCENTRATION_LIMIT
            and share.key != UNKNOWN_KEY
            and (own is None or share.key.upper() != own)
        ),
        None,
    )


#: The dimensions of the concentration view (§3) measured against the user's own.
FOREIGN_DIMENSIONS = ("currency", "country")


def concentration_warning(
    shares: list[Share], *, dimension: str, base_currency: str, home_country: str
) -> Share | None:
    """The warning of one dimension of the concentration view, or None (§3).

    Source, category and platform/payer warn for a part above half, 100 % included.
    Currency warns only for a foreign currency (not ``base_currency``) above half;
    country only for a foreign country above half, and not at all while no
    ``home_country`` is set: without it every country would look foreign.
    """
    if dimension == "currency":
        return concentrated(shares, home=base_currency)
    if dimension == "country":
        return concentrated(shares, home=home_country) if home_country else None
    return concentrated(shares)
