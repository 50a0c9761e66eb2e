"""The calendar with amounts and the compare page with its difference column, in a real
browser at 375 and 1280 px, in English and German (issue 18; screenshots looked at)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.services import report_recompute
from scenarios.models import Scenario
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo_user(shipped_content: None) -> Any:
    from io import StringIO

    from django.contrib.auth.models import User

    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    user = User.objects.get(username="demo")
    report_recompute(owner=user, today=timezone.localdate(), force=True)
    return user


def _german(page: Any) -> None:
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_calendar_shows_amounts_totals_and_a_sticky_source_column(
    browser: Any, live_server: Any, demo_user: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    page.goto(f"{live_server.url}/calendar/")
    assert page.locator("[data-testid=expected-amount]").count() > 0
    assert page.locator("table.calendar tfoot tr").count() == 2
    first_amount = page.inner_text("[data-testid=expected-amount] >> nth=0")
    assert first_amount.startswith("€")
    # the source column stays while the months scroll sideways
    position = page.evaluate(
        "getComputedStyle(document.querySelector('table.calendar tbody th')).position"
    )
    assert position == "sticky"
    scrolls = page.evaluate(
        "(() => { const b = document.querySelector('.calendar-scroll');"
        " return b.scrollWidth > b.clientWidth; })()"
    )
    # the hint shows exactly when there is more to the right
    assert page.locator(".scroll-hint").is_visible() == scrolls
    screenshot(page, f"calendar-{width}-en")
    if scrolls:
        page.evaluate(
            "(() => { const b = document.querySelector('.calendar-scroll');"
            " b.scrollLeft = b.scrollWidth; })()"
        )
        page.wait_for_function("() => !document.querySelector('.scroll-hint.is-visible')")
        screenshot(page, f"calendar-{width}-en-scrolled")
    _german(page)
    assert page.inner_text("[data-testid=expected-amount] >> nth=0").endswith("\u00a0€")
    screenshot(page, f"calendar-{width}-de")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_demo_compare_shows_the_difference_to_the_first(
    browser: Any, live_server: Any, demo_user: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    first, second = Scenario.objects.filter(owner=demo_user).order_by("pk")
    page.goto(f"{live_server.url}/scenarios/compare/?ids={first.pk},{second.pk}")
    heading = page.inner_text("[data-testid=compare-diff-heading]")
    assert heading == "Difference to Savings plan: 500 a month"
    diff = page.inner_text(f"[data-testid=compare-diff-final_capital-{second.pk}]")
    assert diff.startswith(("+€", "−€"))
    screenshot(page, f"compare-{width}-en")
    _german(page)
    assert "Savings plan: 500 a month" in page.inner_text("[data-testid=compare-diff-heading]")
    screenshot(page, f"compare-{width}-de")
    context.close()
