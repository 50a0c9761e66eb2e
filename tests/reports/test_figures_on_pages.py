"""The running month, the average month and "independent since" on the dashboard and the
reports page (issue 17, items 7 and 8): one definition each, the same on both pages."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months, month_start
from income import services
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory

NBSP = "\u00a0"


@pytest.fixture
def today() -> date:
    return timezone.localdate()


def _page(client: Client, user: User, path: str, language: str = "en") -> str:
    client.force_login(user)
    client.cookies["ertrag_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def independent(alice: User, today: date) -> User:
    """1,500 a month for the 24 complete months before this one, 10 so far this month;
    expenses 1,000 a month.

    A month's TTM is 1,500 × the months paid up to it; covered (≥ 12 × 1,000 = 12,000)
    from the 8th paid month on: the first paid month + 7 months. The last complete
    month's TTM is 12 × 1,500 = 18,000: coverage 18,000 / 12,000 = 150.0 %, the average
    month 18,000 / 12 = 1,500.00, the margin 1,500.00 − 1,000.00 = 500.00.
    """
    services.profile_update(user=alice, monthly_expenses=Decimal("1000.00"))
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    first = add_months(month_start(today), -24)
    for n in range(24):
        PaymentFactory.create(
            source=etf, date=add_months(first, n).replace(day=1), gross=Decimal("1500.00")
        )
    PaymentFactory.create(source=etf, date=month_start(today), gross=Decimal("10.00"))
    report_recompute(owner=alice, today=today)
    return alice


def test_the_dashboard_says_independent_since_with_the_margin(
    client: Client, independent: User, today: date
) -> None:
    html = _page(client, independent, "/dashboard/")
    since = add_months(month_start(today), -24 + 7)
    sentence = re.sub(
        r"[ \t\n]+", " ", html.split('data-testid="independent-since">')[1].split("</p>")[0]
    )
    assert f"Independent since <strong>{since:%B %Y}</strong>" in sentence
    assert "covers 150.0%" in sentence
    assert "€500.00 a month to spare" in sentence
    assert 'data-testid="independence-month"' not in html  # not "projected for …"
    # The coverage shown is the complete months': the same 150.0 %.
    assert re.search(r'data-testid="expense-coverage">\s*150\.0%', html)


def test_the_reports_page_says_independent_since_too(
    client: Client, independent: User, today: date
) -> None:
    html = _page(client, independent, "/reports/")
    kpi = html.split('data-testid="latest-independence"')[1].split("</div>")[0]
    since = add_months(month_start(today), -24 + 7)
    assert "Independent since" in kpi
    assert f"{since:%B %Y}" in kpi
    assert "€500.00 a month to spare" in kpi


def test_the_german_dashboard_says_it_in_german(
    client: Client, independent: User, today: date
) -> None:
    html = _page(client, independent, "/dashboard/", language="de")
    sentence = re.sub(
        r"[ \t\n]+", " ", html.split('data-testid="independent-since">')[1].split("</p>")[0]
    )
    assert "Unabhängig seit" in sentence
    assert f"500,00{NBSP}€" in sentence


def test_the_running_month_is_marked_and_left_out_of_the_average(
    client: Client, independent: User, today: date
) -> None:
    html = _page(client, independent, "/dashboard/")
    # The average month is 18,000 / 12 = 1,500.00, not (11 × 1,500 + 10) / 12 = 1,375.83.
    assert 'data-testid="passive-net-month">€1,500.00<' in html
    assert 'data-testid="month-to-date">€10.00<' in html
    assert 'data-testid="row-to-date"' in html
    charts = re.findall(
        r'<script id="passive-active-data" type="application/json">(.*?)</script>', html
    )
    chart = json.loads(charts[0])
    assert chart["partial_last"] is True
    assert chart["labels"][-1] == f"{today:%B %Y} (to date)"
    assert chart["labels"][-2] == f"{add_months(month_start(today), -1):%B %Y}"


def test_the_reports_chart_has_no_average_for_the_running_month(
    client: Client, independent: User, today: date
) -> None:
    html = _page(client, independent, "/reports/")
    chart = json.loads(
        re.findall(
            r'<script id="report-history-data" type="application/json">(.*?)</script>', html
        )[0]
    )
    assert chart["labels"][-1].endswith("(to date)")
    assert chart["datasets"][1]["data"][-1] is None
    assert chart["datasets"][1]["data"][-2] == "1500.00"


def test_not_yet_independent_shows_the_projected_month(
    client: Client, alice: User, today: date
) -> None:
    # 100 a month against expenses of 1,000: coverage 10 %; a flat source projected at
    # 100 a month never covers 1,000 within 30 years.
    services.profile_update(user=alice, monthly_expenses=Decimal("1000.00"))
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    for n in range(1, 13):
        PaymentFactory.create(
            source=etf, date=add_months(month_start(today), -n), gross=Decimal("100.00")
        )
    report_recompute(owner=alice, today=today)
    html = _page(client, alice, "/dashboard/")
    assert 'data-testid="independent-since"' not in html
    assert 'data-testid="independence-month"' in html
    assert re.search(r'data-testid="expense-coverage">\s*10\.0%', html)


def test_every_figure_label_links_to_its_definition(client: Client, independent: User) -> None:
    html = _page(client, independent, "/dashboard/")
    anchors = set(re.findall(r'class="figure-label" href="/help/figures/#([a-z-]+)"', html))
    assert {"passive-net-ttm", "average-month", "month-to-date", "expense-coverage",
            "independent-since"} <= anchors  # fmt: skip
    help_page = client.get("/help/figures/").content.decode()
    for anchor in anchors:
        assert f'id="{anchor}"' in help_page


def test_the_stress_test_shows_what_was_received_beside_the_projection(
    client: Client, independent: User, today: date
) -> None:
    stress = _page(client, independent, "/scenarios/stress-test/?dividend_cut=10")
    assert 'hx-get="/reports/received/"' in stress
    html = re.sub(r"\s+", " ", _page(client, independent, "/reports/received/"))
    since = add_months(month_start(today), -24 + 7)
    # The same figures as the dashboard's: 1,500.00 a month, independent since the 8th month.
    assert "an average month of €1,500.00 over the 12 complete months" in html
    assert f"independent since {since:%B %Y}, covering 150.0% of your expenses" in html


def test_the_received_partial_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/reports/received/")
    assert response.status_code == 302


def test_the_reports_page_shows_the_dashboards_coverage_and_marks_covered_months(
    client: Client, independent: User
) -> None:
    # The same coverage as the dashboard: 18,000 / 12,000 = 150.0 % (12 complete months),
    # not the running month's TTM: (11 × 1,500 + 10) / 12,000 = 137.6 %.
    html = _page(client, independent, "/reports/")
    assert re.search(r'data-testid="latest-coverage">150\.0%<', html)
    table = html.split('data-testid="report-rows"')[1]
    # Every month from the 8th paid one on is covered: 24 − 7 complete + the running one.
    assert table.count(">covered<") == 24 - 7 + 1
