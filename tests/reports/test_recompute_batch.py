"""The sweep's batch: several users recomputed in one pass write what each alone would,
in the same number of queries for two users as for six; the independence month is
projected again only when its question changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from finance.schedule import add_months
from income import services
from reports.jobs import recompute_owners
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from reports.services import report_recompute, report_recompute_many
from reports.tasks import report_recompute_all
from tests.factories import PaymentFactory, SourceFactory, UserFactory, category

TODAY = date(2025, 6, 18)
COLUMNS = [
    "owner_id", "month", "currency", "passive_gross", "passive_net", "active_net",
    "passive_gross_ttm", "passive_net_ttm", "total_net_ttm", "passive_share",
    "expense_coverage", "monthly_expenses", "by_category", "sources", "concentration",
    "missing_rates", "independence_month", "independence_key", "fingerprint",
]  # fmt: skip


def _user_with_income(number: int) -> User:
    """A user with a subscription (so an independence month), dividends and a salary;
    the amounts differ per user, so a mix-up between users shows."""
    user = UserFactory.create(username=f"user{number}")
    services.profile_update(user=user, monthly_expenses=Decimal(900 + number))
    shop = SourceFactory.create(
        owner=user,
        name="Shop",
        category=category("saas"),
        start_date=date(2024, 3, 1),
        price_per_subscriber=Decimal("10.00"),
        current_subscribers=20 + number,
        new_subscribers_per_month=5,
        monthly_churn_rate=Decimal("0.02"),
    )
    dividends = SourceFactory.create(owner=user, name="ETF", start_date=date(2024, 1, 1))
    salary = SourceFactory.create(
        owner=user, name="Job", category=category("salary"), start_date=date(2024, 1, 1)
    )
    for n in range(17):
        month = add_months(date(2024, 1, 1), n)
        PaymentFactory.create(source=dividends, date=month.replace(day=9), gross=Decimal(number))
        PaymentFactory.create(source=salary, date=month.replace(day=3), gross=Decimal("2500.00"))
        if n >= 2:
            PaymentFactory.create(
                source=shop, date=month.replace(day=20), gross=Decimal("199.90") + number
            )
    return user


def _rows(users: list[User]) -> list[tuple[Any, ...]]:
    return list(
        ReportSnapshot.objects.filter(owner__in=users)
        .order_by("owner_id", "month")
        .values_list(*COLUMNS)
    )


@pytest.mark.django_db
def test_a_batch_writes_what_each_user_alone_would_write() -> None:
    users = [_user_with_income(n) for n in range(1, 4)]
    batch = report_recompute_many(owners=users, today=TODAY)
    assert batch.errors == {}
    assert {o.months_written for o in batch.outcomes.values()} == {18}
    together = _rows(users)
    ReportSnapshot.objects.all().delete()
    for user in users:
        report_recompute(owner=user, today=TODAY)
    alone = _rows(users)
    assert together == alone
    assert len(together) == 3 * 18
    assert all(row[COLUMNS.index("independence_month")] is not None for row in together[17::18])


@pytest.mark.django_db
def test_a_batch_of_four_users_costs_the_queries_of_a_batch_of_two() -> None:
    """As the nightly sweep finds them: users with reports and a new payment each (on
    SQLite, a first recompute's many new months are split into inserts of 999 values)."""
    users = [_user_with_income(n) for n in range(1, 7)]
    report_recompute_many(owners=users, today=TODAY)
    for user in users:
        PaymentFactory.create(source=user.income_sources.get(name="ETF"), date=date(2025, 6, 5))
    counts = []
    for group in (users[:2], users[2:]):
        with CaptureQueriesContext(connection) as queries:
            recompute_owners(owner_ids=[u.pk for u in group], reason=JobReason.SWEEP, today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # A payment of the current month changes that month only: the only one written.
    assert RecomputeJob.objects.filter(status=JobStatus.DONE, months_written=1).count() == 6


@pytest.mark.django_db
def test_the_independence_month_is_reused_while_its_question_is_unchanged() -> None:
    user = _user_with_income(1)
    report_recompute(owner=user, today=TODAY)
    current = ReportSnapshot.objects.get(owner=user, month=date(2025, 6, 1))
    projected, key = current.independence_month, current.independence_key
    assert projected is not None
    assert len(key) == 64
    # A marker under the same key: if it survives, the stored answer was reused.
    marker = date(2099, 1, 1)
    ReportSnapshot.objects.filter(pk=current.pk).update(independence_month=marker)

    source = user.income_sources.get(name="ETF")
    PaymentFactory.create(source=source, date=date(2025, 6, 2), gross=Decimal("7.00"))
    report_recompute(owner=user, today=TODAY)
    current.refresh_from_db()
    assert (current.independence_month, current.independence_key) == (marker, key)
    assert current.passive_net_ttm > Decimal(0)

    services.profile_update(user=user, monthly_expenses=Decimal("950.00"))
    report_recompute(owner=user, today=TODAY)
    current.refresh_from_db()
    assert current.independence_key != key
    assert current.independence_month is not None
    assert current.independence_month != marker


@pytest.mark.django_db
def test_a_user_deleted_before_their_chunk_ran_is_left_out() -> None:
    user = _user_with_income(1)
    gone = UserFactory.create(username="gone")
    gone_id = gone.pk
    gone.delete()
    jobs = recompute_owners(owner_ids=[gone_id, user.pk], reason=JobReason.SWEEP, today=TODAY)
    assert [(job.owner_id, job.status, job.months_written) for job in jobs] == [
        (user.pk, JobStatus.DONE, 18)
    ]
    stored = RecomputeJob.objects.get()
    assert (stored.owner_id, stored.status, stored.months_written, stored.skipped) == (
        user.pk, JobStatus.DONE, 18, False,
    )  # fmt: skip
    assert ReportSnapshot.objects.filter(owner=user).count() == 18


@pytest.mark.django_db
@override_settings(REPORTS_FANOUT_CHUNK=2)
def test_the_fan_out_sends_chunks_that_each_recompute_their_users() -> None:
    users = [_user_with_income(n) for n in range(1, 6)]
    sent = report_recompute_all.apply(
        kwargs={"reason": JobReason.ADMIN.value, "owner_ids": [u.pk for u in users]}
    ).get()
    assert sent == 5
    done = RecomputeJob.objects.filter(reason=JobReason.ADMIN, status=JobStatus.DONE)
    assert sorted(done.values_list("owner_id", flat=True)) == [u.pk for u in users]
    assert ReportSnapshot.objects.filter(owner__in=users).values("owner").distinct().count() == 5


@pytest.mark.django_db
def test_the_latest_snapshot_is_the_owners_newest_month_and_none_without_one() -> None:
    from reports.selectors import snapshot_latest

    user, other = _user_with_income(1), _user_with_income(2)
    assert snapshot_latest(owner=user) is None
    report_recompute(owner=user, today=TODAY)
    latest = snapshot_latest(owner=user)
    assert latest is not None
    assert (latest.owner_id, latest.month) == (user.pk, date(2025, 6, 1))
    assert latest.sources == ReportSnapshot.objects.get(pk=latest.pk).sources  # JSON as stored
    assert snapshot_latest(owner=other) is None  # another user's months are not theirs
