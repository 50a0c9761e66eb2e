"""The projection itself: the plan's capital, income and tax month by month (PRODUCT.md §4).

``project`` lays the plan and its linked sources on the months and sums them by plan
year; the rules it applies live beside it (``tax``, ``inflation``, ``sources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext

from finance.calculator import CalculatorResult, calculate
from finance.errors import DomainError
from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, month_start
from finance.tax.funds import base_yield, vorabpauschale_due
from scenarios.projection.inflation import deflator, grown_expenses
from scenarios.projection.inputs import (
    COMPOUNDING_MONTHLY,
    TAX_AT_END,
    TAX_FUND,
    Plan,
    SourceModel,
)
from scenarios.projection.result import MonthRow, Projection, YearRow
from scenarios.projection.rounding import RunningCents
from scenarios.projection.sources import source_monthly_net
from scenarios.projection.tax import PlanTax
from scenarios.projection.validation import source_errors, validate_plan

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)


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


def _validate(plan: Plan, sources: Sequence[SourceModel]) -> None:
    """Raise ``DomainError`` for a plan or a source outside the bounds (every source's
    errors under ``sources``, each prefixed with the source's name)."""
    validate_plan(plan)
    invalid_sources = [
        f"{source.name}: {field}: {' '.join(messages)}"
        for source in sources
        for field, messages in source_errors(source).items()
    ]
    if invalid_sources:
        raise DomainError({"sources": invalid_sources})


def _earns_nothing(plan: Plan) -> bool:
    """Whether the plan itself earns nothing in any month: no capital, no savings, no
    additional or one-off income (``scenarios.stress.zero_plan``).

    Then ``project``'s plan income is 0 every month whatever the return, compounding or
    tax (the return is credited on a capital of 0, and an income of 0 pays no tax), so a
    month's net income is its sources' net alone.
    """
    return (
        plan.starting_capital == ZERO
        and plan.monthly_contribution == ZERO
        and plan.additional_yearly_income == ZERO
        and plan.one_off_income == ZERO
        and plan.tax_timing != TAX_AT_END
    )


def independence_of(plan: Plan, *, sources: Sequence[SourceModel] = ()) -> date | None:
    """``project(plan, sources=sources).independence_month``, for less.

    The report recompute asks this of every user whose expenses or sources changed,
    always of a plan that earns nothing itself (``_earns_nothing``): the first month
    whose sources' net covers the expenses grown with inflation. For such a plan the
    month is found from the sources' series and the expenses of each plan year alone,
    without the rows, taxes and year sums of the whole schedule (a fifth of the time
    on the bench's users); any other plan is projected in full. Same rule, same
    validation and errors as ``project``, and the property test
    ``tests/scenarios/test_independence_month.py`` holds the two equal.
    """
    if not _earns_nothing(plan):
        return project(plan, sources=sources).independence_month
    _validate(plan, sources)
    first = month_start(plan.start)
    count = plan.horizon_years * 12
    per_source = [source_monthly_net(source, months=count, start=first) for source in sources]
    with localcontext(EXACT):
        nets = [sum(month, ZERO) for month in zip(*per_source, strict=True)] or [ZERO] * count
        for year in range(plan.horizon_years):
            expenses = grown_expenses(plan, year * 12)
            if expenses <= ZERO:
                continue
            for index in range(year * 12, year * 12 + 12):
                if nets[index] >= expenses:
                    return add_months(first, index)
    return None


def project(plan: Plan, *, sources: Sequence[SourceModel] = ()) -> Projection:
    """The monthly schedule of ``plan`` with its linked ``sources`` (PRODUCT.md §4).

    Each month, in this order:

    1. the monthly contribution is added to the capital (at the start of the month);
    2. the investment income is credited (``_investment_income``);
    3. the additional yearly income adds 1/12 of itself; the plan income (investment +
       additional) is taxed with the one allowance both share (``PlanTax``);
    4. with ``payout`` the investment income is paid out and the capital stays; without
       it (reinvest) the income is added to the capital and the tax on it is paid out
       of the capital in the same month. This is the simplification "income credited is
       taxed in its year", without Germany's Vorabpauschale and without deferring tax
       to a sale. When the month also has additional income, the capital pays the share
       of the tax that the (positive) investment income has in the plan income; the
       rest is paid out of the additional income. A reinvesting plan taxed as a German
       fund (``TAX_FUND``) instead pays no tax on its investment income in the month:
       at the end of each plan year its Vorabpauschale is the base yield (the capital
       at the start of the year, each contribution for the months it was held, ×
       Basiszins × 0.7) capped at the year's investment income (``finance.tax.funds``),
       in cents; it is taxed in the first month of the next plan year, the year's first
       income and so first to use its allowance, as it counts as received on the first
       working day of the next year (§18 (3) InvStG), and its tax is paid out of the
       capital. The last plan year's Vorabpauschale falls due after the horizon; the rest
       of the gain is taxed on a sale, which the plan does not make. Its additional
       income is taxed month by month as usual. A distributing fund pays its tax on the
       payouts, as ``TAX_YEARLY`` does (with the income paid out, nothing is left for a
       Vorabpauschale);
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
    _validate(plan, sources)
    first = month_start(plan.start)
    count = plan.horizon_years * 12
    per_source = [source_monthly_net(source, months=count, start=first) for source in sources]
    tax_rule = PlanTax(
        rate=plan.tax_rate, allowance=plan.yearly_allowance, exemption=plan.partial_exemption
    )
    income_shown = RunningCents()
    contributions_shown = RunningCents()
    fund = plan.tax_timing == TAX_FUND and not plan.payout
    additional_shown = RunningCents()  # a fund's taxed income: the additional alone
    vorabpauschale = ZERO  # the last plan year's, in cents, due in this year's first month
    year_investment = ZERO
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
            fund_tax = ZERO
            if month_of_year == 0:
                tax_rule.new_year()
                if fund and vorabpauschale > ZERO:
                    fund_tax = tax_rule.tax(vorabpauschale)
                    capital -= fund_tax
                vorabpauschale, year_investment = ZERO, ZERO
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
                if fund:
                    tax = fund_tax + tax_rule.tax(additional_shown.add(additional))
                    capital += investment
                    year_investment += investment
                    if month_of_year == 11:
                        held = year_start_capital + weighted / TWELVE
                        vorabpauschale = to_cents(
                            vorabpauschale_due(
                                base_yield=base_yield(value=held, basiszins=plan.basiszins),
                                gain=year_investment,
                                distributions=ZERO,
                            )
                        )
                else:
                    tax = tax_rule.tax(plan_income)
                if not plan.payout and not fund:
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
