"""The main pages pass axe-core (from npm) with no serious or critical violation, in both languages.

axe checks what a screen reader and a keyboard user depend on: contrast, names of
links, buttons and form fields, landmarks, heading order, ``lang``. It runs in the
page itself, injected from ``node_modules`` (no CDN), after htmx and Chart.js have
done their work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from income.demo import demo_create
from income.models import IncomeSource
from reports.services import report_recompute
from scenarios.services import scenario_create

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"
AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo_user(shipped_content: None) -> User:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that may inject axe: the content security policy refuses the inline script
    ``add_script_tag`` makes (tests/e2e/test_content_security_policy.py proves it does)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce", bypass_csp=True
    )
    yield context.new_page()
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(url: str, violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        more = len(violation["nodes"]) - 5
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}"
            f" -> {targets}{f' (+{more} more)' if more > 0 else ''}"
        )
    return lines


def main_pages(user: User) -> list[str]:
    source = IncomeSource.objects.filter(owner=user).order_by("pk").first()
    assert source is not None
    scenario = scenario_create(
        owner=user,
        name="Accessible plan",
        starting_capital=10000,
        monthly_contribution=500,
        target_monthly_income=1000,
    )
    return [
        "/dashboard/",
        "/sources/",
        f"/sources/{source.pk}/",
        "/sources/new/",
        "/payments/",
        "/calendar/",
        "/reports/",
        "/scenarios/",
        f"/scenarios/{scenario.pk}/",
        "/calculator/?initial_investment=10000&annual_return=5&investment_period=10"
        "&tax_rate=15&additional_income=1000",
        "/settings/",
        "/settings/data/",
        "/settings/alerts/",
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_main_pages_have_no_serious_violations(
    page: Any, live_server: Any, demo_user: User, language: str
) -> None:
    pages = main_pages(demo_user)
    found: list[str] = []

    page.goto(f"{live_server.url}/accounts/login/")
    if language != "en":
        page.click(f"form.language-switch button[value={language}]")
    assert page.get_attribute("html", "lang") == language
    found += describe("/accounts/login/", axe_violations(page))

    page.fill("#id_username", "demo")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    if page.get_attribute("html", "lang") != language:
        page.click(f"form.language-switch button[value={language}]")
    assert page.get_attribute("html", "lang") == language

    for url in pages:
        page.goto(f"{live_server.url}{url}")
        assert page.get_attribute("html", "lang") == language
        found += describe(url, axe_violations(page))

    assert not found, f"axe ({language}) found:\n" + "\n".join(found)
