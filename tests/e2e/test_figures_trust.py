"""The figures a person can trust, in a real browser (issue 17, items 7, 8 and 9).

The demo account has been independent for a long time: the dashboard and the reports
page say "independent since …" with the margin, the running month is marked "to date"
and left out of the average, and every figure's label leads to its definition. Each
page is screenshotted at 1280 and 375 px, in English and German.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from reports.services import report_recompute
from tests.e2e.conftest import screenshot
from tests.e2e.language import assert_german
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo_user(shipped_content: None) -> Any:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


def _to_german(page: Any) -> None:
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_dashboard_of_an_independent_account_in_english_and_german(
    browser: Any, live_server: Any, demo_user: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("[data-testid=independent-since]").startswith("Independent since")
    assert "to spare" in page.inner_text("[data-testid=independent-since]")
    assert page.locator("[data-testid=month-to-date]").count() == 1
    assert "to date" in page.inner_text("[data-testid=row-to-date]")
    wait_for_charts(page)
    screenshot(page, f"figures-dashboard-en-{width}")

    _to_german(page)
    assert page.inner_text("[data-testid=independent-since]").startswith("Unabhängig seit")
    wait_for_charts(page)
    # The demo's own source names ("E-book: Passive income …", "Flat in Leipzig") are
    # the user's words, not the page's.
    names = tuple(demo_user.income_sources.values_list("name", flat=True))
    assert_german(page, allowed=names)
    screenshot(page, f"figures-dashboard-de-{width}")

    page.click("a.figure-label[href$='#average-month']")
    page.wait_for_url("**/help/figures/#average-month")
    assert page.locator("dt#average-month").count() == 1
    screenshot(page, f"figures-help-de-{width}")
    context.close()


def test_the_reports_page_of_an_independent_account(
    page: Any, live_server: Any, demo_user: Any
) -> None:
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    kpi = page.inner_text("[data-testid=latest-independence]")
    assert "Independent since" in kpi
    assert "Independence month" not in kpi
    wait_for_charts(page)
    screenshot(page, "figures-reports-en")
    _to_german(page)
    assert "Unabhängig seit" in page.inner_text("[data-testid=latest-independence]")
    wait_for_charts(page)
    screenshot(page, "figures-reports-de")
