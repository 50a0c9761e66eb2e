"""The "your latest changes are being included" notice clears once the figures are checked.

A change stamps ``Profile.data_changed_at``; the dashboard is stale while the stamp is
newer than the current month's figures. A change that moves no figure makes the next
recompute skip (same fingerprint): the skip must still say the figures are current,
or the notice stays up for good (issue 17, item 11).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.schedule import month_start
from income import services
from reports.dashboard import dashboard_data
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def alice_computed(alice: User, today: date) -> User:
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    PaymentFactory.create(source=etf, date=today, gross=Decimal("100.00"))
    report_recompute(owner=alice, today=today)
    return alice


def _stale(owner: User) -> bool:
    data = dashboard_data(owner=owner)
    assert data is not None
    return data.stale


def test_a_change_that_moves_no_figure_clears_the_notice_on_the_skipped_recompute(
    alice_computed: User, today: date
) -> None:
    payment = alice_computed.income_sources.get().payments.get()
    services.payment_update(owner=alice_computed, payment=payment, note="from the broker")
    assert _stale(alice_computed)

    outcome = report_recompute(owner=alice_computed, today=today)

    assert outcome.skipped
    assert not _stale(alice_computed)


def test_a_skipped_recompute_without_a_newer_change_writes_nothing(
    alice_computed: User, today: date
) -> None:
    before = ReportSnapshot.objects.get(owner=alice_computed, month=month_start(today)).computed_at
    with CaptureQueriesContext(connection) as queries:
        assert report_recompute(owner=alice_computed, today=today).skipped
    assert not any(q["sql"].upper().startswith("UPDATE") for q in queries.captured_queries)
    after = ReportSnapshot.objects.get(owner=alice_computed, month=month_start(today)).computed_at
    assert after == before


def test_a_change_that_moves_a_figure_stays_stale_until_recomputed(
    alice_computed: User, today: date
) -> None:
    source = alice_computed.income_sources.get()
    PaymentFactory.create(source=source, date=today, gross=Decimal("1.00"))
    services.source_update(source=source, notes="still stale")
    assert _stale(alice_computed)
    outcome = report_recompute(owner=alice_computed, today=today)
    assert not outcome.skipped
    assert not _stale(alice_computed)
