"""The demo account's main pages on a dark device, at a phone's and a desktop's width.

Screenshots ``test-artifacts/dark-<page>-<width>.png``, looked at: every text, badge,
warning and chart axis must be readable on the dark page.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from income.models import IncomeSource
from reports.services import report_recompute
from scenarios.models import Scenario
from scenarios.services import scenario_create
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
WIDTHS = (1280, 375)
# The page's background and its main text, as the browser computed them.
COLOURS = (
    "() => [getComputedStyle(document.documentElement).backgroundColor,"
    " getComputedStyle(document.querySelector('main')).color]"
)


def brightness(colour: str) -> float:
    """0 (black) to 255 (white): the mean channel of an ``rgb(r, g, b)`` or ``#rrggbb``."""
    if colour.startswith("#"):
        channels = [float(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    else:
        channels = [float(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3


@pytest.fixture
def demo(shipped_content: None) -> dict[str, int]:
    today = timezone.localdate()
    result = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=result.user, today=today, force=True)
    source = IncomeSource.objects.filter(owner=result.user).order_by("pk").first()
    assert source is not None
    scenario = Scenario.objects.filter(owner=result.user).order_by("pk").first()
    if scenario is None:  # the demo may not bring one; a savings plan to look at
        scenario = scenario_create(
            owner=result.user,
            name="Savings plan",
            starting_capital=Decimal("10000"),
            monthly_contribution=Decimal("500"),
            annual_return=Decimal("0.05"),
            horizon_years=20,
        )
    return {"source": source.pk, "scenario": scenario.pk}


@pytest.fixture
def dark_page(browser: Any) -> Iterator[Any]:
    """A browser whose device asks for dark pages (``prefers-color-scheme: dark``)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce", color_scheme="dark"
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_main_pages_are_dark_on_a_dark_device(
    dark_page: Any, live_server: Any, demo: dict[str, int]
) -> None:
    page = dark_page
    log_in(page, live_server.url, "demo", password=PASSWORD)
    pages = {
        "dashboard": ("/dashboard/", True),
        "payments": ("/payments/", False),
        "source": (f"/sources/{demo['source']}/", True),
        "calendar": ("/calendar/", False),
        "scenario": (f"/scenarios/{demo['scenario']}/", True),
    }
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, (path, charts) in pages.items():
            page.goto(f"{live_server.url}{path}")
            assert page.get_attribute("html", "data-theme") is None  # the device decides
            background, text = page.evaluate(COLOURS)
            assert brightness(background) < 60, f"{name}: a light page ({background})"
            assert brightness(text) > 150, f"{name}: dark text ({text})"
            if charts:
                wait_for_charts(page)
                tick = page.evaluate(
                    "() => Chart.getChart(document.querySelector('canvas[data-chart-source]'))"
                    ".options.scales.x.ticks.color"
                )
                assert brightness(tick) > 150, f"{name}: chart labels dark on dark ({tick})"
            screenshot(page, f"dark-{name}-{width}")


def test_a_profile_that_chose_light_stays_light_on_a_dark_device(
    dark_page: Any, live_server: Any, demo: dict[str, int]
) -> None:
    page = dark_page
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    screenshot(page, "dark-settings-1280")
    page.select_option("#id_theme", "light")
    page.select_option("#id_date_style", "iso")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.get_attribute("html", "data-theme") == "light"
    background, text = page.evaluate(COLOURS)
    assert brightness(background) > 200
    assert brightness(text) < 120
    page.set_viewport_size({"width": 375, "height": 900})
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert page.get_attribute("html", "data-theme") == "light"
    screenshot(page, "light-settings-de-375")
