"""Allowance orders of a year, read: the banks a person has, what each is expected to earn
taxably, whether the orders fit the allowance, and a suggested split (PRODUCT.md §9).

Selectors only: no writes (``income.services.allowance_orders`` writes), no HTTP. The
page ``/tax/<year>/allowance-orders/`` and ``GET /api/v1/allowance-orders/summary/`` both
answer from ``allowance_summary``, so they never disagree; the rules themselves are the
pure ``finance.tax.allowance`` and ``finance.tax.funds``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from django.contrib.auth.models import User
from django.utils import timezone

from finance.figures import capital_income
from finance.money import RateBook
from finance.rounding import EXACT, to_cents
from finance.schedule import months_between
from finance.tax.allowance import (
    AllowanceExcess,
    AllowanceSplit,
    allowance_orders_excess,
    allowance_split,
)
from finance.tax.facts import FilingStatus, FundType, TaxYearFacts
from finance.tax.funds import fund_taxable
from income import selectors
from income.models import CalculationModel, IncomeSource, Profile, SourceStatus
from income.tax_facts import tax_year_facts
from income.tax_report.inputs import CAPITAL_TREATMENTS

ZERO = Decimal(0)
#: The tax is in euros (§9): expected income is converted into them.
TAX_CURRENCY = "EUR"
#: The key of the sources that name no bank (a blank ``platform``): listed, never ordered.
NO_BANK = ""


@dataclass(frozen=True)
class AllowanceExpectation:
    """Each bank's expected taxable capital income of a year, in euros, and the currencies
    of sources left out because no exchange rate of theirs is that old."""

    by_bank: dict[str, Decimal]
    missing_rates: list[str]


@dataclass(frozen=True)
class AllowanceSummary:
    """One year's allowance orders with what the engine says of them.

    ``banks`` are the banks to show, sorted, ``NO_BANK`` (sources without a platform)
    last when any source has none; ``orders`` the orders given, by bank; ``expected`` each
    bank's expected taxable income; ``excess`` the warning when the orders exceed the
    allowance (None when they fit); ``suggestion`` the split of the allowance over the
    named banks by their expected income.
    """

    year: int
    filing_status: FilingStatus
    allowance: Decimal
    banks: list[str]
    orders: dict[str, Decimal]
    total: Decimal
    excess: AllowanceExcess | None
    expected: dict[str, Decimal]
    suggestion: AllowanceSplit
    missing_rates: list[str]


def capital_sources(*, owner: User) -> list[IncomeSource]:
    """The owner's sources of capital income by their category's tax treatment
    (dividends, interest, other capital income such as trading gains): the ones a bank or
    broker pays out and the saver's allowance covers. The tax report counts the same
    sources as capital income, and the projections share the allowance among them
    (``scenarios.plans``), so the suggested orders split what those use."""
    return list(
        selectors.source_list(owner=owner).filter(category__tax_treatment__in=CAPITAL_TREATMENTS)
    )


def _months_in_year(source: IncomeSource, year: int) -> int:
    """The months of ``year`` the source runs in, from the month of its start through the
    month of its end, both included, as the projections count a source's months
    (``scenarios.projection.sources.source_monthly_net``)."""
    first = max(months_between(date(year, 1, 1), source.start_date), 0)
    last = 11
    if source.end_date is not None:
        last = min(months_between(date(year, 1, 1), source.end_date), 11)
    return max(last - first + 1, 0)


def expected_yearly_gross(source: IncomeSource, *, year: int) -> Decimal:
    """A capital-income source's expected income of ``year`` in its own currency, in cents.

    Its model's first gross without growth, as the projections weigh a source when they
    share the allowance (``scenarios.projection.sources.yearly_gross``), for the months of
    the year the source runs: the capital model's ``finance.figures.capital_income``
    (what is reinvested is taxed like what is paid out, so a reinvesting source counts
    its yield on the invested capital too; the capital's growth within the year is left
    out: an estimate for an order, not a return), a flat source's expected monthly
    amount, a rental's rent less vacancy, a subscription's subscribers × price.
    """
    months = _months_in_year(source, year)
    model = source.category.model
    with localcontext(EXACT):
        if model == CalculationModel.CAPITAL:
            gross = capital_income(
                capital=source.invested_capital, annual_yield=source.expected_yield, months=months
            )
        elif model == CalculationModel.RENTAL:
            gross = months * source.monthly_rent * (1 - source.vacancy_rate)
        elif model == CalculationModel.SUBSCRIPTION:
            gross = months * source.current_subscribers * source.price_per_subscriber
        else:
            gross = months * source.expected_monthly_amount
        return to_cents(gross)


def allowance_expectation(
    *, owner: User, year: int, facts: TaxYearFacts | None = None
) -> AllowanceExpectation:
    """Each bank's expected taxable capital income of ``year``, in euros.

    Every active capital source counts with ``expected_yearly_gross``, converted into
    euros at the latest rate on or before the year's end (today's for the current and
    later years: a forward look's best guess, as the projections convert), and a fund
    with only its taxable part after the partial exemption of its type (``fund_taxable``).
    A bank's sum is at least 0: a loss expected at one bank uses no allowance, and
    losses offset gains only within the bank that has both. Sources without a platform
    count under ``NO_BANK``. ``facts`` defaults to the year's (``DomainError`` on
    ``year`` when there are none).
    """
    facts = facts or tax_year_facts(year=year)
    sources = [
        source for source in capital_sources(owner=owner) if source.status == SourceStatus.ACTIVE
    ]
    as_of = min(timezone.localdate(), date(year, 12, 31))
    rates = RateBook(
        selectors.exchange_rates(currencies={s.currency for s in sources}, as_of=as_of)
    )
    by_bank: dict[str, Decimal] = {}
    missing: set[str] = set()
    for source in sources:
        gross = rates.convert(
            expected_yearly_gross(source, year=year),
            currency=source.currency,
            to=TAX_CURRENCY,
            day=as_of,
        )
        if gross is None:
            missing.add(source.currency)
            continue
        taxable = (
            fund_taxable(gross=gross, fund_type=FundType(source.fund_type), facts=facts)
            if source.fund_type
            else gross
        )
        by_bank[source.platform] = by_bank.get(source.platform, ZERO) + taxable
    return AllowanceExpectation(
        by_bank={bank: max(amount, ZERO) for bank, amount in by_bank.items()},
        missing_rates=sorted(missing),
    )


def allowance_expected_by_bank(*, owner: User, year: int) -> dict[str, Decimal]:
    """Each bank's expected taxable capital income of ``year`` in euros
    (``allowance_expectation``; sources without a rate left out)."""
    return allowance_expectation(owner=owner, year=year).by_bank


def filing_status_of(owner: User) -> FilingStatus:
    """The owner's filing status, single until the profile says otherwise (read only)."""
    status = Profile.objects.filter(user=owner).values_list("filing_status", flat=True).first()
    return FilingStatus(status) if status else FilingStatus.SINGLE


def _bank_order(banks: Iterable[str]) -> list[str]:
    """Named banks alphabetically (case-insensitive), then ``NO_BANK``."""
    return sorted(set(banks), key=lambda bank: (bank == NO_BANK, bank.casefold(), bank))


def allowance_summary(*, owner: User, year: int) -> AllowanceSummary:
    """The year's orders, the warning and the suggestion, for the page and the API.

    The suggestion splits the allowance over the banks that have a name: an order must
    name its bank, so the income of sources without one is shown but not split for.
    ``DomainError`` on ``year`` when the year has no tax facts.
    """
    facts = tax_year_facts(year=year)
    status = filing_status_of(owner)
    orders = {
        order.bank: order.amount for order in selectors.allowance_order_list(owner=owner, year=year)
    }
    expectation = allowance_expectation(owner=owner, year=year, facts=facts)
    named = {bank: amount for bank, amount in expectation.by_bank.items() if bank != NO_BANK}
    banks = _bank_order([*(s.platform for s in capital_sources(owner=owner)), *orders])
    return AllowanceSummary(
        year=year,
        filing_status=status,
        allowance=facts.saver_allowance(status),
        banks=banks,
        orders=orders,
        total=_total(orders),
        excess=allowance_orders_excess(orders=orders, filing_status=status, facts=facts),
        expected=expectation.by_bank,
        suggestion=allowance_split(expected=named, filing_status=status, facts=facts),
        missing_rates=expectation.missing_rates,
    )


def _total(amounts: Mapping[str, Decimal]) -> Decimal:
    with localcontext(EXACT):
        return sum(amounts.values(), ZERO)
