"""What the yearly tax report reads: one person's payments, costs and fund years of a
year and the year before, converted to euros at the rate of each date.

The return is in euros whatever the person's base currency (§3 converts for figures; the
Finanzamt wants euros), so every amount here is converted to EUR with the ECB rate of
its own date, rounded once to cents (``RateBook.convert``). A row without a rate that
old cannot be converted: it is left out and named in ``missing_rates``, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet

from finance.errors import DomainError
from finance.money import RateBook
from finance.tax.facts import TaxYearFacts
from income.models import Cost, FundYear, IncomeSource, Payment, TaxTreatment
from income.selectors import exchange_rates
from income.tax_facts import tax_year_facts

EUR = "EUR"
ZERO = Decimal(0)

CAPITAL_TREATMENTS = frozenset(
    {TaxTreatment.DIVIDEND, TaxTreatment.INTEREST, TaxTreatment.OTHER_CAPITAL}
)
REPORTED_TREATMENTS = CAPITAL_TREATMENTS | {TaxTreatment.RENT, TaxTreatment.BUSINESS}


@dataclass(frozen=True)
class MissingRate:
    """A row left out of the report: no ECB rate of ``currency`` on or before ``day``."""

    record: str  # "payment" or "cost"
    id: int
    currency: str
    day: date


@dataclass(frozen=True)
class EuroPayment:
    """A payment in euros: ``german_tax`` is the tax withheld less its foreign part."""

    id: int
    source_id: int
    day: date
    gross: Decimal
    foreign_tax: Decimal
    german_tax: Decimal
    fees: Decimal
    original_gross: Decimal
    currency: str


@dataclass(frozen=True)
class EuroCost:
    id: int
    source_id: int
    day: date
    kind: str
    amount: Decimal


@dataclass
class YearInputs:
    """The rows of ``year`` (and of the year before, for the Vorabpauschale and the
    Kleinunternehmer's previous year) of the sources the report covers."""

    year: int
    sources: dict[int, IncomeSource]
    payments: list[EuroPayment]
    costs: list[EuroCost]
    fund_years: dict[tuple[int, int], FundYear]
    book: RateBook
    missing_rates: list[MissingRate] = field(default_factory=list)
    # What the methods below read once and keep: not inputs of the report.
    _facts: dict[int, TaxYearFacts | DomainError] = field(default_factory=dict, init=False)
    _payments_by: dict[tuple[int, int], list[EuroPayment]] | None = field(default=None, init=False)
    _costs_by: dict[tuple[int, int], list[EuroCost]] | None = field(default=None, init=False)

    def facts_of(self, year: int) -> TaxYearFacts:
        """The tax facts of ``year``, read once per report; ``DomainError`` without them."""
        if year not in self._facts:
            try:
                self._facts[year] = tax_year_facts(year=year)
            except DomainError as error:
                self._facts[year] = error
        found = self._facts[year]
        if isinstance(found, DomainError):
            raise found
        return found

    def payments_of(self, source_id: int, year: int) -> list[EuroPayment]:
        """One source's payments of ``year`` in date order: grouped once, so that a
        person with many sources and payments costs one pass, not one per source."""
        if self._payments_by is None:
            self._payments_by = defaultdict(list)
            for payment in self.payments:
                self._payments_by[(payment.source_id, payment.day.year)].append(payment)
        return self._payments_by.get((source_id, year), [])

    def costs_of(self, source_id: int, year: int) -> list[EuroCost]:
        """One source's costs of ``year`` in date order, grouped once as the payments."""
        if self._costs_by is None:
            self._costs_by = defaultdict(list)
            for cost in self.costs:
                self._costs_by[(cost.source_id, cost.day.year)].append(cost)
        return self._costs_by.get((source_id, year), [])

    def sources_of_business(self) -> list[IncomeSource]:
        return [
            source
            for source in self.sources.values()
            if source.category.tax_treatment == TaxTreatment.BUSINESS
        ]

    def to_eur(self, amount: Decimal, *, currency: str, day: date) -> Decimal | None:
        """``amount`` in euros at the rate of ``day``; None without a rate that old."""
        return self.book.convert(amount, currency=currency, to=EUR, day=day)


def _reported_sources(owner: User) -> QuerySet[IncomeSource]:
    return IncomeSource.objects.filter(
        owner=owner, category__tax_treatment__in=REPORTED_TREATMENTS
    ).select_related("category")


def year_inputs(*, owner: User, year: int) -> YearInputs:
    """Load ``owner``'s rows of ``year`` − 1 and ``year``; four queries and the rates."""
    sources = {source.pk: source for source in _reported_sources(owner)}
    first, last = date(year - 1, 1, 1), date(year, 12, 31)
    payment_rows = list(
        Payment.objects.filter(source_id__in=sources, date__gte=first, date__lte=last)
        .order_by("date", "pk")
        .values_list(
            "pk", "source_id", "date", "gross", "tax_withheld", "foreign_tax", "fees", "currency"
        )
    )
    cost_rows = list(
        Cost.objects.filter(source_id__in=sources, date__gte=first, date__lte=last)
        .order_by("date", "pk")
        .values_list("pk", "source_id", "date", "kind", "amount", "currency")
    )
    fund_years = {
        (row.source_id, row.year): row
        for row in FundYear.objects.filter(source_id__in=sources, year__in=(year - 1, year))
    }
    currencies = (
        {row[-1] for row in payment_rows}
        | {row[-1] for row in cost_rows}
        | {source.currency for source in sources.values()}
    )
    # The Vorabpauschale of year - 1 converts on the first working day of ``year``.
    book = RateBook(exchange_rates(currencies=currencies, as_of=date(year + 1, 1, 10)))
    inputs = YearInputs(
        year=year, sources=sources, payments=[], costs=[], fund_years=fund_years, book=book
    )
    for pk, source_id, day, gross, tax, foreign, fees, currency in payment_rows:
        pair = book.pair(currency, EUR, day)
        if pair is None:
            inputs.missing_rates.append(MissingRate("payment", pk, currency, day))
            continue
        inputs.payments.append(
            EuroPayment(
                id=pk,
                source_id=source_id,
                day=day,
                gross=book.at(gross, pair),
                foreign_tax=book.at(foreign, pair),
                german_tax=book.at(tax - foreign, pair),
                fees=book.at(fees, pair),
                original_gross=gross,
                currency=currency,
            )
        )
    for pk, source_id, day, kind, amount, currency in cost_rows:
        converted = inputs.to_eur(amount, currency=currency, day=day)
        if converted is None:
            inputs.missing_rates.append(MissingRate("cost", pk, currency, day))
            continue
        inputs.costs.append(
            EuroCost(id=pk, source_id=source_id, day=day, kind=kind, amount=converted)
        )
    return inputs
