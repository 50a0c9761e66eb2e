"""The stored history a recompute starts from (``ReportHistory``): the payments before the
trailing twelve months as monthly sums, used while the database's fingerprint of those
payments, the rates and the currency are unchanged, and never at the cost of a figure.

The history is kept on PostgreSQL, which makes the fingerprint; on SQLite every recompute
loads every payment, and the tests that need the history say so and skip.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from finance.schedule import add_months
from income import services
from income.models import ExchangeRate, IncomeSource, Payment
from income.report_inputs import EarlierMonths
from reports.models import ReportHistory, ReportSnapshot
from reports.selectors import payment_digests_before
from reports.services import DETAIL_FIELDS, report_recompute
from reports.snapshots import earlier_from_json, earlier_json
from tests.factories import PaymentFactory, SourceFactory, category

TODAY = date(2025, 6, 18)
UNTIL = date(2024, 7, 1)  # the trailing twelve months of June 2025 start here
EVERY_COLUMN = [
    field.attname
    for field in ReportSnapshot._meta.concrete_fields
    if field.attname not in {"id", "computed_at"}
]


def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the history is kept on PostgreSQL only (the second pass of .ci/run)")


@pytest.fixture
def alice_with_income(alice: User) -> User:
    services.profile_update(user=alice, monthly_expenses=Decimal("2000.00"))
    dividends = SourceFactory.create(
        owner=alice,
        name="ETF",
        start_date=date(2022, 1, 1),
        upfront_investment=Decimal("2500.00"),
    )
    rent = SourceFactory.create(
        owner=alice,
        name="Flat",
        category=category("rent"),
        start_date=date(2022, 1, 1),
        monthly_costs=Decimal("40.00"),
    )
    salary = SourceFactory.create(
        owner=alice, name="Job", category=category("salary"), start_date=date(2022, 1, 1)
    )
    for n in range(42):
        month = add_months(date(2022, 1, 1), n)
        PaymentFactory.create(source=dividends, date=month.replace(day=10), gross=Decimal("95.15"))
        PaymentFactory.create(
            source=rent, date=month.replace(day=3), gross=Decimal("700.00"), fees=Decimal("12.50")
        )
        PaymentFactory.create(source=salary, date=month.replace(day=8), gross=Decimal("3000.00"))
    return alice


def _everything(owner: User) -> list[tuple[Any, ...]]:
    """Every stored column of every month but the time of writing. Of a past month not
    what it keeps from earlier writings: its point-in-time figures (from when it was the
    current month) and the fingerprint and history key of its last change
    (``reports.services._months_write``)."""
    rows = ReportSnapshot.objects.filter(owner=owner).order_by("month")
    *past, current = rows.values_list(*EVERY_COLUMN)
    kept = {EVERY_COLUMN.index(name) for name in (*DETAIL_FIELDS, "fingerprint", "history_key")}
    return [
        *(tuple(value for n, value in enumerate(row) if n not in kept) for row in past),
        current,
    ]


def _from_scratch(owner: User) -> list[tuple[Any, ...]]:
    """What a recompute that loads every payment writes, with nothing stored before."""
    stored = _everything(owner)
    ReportSnapshot.objects.filter(owner=owner).delete()
    ReportHistory.objects.filter(owner=owner).delete()
    report_recompute(owner=owner, today=TODAY)
    scratch = _everything(owner)
    assert stored, "nothing was stored before"
    return scratch


def _etf(owner: User) -> IncomeSource:
    return IncomeSource.objects.get(owner=owner, name="ETF")


def _pay_today(owner: User) -> None:
    PaymentFactory.create(source=_etf(owner), date=TODAY, gross=Decimal("12.34"))


def test_a_recompute_keeps_the_history_before_the_trailing_twelve_months(
    alice_with_income: User,
) -> None:
    _needs_postgres()
    report_recompute(owner=alice_with_income, today=TODAY)
    history = ReportHistory.objects.get(owner=alice_with_income)
    assert history.until == UNTIL
    sums = earlier_from_json(history.months, until=UNTIL)
    etf = _etf(alice_with_income)
    assert len(sums.net[etf.pk]) == 30  # January 2022 to June 2024
    assert sums.net[etf.pk][date(2024, 6, 1)] == Decimal("95.15")
    flat = IncomeSource.objects.get(owner=alice_with_income, name="Flat")
    assert sums.net[flat.pk][date(2022, 1, 1)] == Decimal("687.50")  # 700.00 − 12.50 fees
    assert sums.gross[flat.pk][date(2022, 1, 1)] == Decimal("700.00")


def test_no_history_is_kept_on_sqlite(alice_with_income: User) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("on SQLite only")
    assert payment_digests_before(owner_ids=[alice_with_income.pk], before=UNTIL) is None
    report_recompute(owner=alice_with_income, today=TODAY)
    assert not ReportHistory.objects.exists()


def test_a_recompute_from_the_history_writes_what_a_recompute_from_scratch_writes(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    _pay_today(alice_with_income)
    report_recompute(owner=alice_with_income, today=TODAY)
    assert _everything(alice_with_income) == _from_scratch(alice_with_income)


def test_the_history_is_what_the_recompute_reads_of_the_months_before(
    alice_with_income: User,
) -> None:
    """Proof that a recompute starts from the stored sums, not from the old payments: a
    sum changed behind its back shows in the figures (which never happens otherwise)."""
    _needs_postgres()
    report_recompute(owner=alice_with_income, today=TODAY)
    history = ReportHistory.objects.get(owner=alice_with_income)
    sums = earlier_from_json(history.months, until=UNTIL)
    etf = _etf(alice_with_income).pk
    sums.net[etf][date(2022, 1, 1)] += Decimal("1000.00")
    history.months = earlier_json(sums)
    history.save()
    _pay_today(alice_with_income)
    report_recompute(owner=alice_with_income, today=TODAY)
    figures = ReportSnapshot.objects.get(owner=alice_with_income, month=date(2025, 6, 1)).sources
    etf_figures = next(row for row in figures if row["id"] == etf)
    # 42 × 95.15 + 12.34 + the 1,000.00 that only the stored sums hold
    assert etf_figures["net_to_date"] == "5008.64"


@pytest.mark.parametrize(
    "change",
    ["amount", "day", "another source", "deleted", "added"],
)
def test_a_change_before_the_trailing_twelve_months_is_never_hidden_by_the_history(
    alice_with_income: User, change: str
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    digest = payment_digests_before(owner_ids=[alice_with_income.pk], before=UNTIL)
    old = Payment.objects.filter(source__owner=alice_with_income, date__lt=UNTIL)
    payment = old.filter(source__name="ETF").order_by("date").first()
    assert payment is not None
    if change == "amount":
        Payment.objects.filter(pk=payment.pk).update(gross=Decimal("95.16"))
    elif change == "day":
        Payment.objects.filter(pk=payment.pk).update(date=payment.date + timedelta(days=31))
    elif change == "another source":
        flat = IncomeSource.objects.get(owner=alice_with_income, name="Flat")
        Payment.objects.filter(pk=payment.pk).update(source=flat)
    elif change == "deleted":
        Payment.objects.filter(pk=payment.pk).delete()
    else:
        PaymentFactory.create(source=payment.source, date=date(2023, 3, 30), gross=Decimal("5"))
    if digest is not None:
        assert payment_digests_before(owner_ids=[alice_with_income.pk], before=UNTIL) != digest
    report_recompute(owner=alice_with_income, today=TODAY)
    assert _everything(alice_with_income) == _from_scratch(alice_with_income)


def test_a_change_from_the_trailing_twelve_months_on_leaves_the_digest_as_it_is(
    alice_with_income: User,
) -> None:
    _needs_postgres()
    before = payment_digests_before(owner_ids=[alice_with_income.pk], before=UNTIL)
    Payment.objects.filter(source__owner=alice_with_income, date__gte=UNTIL).update(
        gross=Decimal("1000.00")
    )
    _pay_today(alice_with_income)
    assert payment_digests_before(owner_ids=[alice_with_income.pk], before=UNTIL) == before


def test_a_users_digest_is_made_of_their_payments_only(alice_with_income: User, bob: User) -> None:
    _needs_postgres()
    digests = payment_digests_before(owner_ids=[alice_with_income.pk, bob.pk], before=UNTIL)
    assert digests is not None
    assert digests[bob.pk] == "0:0"
    PaymentFactory.create(source=SourceFactory.create(owner=bob), date=date(2023, 1, 5))
    again = payment_digests_before(owner_ids=[alice_with_income.pk, bob.pk], before=UNTIL)
    assert again is not None
    assert again[alice_with_income.pk] == digests[alice_with_income.pk]
    assert again[bob.pk] != "0:0"


def test_a_corrected_rate_before_the_history_ends_recomputes_it(alice_with_income: User) -> None:
    day = date(2021, 12, 1)
    while day <= TODAY:
        ExchangeRate.objects.create(currency="USD", date=day, rate=Decimal("1.1000"))
        day += timedelta(days=7)
    _etf(alice_with_income).payments.update(currency="USD")
    report_recompute(owner=alice_with_income, today=TODAY)
    ExchangeRate.objects.filter(currency="USD", date__lt=date(2022, 2, 1)).update(
        rate=Decimal("1.0000")
    )
    _pay_today(alice_with_income)
    report_recompute(owner=alice_with_income, today=TODAY)
    january = ReportSnapshot.objects.get(owner=alice_with_income, month=date(2022, 1, 1))
    assert january.passive_net == Decimal("95.15") + Decimal("687.50")  # the dollars at 1.0000
    assert _everything(alice_with_income) == _from_scratch(alice_with_income)


def test_a_new_month_moves_the_history_on(alice_with_income: User) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    july = date(2025, 7, 2)
    PaymentFactory.create(source=_etf(alice_with_income), date=july, gross=Decimal("3.00"))
    report_recompute(owner=alice_with_income, today=july)
    if connection.vendor == "postgresql":
        assert ReportHistory.objects.get(owner=alice_with_income).until == date(2024, 8, 1)
    stored = _everything(alice_with_income)
    ReportSnapshot.objects.filter(owner=alice_with_income).delete()
    ReportHistory.objects.filter(owner=alice_with_income).delete()
    report_recompute(owner=alice_with_income, today=july)
    assert _everything(alice_with_income) == stored


def test_an_unreadable_history_is_logged_and_every_payment_loaded(
    alice_with_income: User, caplog: pytest.LogCaptureFixture
) -> None:
    _needs_postgres()
    report_recompute(owner=alice_with_income, today=TODAY)
    ReportHistory.objects.filter(owner=alice_with_income).update(months={"sources": "?"})
    _pay_today(alice_with_income)
    with caplog.at_level(logging.WARNING, logger="reports.services"):
        report_recompute(owner=alice_with_income, today=TODAY)
    assert "unreadable" in caplog.text
    assert earlier_from_json(  # written anew, readable
        ReportHistory.objects.get(owner=alice_with_income).months, until=UNTIL
    ).net
    assert _everything(alice_with_income) == _from_scratch(alice_with_income)


def test_the_stored_sums_read_back_exactly() -> None:
    sums = EarlierMonths(
        until=UNTIL,
        net={
            7: {date(2019, 12, 1): Decimal("0.10"), date(2024, 6, 1): Decimal("-3.00")},
            9: {date(2024, 1, 1): Decimal("0.00")},
        },
        gross={
            7: {date(2019, 12, 1): Decimal("1.10"), date(2024, 6, 1): Decimal("0.00")},
            9: {date(2024, 1, 1): Decimal("0.00")},
        },
        currencies=frozenset({"EUR", "USD"}),
        missing=frozenset({"USD"}),
    )
    again = earlier_from_json(earlier_json(sums), until=UNTIL)
    assert again == sums
    # The same amounts with the same exponents, and the months in the same order.
    assert [str(amount) for amount in again.net[7].values()] == ["0.10", "-3.00"]
    assert list(again.gross[7]) == [date(2019, 12, 1), date(2024, 6, 1)]
