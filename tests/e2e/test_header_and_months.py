"""The header's theme switch and menu, and the dashboard's last 12 months on a phone
(issue 18, items 1 and 4).

Screenshots, looked at:
``theme-<case>-dashboard-<width>.png`` (the four ways a page comes out light or dark),
``header-<width>-<language>.png`` (and ``header-only-…``, the header alone),
``phone-menu-escape-375.png``,
``months-<width>-<language>.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from income import services
from income.demo import demo_create
from reports.services import report_recompute
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
# The page's background and its main text, as the browser computed them.
COLOURS = (
    "() => [getComputedStyle(document.documentElement).backgroundColor,"
    " getComputedStyle(document.querySelector('main')).color]"
)
CHART_TICKS = (
    "() => Chart.getChart(document.querySelector('canvas[data-chart-source]'))"
    ".options.scales.x.ticks.color"
)


def brightness(colour: str) -> float:
    """0 (black) to 255 (white): the mean channel of an ``rgb(r, g, b)`` or ``#rrggbb``."""
    if colour.startswith("#"):
        channels = [float(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    else:
        channels = [float(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / 3


@pytest.fixture
def demo_user(shipped_content: None) -> User:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(width, scheme="light", touch=False)``: a page in a context of its own."""
    contexts: list[Any] = []

    def make(width: int, scheme: str = "light", touch: bool = False) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            reduced_motion="reduce",
            color_scheme=scheme,
            has_touch=touch,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def switch_language(page: Any, language: str) -> None:
    if page.get_attribute("html", "lang") != language:
        page.click(f"form.language-switch button[value={language}]")
        page.wait_for_function(f"() => document.documentElement.lang === '{language}'")


def press_theme_switch(page: Any) -> None:
    with page.expect_navigation():
        page.click("form.theme-switch button")


# ----------------------------------------------------------------------------- theme switch


@pytest.mark.parametrize("width", [375, 1280])
def test_pressing_the_theme_switch_makes_the_page_light_then_dark(
    new_page: Callable[..., Any], live_server: Any, demo_user: User, width: int
) -> None:
    page = new_page(width)  # a light device
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    switch = page.locator("form.theme-switch button")
    assert switch.is_visible()
    assert switch.get_attribute("aria-label") == (
        "Appearance: as the device is set. Switch to light."
    )
    press_theme_switch(page)  # the device's setting → light
    assert page.get_attribute("html", "data-theme") == "light"
    assert page.url == f"{live_server.url}/dashboard/"  # back on the same page
    press_theme_switch(page)  # light → dark
    assert page.get_attribute("html", "data-theme") == "dark"
    background, text = page.evaluate(COLOURS)
    assert brightness(background) < 60, f"a light page after switching to dark ({background})"
    assert brightness(text) > 150, f"dark text on the dark page ({text})"
    wait_for_charts(page)
    assert brightness(page.evaluate(CHART_TICKS)) > 150  # the charts follow the page
    demo_user.profile.refresh_from_db()
    assert demo_user.profile.theme == "dark"
    # The header keeps one row at a phone's width with the switch in it.
    assert page.locator("header.site-header").bounding_box()["height"] < 100
    screenshot(page, f"theme-switched-dark-dashboard-{width}")
    press_theme_switch(page)  # dark → the device's setting (light here)
    assert page.get_attribute("html", "data-theme") is None
    assert brightness(page.evaluate(COLOURS)[0]) > 200


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_header_keeps_one_row_with_menu_theme_and_language_switch(
    new_page: Callable[..., Any], live_server: Any, demo_user: User, language: str
) -> None:
    for width in (375, 1280):
        page = new_page(width)
        log_in(page, live_server.url, "demo", password=PASSWORD)
        switch_language(page, language)
        header = page.locator("header.site-header")
        assert header.bounding_box()["height"] < 100, f"{width} px: the header wraps"
        brand = page.locator("header .brand").bounding_box()
        for control in ("form.theme-switch button", "form.language-switch"):
            box = page.locator(control).bounding_box()
            assert box is not None, control
            assert box["x"] + box["width"] <= width, control
            # One row: every control beside the brand, none below it.
            assert abs(box["y"] + box["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
        screenshot(page, f"header-{width}-{language}")
        header.screenshot(path=str(ARTIFACTS / f"header-only-{width}-{language}.png"))


def test_the_four_ways_a_dashboard_comes_out_light_or_dark(
    new_page: Callable[..., Any], live_server: Any, demo_user: User
) -> None:
    """The device's dark, a chosen dark on a light device, a chosen light on a dark
    device, and the device's light: one colour set, picked by light-dark() (app.css)."""
    cases = {
        # name: (device, profile, dark?)
        "system-dark": ("dark", "system", True),
        "chosen-dark": ("light", "dark", True),
        "chosen-light-on-dark-device": ("dark", "light", False),
        "system-light": ("light", "system", False),
    }
    for name, (device, theme, dark) in cases.items():
        services.profile_update(user=demo_user, theme=theme)
        page = new_page(1280, scheme=device)
        log_in(page, live_server.url, "demo", password=PASSWORD)
        page.goto(f"{live_server.url}/dashboard/")
        wait_for_charts(page)
        background, text = page.evaluate(COLOURS)
        ticks = page.evaluate(CHART_TICKS)
        # A colour of ours (the main figure's card), not only Pico's page background.
        card = page.evaluate(
            "() => getComputedStyle(document.querySelector('.kpi-main')).backgroundColor"
        )
        if dark:
            assert brightness(background) < 60, f"{name}: {background}"
            assert brightness(text) > 150, f"{name}: {text}"
            assert brightness(ticks) > 150, f"{name}: chart labels {ticks}"
            assert brightness(card) < 80, f"{name}: main card {card}"
        else:
            assert brightness(background) > 200, f"{name}: {background}"
            assert brightness(text) < 120, f"{name}: {text}"
            assert brightness(ticks) < 120, f"{name}: chart labels {ticks}"
            assert brightness(card) > 200, f"{name}: main card {card}"
        screenshot(page, f"theme-{name}-dashboard-1280")


# ----------------------------------------------------------------------------- the menu


def test_on_a_phone_escape_closes_the_menu_and_gives_the_focus_back(
    new_page: Callable[..., Any], live_server: Any, demo_user: User
) -> None:
    page = new_page(375)
    log_in(page, live_server.url, "demo", password=PASSWORD)
    button = page.locator("summary.nav-menu-button")
    payments = page.get_by_role("link", name="Payments")
    button.click()
    assert payments.is_visible()
    screenshot(page, "phone-menu-escape-375")
    payments.focus()  # somewhere inside the open menu
    page.keyboard.press("Escape")
    assert not payments.is_visible()
    assert page.evaluate("() => document.activeElement.matches('summary.nav-menu-button')")


def test_on_a_phone_a_tap_beside_the_menu_closes_it(
    new_page: Callable[..., Any], live_server: Any, demo_user: User
) -> None:
    page = new_page(375, touch=True)
    log_in(page, live_server.url, "demo", password=PASSWORD)
    button = page.locator("summary.nav-menu-button")
    payments = page.get_by_role("link", name="Payments")
    button.tap()
    assert payments.is_visible()
    page.locator("summary.nav-menu-button").tap()  # its own button still toggles it
    assert not payments.is_visible()
    button.tap()
    assert payments.is_visible()
    panel = page.locator(".nav-links").bounding_box()
    page.touchscreen.tap(187, panel["y"] + panel["height"] + 40)  # on the page below
    assert not payments.is_visible()
    assert page.url == f"{live_server.url}/dashboard/"  # the tap only closed the menu
    button.tap()
    # The header beside the menu, too: a spot of the bar that is no control (tapping the
    # language form hit one of its buttons, and its POST was still running when the test
    # ended, which broke the live server's database for the tests after it).
    spot = page.evaluate(
        """() => {
            const bar = document.querySelector('header.site-header').getBoundingClientRect();
            const y = bar.top + 6;
            for (let x = bar.left + 2; x < bar.right; x += 4) {
                const hit = document.elementFromPoint(x, y);
                if (hit && hit.closest('header.site-header')
                    && !hit.closest('a, button, summary, input, select, label, form, .nav-links')) {
                    return {x, y};
                }
            }
            return null;
        }"""
    )
    assert spot is not None, "the header has no free spot to tap"
    page.touchscreen.tap(spot["x"], spot["y"])
    assert not payments.is_visible()
    assert page.url == f"{live_server.url}/dashboard/"  # nothing was submitted


def test_on_a_desktop_escape_and_clicks_leave_the_links_in_place(
    new_page: Callable[..., Any], live_server: Any, demo_user: User
) -> None:
    page = new_page(1280)
    log_in(page, live_server.url, "demo", password=PASSWORD)
    payments = page.get_by_role("link", name="Payments")
    page.keyboard.press("Escape")
    page.mouse.click(640, 600)
    assert payments.is_visible()


# ----------------------------------------------------------------------------- last 12 months


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_last_12_months_are_cards_on_a_phone_and_a_table_on_a_desktop(
    new_page: Callable[..., Any], live_server: Any, demo_user: User, language: str
) -> None:
    labels = {
        "en": ["Passive gross", "Passive net", "Active net"],
        "de": ["Passiv brutto", "Passiv netto", "Aktiv netto"],
    }[language]
    for width in (375, 1280):
        page = new_page(width)
        log_in(page, live_server.url, "demo", password=PASSWORD)
        switch_language(page, language)
        page.goto(f"{live_server.url}/dashboard/")
        table = page.locator("[data-testid=months-table]")
        rows = table.locator("tbody tr")
        assert rows.count() == 12
        first = rows.nth(0)
        running = page.locator("[data-testid=row-to-date] .badge-partial")
        assert running.is_visible()  # the running month still says "to date"
        cells = first.locator("td")
        if width == 375:
            # The column heads are there for a screen reader only (1 px).
            assert table.locator("thead").bounding_box()["height"] <= 1
            # Every figure on a line of its own, under the month, after its label.
            month = first.locator("th").bounding_box()
            tops = [cells.nth(i).bounding_box()["y"] for i in range(3)]
            assert month["y"] < tops[0] < tops[1] < tops[2]
            shown = [
                cells.nth(i).evaluate("c => getComputedStyle(c, '::before').content")
                for i in range(3)
            ]
            assert shown == [f'"{label}"' for label in labels]
            box = table.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width
        else:
            assert table.locator("thead").is_visible()
            heads = table.locator("thead th").all_inner_texts()
            assert heads[1:] == labels
            # One row a month: the figures stand beside the month.
            month = first.locator("th").bounding_box()
            assert all(abs(cells.nth(i).bounding_box()["y"] - month["y"]) < 2 for i in range(3))
        page.locator("#months-heading").scroll_into_view_if_needed()
        screenshot(page, f"months-dashboard-{width}-{language}")
        table.screenshot(path=str(ARTIFACTS / f"months-{width}-{language}.png"))
