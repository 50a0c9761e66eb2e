"""The dashboard shows the latest snapshot, says when it was computed, and when it is stale."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation

from finance import figures
from finance.schedule import add_months, month_start
from income import services
from income.models import IncomeSource
from reports.dashboard import CHART_MONTHS, dashboard_data
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, category


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def alice_with_income(alice: User, today: date) -> User:
    """An ETF paying 1,234.50 this month and 100 in each of the two months before."""
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    PaymentFactory.create(source=etf, date=today, gross=Decimal("1234.50"))
    for back in (1, 2):
        PaymentFactory.create(
            source=etf, date=add_months(month_start(today), -back), gross=Decimal("100.00")
        )
    return alice


def _html(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_requires_login(client: Client, db: None) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_first_visit_computes_the_snapshot(
    client: Client, alice_with_income: User, today: date
) -> None:
    assert not ReportSnapshot.objects.filter(owner=alice_with_income).exists()
    html = _html(client, alice_with_income)
    assert ReportSnapshot.objects.filter(owner=alice_with_income, month=month_start(today)).exists()
    assert 'data-testid="passive-net-ttm">€1,434.50<' in html
    assert re.search(r"Figures computed (now|\d+\Wseconds? ago)\.", html)
    assert 'data-testid="stale-notice"' not in html


def test_a_user_without_data_gets_a_snapshot_and_the_guide(client: Client, alice: User) -> None:
    html = _html(client, alice)
    assert ReportSnapshot.objects.filter(owner=alice).count() == 1
    assert "Start with your first income source" in html
    assert 'data-testid="figures-computed"' not in html


def test_the_page_shows_the_stored_figures_not_live_ones(
    client: Client, alice_with_income: User, today: date
) -> None:
    report_recompute(owner=alice_with_income, today=today, force=True)
    ReportSnapshot.objects.filter(owner=alice_with_income, month=month_start(today)).update(
        passive_net_ttm=Decimal("999.99")
    )
    assert 'data-testid="passive-net-ttm">€999.99<' in _html(client, alice_with_income)


def test_a_stale_snapshot_shows_the_notice_and_the_recompute_button(
    client: Client, alice_with_income: User, today: date
) -> None:
    report_recompute(owner=alice_with_income, today=today, force=True)
    computed_at = ReportSnapshot.objects.get(owner=alice_with_income, month=month_start(today))
    etf = alice_with_income.income_sources.get()
    PaymentFactory.create(source=etf, date=today, gross=Decimal("1.00"))

    html = _html(client, alice_with_income)

    assert 'data-testid="stale-notice"' in html
    assert "Your latest changes are being included…" in html
    assert 'data-testid="passive-net-ttm">€1,434.50<' in html  # the snapshot's, until recomputed
    assert 'action="/reports/recompute/"' in html
    assert 'hx-post="/reports/recompute/?refresh=1"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    snapshot = ReportSnapshot.objects.get(owner=alice_with_income, month=month_start(today))
    assert snapshot.computed_at == computed_at.computed_at  # the page did not recompute


def test_a_fresh_snapshot_has_the_button_but_no_notice(
    client: Client, alice_with_income: User, today: date
) -> None:
    report_recompute(owner=alice_with_income, today=today, force=True)
    html = _html(client, alice_with_income)
    assert 'data-testid="figures-computed"' in html
    assert "Recompute now" in html
    assert 'data-testid="stale-notice"' not in html


def test_a_first_source_added_after_the_snapshot_is_shown_at_once(
    client: Client, alice: User, today: date
) -> None:
    assert "Start with your first income source" in _html(client, alice)
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    PaymentFactory.create(source=etf, date=today, gross=Decimal("50.00"))

    html = _html(client, alice)

    assert "Start with your first income source" not in html
    assert 'data-testid="passive-net-ttm">€50.00<' in html


def test_the_first_visit_of_a_new_month_computes_that_month(
    client: Client, alice_with_income: User, today: date
) -> None:
    last_month = add_months(month_start(today), -1)
    report_recompute(owner=alice_with_income, today=last_month, force=True)
    assert not ReportSnapshot.objects.filter(month=month_start(today)).exists()

    html = _html(client, alice_with_income)

    assert ReportSnapshot.objects.filter(owner=alice_with_income, month=month_start(today)).exists()
    assert 'data-testid="passive-net-ttm">€1,434.50<' in html


def test_another_users_snapshot_stays_private(
    client: Client, alice_with_income: User, bob: User, today: date
) -> None:
    report_recompute(owner=alice_with_income, today=today, force=True)
    html = _html(client, bob)
    assert "Start with your first income source" in html
    assert "1,434.50" not in html


def test_the_months_are_typed_oldest_first_and_filled_with_zeros(
    alice_with_income: User, today: date
) -> None:
    report_recompute(owner=alice_with_income, today=today, force=True)
    data = dashboard_data(owner=alice_with_income)
    assert data is not None
    this_month = month_start(today)
    assert [row.month for row in data.months] == [
        add_months(this_month, n - CHART_MONTHS + 1) for n in range(CHART_MONTHS)
    ]
    assert [row.passive_net for row in data.months[-3:]] == [
        Decimal("100.00"), Decimal("100.00"), Decimal("1234.50")
    ]  # fmt: skip
    assert data.months[0].passive_net == Decimal(0)
    assert data.passive_net_by_category == {
        "ETF dividends": [Decimal(0)] * (CHART_MONTHS - 3)
        + [Decimal("100.00"), Decimal("100.00"), Decimal("1234.50")]
    }
    assert [row.month for row in data.table_months][:2] == [this_month, add_months(this_month, -1)]
    # The average month leaves the running month out (issue 17, item 7): the twelve
    # complete months before this one hold 100 + 100 = 200, so 200 / 12 = 16.67; before,
    # the month to date counted: 1,434.50 / 12 = 119.54.
    assert data.average_month == Decimal("16.67")
    assert data.month_to_date.passive_net == Decimal("1234.50")
    [etf] = data.sources
    assert etf.net_to_date == Decimal("1434.50")
    assert isinstance(etf.payback, figures.Payback)


def test_category_names_follow_the_reader_not_the_recompute(
    alice_with_income: User, today: date
) -> None:
    with translation.override("en"):
        report_recompute(owner=alice_with_income, today=today, force=True)
    with translation.override("de"):
        data = dashboard_data(owner=alice_with_income)
    assert data is not None
    german = category("etf-dividends").name_de
    assert german != category("etf-dividends").name_en
    assert list(data.passive_net_by_category) == [german]
    [by_category] = [c for c in data.concentration if c.dimension == "category"]
    assert [share.key for share in by_category.shares] == [german]


def test_ranking_lists_passive_sources_by_hourly_rate_and_flags_concentration(
    alice: User, today: date
) -> None:
    services.profile_update(user=alice, hourly_value=Decimal("20"))
    slow = SourceFactory.create(
        owner=alice, name="Slow", category=category("licences"), setup_hours=Decimal("100"),
        start_date=month_start(today),
    )  # fmt: skip
    quick = SourceFactory.create(
        owner=alice, name="Quick", category=category("rent"), setup_hours=Decimal("1"),
        start_date=month_start(today),
    )  # fmt: skip
    job = SourceFactory.create(owner=alice, name="Job", category=category("salary"))
    for source, gross in ((slow, "900"), (quick, "100"), (job, "3000")):
        PaymentFactory.create(source=source, date=today, gross=Decimal(gross))
    report_recompute(owner=alice, today=today, force=True)

    data = dashboard_data(owner=alice)

    assert data is not None
    assert [row.name for row in data.ranked_by_hourly_rate] == ["Quick", "Slow"]
    [by_source] = [c for c in data.concentration if c.dimension == "source"]
    assert by_source.warning is not None
    assert (by_source.warning.key, by_source.warning.share) == ("Slow", Decimal("0.9000"))
    [by_currency] = [c for c in data.concentration if c.dimension == "currency"]
    assert by_currency.warning is None  # one part only: nothing to compare it with


def test_a_refund_lowers_the_dashboard_figures_in_its_month(
    client: Client, alice_with_income: User, today: date
) -> None:
    """A refund of 40.00 (4.00 tax back, 2.50 chargeback fee) last month: that month's
    net drops from 100.00 to 61.50 and the TTM from 1,434.50 to 1,396.00."""
    [etf] = IncomeSource.objects.filter(owner=alice_with_income)
    PaymentFactory.create(
        source=etf,
        date=add_months(month_start(today), -1),
        gross=Decimal("-40.00"),
        tax_withheld=Decimal("-4.00"),
        fees=Decimal("2.50"),
    )
    report_recompute(owner=alice_with_income, today=today, force=True)
    data = dashboard_data(owner=alice_with_income)
    assert data is not None
    # 100.00 − 40.00 + 4.00 − 2.50 = 61.50
    assert [row.passive_net for row in data.months[-3:]] == [
        Decimal("100.00"), Decimal("61.50"), Decimal("1234.50")
    ]  # fmt: skip
    assert [row.passive_gross for row in data.months[-3:]] == [
        Decimal("100.00"), Decimal("60.00"), Decimal("1234.50")
    ]  # fmt: skip
    # 100.00 + 61.50 + 1,234.50 = 1,396.00
    assert data.passive_net_ttm == Decimal("1396.00")
    assert data.passive_gross_ttm == Decimal("1394.50")
    [row] = data.sources
    assert row.net_to_date == Decimal("1396.00")
    assert 'data-testid="passive-net-ttm">€1,396.00<' in _html(client, alice_with_income)
