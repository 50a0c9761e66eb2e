"""Asset values in the stored reports (issue #17.6): a recorded value is an input of the
figures, so it is recomputed; the dashboard ranks a capital source by its total return
and an income payback, never by a cash ROI that counts the asset as spent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months, month_start
from income import services
from income.models import IncomeSource
from reports.dashboard import dashboard_data
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, category

D = Decimal


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def etf(alice: User, today: date) -> IncomeSource:
    """60,000 upfront, eleven months ago; 700 of dividends this month."""
    source = SourceFactory.create(
        owner=alice, name="ETF", category=category("etf-dividends"),
        start_date=add_months(month_start(today), -11), upfront_investment=D("60000"),
    )  # fmt: skip
    PaymentFactory.create(source=source, date=month_start(today), gross=D("700.00"))
    return source


def stored(owner: User, today: date, name: str) -> dict[str, object]:
    snapshot = ReportSnapshot.objects.get(owner=owner, month=month_start(today))
    return next(row for row in snapshot.sources if row["name"] == name)


def test_a_recorded_value_is_recomputed_into_the_stored_figures(
    alice: User, etf: IncomeSource, today: date
) -> None:
    report_recompute(owner=alice, today=today)
    assert stored(alice, today, "ETF")["total_return"] is None
    services.asset_value_create(
        owner=alice, source=etf, date=month_start(today) - timedelta(days=1), value=D(63000)
    )
    outcome = report_recompute(owner=alice, today=today)  # not forced: the inputs changed
    assert not outcome.skipped
    row = stored(alice, today, "ETF")
    # 700 + 63,000 − 60,000 = 3,700; 3,700 / 60,000 = 0.061666… → 0.0617
    assert (row["total_return"], row["total_return_ratio"]) == ("3700.00", "0.0617")
    assert (row["return_basis"], row["cash_roi"]) == ("asset", None)


def test_the_ranking_shows_a_total_return_for_an_asset_and_a_cash_roi_for_the_rest(
    client: Client, alice: User, etf: IncomeSource, today: date
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=month_start(today), value=D(63500))
    ebook = SourceFactory.create(
        owner=alice, name="E-book", category=category("licences"),
        start_date=month_start(today), upfront_investment=D("600"),
    )  # fmt: skip
    PaymentFactory.create(source=ebook, date=month_start(today), gross=D("900.00"))
    job = SourceFactory.create(owner=alice, name="Job", category=category("freelance"))
    PaymentFactory.create(source=job, date=month_start(today), gross=D("4000.00"))
    report_recompute(owner=alice, today=today, force=True)

    data = dashboard_data(owner=alice)
    assert data is not None
    rows = {row.name: row for row in data.sources}
    # 700 + 63,500 − 60,000 = 4,200; 4,200 / 60,000 = 0.07
    assert (rows["ETF"].return_basis, rows["ETF"].total_return_ratio) == ("asset", D("0.0700"))
    assert (rows["E-book"].return_basis, rows["E-book"].cash_roi) == ("cash", D("0.5000"))
    assert (rows["Job"].return_basis, rows["Job"].payback) == ("none", None)

    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    cells = re.findall(r'data-testid="ranking-return">(.*?)</td>', html, re.S)
    text = [re.sub(r"<[^>]+>", " ", cell).split() for cell in cells]
    # (900 − 600) / 600 = 50.0 % cash ROI; 7.0 % total return
    assert sorted(text) == [["50.0%", "cash", "ROI"], ["7.0%", "total", "return"]]
    assert "income payback" in html


def test_the_latest_report_in_the_api_has_the_return_figures(
    alice: User, alice_api: APIClient, etf: IncomeSource, today: date
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=month_start(today), value=D(63500))
    report_recompute(owner=alice, today=today, force=True)
    (row,) = alice_api.get("/api/v1/reports/latest/").json()["sources"]
    # 700 + 63,500 − 60,000 = 4,200; / 60,000 = 0.07
    assert {k: row[k] for k in ("return_basis", "total_return", "total_return_ratio")} == {
        "return_basis": "asset", "total_return": "4200.00", "total_return_ratio": "0.0700"
    }  # fmt: skip
    assert row["cash_roi"] is None
