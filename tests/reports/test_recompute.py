"""Recomputing a user's reports: the same figures as the live overview, once per month."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from finance.schedule import month_start, months_between
from imports import jobs as import_jobs
from imports import services as import_services
from income import reporting, services
from income.models import IncomeSource, Profile
from reports.jobs import recompute_job_create, recompute_on_change
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from reports.selectors import owners_changed_since_report
from reports.services import report_month_close, report_recompute
from tests.factories import PaymentFactory, SourceFactory, category

TODAY = date(2025, 6, 18)
BERLIN = ZoneInfo("Europe/Berlin")  # the project's TIME_ZONE


@pytest.fixture
def alice_with_income(alice: User) -> User:
    services.profile_update(user=alice, monthly_expenses=Decimal("2000.00"))
    dividends = SourceFactory.create(owner=alice, name="ETF", start_date=date(2024, 11, 1))
    salary = SourceFactory.create(
        owner=alice, name="Job", category=category("salary"), start_date=date(2024, 1, 1)
    )
    for month in range(1, 7):
        PaymentFactory.create(source=dividends, date=date(2025, month, 10), gross=Decimal("100.10"))
        PaymentFactory.create(source=salary, date=date(2025, month, 8), gross=Decimal("3000.00"))
    PaymentFactory.create(source=dividends, date=date(2024, 12, 1), gross=Decimal("55.55"))
    return alice


def test_every_month_from_the_first_payment_gets_one_snapshot(alice_with_income: User) -> None:
    outcome = report_recompute(owner=alice_with_income, today=TODAY)
    months = list(ReportSnapshot.objects.order_by("month").values_list("month", flat=True))
    assert months == [date(2024, 12, 1)] + [date(2025, m, 1) for m in range(1, 7)]
    assert outcome.months_written == 7


def test_the_current_month_equals_the_live_overview(alice_with_income: User) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    live = reporting.overview(owner=alice_with_income, as_of=TODAY)
    snapshot = ReportSnapshot.objects.get(month=date(2025, 6, 1))
    assert snapshot.passive_net_ttm == live.passive_net_ttm == Decimal("656.15")
    assert snapshot.total_net_ttm == live.total_net_ttm
    assert snapshot.passive_share == live.passive_share
    assert snapshot.expense_coverage == live.expense_coverage
    assert snapshot.passive_net == Decimal("100.10")
    assert snapshot.active_net == Decimal("3000.00")
    assert [s["name"] for s in snapshot.sources] == ["ETF", "Job"]
    assert snapshot.sources[0]["net_to_date"] == "656.15"
    assert snapshot.concentration["source"][0]["key"] == "ETF"


def test_past_months_hold_their_own_twelve_months(alice_with_income: User) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    january = ReportSnapshot.objects.get(month=date(2025, 1, 1))
    assert january.passive_net == Decimal("100.10")
    assert january.passive_net_ttm == Decimal("155.65")  # December's 55.55 + January
    assert january.by_category == {
        "etf-dividends": {
            "passive_net": "100.10",
            "label_en": "ETF dividends",
            "label_de": "ETF-Dividenden",
        }
    }
    assert {s["name"] for s in january.sources} == {"ETF", "Job"}


def test_running_it_twice_leaves_one_row_per_month(alice_with_income: User) -> None:
    report_recompute(owner=alice_with_income, today=TODAY, force=True)
    first = {s.month: (s.passive_net_ttm, s.total_net_ttm) for s in ReportSnapshot.objects.all()}
    report_recompute(owner=alice_with_income, today=TODAY, force=True)
    again = {s.month: (s.passive_net_ttm, s.total_net_ttm) for s in ReportSnapshot.objects.all()}
    assert ReportSnapshot.objects.count() == 7
    assert first == again


def test_an_unchanged_user_is_not_recomputed(alice_with_income: User) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    computed = ReportSnapshot.objects.get(month=date(2025, 6, 1)).computed_at
    assert report_recompute(owner=alice_with_income, today=TODAY).skipped
    assert ReportSnapshot.objects.get(month=date(2025, 6, 1)).computed_at == computed


def test_a_changed_payment_changes_the_fingerprint_and_the_figures(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    payment = alice_with_income.income_sources.get(name="ETF").payments.get(date=date(2025, 2, 10))
    services.payment_update(owner=alice_with_income, payment=payment, gross=Decimal("200.10"))
    outcome = report_recompute(owner=alice_with_income, today=TODAY)
    assert not outcome.skipped
    assert ReportSnapshot.objects.get(month=date(2025, 2, 1)).passive_net == Decimal("200.10")
    assert ReportSnapshot.objects.get(month=date(2025, 6, 1)).passive_net_ttm == Decimal("756.15")


def test_deleting_the_early_payments_zeroes_their_months_instead_of_leaving_them(
    alice_with_income: User,
) -> None:
    report_recompute(owner=alice_with_income, today=TODAY)
    early = alice_with_income.income_sources.get(name="ETF").payments.get(date=date(2024, 12, 1))
    services.payment_delete(payment=early)
    report_recompute(owner=alice_with_income, today=TODAY)
    assert ReportSnapshot.objects.get(month=date(2024, 12, 1)).passive_net == Decimal("0.00")


def test_a_closed_month_keeps_its_point_in_time_figures(alice_with_income: User) -> None:
    assert report_month_close(owner=alice_with_income, month=date(2025, 5, 1))
    may = ReportSnapshot.objects.get(month=date(2025, 5, 1))
    assert may.closed_at is not None
    assert may.sources[0]["net_to_date"] == "556.05"  # as of 31 May
    assert not report_month_close(owner=alice_with_income, month=date(2025, 5, 1))
    report_recompute(owner=alice_with_income, today=TODAY, force=True)
    may.refresh_from_db()
    assert may.sources[0]["net_to_date"] == "556.05"
    assert may.passive_net == Decimal("100.10")


def test_the_independence_month_is_stored_on_the_current_month(alice: User) -> None:
    services.profile_update(user=alice, monthly_expenses=Decimal("100.00"))
    SourceFactory.create(
        owner=alice,
        name="Shop",
        category=category("saas"),
        start_date=date(2025, 1, 1),
        price_per_subscriber=Decimal("10.00"),
        current_subscribers=5,
        new_subscribers_per_month=5,
        monthly_churn_rate=Decimal("0"),
    )
    report_recompute(owner=alice, today=TODAY)
    snapshot = ReportSnapshot.objects.get(month=date(2025, 6, 1))
    assert snapshot.independence_month is not None
    assert snapshot.independence_month >= date(2025, 6, 1)


def test_changes_in_one_transaction_queue_one_recompute(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits first
        source = SourceFactory.create(owner=alice)
    RecomputeJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for day in range(1, 21):
            PaymentFactory.create(source=source, date=date(2025, 3, day))
    assert RecomputeJob.objects.filter(owner=alice).count() == 1
    assert len(callbacks) >= 1
    job = RecomputeJob.objects.get(owner=alice)
    assert (job.reason, job.status) == (JobReason.CHANGE, JobStatus.DONE)  # eager worker


def _create_then_fail(source: IncomeSource) -> None:
    with transaction.atomic():
        PaymentFactory.create(source=source, date=date(2025, 3, 1))
        raise RuntimeError("rolled back")


def test_a_rolled_back_change_announces_nothing_and_a_later_one_still_does(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the set-up commits first
        source = SourceFactory.create(owner=alice)
    RecomputeJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            _create_then_fail(source)
        assert RecomputeJob.objects.count() == 0
        PaymentFactory.create(source=source, date=date(2025, 3, 2))
    assert RecomputeJob.objects.filter(owner=alice).count() == 1


def test_a_queued_change_job_absorbs_the_next_changes(alice: User) -> None:
    first = recompute_on_change(owner_id=alice.pk)
    assert first is not None
    assert recompute_on_change(owner_id=alice.pk) is None
    assert RecomputeJob.objects.filter(owner=alice, status=JobStatus.QUEUED).count() == 1


def test_a_requested_recompute_runs_on_commit_and_a_done_job_does_not_run_again(
    alice_with_income: User, django_capture_on_commit_callbacks: Any
) -> None:
    from reports.jobs import recompute_job_run

    with django_capture_on_commit_callbacks(execute=True):
        job = recompute_job_create(owner=alice_with_income, reason=JobReason.REQUEST, force=True)
    job.refresh_from_db()
    # The worker computes up to its own today: every month since December 2024.
    months = months_between(date(2024, 12, 1), month_start(timezone.localdate())) + 1
    assert (job.status, job.months_written, job.attempts) == (JobStatus.DONE, months, 1)
    assert recompute_job_run(job_id=job.pk) is None


def test_the_sweep_finds_users_changed_after_their_last_snapshot(
    alice_with_income: User, bob: User
) -> None:
    assert list(owners_changed_since_report(today=TODAY)) == [alice_with_income]
    report_recompute(owner=alice_with_income, today=TODAY)
    assert list(owners_changed_since_report(today=TODAY)) == []
    source = alice_with_income.income_sources.get(name="ETF")
    PaymentFactory.create(source=source, date=date(2025, 6, 1))
    assert list(owners_changed_since_report(today=TODAY)) == [alice_with_income]
    assert Profile.objects.get(user=bob).data_changed_at is None


def test_a_thousand_row_import_queues_one_recompute(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        source = SourceFactory.create(owner=alice)
    RecomputeJob.objects.all().delete()
    rows = "\n".join(f"{n % 28 + 1:02}.{n % 12 + 1:02}.2024;{n},50" for n in range(1000))
    upload = import_services.payment_import_upload(
        owner=alice, filename="bank.csv", content=f"Datum;Betrag\n{rows}".encode(), source=source
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_jobs.payment_import_start(upload=upload)
    upload.refresh_from_db()
    assert (upload.status, upload.created_rows) == ("done", 1000)
    jobs = RecomputeJob.objects.filter(owner=alice)
    assert [(job.reason, job.status) for job in jobs] == [(JobReason.CHANGE, JobStatus.DONE)]


def test_the_sweep_finds_a_user_whose_later_dated_payment_has_come_due(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    PaymentFactory.create(source=source, date=date(2025, 6, 20))  # two days after TODAY
    report_recompute(owner=alice, today=TODAY)
    ReportSnapshot.objects.update(computed_at=datetime(2025, 6, 18, 12, tzinfo=BERLIN))
    Profile.objects.update(data_changed_at=datetime(2025, 6, 18, 11, tzinfo=BERLIN))
    assert list(owners_changed_since_report(today=TODAY)) == []
    assert list(owners_changed_since_report(today=date(2025, 6, 20))) == [alice]
