"""The capital part of the yearly report: payments and fund years become the engine's
``CapitalIncome`` items, each remembering the payments it was made of.

Three rules decide how a person's records become items:

- a payment of a capital source is an item of its kind (the category's tax treatment;
  a source with a fund type pays fund distributions), at its source's bank (the
  platform) and country;
- a reversal (negative gross) takes back what it reverses from its source's latest
  earlier receipts of the year, gross, foreign tax and German tax each on its own,
  never below zero; what is left is taken from the source's next receipts. A reversal
  larger than all the year's receipts of its source would be a loss, which the engine
  does not model: it is named in ``unmatched_reversals`` and left out;
- a fund holding's ``FundYear`` of the previous year gives that year's Vorabpauschale,
  which counts as received on the first working day of this year (§18 (3) InvStG), so
  it is income of this year. The distributions per unit that reduce it are the
  source's payments of that year in the source's currency, divided by the units held
  at its end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from django.utils.translation import gettext as _

from finance.errors import DomainError
from finance.rounding import EXACT
from finance.tax.capital import CapitalIncome, IncomeKind, vorabpauschale_income
from finance.tax.facts import FundType
from finance.tax.funds import Vorabpauschale, vorabpauschale
from income.models import IncomeSource, TaxTreatment
from income.tax_report.inputs import CAPITAL_TREATMENTS, ZERO, EuroPayment, YearInputs

_KINDS = {
    TaxTreatment.DIVIDEND: IncomeKind.DIVIDEND,
    TaxTreatment.INTEREST: IncomeKind.INTEREST,
    TaxTreatment.OTHER_CAPITAL: IncomeKind.OTHER,
}


@dataclass
class _Receipt:
    day: date
    gross: Decimal
    foreign_tax: Decimal
    german_tax: Decimal
    payment_ids: list[int]


@dataclass
class _Owed:
    """What reversals still take back: amounts as positive numbers."""

    gross: Decimal = ZERO
    foreign_tax: Decimal = ZERO
    german_tax: Decimal = ZERO
    payment_ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.gross or self.foreign_tax or self.german_tax)


def _take(receipt: _Receipt, owed: _Owed) -> None:
    """Take what ``owed`` can from ``receipt``, each amount on its own, never below zero."""
    for name in ("gross", "foreign_tax", "german_tax"):
        taken = min(getattr(receipt, name), getattr(owed, name))
        setattr(receipt, name, getattr(receipt, name) - taken)
        setattr(owed, name, getattr(owed, name) - taken)
    receipt.payment_ids.extend(owed.payment_ids)


@dataclass(frozen=True)
class SourceItem:
    """One item for the engine and where it came from."""

    source: IncomeSource
    income: CapitalIncome
    payment_ids: tuple[int, ...]
    vorabpauschale: Vorabpauschale | None = None
    fund_year_id: int | None = None


@dataclass(frozen=True)
class UnmatchedReversal:
    """A source whose reversals took back more than its receipts of the year."""

    source: IncomeSource
    gross: Decimal
    payment_ids: tuple[int, ...]


def _netted(payments: list[EuroPayment]) -> tuple[list[_Receipt], _Owed]:
    """One source's payments of a year, in date order, with reversals taken back."""
    receipts: list[_Receipt] = []
    owed = _Owed()
    for payment in payments:
        if payment.gross >= 0:
            receipt = _Receipt(
                payment.day, payment.gross, payment.foreign_tax, payment.german_tax, [payment.id]
            )
            if owed:
                _take(receipt, owed)
                owed.payment_ids = []
            receipts.append(receipt)
            continue
        owed.gross -= payment.gross
        owed.foreign_tax -= payment.foreign_tax
        owed.german_tax -= payment.german_tax
        owed.payment_ids.append(payment.id)
        for receipt in reversed(receipts):
            if not owed:
                break
            _take(receipt, owed)
            owed.payment_ids = []
    return receipts, owed


def capital_kind(source: IncomeSource) -> IncomeKind:
    """What a capital source pays: fund distributions for a fund, else its category's kind."""
    if source.fund_type:
        return IncomeKind.FUND_DISTRIBUTION
    return _KINDS[TaxTreatment(source.category.tax_treatment)]


def bank_of(source: IncomeSource) -> str:
    """The bank or broker that keeps a source: its platform, trimmed ("" when none)."""
    return source.platform.strip()


def capital_sources(inputs: YearInputs) -> list[IncomeSource]:
    return [
        source
        for source in inputs.sources.values()
        if source.category.tax_treatment in CAPITAL_TREATMENTS
    ]


def payment_items(
    inputs: YearInputs, *, year: int
) -> tuple[list[SourceItem], list[UnmatchedReversal]]:
    """The capital payments of ``year`` as items, and the reversals nothing was left for."""
    items: list[SourceItem] = []
    unmatched: list[UnmatchedReversal] = []
    for source in capital_sources(inputs):
        receipts, owed = _netted(inputs.payments_of(source.pk, year))
        kind = capital_kind(source)
        for receipt in receipts:
            if not (receipt.gross or receipt.foreign_tax or receipt.german_tax):
                continue  # wholly reversed
            items.append(
                SourceItem(
                    source=source,
                    income=CapitalIncome(
                        day=receipt.day,
                        bank=bank_of(source),
                        kind=kind,
                        gross=receipt.gross,
                        fund_type=FundType(source.fund_type) if source.fund_type else None,
                        foreign_tax=receipt.foreign_tax,
                        country=source.country.upper(),
                        german_tax_withheld=receipt.german_tax,
                    ),
                    payment_ids=tuple(receipt.payment_ids),
                )
            )
        if owed:
            unmatched.append(UnmatchedReversal(source, owed.gross, tuple(owed.payment_ids)))
    return items, unmatched


@dataclass(frozen=True)
class FundYearProblem:
    """A fund holding whose Vorabpauschale could not be computed, and why (a message)."""

    source: IncomeSource
    year: int
    message: str


def _no_rate(currency: str, day: date) -> str:
    return _("No exchange rate of %(currency)s on or before %(day)s.") % {
        "currency": currency,
        "day": day.isoformat(),
    }


def fund_vorabpauschale(
    inputs: YearInputs, *, source: IncomeSource, year: int
) -> tuple[Vorabpauschale, Decimal, int] | FundYearProblem | None:
    """The Vorabpauschale of ``source``'s holding in ``year``, its gross in euros and the
    fund year's id; None without a fund year, a problem when it cannot be computed."""
    fund_year = inputs.fund_years.get((source.pk, year))
    if fund_year is None or not source.fund_type:
        return None
    try:
        facts = inputs.facts_of(year)
    except DomainError as error:
        return FundYearProblem(source, year, str(error.field_errors["year"][0]))
    distributions = ZERO
    for payment in inputs.payments_of(source.pk, year):
        converted = inputs.book.convert(
            payment.original_gross, currency=payment.currency, to=source.currency, day=payment.day
        )
        if converted is None:
            return FundYearProblem(source, year, _no_rate(payment.currency, payment.day))
        distributions += converted
    with localcontext(EXACT):
        per_unit = distributions / fund_year.units if fund_year.units else ZERO
    result = vorabpauschale(
        facts=facts,
        fund_type=FundType(source.fund_type),
        start_price=fund_year.start_price,
        end_price=fund_year.end_price,
        distributions_per_unit=max(ZERO, per_unit),
        units=fund_year.units,
        bought_on=fund_year.bought_on,
    )
    gross = inputs.to_eur(result.gross, currency=source.currency, day=result.received_on)
    if gross is None:
        return FundYearProblem(source, year, _no_rate(source.currency, result.received_on))
    return result, gross, fund_year.pk


def vorabpauschale_items(
    inputs: YearInputs, *, year: int
) -> tuple[list[SourceItem], list[FundYearProblem]]:
    """The Vorabpauschalen of ``year`` − 1, received in ``year``, as items."""
    items: list[SourceItem] = []
    problems: list[FundYearProblem] = []
    for source in capital_sources(inputs):
        found = fund_vorabpauschale(inputs, source=source, year=year - 1)
        if found is None:
            continue
        if isinstance(found, FundYearProblem):
            problems.append(found)
            continue
        result, gross, fund_year_id = found
        if not gross:
            continue
        income = vorabpauschale_income(vorabpauschale=result, bank=bank_of(source))
        items.append(
            SourceItem(
                source=source,
                income=CapitalIncome(
                    day=income.day,
                    bank=income.bank,
                    kind=income.kind,
                    gross=gross,
                    fund_type=income.fund_type,
                    country=source.country.upper(),
                ),
                payment_ids=(),
                vorabpauschale=result,
                fund_year_id=fund_year_id,
            )
        )
    return items, problems
