"""The scenario projection of PRODUCT.md §4: a monthly schedule over the horizon, by year.

Pure money code (no Django): Decimal in, Decimal out. All arithmetic runs in
``rounding.EXACT``, so the capital stays exact from month to month and the only
rounding is the explicit ``to_cents`` (half up) of what a row shows.

The rules, each in the docstring of the function that applies it:

- the return credited each month or each plan year (``_investment_income``);
- payout or reinvest, and the tax paid out of the capital when reinvesting
  (``project``);
- the tax with the yearly allowance and partial exemption (``_PlanTax``);
- the additional yearly income (``project``);
- the models of linked sources, each within its start and end dates
  (``source_monthly_net``);
- real values with a deflator per plan year (``deflator``);
- the independence and target months (``project``).

Rounding: a series of shown amounts is rounded as a running total
(``_RunningCents``), so the months of a year add up to the year and all months to the
total; the seed's 10-year example therefore shows gross income 6288.95 both as the sum
of its months and as the calculator's headline figure.

A plan month is a ``date`` on day 1 (``schedule.month_start``). Month index ``m``
counts from 0 for the first month; plan year ``y = m // 12`` counts from 0 for the
first 12 months (``YearRow.year`` shows it as ``y + 1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from typing import TypeAlias, assert_never

from finance.calculator import (
    MAX_AMOUNT,
    MAX_ANNUAL_RETURN,
    MAX_YEARS,
    MIN_ANNUAL_RETURN,
    CalculatorResult,
    calculate,
)
from finance.errors import DomainError
from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, month_start, months_between

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)

COMPOUNDING_YEARLY = "yearly"
COMPOUNDING_MONTHLY = "monthly"
COMPOUNDINGS = (COMPOUNDING_YEARLY, COMPOUNDING_MONTHLY)

# When the plan's tax is paid: on each plan year's income in that year, or once at the end
# on the whole gain, as the seed's calculator does (a saved calculation, see ``project``).
TAX_YEARLY = "yearly"
TAX_AT_END = "at_end"
TAX_TIMINGS = (TAX_YEARLY, TAX_AT_END)

MIN_HORIZON_YEARS = 1
# Volatility is a yearly standard deviation, not a share: equities ~0.15–0.2, crypto ~0.8;
# the Scenario model accepts up to 2, so the projection does too.
MAX_VOLATILITY = Decimal(2)
# Inflation may be negative (deflation), but not −100 %: the deflator must stay positive.
MIN_INFLATION = Decimal(-1)  # exclusive
MAX_INFLATION = ONE


# ------------------------------------------------------------------------------ inputs
@dataclass(frozen=True)
class Plan:
    """The inputs of a scenario projection (PRODUCT.md §4 "Scenario projection").

    Rates are fractions (0.05 is 5 %); amounts are in the user's base currency.
    ``start`` may be any day: the plan starts with its month (``month_start``).
    ``volatility`` is used only by ``scenarios.montecarlo``. ``tax_timing`` is
    ``TAX_YEARLY`` or ``TAX_AT_END``; ``one_off_income`` is the calculator's one-off
    additional income, which only a plan taxed at the end has (``tax_timing_conflicts``).
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


# Every source model ends with ``starts`` and ``ends``: the source's first and last day
# (None: running before the plan / open-ended). Whole months count; see
# ``source_monthly_net`` for how a projection respects them (PRODUCT.md §3).


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


SourceModel: TypeAlias = CapitalSource | RentalSource | SubscriptionSource | FlatSource


# ------------------------------------------------------------------------------ output
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


# -------------------------------------------------------------------------- validation
def _finite(errors: dict[str, list[str]], fields: dict[str, Decimal]) -> None:
    for name, value in fields.items():
        if not value.is_finite():
            errors.setdefault(name, []).append("Enter a finite number.")


def _amount(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not ZERO <= value <= MAX_AMOUNT:
        errors.setdefault(name, []).append(f"Must be between 0 and {MAX_AMOUNT}.")


def _share(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not ZERO <= value <= ONE:
        errors.setdefault(name, []).append("Must be between 0 and 1.")


def _growth(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not MIN_ANNUAL_RETURN < value <= MAX_ANNUAL_RETURN:
        errors.setdefault(name, []).append(
            f"Must be greater than {MIN_ANNUAL_RETURN} and at most {MAX_ANNUAL_RETURN}."
        )


def validate_plan(plan: Plan) -> None:
    """Reject a plan outside PRODUCT.md §4's bounds, each error under its field.

    The bounds are the calculator's (``finance.calculator``): amounts from 0 to
    the largest ``DecimalField(15, 2)``, a return above −100 % and at most 1,000 %,
    shares (tax rate, partial exemption) from 0 to 1, a horizon of 1 to 100 whole
    years. Inflation may be negative (deflation) but above −100 %, at most 100 %;
    volatility from 0 to ``MAX_VOLATILITY``. Raises ``DomainError``.
    """
    errors: dict[str, list[str]] = {}
    decimals = {
        "starting_capital": plan.starting_capital,
        "monthly_contribution": plan.monthly_contribution,
        "annual_return": plan.annual_return,
        "tax_rate": plan.tax_rate,
        "yearly_allowance": plan.yearly_allowance,
        "partial_exemption": plan.partial_exemption,
        "inflation": plan.inflation,
        "additional_yearly_income": plan.additional_yearly_income,
        "target_monthly_income": plan.target_monthly_income,
        "monthly_expenses": plan.monthly_expenses,
        "one_off_income": plan.one_off_income,
    }
    if plan.volatility is not None:
        decimals["volatility"] = plan.volatility
    _finite(errors, decimals)
    if not MIN_HORIZON_YEARS <= plan.horizon_years <= MAX_YEARS:
        errors["horizon_years"] = [
            f"Must be a whole number of years from {MIN_HORIZON_YEARS} to {MAX_YEARS}."
        ]
    for name in (
        "starting_capital",
        "monthly_contribution",
        "yearly_allowance",
        "additional_yearly_income",
        "target_monthly_income",
        "monthly_expenses",
        "one_off_income",
    ):
        _amount(errors, name, decimals[name])
    _growth(errors, "annual_return", plan.annual_return)
    _share(errors, "tax_rate", plan.tax_rate)
    _share(errors, "partial_exemption", plan.partial_exemption)
    if plan.inflation.is_finite() and not MIN_INFLATION < plan.inflation <= MAX_INFLATION:
        errors.setdefault("inflation", []).append(
            f"Must be greater than {MIN_INFLATION} and at most {MAX_INFLATION}."
        )
    if plan.compounding not in COMPOUNDINGS:
        errors["compounding"] = [f"Must be one of: {', '.join(COMPOUNDINGS)}."]
    volatility = plan.volatility
    if (
        volatility is not None
        and volatility.is_finite()
        and not ZERO <= volatility <= MAX_VOLATILITY
    ):
        errors["volatility"] = [f"Must be between 0 and {MAX_VOLATILITY}."]
    if plan.tax_timing not in TAX_TIMINGS:
        errors["tax_timing"] = [f"Must be one of: {', '.join(TAX_TIMINGS)}."]
    elif not errors:
        at_end = plan.tax_timing == TAX_AT_END
        for name in tax_timing_conflicts(
            tax_timing=plan.tax_timing,
            monthly_contribution=plan.monthly_contribution,
            compounding=plan.compounding,
            payout=plan.payout,
            additional_yearly_income=plan.additional_yearly_income,
            yearly_allowance=plan.yearly_allowance,
            partial_exemption=plan.partial_exemption,
            one_off_income=plan.one_off_income,
        ):
            errors[name] = [
                "Not possible with the tax paid at the end."
                if at_end
                else "Only possible with the tax paid at the end."
            ]
    if errors:
        raise DomainError(errors)


def tax_timing_conflicts(
    *,
    tax_timing: str,
    monthly_contribution: Decimal,
    compounding: str,
    payout: bool,
    additional_yearly_income: Decimal,
    yearly_allowance: Decimal,
    partial_exemption: Decimal,
    one_off_income: Decimal,
) -> tuple[str, ...]:
    """The names of the inputs a plan with this ``tax_timing`` cannot have.

    A plan taxed at the end is a saved calculation: it reproduces the seed's calculator
    (PRODUCT.md §4 "Saved calculations") exactly, and the calculator knows one investment
    that compounds yearly and is reinvested, one tax rate on the whole gain, and a
    one-off additional income. A savings plan, monthly compounding, a payout, a yearly
    additional income, an allowance or a partial exemption would each make it another
    calculation than the calculator's, so such a plan has none of them; and only it has
    the calculator's one-off income. The names are the plan's; the service that checks a
    scenario before saving it words the message for its own fields.
    """
    if tax_timing != TAX_AT_END:
        return ("one_off_income",) if one_off_income != ZERO else ()
    found = {
        "monthly_contribution": monthly_contribution != ZERO,
        "compounding": compounding != COMPOUNDING_YEARLY,
        "payout": payout,
        "additional_yearly_income": additional_yearly_income != ZERO,
        "yearly_allowance": yearly_allowance != ZERO,
        "partial_exemption": partial_exemption != ZERO,
    }
    return tuple(name for name, conflict in found.items() if conflict)


def _source_errors(source: SourceModel) -> dict[str, list[str]]:
    """Field errors of one source model, keyed by its attribute names."""
    errors: dict[str, list[str]] = {}
    amounts: dict[str, Decimal]
    shares: dict[str, Decimal]
    growths: dict[str, Decimal]
    match source:
        case CapitalSource():
            amounts = {"capital": source.capital, "monthly_costs": source.monthly_costs}
            shares = {"tax_rate": source.tax_rate}
            growths = {"annual_yield": source.annual_yield}
        case RentalSource():
            amounts = {
                "monthly_rent": source.monthly_rent,
                "monthly_running_costs": source.monthly_running_costs,
                "monthly_costs": source.monthly_costs,
            }
            shares = {
                "vacancy_rate": source.vacancy_rate,
                "management_fee_rate": source.management_fee_rate,
                "tax_rate": source.tax_rate,
            }
            growths = {"annual_rent_growth": source.annual_rent_growth}
        case SubscriptionSource():
            amounts = {
                "subscribers": source.subscribers,
                "price": source.price,
                "new_per_month": source.new_per_month,
                "monthly_costs": source.monthly_costs,
            }
            shares = {"churn_rate": source.churn_rate, "tax_rate": source.tax_rate}
            growths = {}
        case FlatSource():
            amounts = {
                "monthly_amount": source.monthly_amount,
                "monthly_costs": source.monthly_costs,
            }
            shares = {"tax_rate": source.tax_rate}
            growths = {"annual_growth": source.annual_growth}
        case _:
            assert_never(source)
    _finite(errors, {**amounts, **shares, **growths})
    if source.starts is not None and source.ends is not None and source.ends < source.starts:
        errors["ends"] = ["Must not be before the start."]
    for name, value in amounts.items():
        _amount(errors, name, value)
    for name, value in shares.items():
        _share(errors, name, value)
    for name, value in growths.items():
        _growth(errors, name, value)
    return errors


# ---------------------------------------------------------------------------- rounding
class _RunningCents:
    """Rounds a series as a running total, so the shown parts add up to the shown total.

    Each part is ``to_cents(total so far) − to_cents(total before)``: every part is
    within a cent of its exact value, and any run of parts sums to the rounded total of
    that run (pretix's "parts add up", applied along time).
    """

    def __init__(self) -> None:
        self._exact = ZERO
        self._shown = ZERO

    def add(self, amount: Decimal) -> Decimal:
        with localcontext(EXACT):
            self._exact += amount
            shown = to_cents(self._exact)
            part = shown - self._shown
        self._shown = shown
        return part


def deflator(*, inflation: Decimal, year: int) -> Decimal:
    """``(1 + inflation)^year`` for plan year ``year`` (0 for the first 12 months).

    Real value = nominal / deflator. The deflator is constant within a plan year rather
    than ``(1 + inflation)^(m/12)`` per month, because a fractional power of a Decimal
    is not exact, and an integer power is: the first plan year is "today's money", the
    second is deflated by one year's inflation, and so on.
    """
    with localcontext(EXACT):
        return (ONE + inflation) ** year


def grown_expenses(plan: Plan, index: int) -> Decimal:
    """The monthly expenses in plan month ``index``, grown with inflation (exact).

    ``monthly_expenses × deflator`` of the month's plan year: the expenses are given in
    today's money and grow as prices do (§3), so a month's nominal net income is held
    against them. ``project``'s independence month and the stress test's "the shocks end
    it" both read them here.
    """
    with localcontext(EXACT):
        return plan.monthly_expenses * deflator(inflation=plan.inflation, year=index // 12)


# -------------------------------------------------------------------------------- tax
class _PlanTax:
    """The plan's tax, per plan year, applied month by month in order (PRODUCT.md §2, §4).

    For a plan year: taxable = max(0, income × (1 − partial_exemption) − the allowance
    left of that year); tax = taxable × tax_rate. Month by month this means the
    allowance is used up by the earliest income of the year. A month whose income is
    not positive (a loss) pays no tax and uses no allowance; it does not offset other
    months either (no loss carry within the year: a simplification that can only
    overstate the tax).

    The plan year (the 12 months from the plan's first month) stands in for the
    calendar year: plan year 1 is the first 12 months, whatever month the plan starts.

    The tax is computed on the shown (cent) income, so a user can check it from the
    table, and rounded as a running total within the year, so each month's tax is in
    cents and the year's tax is exactly ``to_cents(year's taxable × tax_rate)``.
    """

    def __init__(self, *, rate: Decimal, allowance: Decimal, exemption: Decimal) -> None:
        self._rate = rate
        self._allowance = allowance
        self._exemption = exemption
        self._left = allowance
        self._year = _RunningCents()

    def new_year(self) -> None:
        self._left = self._allowance
        self._year = _RunningCents()

    def tax(self, income: Decimal) -> Decimal:
        """The tax of a month with ``income`` (in cents)."""
        with localcontext(EXACT):
            taxable = ZERO
            if income > ZERO:
                base = income * (ONE - self._exemption)
                used = min(base, self._left)
                self._left -= used
                taxable = base - used
            return self._year.add(taxable * self._rate)


# ---------------------------------------------------------------------------- projection
def _investment_income(
    *,
    plan: Plan,
    capital: Decimal,
    year_start_capital: Decimal,
    weighted_contributions: Decimal,
    month_of_year: int,
) -> Decimal:
    """The return credited in a month (exact), by the plan's compounding.

    - "monthly": ``annual_return / 12`` every month, on the capital at the start of the
      month after that month's contribution.
    - "yearly": credited once, at the end of each 12-month plan year, on the capital at
      the start of that plan year plus each contribution pro rata temporis: the one
      made at the start of month k of the year (k = 1..12) earns
      ``annual_return × (13 − k) / 12`` (simple interest within the year). Nothing is
      credited in months 1–11. Without contributions this is the seed's
      ``P × (1 + r)^n`` exactly.

    ``weighted_contributions`` is Σ contribution × (13 − k) of the year so far, and
    ``month_of_year`` counts from 0.
    """
    r = plan.annual_return
    with localcontext(EXACT):
        if plan.compounding == COMPOUNDING_MONTHLY:
            return capital * r / TWELVE
        if month_of_year < 11:
            return ZERO
        return r * year_start_capital + r * weighted_contributions / TWELVE


def project(plan: Plan, *, sources: Sequence[SourceModel] = ()) -> Projection:
    """The monthly schedule of ``plan`` with its linked ``sources`` (PRODUCT.md §4).

    Each month, in this order:

    1. the monthly contribution is added to the capital (at the start of the month);
    2. the investment income is credited (``_investment_income``);
    3. the additional yearly income adds 1/12 of itself; the plan income (investment +
       additional) is taxed with the one allowance both share (``_PlanTax``);
    4. with ``payout`` the investment income is paid out and the capital stays; without
       it (reinvest) the income is added to the capital and the tax on it is paid out
       of the capital in the same month. This is the simplification "income credited is
       taxed in its year", without Germany's Vorabpauschale and without deferring tax
       to a sale. When the month also has additional income, the capital pays the share
       of the tax that the (positive) investment income has in the plan income; the
       rest is paid out of the additional income;
    5. linked sources add their own net (``source_monthly_net``), untouched by the
       plan's allowance, and only in the months from their start to their end date;
    6. the month's net = plan income − tax + sources' net; real = net / deflator.

    ``independence_month`` is the first month whose nominal net income covers
    ``monthly_expenses × deflator`` (the expenses grow with inflation, §3); None when
    the expenses are 0 or it is not reached within the horizon. ``target_month`` is the
    first month whose real net income reaches ``target_monthly_income`` (given in
    today's money); None when the target is 0 or not reached. With yearly compounding
    the investment income arrives once a year, in month 12, and both months are read
    from the monthly figures as they are.

    A plan taxed at the end (``TAX_AT_END``) is a saved calculation and reproduces the
    seed's calculator exactly (PRODUCT.md §4 "Saved calculations"): steps 2–4 are then
    the calculator's own year path and tax (``calculate``, laid on the months by
    ``_calculated_month``), not a second formula for the same figures, and
    ``Projection.calculation`` holds the calculator's result. Steps 5 and 6 are the same.

    Raises ``DomainError`` for a plan or a source outside the bounds.
    """
    validate_plan(plan)
    source_errors = [
        f"{source.name}: {field}: {' '.join(messages)}"
        for source in sources
        for field, messages in _source_errors(source).items()
    ]
    if source_errors:
        raise DomainError({"sources": source_errors})

    first = month_start(plan.start)
    count = plan.horizon_years * 12
    per_source = [source_monthly_net(source, months=count, start=first) for source in sources]
    tax_rule = _PlanTax(
        rate=plan.tax_rate, allowance=plan.yearly_allowance, exemption=plan.partial_exemption
    )
    income_shown = _RunningCents()
    contributions_shown = _RunningCents()
    calculation = (
        calculate(
            initial_investment=plan.starting_capital,
            annual_return=plan.annual_return,
            investment_period=plan.horizon_years,
            tax_rate=plan.tax_rate,
            additional_income=plan.one_off_income,
        )
        if plan.tax_timing == TAX_AT_END
        else None
    )

    months: list[MonthRow] = []
    years: list[YearRow] = []
    independence: date | None = None
    target: date | None = None
    with localcontext(EXACT):
        additional = plan.additional_yearly_income / TWELVE
        capital = plan.starting_capital
        year_start_capital = capital
        weighted = ZERO
        year_deflator = ONE
        expenses_now = plan.monthly_expenses
        for index in range(count):
            year, month_of_year = divmod(index, 12)
            if month_of_year == 0:
                tax_rule.new_year()
                year_start_capital, weighted = capital, ZERO
                year_deflator = deflator(inflation=plan.inflation, year=year)
                expenses_now = grown_expenses(plan, index)

            capital += plan.monthly_contribution
            weighted += plan.monthly_contribution * (12 - month_of_year)
            if calculation is not None:
                capital, income, tax = _calculated_month(
                    calculation, index=index, count=count, capital=capital, plan=plan
                )
                plan_income = income_shown.add(income)
            else:
                investment = _investment_income(
                    plan=plan,
                    capital=capital,
                    year_start_capital=year_start_capital,
                    weighted_contributions=weighted,
                    month_of_year=month_of_year,
                )
                plan_income = income_shown.add(investment + additional)
                tax = tax_rule.tax(plan_income)
                if not plan.payout:
                    positive = max(investment, ZERO)
                    capital += investment
                    if positive > ZERO:
                        capital -= tax * positive / (positive + additional)

            sources_net = sum((series[index] for series in per_source), ZERO)
            net = plan_income - tax + sources_net
            real = to_cents(net / year_deflator)
            month = add_months(first, index)
            months.append(
                MonthRow(
                    month=month,
                    capital=to_cents(capital),
                    contribution=contributions_shown.add(plan.monthly_contribution),
                    plan_income=plan_income,
                    sources_net=sources_net,
                    tax=tax,
                    net_income=net,
                    real_net_income=real,
                )
            )
            if independence is None and expenses_now > ZERO and net >= expenses_now:
                independence = month
            reached = ZERO < plan.target_monthly_income <= real
            if target is None and reached:
                target = month
            if month_of_year == 11:
                years.append(
                    _year_row(
                        year=year + 1,
                        rows=months[-12:],
                        capital=capital,
                        # The capital at the end of plan year y is y years ahead (§4).
                        end_deflator=deflator(inflation=plan.inflation, year=year + 1),
                    )
                )
        final_capital = to_cents(capital)

    return Projection(
        months=tuple(months),
        years=tuple(years),
        independence_month=independence,
        target_month=target,
        final_capital=final_capital,
        total_contributions=sum((row.contributions for row in years), ZERO),
        total_net_income=sum((row.net_income for row in years), ZERO),
        calculation=calculation,
    )


def _calculated_month(
    calculation: CalculatorResult, *, index: int, count: int, capital: Decimal, plan: Plan
) -> tuple[Decimal, Decimal, Decimal]:
    """Capital, plan income and tax of month ``index`` of a plan taxed at the end.

    The calculator's year path laid on the months as yearly compounding is: nothing
    happens in months 1–11 of a year; in the twelfth the capital becomes the
    calculator's capital of that year, and the year's gain (the change of the
    calculator's gross income, so the gains add up to its gross to the cent) is the
    plan income, reinvested. Nothing is taxed before the last month of the horizon,
    which pays the calculator's tax on the whole gain and receives the one-off income
    (after tax, as the calculator adds it). The capital is shown before that tax, as
    the calculator's end capital is; so the months' nets add up to the calculator's net.
    The year's real capital deflates this capital in cents: the calculator shows no other.
    """
    year, month_of_year = divmod(index, 12)
    if month_of_year < 11:
        return capital, ZERO, ZERO
    row = calculation.yearly[year]
    gain = row.gross_income - (calculation.yearly[year - 1].gross_income if year else ZERO)
    if index == count - 1:
        return row.capital, gain + plan.one_off_income, calculation.tax
    return row.capital, gain, ZERO


def _year_row(
    *, year: int, rows: Sequence[MonthRow], capital: Decimal, end_deflator: Decimal
) -> YearRow:
    """Sum a plan year's month rows; deflate the exact year-end capital (see ``YearRow``)."""
    with localcontext(EXACT):
        net = sum((row.net_income for row in rows), ZERO)
        return YearRow(
            year=year,
            capital_end=rows[-1].capital,
            real_capital_end=to_cents(capital / end_deflator),
            contributions=sum((row.contribution for row in rows), ZERO),
            plan_income=sum((row.plan_income for row in rows), ZERO),
            sources_net=sum((row.sources_net for row in rows), ZERO),
            tax=sum((row.tax for row in rows), ZERO),
            net_income=net,
            real_net_income=sum((row.real_net_income for row in rows), ZERO),
            monthly_net_average=to_cents(net / TWELVE),
        )


# ----------------------------------------------------------------------------- sources
def _net(*, gross: Decimal, costs: Decimal, tax_rate: Decimal) -> Decimal:
    """A source's net of a month, in cents: gross − costs − tax_rate × max(0, gross − costs).

    The profit (gross − costs) is rounded first and the tax is computed on that shown
    profit and rounded, so profit − tax = net to the cent. A loss pays no tax and is a
    negative net.
    """
    with localcontext(EXACT):
        profit = to_cents(gross - costs)
        tax = to_cents(profit * tax_rate) if profit > ZERO else ZERO
        return profit - tax


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
    errors = _source_errors(source)
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
    """The first ``months`` months of the source's own model (``source_monthly_net``)."""
    nets: list[Decimal] = []
    with localcontext(EXACT):
        match source:
            case CapitalSource():
                capital = source.capital
                for _ in range(months):
                    gross = capital * source.annual_yield / TWELVE if capital > ZERO else ZERO
                    net = _net(gross=gross, costs=source.monthly_costs, tax_rate=source.tax_rate)
                    nets.append(net)
                    if source.reinvest:
                        capital = max(capital + net, ZERO)
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
                    net = _net(gross=gross, costs=costs, tax_rate=source.tax_rate)
                    nets.extend([net] * min(12, months - 12 * year))
            case SubscriptionSource():
                subscribers = source.subscribers
                for _ in range(months):
                    subscribers = subscribers * (ONE - source.churn_rate) + source.new_per_month
                    nets.append(
                        _net(
                            gross=subscribers * source.price,
                            costs=source.monthly_costs,
                            tax_rate=source.tax_rate,
                        )
                    )
            case FlatSource():
                for year in range(_years(months)):
                    gross = source.monthly_amount * (ONE + source.annual_growth) ** year
                    net = _net(gross=gross, costs=source.monthly_costs, tax_rate=source.tax_rate)
                    nets.extend([net] * min(12, months - 12 * year))
            case _:
                assert_never(source)
    return nets
