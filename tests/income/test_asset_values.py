"""Recorded asset values, and the return figures of a source by its kind (issue #17.6):

capital and rental sources show income yield and total return with their asset's latest
value, and an income payback; active sources have no ROI and no payback; the others keep
their cash ROI, full ROI and payback."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import figures
from finance.errors import DomainError
from income import report_inputs, reporting, services, source_figures
from income.models import AssetValue, ExchangeRate, IncomeSource, Profile
from tests.factories import PaymentFactory, SourceFactory, category

D = Decimal
AS_OF = date(2025, 12, 31)


def by_name(owner: User, name: str, as_of: date = AS_OF) -> source_figures.SourceFigures:
    view = reporting.overview(owner=owner, as_of=as_of)
    return next(f for f in view.sources if f.source.name == name)


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    """60,000 upfront on 2025-01-01, no costs; four quarterly dividends of 700 net."""
    source = SourceFactory.create(
        owner=alice, name="World ETF", category=category("etf-dividends"),
        start_date=date(2025, 1, 1), upfront_investment=D("60000"),
        invested_capital=D("60000"),
    )  # fmt: skip
    for month in (3, 6, 9, 12):
        PaymentFactory.create(source=source, date=date(2025, month, 25), gross=D("700.00"))
    return source


# ----------------------------------------------------------------------------- services


def test_a_value_is_recorded_for_a_capital_source_and_marks_the_data_changed(
    alice: User, etf: IncomeSource
) -> None:
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    value = services.asset_value_create(
        owner=alice, source=etf, date=date(2025, 12, 31), value=D("63000.00"), note="Depot"
    )
    assert (value.source, value.date, value.value, value.note) == (
        etf, date(2025, 12, 31), D("63000.00"), "Depot"
    )  # fmt: skip
    assert Profile.objects.get(user=alice).data_changed_at is not None


def test_a_second_value_on_the_same_day_is_refused(alice: User, etf: IncomeSource) -> None:
    services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D("63000.00"))
    with pytest.raises(DomainError) as refused:
        services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D("1.00"))
    assert list(refused.value.field_errors) == ["date"]
    assert AssetValue.objects.count() == 1


@pytest.mark.parametrize("slug", ["licences", "membership", "freelance"])
def test_only_capital_and_rental_sources_take_a_value(alice: User, slug: str) -> None:
    source = SourceFactory.create(owner=alice, category=category(slug))
    with pytest.raises(DomainError) as refused:
        services.asset_value_create(owner=alice, source=source, date=AS_OF, value=D("1.00"))
    assert list(refused.value.field_errors) == ["source"]
    assert not AssetValue.objects.exists()


def test_another_users_source_takes_no_value(bob: User, etf: IncomeSource) -> None:
    with pytest.raises(DomainError):
        services.asset_value_create(owner=bob, source=etf, date=AS_OF, value=D("1.00"))
    assert not AssetValue.objects.exists()


def test_a_negative_value_is_refused(alice: User, etf: IncomeSource) -> None:
    with pytest.raises(ValidationError) as refused:
        services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D("-1.00"))
    assert "value" in refused.value.message_dict
    assert not AssetValue.objects.exists()


def test_a_value_is_changed_and_deleted(alice: User, etf: IncomeSource) -> None:
    value = services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D("1.00"))
    services.asset_value_update(owner=alice, asset_value=value, value=D("2.00"), note="x")
    value.refresh_from_db()
    assert (value.value, value.note) == (D("2.00"), "x")
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    services.asset_value_delete(asset_value=value)
    assert not AssetValue.objects.exists()
    assert Profile.objects.get(user=alice).data_changed_at is not None


def test_unknown_fields_are_a_programming_error(alice: User, etf: IncomeSource) -> None:
    with pytest.raises(TypeError):
        services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D(1), owner_id=1)


def test_deleting_the_source_deletes_its_values(alice: User, etf: IncomeSource) -> None:
    services.asset_value_create(owner=alice, source=etf, date=AS_OF, value=D("1.00"))
    services.source_delete(source=etf)
    assert not AssetValue.objects.exists()


# ----------------------------------------------------------------------------- figures


def test_a_capital_source_shows_its_total_return_and_income_yield(
    alice: User, etf: IncomeSource
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=date(2025, 1, 1), value=D(60000))
    services.asset_value_create(owner=alice, source=etf, date=date(2025, 12, 1), value=D(63000))
    etf_figures = by_name(alice, "World ETF")
    assert etf_figures.return_basis == source_figures.ReturnBasis.ASSET
    # 4 × 700 = 2,800 income; latest value 63,000 (of 2025-12-01); 60,000 put in:
    # 2,800 + 63,000 − 60,000 = 5,800; 5,800 / 60,000 = 0.0967
    assert etf_figures.net_to_date == D("2800.00")
    assert (etf_figures.asset_value, etf_figures.asset_value_date) == (
        D("63000"), date(2025, 12, 1)
    )  # fmt: skip
    assert etf_figures.money_put_in == D("60000")
    assert (etf_figures.total_return, etf_figures.total_return_ratio) == (
        D("5800.00"), D("0.0967")
    )  # fmt: skip
    # 2,800 in the last twelve months / 63,000 = 0.04444… → 4.44 %, on the value
    assert etf_figures.income_yield == D("0.0444")
    assert etf_figures.income_yield_base == source_figures.YieldBase.VALUE
    # no cash ROI (it was (2,800 − 60,000) / 60,000 = −95.33 %)
    assert (etf_figures.cash_roi, etf_figures.full_roi) == (None, None)
    # the income payback: 2,800 of 60,000 in a year; October to December brought 700, so
    # ⌈3 × 57,200 / 700⌉ = 246 months after December 2025: June 2046
    assert etf_figures.payback == figures.Payback(month=date(2046, 6, 1), projected=True)


def test_a_value_after_the_day_of_the_figures_does_not_count_yet(
    alice: User, etf: IncomeSource
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=date(2025, 6, 30), value=D(61000))
    services.asset_value_create(owner=alice, source=etf, date=date(2026, 1, 5), value=D(99999))
    # as of 2025-12-31 the June value counts: 2,800 + 61,000 − 60,000 = 3,800
    assert by_name(alice, "World ETF").total_return == D("3800.00")
    # as of 2025-06-30 only two dividends: 1,400 + 61,000 − 60,000 = 2,400
    assert by_name(alice, "World ETF", as_of=date(2025, 6, 30)).total_return == D("2400.00")


def test_without_a_value_there_is_no_total_return_and_the_yield_is_on_the_upfront_money(
    alice: User, etf: IncomeSource
) -> None:
    etf_figures = by_name(alice, "World ETF")
    assert (etf_figures.asset_value, etf_figures.total_return) == (None, None)
    # 2,800 / 60,000 upfront = 0.046666… → 4.67 %
    assert etf_figures.income_yield == D("0.0467")
    assert etf_figures.income_yield_base == source_figures.YieldBase.UPFRONT


def test_a_value_in_a_foreign_currency_is_converted_at_the_rate_of_its_date(
    alice: User,
) -> None:
    ExchangeRate.objects.create(date=date(2025, 1, 1), currency="USD", rate=D("1.0000"))
    ExchangeRate.objects.create(date=date(2025, 6, 30), currency="USD", rate=D("1.2000"))
    ExchangeRate.objects.create(date=date(2025, 12, 31), currency="USD", rate=D("1.5000"))
    source = SourceFactory.create(
        owner=alice, name="US depot", currency="USD", start_date=date(2025, 1, 1),
        upfront_investment=D("12000"),
    )  # fmt: skip
    services.asset_value_create(owner=alice, source=source, date=date(2025, 6, 30), value=D(13200))
    depot = by_name(alice, "US depot")
    # 13,200 USD at 1.20 on its day = 11,000 EUR (not 8,800 at December's 1.50);
    # 12,000 USD upfront at 1.00 on the start day = 12,000 EUR: 0 + 11,000 − 12,000
    assert depot.asset_value == D("11000.00")
    assert depot.total_return == D("-1000.00")
    assert depot.total_return_ratio == D("-0.0833")  # −1,000 / 12,000


def test_a_value_without_an_exchange_rate_counts_as_not_recorded(alice: User) -> None:
    source = SourceFactory.create(
        owner=alice, name="Swiss flat", category=category("rent"), currency="CHF",
        start_date=date(2025, 1, 1),
    )  # fmt: skip
    services.asset_value_create(owner=alice, source=source, date=AS_OF, value=D("1000.00"))
    view = reporting.overview(owner=alice, as_of=AS_OF)
    (flat,) = view.sources
    assert (flat.asset_value, flat.total_return) == (None, None)
    assert "CHF" in view.missing_rates


def test_a_rental_source_counts_its_costs_as_money_put_in(alice: User) -> None:
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), start_date=date(2025, 1, 1),
        upfront_investment=D("36000"), monthly_costs=D("180"),
    )  # fmt: skip
    for month in range(1, 13):
        PaymentFactory.create(source=flat, date=date(2025, month, 3), gross=D("750.00"))
    services.asset_value_create(owner=alice, source=flat, date=AS_OF, value=D("41300.00"))
    rent = by_name(alice, "Flat")
    # put in: 36,000 + 12 × 180 = 38,160; income 12 × 750 = 9,000;
    # 9,000 + 41,300 − 38,160 = 12,140; 12,140 / 38,160 = 0.318134… → 31.81 %
    assert rent.money_put_in == D("38160")
    assert (rent.total_return, rent.total_return_ratio) == (D("12140.00"), D("0.3181"))
    # 9,000 / 41,300 = 0.217917… → 21.79 %
    assert rent.income_yield == D("0.2179")
    assert rent.cash_roi is None  # was (9,000 − 2,160 − 36,000) / 38,160 = −76.42 %


def test_an_active_source_has_no_roi_and_no_payback(alice: User) -> None:
    freelance = SourceFactory.create(
        owner=alice, name="Freelance", category=category("freelance"),
        start_date=date(2025, 1, 1), upfront_investment=D("500"), monthly_costs=D("20"),
        setup_hours=D("10"),
    )  # fmt: skip
    PaymentFactory.create(source=freelance, date=date(2025, 3, 1), gross=D("4000.00"))
    work = by_name(alice, "Freelance")
    assert work.return_basis == source_figures.ReturnBasis.NONE
    assert (work.cash_roi, work.full_roi, work.payback, work.full_payback) == (
        None, None, None, None
    )  # fmt: skip
    assert (work.money_put_in, work.total_return, work.income_yield) == (None, None, None)
    # its effective hourly rate stays: (4,000 − 12 × 20) / 10 hours = 376.00
    assert work.effective_hourly_rate == D("376.00")


def test_a_flat_passive_source_keeps_its_cash_roi_and_payback(alice: User) -> None:
    ebook = SourceFactory.create(
        owner=alice, name="E-book", category=category("licences"),
        start_date=date(2025, 1, 1), upfront_investment=D("600"),
    )  # fmt: skip
    PaymentFactory.create(source=ebook, date=date(2025, 2, 15), gross=D("900.00"))
    book = by_name(alice, "E-book")
    assert book.return_basis == source_figures.ReturnBasis.CASH
    # (900 − 0 − 600) / 600 = 0.5
    assert book.cash_roi == D("0.5000")
    assert book.payback == figures.Payback(month=date(2025, 2, 1), projected=False)
    assert (book.total_return, book.income_yield) == (None, None)
    assert book.money_put_in == D("600")


def test_the_values_cost_the_same_queries_for_one_source_as_for_many(alice: User) -> None:
    counts = []
    for n in range(4):
        source = SourceFactory.create(owner=alice, name=f"ETF {n}", start_date=date(2025, 1, 1))
        services.asset_value_create(owner=alice, source=source, date=AS_OF, value=D(n + 1))
        services.asset_value_create(owner=alice, source=source, date=date(2025, 1, 1), value=D(1))
        if n in (0, 3):
            with CaptureQueriesContext(connection) as queries:
                inputs = report_inputs.report_inputs(owner=alice, as_of=AS_OF)
            counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(inputs.asset_values) == 4
    assert {len(rows) for rows in inputs.asset_values.values()} == {2}
