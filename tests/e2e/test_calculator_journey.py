"""A visitor uses the calculator in a real browser, in English and in German."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.steps import fill_seed_example, log_in, wait_for_charts
from tests.factories import ScenarioFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_seeds_example_in_english(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/calculator/")
    fill_seed_example(page)
    page.click("button[type=submit]:has-text('Calculate')")
    assert page.inner_text("[data-testid=gross-income]") == "€6,288.95"
    assert page.inner_text("[data-testid=net-income]") == "€6,345.61"
    wait_for_charts(page)
    assert page.locator("table.numbers tbody tr").count() == 10
    screenshot(page, "calculator-en")


def test_the_seeds_example_in_german(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.click("form.language-switch button[value=de]")
    assert page.get_attribute("html", "lang") == "de"
    fill_seed_example(page)
    page.click("button[type=submit]:has-text('Berechnen')")
    assert page.inner_text("[data-testid=gross-income]") == "6.288,95\u00a0€"
    assert page.inner_text("[data-testid=net-income]") == "6.345,61\u00a0€"
    wait_for_charts(page)
    screenshot(page, "calculator-de")


def test_bad_input_shows_the_error_next_to_the_field(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.fill("#id_investment_period", "500")
    page.click("button[type=submit]:has-text('Calculate')")
    assert page.locator("#id_investment_period_error").is_visible()
    assert page.get_attribute("#id_investment_period", "aria-invalid") == "true"
    screenshot(page, "calculator-error-en")


def test_phone_width_is_usable(browser: Any, live_server: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(
        f"{live_server.url}/calculator/?initial_investment=10000&annual_return=5"
        "&investment_period=10&tax_rate=15&additional_income=1000"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways at 375 px ({width} px wide)"
    screenshot(page, "calculator-phone-en")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_35_digit_result_is_shown_whole_without_pushing_the_page_sideways(
    browser: Any, live_server: Any, width: int
) -> None:
    """1,000 % a year for 80 years is valid input; every digit of its result is shown on
    one line (issue 18: a number never breaks), shrunk and, where it still does not fit,
    scrolling inside its card rather than widening the page."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(
        f"{live_server.url}/calculator/?initial_investment=2450472922932&annual_return=91.3985"
        "&investment_period=80&tax_rate=50.176094&additional_income=15"
    )
    assert page.inner_text("[data-testid=net-income]").replace("\n", "") == (
        "€43,829,858,524,378,797,045,127,030,975,281,037.31"
    )
    lines = page.evaluate(
        "(() => { const e = document.querySelector('[data-testid=net-income]');"
        " const range = document.createRange(); range.selectNodeContents(e);"
        " return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })()"
    )
    assert lines == 1, f"the 35-digit amount breaks over {lines} lines"
    screenshot(page, f"calculator-35-digits-{width}-en")  # asserts the page fits its width
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_saved_calculation_shows_the_calculators_figures(
    browser: Any, live_server: Any, width: int
) -> None:
    """Issue 17, item 5: "Save as scenario" opens a scenario with the calculator's end
    capital and net (16,288.95 and 6,345.61; it said 15,162.13), in English and German."""
    saver = UserFactory.create(username="saver")
    yearly = ScenarioFactory.create(owner=saver, name="Taxed every year", horizon_years=10)
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "saver")
    page.goto(f"{live_server.url}/calculator/")
    fill_seed_example(page)
    page.click("button[type=submit]:has-text('Calculate')")
    assert page.inner_text("[data-testid=final-capital]") == "€16,288.95"
    with page.expect_navigation():
        page.click("[data-testid=save-as-scenario] button[type=submit]")
    assert "/scenarios/" in page.url
    assert page.inner_text("[data-testid=final-capital]") == "€16,288.95"
    assert page.inner_text("[data-testid=net-income]") == "€6,345.61"
    assert "This scenario reproduces the calculator" in page.inner_text(
        "[data-testid=saved-calculation]"
    )
    wait_for_charts(page)
    screenshot(page, f"saved-calculation-{width}-en")
    detail = page.url
    page.goto(detail + "edit/")
    assert page.input_value("#id_tax_timing") == "at_end"
    page.wait_for_selector("[data-testid=preview-net-income]")
    assert page.inner_text("[data-testid=preview-net-income]") == "€6,345.61"
    screenshot(page, f"saved-calculation-form-{width}-en")
    pk = detail.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"{live_server.url}/scenarios/compare/?ids={pk},{yearly.pk}")
    assert page.inner_text(f"[data-testid=compare-net-{pk}]") == "€6,345.61"
    screenshot(page, f"saved-calculation-compare-{width}-en")
    page.goto(f"{live_server.url}/scenarios/")
    assert page.is_visible(f"[data-testid=saved-calculation-{pk}]")
    screenshot(page, f"saved-calculation-list-{width}-en")

    page.goto(detail)
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert page.inner_text("[data-testid=final-capital]") == "16.288,95\u00a0€"
    assert page.inner_text("[data-testid=net-income]") == "6.345,61\u00a0€"
    wait_for_charts(page)
    screenshot(page, f"saved-calculation-{width}-de")
    page.goto(detail + "edit/")
    screenshot(page, f"saved-calculation-form-{width}-de")
    page.goto(f"{live_server.url}/scenarios/compare/?ids={pk},{yearly.pk}")
    assert page.inner_text(f"[data-testid=compare-net-{pk}]") == "6.345,61\u00a0€"
    screenshot(page, f"saved-calculation-compare-{width}-de")
    page.goto(f"{live_server.url}/scenarios/")
    screenshot(page, f"saved-calculation-list-{width}-de")
    context.close()
