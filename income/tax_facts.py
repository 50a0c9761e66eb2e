"""Reads of the tax facts (admin content, ``income.models.TaxYear``): the rows for the API
and the admin, and one year as the frozen ``TaxYearFacts`` the pure engine takes."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from finance.errors import DomainError
from finance.tax.facts import FundType, TaxYearFacts
from income.models import ZERO, TaxYear, TreatyRate

#: The column of each fund type's partial exemption; a type not listed (``OTHER``) has none.
EXEMPTION_COLUMNS: dict[FundType, str] = {
    FundType.EQUITY: "partial_exemption_equity",
    FundType.MIXED: "partial_exemption_mixed",
    FundType.REAL_ESTATE: "partial_exemption_real_estate",
    FundType.FOREIGN_REAL_ESTATE: "partial_exemption_foreign_real_estate",
}


def tax_year_list() -> QuerySet[TaxYear]:
    """Every year with facts, newest first, each with its treaty rates (one query more)."""
    return TaxYear.objects.prefetch_related("treaty_rates")


def tax_year_facts(*, year: int) -> TaxYearFacts:
    """The facts of ``year`` for the engine; ``DomainError`` on ``year`` when an
    administrator has not entered them yet (a report of 2027 in January 2027)."""
    row = tax_year_list().filter(year=year).first()
    if row is None:
        raise DomainError(
            {
                "year": [
                    _("No tax facts for %(year)s yet: an administrator adds them in the admin.")
                    % {"year": year}
                ]
            }
        )
    return _facts_of(row)


def tax_year_facts_latest(*, up_to: int) -> TaxYearFacts | None:
    """The facts of the latest year up to ``up_to``: what a projection assumes for the
    years ahead; None when no year up to then has facts (two queries)."""
    row = tax_year_list().filter(year__lte=up_to).order_by("-year").first()
    return None if row is None else _facts_of(row)


def _facts_of(row: TaxYear) -> TaxYearFacts:
    treaty_rates: list[TreatyRate] = list(row.treaty_rates.all())
    exemption = {fund_type: getattr(row, column) for fund_type, column in EXEMPTION_COLUMNS.items()}
    exemption[FundType.OTHER] = ZERO  # as KNOWN_FACTS writes it: listed, with none
    return TaxYearFacts(
        year=row.year,
        saver_allowance_single=row.saver_allowance_single,
        saver_allowance_joint=row.saver_allowance_joint,
        basiszins=row.basiszins,
        capital_gains_tax_rate=row.capital_gains_tax_rate,
        solidarity_rate=row.solidarity_rate,
        church_tax_rates=frozenset({row.church_tax_rate_reduced, row.church_tax_rate}),
        partial_exemption=MappingProxyType(exemption),
        treaty_rates=MappingProxyType({rate.country: rate.rate for rate in treaty_rates}),
        kleinunternehmer_previous_year_limit=row.kleinunternehmer_previous_year_limit,
        kleinunternehmer_current_year_limit=row.kleinunternehmer_current_year_limit,
        kleinunternehmer_current_limit_ends_status=row.kleinunternehmer_current_limit_ends_status,
    )


def basiszins_latest(*, up_to: int) -> Decimal | None:
    """The Basiszins of the latest year with facts up to ``up_to``: what a projection
    assumes for the years ahead (the BMF publishes each year's in its January); None
    when no year up to then has facts."""
    rate = (
        TaxYear.objects.filter(year__lte=up_to)
        .order_by("-year")
        .values_list("basiszins", flat=True)
        .first()
    )
    return None if rate is None else Decimal(rate)
