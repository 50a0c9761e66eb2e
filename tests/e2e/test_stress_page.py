"""The stress test of the demo account in a real browser (issue #17 item 10): the chart of
the 36-month path is drawn and the page fits a phone and a desktop, in English and German.

Screenshots: ``test-artifacts/stress-<width>-<language>.png``, and with every month of
the path unfolded, ``stress-all-months-<width>-<language>.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
SHOCKS = "/scenarios/stress-test/?dividend_cut=30&churn_spike=10&ad_revenue_drop=40&vacancy=10"


@pytest.fixture
def demo(shipped_content: None) -> str:
    demo_create(username="demo", password=PASSWORD, today=timezone.localdate())
    return "demo"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_stress_test_draws_the_long_run_in_english_and_german(
    browser: Any, live_server: Any, demo: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, demo, password=PASSWORD)
    for language in ["en", "de"]:
        if page.get_attribute("html", "lang") != language:
            page.click(f"form.language-switch button[value={language}]")
            page.wait_for_function(f"() => document.documentElement.lang === '{language}'")
        page.goto(f"{live_server.url}{SHOCKS}")
        wait_for_charts(page)
        chart = page.evaluate(
            "() => { const c = Chart.getChart(document.querySelector("
            "'canvas[data-chart-source=stress-path-data]'));"
            " return [c.data.labels.length, c.data.datasets.length]; }"
        )
        assert chart[0] == 36
        assert chart[1] >= 2
        assert page.locator("[data-testid=stress-warning]").is_visible()
        assert page.locator(".kpi-warning").count() >= 1
        assert page.locator("[data-testid=stress-path-key] tbody tr").count() == 4
        screenshot(page, f"stress-{width}-{language}")
        page.click("[data-testid=stress-path-all] summary")  # every month, unfolded
        assert page.locator("[data-testid=stress-path-all] tbody tr").nth(35).is_visible()
        screenshot(page, f"stress-all-months-{width}-{language}")
    context.close()
