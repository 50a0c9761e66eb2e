"""What the alert rules find, and that each thing is told once (issue 24): an overdue
payout as the calendar has it, after its days of grace; independence and a scenario's
target when they are reached or lost; a source that falls behind its plan; an import
that ended."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from alerts.models import AlertEvent, AlertState
from alerts.services import alert_channel_create, alert_rules_of, alerts_evaluate
from finance.schedule import add_months
from imports.jobs import payment_import_fail
from imports.models import ImportStatus, PaymentImport
from income import services as income_services
from income.calendar import calendar_page
from income.models import IncomeSource
from reports.services import report_recompute
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, category
from tests.push_servers import PushServer, ntfy_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(alice: User) -> Iterator[PushServer]:
    """alice's ntfy channel on a real ntfy server; every rule sends to it."""
    with ntfy_server() as ntfy:
        alert_channel_create(owner=alice, kind="ntfy", name="Phone", url=ntfy.base, topic="me")
        yield ntfy


def _check(owner: User, today: date, capture: Any) -> int:
    with capture(execute=True):
        return alerts_evaluate(owner=owner, today=today)


def _rent(owner: User, *, paid_through: date) -> IncomeSource:
    """Monthly rent since January 2026, paid on the 3rd of each month up to ``paid_through``."""
    flat = SourceFactory.create(
        owner=owner, name="Flat Kiel", category=category("rent"),
        start_date=date(2026, 1, 1), payout_rhythm="monthly",
    )  # fmt: skip
    month = date(2026, 1, 1)
    while month <= paid_through:
        PaymentFactory.create(source=flat, date=month.replace(day=3), gross=Decimal("900"))
        month = add_months(month, 1)
    return flat


def _calendar_amount(source: IncomeSource, today: date, month: date) -> Decimal:
    page = calendar_page(owner=source.owner, today=today)
    [cells] = [cells for row_source, cells in page.rows if row_source.pk == source.pk]
    [cell] = [cell for cell in cells if cell.entry.month == month]
    assert cell.expected_amount is not None
    return cell.expected_amount


def test_an_overdue_payout_is_told_once_after_its_days_of_grace(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    # Paid through September; October passed without rent: overdue from 1 November,
    # told 7 days later (the default grace), once.
    flat = _rent(alice, paid_through=date(2026, 9, 1))
    assert _check(alice, date(2026, 11, 7), django_capture_on_commit_callbacks) == 0
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 1
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 0
    assert _check(alice, date(2026, 11, 20), django_capture_on_commit_callbacks) == 0
    [message] = phone.received
    body = message.json()
    assert body["title"] == "Payout overdue: Flat Kiel"
    assert "October 2026" in body["message"]
    # The calendar's expected amount, net as the calendar page shows it beside the month.
    expected = _calendar_amount(flat, date(2026, 11, 8), date(2026, 10, 1))
    assert f"About €{expected:,.2f} was expected." in body["message"]
    event = AlertEvent.objects.get()
    assert event.key == f"overdue:{flat.pk}:2026-10"
    assert event.data["month"] == "2026-10"


def test_the_days_of_grace_are_the_rules(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    _rent(alice, paid_through=date(2026, 9, 1))
    rule = next(r for r in alert_rules_of(owner=alice) if r.kind == "overdue")
    rule.days = 0
    rule.save()
    assert _check(alice, date(2026, 10, 31), django_capture_on_commit_callbacks) == 0
    assert _check(alice, date(2026, 11, 1), django_capture_on_commit_callbacks) == 1


def test_a_payout_that_arrived_late_in_its_month_is_not_overdue(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    flat = _rent(alice, paid_through=date(2026, 9, 1))
    PaymentFactory.create(source=flat, date=date(2026, 10, 31), gross=Decimal("900"))
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 0


def test_old_overdue_payouts_are_not_dug_up_when_the_rule_is_new(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    # Nothing since June: July to October are overdue, but only October became so
    # within the last month; the older ones were news weeks ago.
    _rent(alice, paid_through=date(2026, 6, 1))
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 1
    assert AlertEvent.objects.get().data["month"] == "2026-10"


def test_an_ended_source_is_not_overdue(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    flat = _rent(alice, paid_through=date(2026, 9, 1))
    IncomeSource.objects.filter(pk=flat.pk).update(status="ended")
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 0


def test_nothing_is_checked_without_a_channel(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    _rent(alice, paid_through=date(2026, 9, 1))
    assert _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks) == 0
    assert not AlertEvent.objects.exists()


def test_the_alert_is_written_in_the_owners_language(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    income_services.profile_update(user=alice, language="de")
    _rent(alice, paid_through=date(2026, 9, 1))
    flat = IncomeSource.objects.get(owner=alice)
    _check(alice, date(2026, 11, 8), django_capture_on_commit_callbacks)
    body = phone.received[0].json()
    assert "Flat Kiel" in body["title"]
    expected = f"{_calendar_amount(flat, date(2026, 11, 8), date(2026, 10, 1)):.2f}"
    assert f"{expected.replace('.', ',')}\xa0€" in body["message"]
    assert "Oktober 2026" in body["message"]


# Reached or lost ------------------------------------------------------------------------

TODAY = date(2026, 11, 9)


def _passive(owner: User, *, monthly: str, months: int, last: date) -> None:
    """``monthly`` of dividends in each of the ``months`` months up to ``last``."""
    etf = SourceFactory.create(
        owner=owner, name="ETF", start_date=date(2020, 1, 1), payout_rhythm="irregular"
    )
    for back in range(months):
        PaymentFactory.create(source=etf, date=add_months(last, -back), gross=Decimal(monthly))


def test_independence_is_told_when_reached_and_when_lost_not_before(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    income_services.profile_update(user=alice, monthly_expenses=Decimal("1000"))
    # Ten months of 1,000 before October: not covered (10,000 < 12,000) — the baseline.
    _passive(alice, monthly="1000", months=10, last=date(2026, 9, 1))
    report_recompute(owner=alice, today=TODAY)
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 0
    assert AlertState.objects.get(subject="independence").on is False
    # October brings 3,000: the twelve months to October hold 13,000 ≥ 12,000.
    PaymentFactory.create(source=IncomeSource.objects.get(name="ETF"), date=date(2026, 10, 1),
                          gross=Decimal("3000"))  # fmt: skip
    report_recompute(owner=alice, today=TODAY)
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 1
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 0
    assert phone.received[-1].json()["title"] == "Independence reached"
    # Expenses rise to 2,000: no longer covered.
    income_services.profile_update(user=alice, monthly_expenses=Decimal("2000"))
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 1
    assert phone.received[-1].json()["title"] == "Independence lost"
    assert [e.data["reached"] for e in AlertEvent.objects.order_by("pk")] == [True, False]


def test_a_scenarios_target_is_told_when_reached(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    _passive(alice, monthly="500", months=12, last=date(2026, 10, 1))
    report_recompute(owner=alice, today=TODAY)
    scenario = ScenarioFactory.create(owner=alice, name="Freedom",
                                      target_monthly_income=Decimal("600"))  # fmt: skip
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 0  # 6,000 < 7,200
    Scenario.objects.filter(pk=scenario.pk).update(target_monthly_income=Decimal("500"))
    assert _check(alice, TODAY, django_capture_on_commit_callbacks) == 1  # 6,000 ≥ 6,000
    body = phone.received[-1].json()
    assert body["title"] == "Target reached: Freedom"
    assert "€500.00 a month" in body["message"]


def test_a_source_falling_behind_its_plan_is_told_once_and_again_when_back(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    blog = SourceFactory.create(
        owner=alice, name="Blog", category=category("affiliate"),
        expected_monthly_amount=Decimal("400"), start_date=add_months(this_month, -24),
        payout_rhythm="irregular",
    )  # fmt: skip
    scenario = ScenarioFactory.create(owner=alice, name="Blog plan", sources=[blog])
    Scenario.objects.filter(pk=scenario.pk).update(
        created_at=timezone.make_aware(datetime.combine(add_months(this_month, -4), time(12)))
    )
    PaymentFactory.create(source=blog, date=add_months(this_month, -4).replace(day=10),
                          gross=Decimal("400"))  # fmt: skip
    assert (
        _check(alice, today, django_capture_on_commit_callbacks) == 0
    )  # first sight: the baseline, not news
    states = {s.subject: s.on for s in AlertState.objects.filter(subject__startswith="behind")}
    assert states == {f"behind_plan:{scenario.pk}:Blog": True}
    assert _check(alice, today, django_capture_on_commit_callbacks) == 0
    for back in (3, 2, 1):
        PaymentFactory.create(source=blog, date=add_months(this_month, -back).replace(day=10),
                              gross=Decimal("400"))  # fmt: skip
    assert _check(alice, today, django_capture_on_commit_callbacks) == 1
    assert phone.received[-1].json()["title"] == "Back on plan: Blog"


# Imports ---------------------------------------------------------------------------------


def _upload(owner: User) -> PaymentImport:
    return PaymentImport.objects.create(
        owner=owner, filename="depot.csv", content=b"x", status=ImportStatus.RUNNING
    )


def test_a_failed_import_is_told(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _upload(alice)
    with django_capture_on_commit_callbacks(execute=True):
        payment_import_fail(upload_id=upload.pk, message="The worker stopped.")
    body = phone.received[-1].json()
    assert body["title"] == "Import failed: depot.csv"
    assert "The worker stopped." in body["message"]
    assert body["click"].endswith(f"/imports/{upload.pk}/")


@override_settings(SITE_URL="https://ertrag.example")
def test_a_finished_import_is_told_only_when_that_rule_is_on(
    alice: User, phone: PushServer, django_capture_on_commit_callbacks: Any
) -> None:
    from alerts.services import import_alert_raise

    upload = _upload(alice)
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.DONE, created_rows=12)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_alert_raise(owner=alice, import_id=upload.pk) is None  # off by default
    rule = next(r for r in alert_rules_of(owner=alice) if r.kind == "import_done")
    rule.enabled = True
    rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_alert_raise(owner=alice, import_id=upload.pk) is not None
    body = phone.received[-1].json()
    assert body["title"] == "Import finished: depot.csv"
    assert body["message"].startswith("12 rows imported")
    assert body["click"] == f"https://ertrag.example/imports/{upload.pk}/"
