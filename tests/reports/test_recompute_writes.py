"""What a recompute writes: only the months whose figures changed, and the same rows as a
recompute from scratch; the trailing twelve months as a running sum equal to ``figures.ttm``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from finance import figures
from finance.schedule import add_months
from income import services
from income.models import ExchangeRate, Payment
from reports import services as services_module
from reports import snapshots
from reports.models import ReportSnapshot
from reports.services import report_recompute
from reports.snapshots import _ttm_by_month
from tests.factories import PaymentFactory, SourceFactory, category

TODAY = date(2025, 6, 18)
COLUMNS = [
    "month", "currency", "passive_gross", "passive_net", "active_net", "passive_gross_ttm",
    "passive_net_ttm", "total_net_ttm", "passive_share", "expense_coverage",
    "monthly_expenses", "by_category", "independence_month",
]  # fmt: skip
# ``sources`` is left out: a past month's per-source figures are written when the month
# is first stored and kept (a closed month keeps those it was closed with), as before.
# So is ``fingerprint``: a past month that did not change keeps the one it was written
# with (the current month's is compared with a recompute from scratch below).


@pytest.fixture
def alice_with_income(alice: User) -> User:
    services.profile_update(user=alice, monthly_expenses=Decimal("2000.00"))
    dividends = SourceFactory.create(owner=alice, name="ETF", start_date=date(2023, 11, 1))
    salary = SourceFactory.create(
        owner=alice, name="Job", category=category("salary"), start_date=date(2023, 1, 1)
    )
    for n in range(20):
        month = add_months(date(2023, 11, 1), n)
        PaymentFactory.create(source=dividends, date=month.replace(day=10), gross=Decimal("100.15"))
        PaymentFactory.create(source=salary, date=month.replace(day=8), gross=Decimal("3000.00"))
    return alice


def _rows(owner: User) -> list[tuple[Any, ...]]:
    return list(ReportSnapshot.objects.filter(owner=owner).order_by("month").values_list(*COLUMNS))


def _current_fingerprint(owner: User) -> str:
    return ReportSnapshot.objects.get(owner=owner, month=date(2025, 6, 1)).fingerprint


def _upserts(queries: CaptureQueriesContext) -> int:
    return sum("ON CONFLICT" in query["sql"].upper() for query in queries.captured_queries)


def test_a_recompute_without_changes_rewrites_only_the_current_month(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        report_recompute(owner=alice_with_income, today=TODAY, force=True)
    assert _upserts(queries) == 1
    assert not any(query["sql"].upper().startswith("UPDATE") for query in queries.captured_queries)
    rows = ReportSnapshot.objects.filter(owner=alice_with_income).order_by("month")
    past, current = list(rows)[:-1], rows.last()
    assert current is not None
    assert {row.computed_at for row in past} == {past[0].computed_at}
    assert current.computed_at > past[0].computed_at  # the current month says when


def test_a_late_payment_rewrites_only_the_twelve_months_it_moves(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    before = {row.month: row for row in ReportSnapshot.objects.filter(owner=alice_with_income)}
    dividends = alice_with_income.income_sources.get(name="ETF")
    PaymentFactory.create(source=dividends, date=date(2024, 3, 20), gross=Decimal("5.00"))
    report_recompute(owner=alice_with_income, today=TODAY)
    after = {row.month: row for row in ReportSnapshot.objects.filter(owner=alice_with_income)}
    rewritten = sorted(m for m in after if after[m].computed_at != before[m].computed_at)
    # March 2024 to February 2025 carry the payment in their trailing twelve months; the
    # current month is always written.
    assert rewritten == [add_months(date(2024, 3, 1), n) for n in range(12)] + [date(2025, 6, 1)]
    assert after[date(2024, 2, 1)].fingerprint == before[date(2024, 2, 1)].fingerprint
    assert after[date(2024, 3, 1)].passive_net == before[date(2024, 3, 1)].passive_net + 5


def test_a_changed_payment_leaves_the_same_rows_as_a_recompute_from_scratch(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    payment = alice_with_income.income_sources.get(name="ETF").payments.get(date=date(2024, 9, 10))
    services.payment_update(owner=alice_with_income, payment=payment, gross=Decimal("250.25"))
    report_recompute(owner=alice_with_income, today=TODAY)
    changed, fingerprint = _rows(alice_with_income), _current_fingerprint(alice_with_income)
    ReportSnapshot.objects.filter(owner=alice_with_income).delete()
    report_recompute(owner=alice_with_income, today=TODAY)
    assert _rows(alice_with_income) == changed
    assert _current_fingerprint(alice_with_income) == fingerprint
    september = ReportSnapshot.objects.get(month=date(2024, 9, 1))
    assert september.passive_net == Decimal("250.25")


def test_a_changed_expense_rewrites_every_month_and_its_coverage(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    services.profile_update(user=alice_with_income, monthly_expenses=Decimal("1000.00"))
    report_recompute(owner=alice_with_income, today=TODAY)
    changed = _rows(alice_with_income)
    ReportSnapshot.objects.filter(owner=alice_with_income).delete()
    report_recompute(owner=alice_with_income, today=TODAY)
    assert _rows(alice_with_income) == changed
    assert {row[COLUMNS.index("monthly_expenses")] for row in changed} == {Decimal("1000.00")}


cents = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False)


@given(
    amounts=st.dictionaries(st.integers(min_value=0, max_value=40), cents, max_size=30),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=1, max_value=30),
)
def test_the_running_twelve_months_equal_figures_ttm(
    amounts: dict[int, Decimal], start: int, length: int
) -> None:
    origin = date(2020, 1, 1)
    series = {add_months(origin, n): amount for n, amount in amounts.items()}
    months = [add_months(origin, start + n) for n in range(length)]
    running = _ttm_by_month(series, months)
    for month in months:
        assert running[month] == figures.ttm(series, as_of=month + timedelta(days=3))


def test_a_deleted_past_month_is_written_again_by_the_next_recompute(
    alice_with_income: User,
) -> None:
    """The months before the current one are skipped only while every one is stored."""
    report_recompute(owner=alice_with_income, today=TODAY)
    complete = _rows(alice_with_income)
    ReportSnapshot.objects.filter(owner=alice_with_income, month=date(2024, 5, 1)).delete()
    PaymentFactory.create(
        source=alice_with_income.income_sources.get(name="ETF"), date=date(2025, 6, 3)
    )
    outcome = report_recompute(owner=alice_with_income, today=TODAY)
    assert outcome.months_written == 2  # May 2024 and the current month
    rows = _rows(alice_with_income)
    assert [row for row in rows if row[0] < date(2025, 6, 1)] == complete[:-1]


def test_a_forced_recompute_compares_every_month_and_mends_one_that_differs(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    complete = _rows(alice_with_income)
    ReportSnapshot.objects.filter(owner=alice_with_income, month=date(2024, 5, 1)).update(
        passive_net=Decimal("1.00")
    )
    assert report_recompute(owner=alice_with_income, today=TODAY).skipped
    assert report_recompute(owner=alice_with_income, today=TODAY, force=True).months_written == 2
    assert _rows(alice_with_income) == complete


def test_the_months_before_the_current_one_are_not_computed_while_their_inputs_stand(
    alice_with_income: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    computed = _months_computed(monkeypatch)
    source = alice_with_income.income_sources.get(name="ETF")
    PaymentFactory.create(source=source, date=date(2025, 6, 3), gross=Decimal("9.00"))
    report_recompute(owner=alice_with_income, today=TODAY)
    assert computed == [date(2025, 6, 1)]
    services.profile_update(user=alice_with_income, monthly_expenses=Decimal("1500.00"))
    computed.clear()
    report_recompute(owner=alice_with_income, today=TODAY)
    assert len(computed) == len(_rows(alice_with_income))  # the coverage of every month moved


@pytest.fixture
def alice_in_dollars(alice_with_income: User) -> User:
    """Alice's ETF pays in dollars, converted at the ECB's rate of each payment's day."""
    day = date(2023, 10, 2)
    while day <= TODAY:
        ExchangeRate.objects.create(currency="USD", date=day, rate=Decimal("1.1000"))
        day += timedelta(days=7)
    alice_with_income.income_sources.filter(name="ETF").update(currency="USD")
    Payment.objects.filter(source__owner=alice_with_income, source__name="ETF").update(
        currency="USD"
    )
    return alice_with_income


def test_a_new_rate_of_this_month_leaves_the_months_before_uncomputed(
    alice_in_dollars: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_recompute(owner=alice_in_dollars, today=TODAY)
    assert ReportSnapshot.objects.get(owner=alice_in_dollars, month=date(2024, 5, 1)).passive_net
    computed = _months_computed(monkeypatch)
    ExchangeRate.objects.create(currency="USD", date=TODAY, rate=Decimal("1.2000"))
    report_recompute(owner=alice_in_dollars, today=TODAY)
    assert computed == [date(2025, 6, 1)]


def test_a_corrected_rate_of_a_past_month_recomputes_the_months_it_converts(
    alice_in_dollars: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_recompute(owner=alice_in_dollars, today=TODAY)
    may = ReportSnapshot.objects.get(owner=alice_in_dollars, month=date(2024, 5, 1))
    computed = _months_computed(monkeypatch)
    ExchangeRate.objects.filter(currency="USD", date__gte=date(2024, 5, 1)).filter(
        date__lt=date(2024, 6, 1)
    ).update(rate=Decimal("1.0000"))
    report_recompute(owner=alice_in_dollars, today=TODAY)
    assert len(computed) == len(_rows(alice_in_dollars))
    may.refresh_from_db()
    assert may.passive_net == Decimal("100.15")  # 100.15 dollars at 1.0000
    changed = _rows(alice_in_dollars)
    ReportSnapshot.objects.filter(owner=alice_in_dollars).delete()
    report_recompute(owner=alice_in_dollars, today=TODAY)
    assert _rows(alice_in_dollars) == changed


def _months_computed(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The months each later recompute computes, in order (the current one last)."""
    computed: list[date] = []
    original = snapshots.month_figures

    def month_figures(view: Any, **kwargs: Any) -> list[snapshots.MonthFigures]:
        rows = original(view, **kwargs)
        computed.extend(row.month for row in rows)
        return rows

    monkeypatch.setattr(services_module, "month_figures", month_figures)
    return computed
