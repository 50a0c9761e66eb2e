"""The demo account's tax report of its last complete year, traced back to its records
(issue 22, "done when"): every figure is the sum of the payments, costs and fund years
it names, recomputed here from the database rows, and every payment of a reported
source lands in exactly one figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from finance.money import convert
from finance.tax.capital import IncomeKind
from income.demo import demo_create
from income.models import Cost, ExchangeRate, FundYear, IncomeSource, Payment, TaxTreatment
from income.tax_facts import tax_year_facts
from income.tax_report import TaxYearReport, tax_year_report
from income.tax_report.figures import report_figures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 15)
YEAR = 2025
ZERO = Decimal(0)


def _eur(amount: Decimal, currency: str, day: date) -> Decimal:
    """``amount`` in euros at the latest ECB rate on or before ``day``, looked up here."""
    if currency == "EUR":
        return amount
    rate = (
        ExchangeRate.objects.filter(currency=currency, date__lte=day)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    assert rate is not None
    return convert(amount=amount, from_rate=rate, to_rate=Decimal(1))


def _in_eur(payments: list[Payment], field: str = "gross") -> Decimal:
    return sum((_eur(getattr(p, field), p.currency, p.date) for p in payments), ZERO)


@pytest.fixture
def demo_report() -> tuple[User, TaxYearReport]:
    user = demo_create(username="demo", password="demo-pass-12345", today=TODAY).user
    return user, tax_year_report(owner=user, year=YEAR)


def test_every_capital_figure_is_the_sum_of_its_payments(
    demo_report: tuple[User, TaxYearReport],
) -> None:
    user, report = demo_report
    capital_sources = IncomeSource.objects.filter(
        owner=user,
        category__tax_treatment__in=[TaxTreatment.DIVIDEND, TaxTreatment.INTEREST],
    )
    year_payments = list(
        Payment.objects.filter(source__in=capital_sources, date__year=YEAR).order_by("pk")
    )
    assert year_payments
    traced: list[int] = []
    for line in report.capital_lines:
        if line.key == "vorabpauschale":
            continue
        payments = [p for p in year_payments if p.pk in line.payment_ids]
        assert line.amount == _in_eur(payments), line.key
        traced += line.payment_ids
    # Each payment of the year in exactly one line, none left out.
    assert sorted(traced) == [p.pk for p in year_payments]
    foreign = _in_eur(year_payments, "foreign_tax")
    assert report.capital.foreign_tax == foreign > ZERO
    assert report.capital.creditable + report.capital.reclaimable + report.capital.not_credited \
        == foreign  # fmt: skip


def test_the_distributing_etf_owes_no_vorabpauschale_as_it_paid_out_more(
    demo_report: tuple[User, TaxYearReport],
) -> None:
    user, report = demo_report
    fund_year = FundYear.objects.get(source__owner=user, year=YEAR - 1)
    etf = fund_year.source
    paid = Payment.objects.filter(source=etf, date__year=YEAR - 1).aggregate(total=Sum("gross"))
    facts = tax_year_facts(year=YEAR - 1)
    # Its distributions per unit (in its currency) exceed the base yield, start price ×
    # Basiszins × 0.7: nothing is left for a Vorabpauschale, so no item, and no notice
    # asks for the fund year either.
    base_yield = fund_year.start_price * facts.basiszins * Decimal("0.7")
    assert paid["total"] / fund_year.units > base_yield
    assert not [r for r in report.capital_rows if r.item.income.kind is IncomeKind.VORABPAUSCHALE]
    assert not [n for n in report.notices if n.code.startswith("fund_year")]


def test_the_flats_rent_and_costs_are_its_records_of_the_year(
    demo_report: tuple[User, TaxYearReport],
) -> None:
    _user, report = demo_report
    (prop,) = report.properties
    flat = prop.source
    rents = list(Payment.objects.filter(source=flat, date__year=YEAR))
    assert prop.result.rent == _in_eur(rents)
    assert sorted(prop.rent_payment_ids) == sorted(p.pk for p in rents)
    costs = Cost.objects.filter(source=flat, date__year=YEAR)
    fees = _in_eur(rents, "fees")
    assert prop.result.costs_total == (costs.aggregate(total=Sum("amount"))["total"] or ZERO) + fees
    recorded = {pk for ids in prop.cost_ids.values() for pk in ids}
    assert recorded == set(costs.values_list("pk", flat=True))
    assert prop.result.depreciation > ZERO
    assert prop.missing == ()


def test_business_income_is_each_sources_payments_and_costs(
    demo_report: tuple[User, TaxYearReport],
) -> None:
    user, report = demo_report
    business = IncomeSource.objects.filter(
        owner=user, category__tax_treatment=TaxTreatment.BUSINESS
    )
    assert {line.source.pk for line in report.business.sources} == set(
        business.values_list("pk", flat=True)
    )
    for line in report.business.sources:
        payments = list(Payment.objects.filter(source=line.source, date__year=YEAR))
        assert line.income == _in_eur(payments)
        assert line.fees == _in_eur(payments, "fees")
        costs = Cost.objects.filter(source=line.source, date__year=YEAR)
        assert line.recorded_costs == (costs.aggregate(total=Sum("amount"))["total"] or ZERO)
    assert report.business.total.income == sum(
        (line.income for line in report.business.sources), ZERO
    )
    salary_like = Payment.objects.filter(
        source__owner=user, source__category__tax_treatment=TaxTreatment.EMPLOYMENT
    )
    assert not salary_like.filter(
        pk__in=[pk for line in report.business.sources for pk in line.payment_ids]
    ).exists()


def test_the_files_carry_the_pages_figures(demo_report: tuple[User, TaxYearReport]) -> None:
    _user, report = demo_report
    figures = {(f.section, f.key): f.amount for f in report_figures(report)}
    assert figures[("capital", "tax_due")] == report.capital.due.total
    assert figures[("capital", "difference")] == report.capital.difference
    assert figures[("business", "profit")] == report.business.total.profit
    (prop,) = report.properties
    assert figures[(f"property:{prop.source.pk}", "result")] == prop.result.result
