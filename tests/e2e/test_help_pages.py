"""The help pages in a real browser, in English and German (screenshots)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def help_articles(transactional_db: None) -> None:
    """The shipped articles, as a fresh database has them (a flush removes them).

    Running the data migration's own step again is idempotent (``update_or_create``).
    """
    from django.apps import apps

    seed = importlib.import_module("income.migrations.0008_seed_help_articles")
    seed.forwards(apps, None)


def assert_readable_width(page: Any, selector: str) -> None:
    """Lines of help text stay short enough to read (about 70 characters)."""
    width = page.evaluate(f"() => document.querySelector('{selector}').clientWidth")
    assert width <= 700, f"{selector} is {width} px wide"


def test_the_help_pages_in_english_and_german(
    page: Any, live_server: Any, help_articles: None
) -> None:
    page.goto(f"{live_server.url}/help/")
    assert page.inner_text("h1") == "Help"
    assert page.locator("[data-testid=help-articles] h2").count() == 6
    assert page.get_attribute("nav a[href='/help/']", "aria-current") == "page"
    assert_readable_width(page, ".help-text")
    screenshot(page, "help-en")

    page.click("text=Key figures: MRR, ROI and churn")
    page.wait_for_url(f"{live_server.url}/help/key-figures/")
    assert page.locator("h1").count() == 1
    assert page.locator(".help-body ul li").count() == 3
    screenshot(page, "help-article-en")

    page.goto(f"{live_server.url}/help/")
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert "Was als passives Einkommen zählt" in page.inner_text("[data-testid=help-articles]")
    screenshot(page, "help-de")

    page.click("text=Passiv heißt nicht ohne Arbeit")
    page.wait_for_url(f"{live_server.url}/help/passive-is-not-without-work/")
    assert page.inner_text("h1") == "Passiv heißt nicht ohne Arbeit"
    assert page.locator(".help-body ul li").count() == 3
    assert_readable_width(page, ".help-text")
    screenshot(page, "help-article-de")
