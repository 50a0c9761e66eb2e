"""The demo user's dashboard, read from the snapshot, in a real browser: English, German, phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from income.models import Profile
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo(shipped_content: None) -> str:
    demo_create(username="demo", password=PASSWORD, today=timezone.localdate())
    return "demo"


def test_the_dashboard_in_english_and_german(page: Any, live_server: Any, demo: str) -> None:
    log_in(page, live_server.url, demo, password=PASSWORD)
    wait_for_charts(page)
    assert page.inner_text("[data-testid=passive-net-ttm]").startswith("€")
    assert "Figures computed" in page.inner_text("[data-testid=figures-computed]")
    assert page.locator("#ranking-heading").is_visible()
    assert page.locator("#concentration-heading").is_visible()
    screenshot(page, "dashboard-en")

    page.click("form.language-switch button[value=de]")
    assert page.get_attribute("html", "lang") == "de"
    wait_for_charts(page)
    assert page.inner_text("[data-testid=passive-net-ttm]").endswith("\u00a0€")
    assert page.locator("[data-testid=figures-computed]").is_visible()
    screenshot(page, "dashboard-de")


def test_recompute_now_includes_the_latest_changes(page: Any, live_server: Any, demo: str) -> None:
    log_in(page, live_server.url, demo, password=PASSWORD)
    # A change whose recompute has not run yet (tasks run eagerly here, so stamp it directly).
    Profile.objects.filter(user__username=demo).update(data_changed_at=timezone.now())
    page.reload()
    wait_for_charts(page)
    assert page.locator("[data-testid=stale-notice]").is_visible()
    screenshot(page, "dashboard-stale-en")

    with page.expect_navigation():  # the job's partial answers HX-Refresh once it is done
        page.click("[data-testid=figures-computed] button[type=submit]")
    wait_for_charts(page)
    assert page.locator("[data-testid=figures-computed]").is_visible()
    assert page.locator("[data-testid=stale-notice]").count() == 0


def test_phone_width_is_usable(browser: Any, live_server: Any, demo: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, demo, password=PASSWORD)
    wait_for_charts(page)
    screenshot(page, "dashboard-375-en")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the dashboard scrolls sideways at 375 px ({width} px wide)"
    context.close()
