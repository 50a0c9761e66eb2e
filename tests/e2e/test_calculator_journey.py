"""A visitor uses the calculator in a real browser, in English and in German."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.steps import fill_seed_example, wait_for_charts

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
    """1,000 % a year for 80 years is valid input; every digit of its result is shown,
    breaking between digits in the figure cards rather than widening the page."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(
        f"{live_server.url}/calculator/?initial_investment=2450472922932&annual_return=91.3985"
        "&investment_period=80&tax_rate=50.176094&additional_income=15"
    )
    assert page.inner_text("[data-testid=net-income]").replace("\n", "") == (
        "€43,829,858,524,378,797,045,127,030,975,281,037.31"
    )
    screenshot(page, f"calculator-35-digits-{width}-en")  # asserts the page fits its width
    context.close()
