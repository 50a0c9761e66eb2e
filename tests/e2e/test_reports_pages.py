"""The reports page of a demo user in a real browser, in English and German (screenshots)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from reports.services import report_recompute
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


def assert_the_table_fits(page: Any) -> None:
    """All ten columns of the history are visible at 1280 px, none hidden by scrolling."""
    scroll, visible = page.evaluate(
        "() => { const t = document.querySelector('[data-testid=report-rows]').parentElement;"
        " return [t.scrollWidth, t.clientWidth]; }"
    )
    assert scroll <= visible, f"the history table scrolls sideways ({scroll} > {visible} px)"


@pytest.fixture
def demo_user(shipped_content: None) -> Any:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


def test_the_reports_page_in_english_and_german(
    page: Any, live_server: Any, demo_user: Any
) -> None:
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    assert page.inner_text("h1") == "Reports"
    assert page.inner_text("[data-testid=latest-passive-net-ttm]").startswith("€")
    assert page.locator("table[data-testid=report-rows] tbody tr").count() == 24
    assert "Computed" in page.inner_text("[data-testid=computed-at]")
    wait_for_charts(page)
    assert_the_table_fits(page)
    screenshot(page, "reports-en")

    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert page.inner_text("[data-testid=latest-passive-net-ttm]").endswith("\u00a0€")
    wait_for_charts(page)
    screenshot(page, "reports-de")
    assert_the_table_fits(page)


def test_the_recompute_button_shows_the_job_and_reloads(
    page: Any, live_server: Any, demo_user: Any
) -> None:
    """Celery runs eagerly here, so the job is done by the time the button's answer comes."""
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    with page.expect_navigation():
        page.click("[data-testid=recompute-button]")
    assert page.inner_text("h1") == "Reports"
    assert "Computed" in page.inner_text("[data-testid=computed-at]")
