"""Dashboard and calculator at phone (375 px) and desktop (1280 px) width, in both languages.

Screenshots go to ``test-artifacts/responsive-<page>-<width>-<language>.png`` for a
person to look at; the test itself asserts that nothing makes the page scroll sideways.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from reports.services import report_recompute
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
CALCULATOR = (
    "/calculator/?initial_investment=10000&annual_return=5&investment_period=10"
    "&tax_rate=15&additional_income=1000"
)


@pytest.fixture
def demo(shipped_content: None) -> str:
    today = timezone.localdate()
    result = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=result.user, today=today, force=True)
    return "demo"


@pytest.mark.parametrize("width", [375, 1280])
def test_dashboard_and_calculator_fit_the_screen(
    browser: Any, live_server: Any, demo: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", demo)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    too_wide = []
    for language in ["en", "de"]:
        if page.get_attribute("html", "lang") != language:
            page.click(f"form.language-switch button[value={language}]")
        for name, url in [("dashboard", "/dashboard/"), ("calculator", CALCULATOR)]:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert page.get_attribute("html", "lang") == language
            screenshot(page, f"responsive-{name}-{width}-{language}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{name} ({language}): {scroll_width} px")
    context.close()
    assert not too_wide, f"pages scroll sideways at {width} px: {too_wide}"
