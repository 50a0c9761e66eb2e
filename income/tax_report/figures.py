"""The report as a list of figures, each with its label and the records it is made of:
what the CSV file and the PDF print, line by line, so both show exactly the page's
numbers (the page and the API read the same ``TaxYearReport``).

Labels are translated when the list is built, in the active language; the codes
(``section``, ``key``) stay English for a program reading the CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finance.tax.rent import CostKind
from income.models import FundType
from income.tax_report.report import CapitalRow, ReportLine, TaxYearReport


@dataclass(frozen=True)
class Figure:
    section: str
    section_label: str
    key: str
    label: str
    amount: Decimal
    payment_ids: tuple[int, ...] = ()
    cost_ids: tuple[int, ...] = ()
    fund_year_ids: tuple[int, ...] = ()


def line_label(line: ReportLine) -> str:
    """The label of a capital income line, with its fund type for fund income."""
    labels: dict[str, Callable[[], str]] = {
        "dividends": lambda: _("Dividends"),
        "interest": lambda: _("Interest"),
        "other_capital": lambda: _("Other capital income"),
        "fund_distributions": lambda: _("Fund distributions"),
        "vorabpauschale": lambda: _("Vorabpauschale"),
    }
    if not line.fund_type:
        return labels[line.key]()
    return _("%(line)s, %(fund_type)s") % {
        "line": labels[line.key](),
        "fund_type": fund_type_label(FundType(line.fund_type)),
    }


def fund_type_label(fund_type: FundType) -> str:
    """The fund type in a few words, with its partial exemption's reason left to the form."""
    return {
        FundType.EQUITY: _("equity fund"),
        FundType.MIXED: _("mixed fund"),
        FundType.REAL_ESTATE: _("real-estate fund"),
        FundType.FOREIGN_REAL_ESTATE: _("foreign real-estate fund"),
        FundType.OTHER: _("other fund"),
    }[fund_type]


def cost_kind_label(kind: CostKind) -> str:
    return {
        CostKind.RUNNING: _("Running costs"),
        CostKind.MAINTENANCE: _("Maintenance and repairs"),
        CostKind.MANAGEMENT: _("Management and fees kept by the payer"),
        CostKind.LOAN_INTEREST: _("Loan interest"),
        CostKind.OTHER: _("Other costs"),
    }[kind]


def bank_label(bank: str) -> str:
    return bank or _("No bank given")


def report_figures(report: TaxYearReport) -> list[Figure]:
    """Every figure of ``report`` in the page's order."""
    figures: list[Figure] = []
    capital = report.capital
    rows = report.capital_rows

    def ids(predicate: Callable[[CapitalRow], bool]) -> tuple[int, ...]:
        return tuple(sorted({pk for row in rows if predicate(row) for pk in row.item.payment_ids}))

    section, heading = "capital", _("Capital income (Anlage KAP, KAP-INV)")

    def add(key: str, label: str, amount: Decimal, **links: tuple[int, ...]) -> None:
        figures.append(Figure(section, heading, key, label, amount, **links))

    for line in report.capital_lines:
        add(
            line.key + (f":{line.fund_type}" if line.fund_type else ""),
            line_label(line),
            line.amount,
            payment_ids=line.payment_ids,
            fund_year_ids=line.fund_year_ids,
        )
        if line.taxable != line.amount:
            add(
                f"{line.key}_taxable" + (f":{line.fund_type}" if line.fund_type else ""),
                _("%(line)s after the partial exemption") % {"line": line_label(line)},
                line.taxable,
                payment_ids=line.payment_ids,
                fund_year_ids=line.fund_year_ids,
            )
    all_ids = ids(lambda row: True)
    add("taxable", _("Taxable capital income"), capital.taxable, payment_ids=all_ids)
    add("allowance", _("Saver's allowance"), capital.allowance)
    add("allowance_used", _("Allowance used"), capital.allowance_used)
    add("taxed", _("Capital income taxed"), capital.taxed, payment_ids=all_ids)
    foreign = ids(lambda row: bool(row.item.income.foreign_tax))
    add("foreign_tax", _("Foreign tax withheld"), capital.foreign_tax, payment_ids=foreign)
    add("foreign_tax_creditable", _("Foreign tax creditable"), capital.creditable,
        payment_ids=foreign)  # fmt: skip
    add("foreign_tax_reclaimable", _("Foreign tax to reclaim abroad"), capital.reclaimable,
        payment_ids=foreign)  # fmt: skip
    add("foreign_tax_not_credited", _("Foreign tax not credited"), capital.not_credited,
        payment_ids=foreign)  # fmt: skip
    add("capital_gains_tax", _("Capital-gains tax"), capital.due.capital_gains_tax)
    add("solidarity", _("Solidarity surcharge"), capital.due.solidarity)
    add("church_tax", _("Church tax"), capital.due.church_tax)
    add("tax_due", _("Tax due on capital income"), capital.due.total)
    withheld = ids(lambda row: bool(row.item.income.german_tax_withheld))
    add("tax_withheld", _("Tax withheld by German banks"), capital.withheld, payment_ids=withheld)
    add("difference", _("The return adds (negative: refunds)"), capital.difference)

    for bank in capital.banks:
        section = f"bank:{bank.bank}"
        heading = _("Bank: %(bank)s") % {"bank": bank_label(bank.bank)}
        bank_ids = ids(lambda row, name=bank.bank: row.item.income.bank == name)  # type: ignore[misc]
        add("allowance_order", _("Allowance order"), bank.allowance_order)
        add("allowance_used", _("Allowance used"), bank.allowance_used, payment_ids=bank_ids)
        add("taxable", _("Taxable capital income"), bank.taxable, payment_ids=bank_ids)
        add("tax_due", _("Tax the bank should withhold"), bank.due.total, payment_ids=bank_ids)
        add("tax_withheld", _("Tax withheld"), bank.withheld, payment_ids=bank_ids)
        add("foreign_tax_left", _("Foreign tax left in its pot"), bank.not_credited)

    for prop in report.properties:
        section = f"property:{prop.source.pk}"
        heading = _("Rent (Anlage V): %(name)s") % {"name": prop.source.name}
        result = prop.result
        add("rent", _("Rent received"), result.rent, payment_ids=prop.rent_payment_ids)
        for kind in CostKind:
            if result.costs[kind]:
                fee_ids = prop.fee_payment_ids if kind is CostKind.MANAGEMENT else ()
                add(f"cost:{kind.value}", cost_kind_label(kind), result.costs[kind],
                    cost_ids=prop.cost_ids[kind], payment_ids=fee_ids)  # fmt: skip
        add("costs", _("Costs"), result.costs_total)
        add("depreciation", _("Depreciation (AfA)"), result.depreciation)
        add("result", _("Result"), result.result)
        if report.marginal_rate is not None:
            add("tax", _("Tax at your marginal rate (estimate)"), result.tax)

    business = report.business
    if business.sources:
        section, heading = "business", _("Creator and business income")
        for part in business.sources:
            name = part.source.name
            add(f"income:{part.source.pk}", _("Income: %(name)s") % {"name": name}, part.income,
                payment_ids=part.payment_ids)  # fmt: skip
            add(f"costs:{part.source.pk}", _("Costs and fees: %(name)s") % {"name": name},
                part.costs, payment_ids=part.fee_payment_ids, cost_ids=part.cost_ids)  # fmt: skip
        total = business.total
        add("income", pgettext("business", "Income"), total.income)
        add("costs", _("Costs"), total.costs)
        add("profit", _("Profit"), total.profit)
        if report.marginal_rate is not None:
            add("tax", _("Tax at your marginal rate (estimate)"), total.tax)
    status = business.kleinunternehmer
    if status is not None:
        section, heading = "kleinunternehmer", _("Small business (Kleinunternehmer) monitor")
        add("previous_year_turnover", _("Turnover of the previous year"),
            status.previous_year_turnover)  # fmt: skip
        add("previous_year_limit", _("Limit for the previous year"), status.previous_year_limit)
        add("turnover", _("Turnover of the year"), status.turnover)
        add("current_limit", _("Limit for the year"), status.current_limit)
    return figures
