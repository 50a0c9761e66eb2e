"""The demo user's dashboard, read from the snapshot, in a real browser: English, German, phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from income.models import Profile
from tests.e2e.conftest import screenshot

# serialized_rollback: a transactional test flushes the tables, and the demo needs the
# categories and tax profiles the data migrations ship.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo(shipped_content: None) -> str:
    demo_create(username="demo", password=PASSWORD, today=timezone.localdate())
    return "demo"


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def wait_for_charts(page: Any) -> None:
    """Both charts are drawn (the canvases alone would be there without Chart.js)."""
    page.wait_for_function(
        "() => { const cs = document.querySelectorAll('canvas[data-chart-source]');"
        " return cs.length === 2 && window.Chart"
        " && [...cs].every(c => Chart.getChart(c) !== undefined); }"
    )


def test_the_dashboard_in_english_and_german(page: Any, live_server: Any, demo: str) -> None:
    log_in(page, live_server, demo)
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
    log_in(page, live_server, demo)
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
    log_in(page, live_server, demo)
    wait_for_charts(page)
    screenshot(page, "dashboard-375-en")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the dashboard scrolls sideways at 375 px ({width} px wide)"
    context.close()
