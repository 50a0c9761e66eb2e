"""The pages a person uses most, at phone (375 px) and desktop (1280 px) width, in English
and German: nothing scrolls sideways, no visible text is cut off (both checked by
``screenshot``), and on a phone the navigation folds behind one menu button.

Screenshots go to ``test-artifacts/phone-<page>-<width>-<language>.png`` for a person
to look at.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from income.demo import demo_create
from income.models import IncomeSource
from reports.services import report_recompute
from scenarios.services import scenario_create
from tests.e2e.conftest import ARTIFACTS, clipped_text, screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo_user(shipped_content: None) -> User:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


def owned_pages(user: User) -> dict[str, str]:
    """The pages whose layout this test holds, by a short name for the screenshot."""
    source = IncomeSource.objects.filter(owner=user).order_by("pk").first()
    assert source is not None
    scenario = scenario_create(
        owner=user,
        name="Savings plan with a long name for a phone",
        starting_capital=Decimal("10000"),
        monthly_contribution=Decimal("500"),
        target_monthly_income=Decimal("1000"),
        volatility=Decimal("0.15"),
        horizon_years=10,
    )
    return {
        "dashboard": "/dashboard/",
        "sources": "/sources/",
        "source": f"/sources/{source.pk}/",
        "scenarios": "/scenarios/",
        "scenario": f"/scenarios/{scenario.pk}/",
        "reports": "/reports/",
        "import-new": "/imports/new/",
    }


# The x axis of every chart of the page: its shown labels, each as [left, right] in pixels.
AXIS_LABELS = """() => [...document.querySelectorAll('canvas[data-chart-source]')].map(canvas => {
  const scale = Chart.getChart(canvas).scales.x;
  scale.ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
  return scale.ticks.map((tick, index) => {
    const text = String(scale.getLabelForValue(tick.value));
    const width = scale.ctx.measureText(text).width;
    const x = scale.getPixelForTick(index);
    return [text, x - width / 2, x + width / 2, scale.labelRotation];
  });
})"""


def switch_language(page: Any, language: str) -> None:
    if page.get_attribute("html", "lang") != language:
        page.click(f"form.language-switch button[value={language}]")
        page.wait_for_function(f"() => document.documentElement.lang === '{language}'")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_main_pages_fit_a_phone_and_a_desktop_without_cutting_text(
    browser: Any, live_server: Any, demo_user: User, width: int
) -> None:
    pages = owned_pages(demo_user)
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    broken: list[str] = []
    for language in ["en", "de"]:
        switch_language(page, language)
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            if page.locator("canvas[data-chart-source]").count():
                wait_for_charts(page)
            assert page.get_attribute("html", "lang") == language
            try:
                screenshot(page, f"phone-{name}-{width}-{language}")
            except AssertionError as error:  # every page's findings at once, and its picture
                broken.append(str(error))
                page.screenshot(path=str(ARTIFACTS / f"phone-{name}-{width}-{language}.png"))
    context.close()
    assert not broken, "\n".join(broken)


def test_on_a_phone_the_navigation_folds_behind_one_menu_button(
    browser: Any, live_server: Any, demo_user: User
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    header = page.locator("header.site-header")
    # One row: the brand, the menu button and the language switch (the old header took
    # four rows of links, about 250 px).
    assert header.bounding_box()["height"] < 100
    menu = page.locator("summary.nav-menu-button")
    assert menu.is_visible()
    assert page.locator("form.language-switch").is_visible()
    assert not page.get_by_role("link", name="Payments").is_visible()

    menu.focus()
    page.keyboard.press("Enter")  # a keyboard opens it as a click does
    assert page.get_by_role("link", name="Payments").is_visible()
    assert page.locator("form[action$='/logout/'] button").is_visible()
    screenshot(page, "phone-menu-open-375-en")
    page.get_by_role("link", name="Payments").click()
    page.wait_for_url(f"{live_server.url}/payments/")
    assert not page.get_by_role("link", name="Sources").is_visible()  # closed again
    context.close()


@pytest.mark.parametrize("width", [1000, 1280])
def test_on_a_desktop_the_navigation_stands_in_one_row(
    browser: Any, live_server: Any, demo_user: User, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    for language in ["en", "de"]:
        switch_language(page, language)
        assert not page.locator("summary.nav-menu-button").is_visible()
        for href in ["/dashboard/", "/sources/", "/payments/", "/scenarios/", "/settings/"]:
            assert page.locator(f".nav-links a[href='{href}']").is_visible()
        assert page.locator("form[action$='/logout/'] button").is_visible()
        if width >= 1280:  # just past 1000 px the German links take a second row
            assert page.locator("header.site-header").bounding_box()["height"] < 100
        screenshot(page, f"phone-navigation-{width}-{language}")
    context.close()


CLIPPING = """
<style>
  .box { width: 60px; overflow: hidden; white-space: nowrap; }
  .dots { width: 60px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  .scroll { width: 80px; overflow-x: auto; }
  .sticky td:first-child { position: sticky; left: 0; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; }
</style>
<div id="cut" class="box">Bearbeiten und noch viel mehr</div>
<div id="dots" class="dots">Kapitalrendite der Quelle</div>
<div class="scroll"><table><tbody><tr><td>Monat</td><td>Passiv netto</td>
  <td>Aktiv netto</td></tr></tbody></table></div>
<div class="scroll sticky"><table><tbody><tr><td>Monat</td><td>Passiv netto</td>
  <td>Aktiv netto</td></tr></tbody></table></div>
<span class="sr-only">Only for screen readers, and long</span>
<div class="box">fits</div>
"""


def test_the_clipping_check_finds_cut_text_and_spares_what_can_be_read(page: Any) -> None:
    page.set_content(CLIPPING)
    found = "\n".join(clipped_text(page))
    assert "Bearbeiten und noch" in found  # overflow: hidden
    assert "Kapitalrendite" in found  # an ellipsis
    assert "Aktiv netto (cut by the scrolling" in found  # a scroller without a sticky column
    assert 'class="scroll sticky"' not in found  # one with a sticky column can be read
    assert "screen readers" not in found
    assert "fits" not in found


def test_the_monte_carlo_axis_labels_do_not_run_into_each_other_on_a_phone(
    browser: Any, live_server: Any, demo_user: User
) -> None:
    """30 years of months ("Dezember 2026" ... "Dezember 2056") on a 300 px canvas."""
    scenario = scenario_create(
        owner=demo_user,
        name="Thirty years",
        starting_capital=Decimal("10000"),
        monthly_contribution=Decimal("500"),
        volatility=Decimal("0.15"),
        horizon_years=30,
    )
    context = browser.new_context(viewport={"width": 375, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    switch_language(page, "de")
    page.goto(f"{live_server.url}/scenarios/{scenario.pk}/")
    wait_for_charts(page)
    for labels in page.evaluate(AXIS_LABELS):
        assert len(labels) >= 2
        level = [label for label in labels if label[3] == 0]
        for (text, _, right, _), (following, left, _, _) in pairwise(level):
            assert right < left, f"{text!r} runs into {following!r}"
    screenshot(page, "phone-scenario-30-years-375-de")
    context.close()
