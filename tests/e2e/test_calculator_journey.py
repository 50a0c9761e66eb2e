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
