"""The report of one year: the blocks of ``capital``, ``rental`` and ``business`` with
the lines a return asks for, and what the person should still record (``notices``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from finance.tax.allowance import AllowanceExcess, allowance_orders_excess
from finance.tax.capital import CapitalYear, IncomeKind, ItemTax, capital_year
from finance.tax.facts import FilingStatus, FundType, TaxYearFacts
from income.models import AllowanceOrder, IncomeSource
from income.partners import joint_partner_of
from income.tax_facts import tax_year_facts
from income.tax_report.business import BusinessReport, business_report
from income.tax_report.capital import (
    FundYearProblem,
    SourceItem,
    UnmatchedReversal,
    capital_sources,
    payment_items,
    vorabpauschale_items,
)
from income.tax_report.inputs import (
    ZERO,
    YearInputs,
    year_inputs,
)
from income.tax_report.rental import PropertyYear, property_years


@dataclass(frozen=True)
class CapitalRow:
    """One item of the capital block: where it came from and the engine's result."""

    item: SourceItem
    tax: ItemTax


@dataclass(frozen=True)
class ReportLine:
    """One figure of the capital block, as a return asks for it.

    ``key`` names the line (``dividends``, ``fund_distributions``, ...), ``fund_type`` the
    fund type of a fund line; ``amount`` is the figure in euros and ``taxable`` its part
    after the partial exemption (equal to ``amount`` where none applies).
    ``payment_ids`` and ``fund_year_ids`` are the records it is made of.
    """

    key: str
    amount: Decimal
    taxable: Decimal
    payment_ids: tuple[int, ...] = ()
    fund_year_ids: tuple[int, ...] = ()
    fund_type: str = ""


@dataclass(frozen=True)
class Notice:
    """Something the report could not use or had to assume, as a code and its subject.

    ``code`` is one of ``missing_rate``, ``unmatched_reversal``, ``fund_year_problem``,
    ``fund_year_missing``, ``building_missing``, ``marginal_rate_missing``,
    ``country_missing``; ``source_id`` and ``record_id`` say which record, ``detail``
    gives the field names or the engine's message.
    """

    code: str
    source_id: int | None = None
    record_id: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class JointPartner:
    name: str
    capital_income: Decimal


@dataclass(frozen=True)
class TaxYearReport:
    year: int
    facts: TaxYearFacts
    filing_status: FilingStatus
    church_rate: Decimal
    marginal_rate: Decimal | None
    capital: CapitalYear
    capital_rows: tuple[CapitalRow, ...]
    capital_lines: tuple[ReportLine, ...]
    allowance_orders: dict[str, Decimal]
    allowance_excess: AllowanceExcess | None
    properties: tuple[PropertyYear, ...]
    business: BusinessReport
    notices: tuple[Notice, ...]
    sources: dict[int, IncomeSource]
    #: A jointly assessed partner who keeps their own books (a household of two): their
    #: name and capital income, from which this report's share of the joint allowance is.
    joint_partner: JointPartner | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.capital_rows or self.properties or self.business.sources)


def _ids(rows: Iterable[CapitalRow]) -> tuple[int, ...]:
    return tuple(sorted({pk for row in rows for pk in row.item.payment_ids}))


def _line(key: str, rows: list[CapitalRow], *, fund_type: str = "") -> ReportLine:
    return ReportLine(
        key=key,
        amount=sum((row.item.income.gross for row in rows), ZERO),
        taxable=sum((row.tax.taxable for row in rows), ZERO),
        payment_ids=_ids(rows),
        fund_year_ids=tuple(
            sorted({row.item.fund_year_id for row in rows if row.item.fund_year_id is not None})
        ),
        fund_type=fund_type,
    )


def capital_lines(rows: list[CapitalRow]) -> tuple[ReportLine, ...]:
    """The capital block's income lines, in the order Anlage KAP and KAP-INV ask."""
    lines = []
    for key, kind in (
        ("dividends", IncomeKind.DIVIDEND),
        ("interest", IncomeKind.INTEREST),
        ("other_capital", IncomeKind.OTHER),
    ):
        of_kind = [row for row in rows if row.item.income.kind is kind]
        if of_kind:
            lines.append(_line(key, of_kind))
    for key, kind in (
        ("fund_distributions", IncomeKind.FUND_DISTRIBUTION),
        ("vorabpauschale", IncomeKind.VORABPAUSCHALE),
    ):
        for fund_type in FundType:
            of_type = [
                row
                for row in rows
                if row.item.income.kind is kind and row.item.income.fund_type is fund_type
            ]
            if of_type:
                lines.append(_line(key, of_type, fund_type=fund_type.value))
    return tuple(lines)


def _notices(
    inputs: YearInputs,
    *,
    unmatched: list[UnmatchedReversal],
    problems: list[FundYearProblem],
    properties: list[PropertyYear],
    marginal_rate: Decimal | None,
    rows: list[CapitalRow],
    year: int,
) -> tuple[Notice, ...]:
    notices = [
        Notice("missing_rate", record_id=missing.id, detail=f"{missing.record}:{missing.currency}")
        for missing in inputs.missing_rates
        if missing.day.year == year
    ]
    notices += [
        Notice("unmatched_reversal", source_id=reversal.source.pk, detail=str(reversal.gross))
        for reversal in unmatched
    ]
    notices += [
        Notice("fund_year_problem", source_id=problem.source.pk, detail=problem.message)
        for problem in problems
    ]
    for source in capital_sources(inputs):
        held_before = source.start_date.year < year and (
            source.end_date is None or source.end_date.year >= year - 1
        )
        if source.fund_type and held_before and (source.pk, year - 1) not in inputs.fund_years:
            notices.append(Notice("fund_year_missing", source_id=source.pk, detail=str(year - 1)))
    notices += [
        Notice("building_missing", source_id=prop.source.pk, detail=",".join(prop.missing))
        for prop in properties
        if prop.missing
    ]
    if marginal_rate is None and (properties or inputs.sources_of_business()):
        notices.append(Notice("marginal_rate_missing"))
    foreign_without_country = {
        row.item.source.pk
        for row in rows
        if row.item.income.foreign_tax and not row.item.income.country
    }
    notices += [Notice("country_missing", source_id=pk) for pk in sorted(foreign_without_country)]
    return tuple(notices)


def _joint_partner(*, owner: User, year: int) -> JointPartner | None:
    """The jointly assessed partner of ``owner`` who keeps their own books, with their
    capital income of ``year`` after partial exemptions (``CapitalYear.taxable``)."""
    partner = joint_partner_of(owner)
    if partner is None:
        return None
    theirs = tax_year_report(owner=partner, year=year, joint=False)
    return JointPartner(name=partner.get_username(), capital_income=theirs.capital.taxable)


def tax_year_report(*, owner: User, year: int, joint: bool = True) -> TaxYearReport:
    """The tax report of ``owner``'s ``year``; ``DomainError`` without the year's facts.

    The person's filing status, church tax and marginal rate come from their profile;
    without a marginal rate the rent and business results are shown and their tax is
    not estimated (computed at 0, with a ``marginal_rate_missing`` notice).

    A joint filer whose spouse keeps their own books in a jointly assessed household
    (``income.partners``) has their share of the joint allowance, which depends on the
    spouse's capital income; ``joint=False`` leaves it out (that spouse's income is read
    from such a report, so the two do not ask each other round in circles). A joint
    filer without one has the whole joint allowance: their books hold the couple's.
    """
    facts = tax_year_facts(year=year)
    profile = owner.profile
    filing_status = FilingStatus(profile.filing_status)
    church_rate = profile.church_tax_rate
    marginal_rate = profile.marginal_tax_rate
    inputs = year_inputs(owner=owner, year=year)

    paid, unmatched = payment_items(inputs, year=year)
    deemed, problems = vorabpauschale_items(inputs, year=year)
    items = paid + deemed
    orders = {
        order.bank: order.amount for order in AllowanceOrder.objects.filter(owner=owner, year=year)
    }
    partner = (
        _joint_partner(owner=owner, year=year)
        if joint and filing_status is FilingStatus.JOINT
        else None
    )
    capital = capital_year(
        facts=facts,
        items=[item.income for item in items],
        filing_status=filing_status,
        church_rate=church_rate,
        allowance_orders=orders,
        allowance=(
            facts.joint_allowance_share(partner_income=partner.capital_income)
            if partner is not None
            else None
        ),
    )
    by_identity = {id(item.income): item for item in items}
    rows = [CapitalRow(item=by_identity[id(tax.income)], tax=tax) for tax in capital.items]
    properties = property_years(inputs, year=year, marginal_rate=marginal_rate or ZERO)
    business = business_report(inputs, facts=facts, marginal_rate=marginal_rate or ZERO)
    return TaxYearReport(
        year=year,
        facts=facts,
        filing_status=filing_status,
        church_rate=church_rate,
        marginal_rate=marginal_rate,
        capital=capital,
        capital_rows=tuple(rows),
        capital_lines=capital_lines(rows),
        allowance_orders=orders,
        allowance_excess=allowance_orders_excess(
            orders=orders, filing_status=filing_status, facts=facts
        ),
        properties=tuple(properties),
        business=business,
        joint_partner=partner,
        notices=_notices(
            inputs,
            unmatched=unmatched,
            problems=problems,
            properties=properties,
            marginal_rate=marginal_rate,
            rows=rows,
            year=year,
        ),
        sources=inputs.sources,
    )


def tax_report_years(*, today: date) -> list[int]:
    """The years a report can be asked for: those with tax facts up to this one, newest
    first. A year a person recorded nothing in answers an empty report, not an error."""
    from income.tax_facts import tax_year_list

    return sorted(
        (year for year in tax_year_list().values_list("year", flat=True) if year <= today.year),
        reverse=True,
    )
