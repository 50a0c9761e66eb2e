"""The creator and business part of the yearly report, and the Kleinunternehmer monitor.

Income is the gross of the year's payments of business sources (a refund lowers it);
costs are the recorded ``Cost`` rows and the fees platforms kept (a store's cut, a
payment provider's fee), both deductible (§4 (4) EStG). The Kleinunternehmer monitor
reads the same gross as turnover: a Kleinunternehmer charges no VAT, so gross is net.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.errors import DomainError
from finance.tax.business import (
    BusinessYear,
    KleinunternehmerStatus,
    business_year,
    kleinunternehmer_status,
)
from finance.tax.facts import TaxYearFacts
from income.models import IncomeSource, TaxTreatment
from income.tax_report.inputs import ZERO, YearInputs


@dataclass(frozen=True)
class BusinessSourceYear:
    """One business source's year and the records behind it."""

    source: IncomeSource
    income: Decimal
    recorded_costs: Decimal
    fees: Decimal
    costs: Decimal
    profit: Decimal
    payment_ids: tuple[int, ...]
    fee_payment_ids: tuple[int, ...]
    cost_ids: tuple[int, ...]


@dataclass(frozen=True)
class BusinessReport:
    sources: tuple[BusinessSourceYear, ...]
    total: BusinessYear
    kleinunternehmer: KleinunternehmerStatus | None


def business_report(
    inputs: YearInputs, *, facts: TaxYearFacts, marginal_rate: Decimal
) -> BusinessReport:
    year = facts.year
    sources = [
        source
        for source in inputs.sources.values()
        if source.category.tax_treatment == TaxTreatment.BUSINESS
    ]
    lines = []
    for source in sources:
        own = inputs.payments_of(source.pk, year)
        own_costs = inputs.costs_of(source.pk, year)
        if not (own or own_costs):
            continue
        income = sum((payment.gross for payment in own), ZERO)
        recorded = sum((cost.amount for cost in own_costs), ZERO)
        fees = sum((payment.fees for payment in own), ZERO)
        lines.append(
            BusinessSourceYear(
                source=source,
                income=income,
                recorded_costs=recorded,
                fees=fees,
                costs=recorded + fees,
                profit=income - recorded - fees,
                payment_ids=tuple(payment.id for payment in own),
                fee_payment_ids=tuple(payment.id for payment in own if payment.fees),
                cost_ids=tuple(cost.id for cost in own_costs),
            )
        )
    total = business_year(
        income=sum((line.income for line in lines), ZERO),
        costs=sum((line.costs for line in lines), ZERO),
        marginal_rate=marginal_rate,
    )
    return BusinessReport(
        sources=tuple(lines),
        total=total,
        kleinunternehmer=_kleinunternehmer(inputs, sources=sources, facts=facts),
    )


def _kleinunternehmer(
    inputs: YearInputs, *, sources: list[IncomeSource], facts: TaxYearFacts
) -> KleinunternehmerStatus | None:
    """The monitor of the year, None without any business turnover in it or before it."""
    if not sources:
        return None
    ids = {source.pk for source in sources}
    monthly: dict[date, Decimal] = defaultdict(lambda: ZERO)
    previous = ZERO
    had_previous = False
    for payment in inputs.payments:
        if payment.source_id not in ids:
            continue
        if payment.day.year == facts.year:
            monthly[payment.day.replace(day=1)] += payment.gross
        else:
            previous += payment.gross
            had_previous = True
    if not monthly and not had_previous:
        return None
    started = min(source.start_date for source in sources)
    try:
        next_facts: TaxYearFacts | None = inputs.facts_of(facts.year + 1)
    except DomainError:
        next_facts = None
    return kleinunternehmer_status(
        facts=facts,
        previous_year_turnover=previous,
        monthly_turnover=dict(monthly),
        started_this_year=started.year == facts.year and not had_previous,
        next_year_facts=next_facts,
    )
