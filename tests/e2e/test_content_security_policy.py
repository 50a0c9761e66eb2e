"""The content security policy holds on every page and nothing on them breaks under it.

Chromium reports each refused script, style or image as a ``securitypolicyviolation``
event; the pages are used as a person uses them (htmx swaps, charts, the source form's
script, the API docs, the admin), and no such event may fire.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from income.demo import demo_create
from reports.services import report_recompute
from tests.e2e.steps import log_in, wait_for_charts
from tests.e2e.test_accessibility import main_pages

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shipped_content")]

PASSWORD = "demo-pass-12345"
COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} refused ${e.blockedURI || 'inline'}`
                    + ` (${e.sourceFile || ''}:${e.lineNumber || ''})`));
"""


def violations(page: Any) -> list[str]:
    page.wait_for_load_state("networkidle")
    found: list[str] = page.evaluate("window.__csp || []")
    return found


@pytest.fixture
def demo_user() -> User:
    today = timezone.localdate()
    demo = demo_create(username="demo", password=PASSWORD, today=today)
    report_recompute(owner=demo.user, today=today, force=True)
    return demo.user


def test_every_response_carries_the_policy(client: Any, db: None) -> None:
    policy = client.get("/calculator/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_pages_work_without_a_single_violation(
    page: Any, live_server: Any, demo_user: User
) -> None:
    page.add_init_script(COLLECT)
    found: dict[str, list[str]] = {}
    log_in(page, live_server.url, demo_user.username, password=PASSWORD)
    for url in main_pages(demo_user):
        page.goto(f"{live_server.url}{url}")
        if page.locator("canvas[data-chart-source]").count():
            wait_for_charts(page)
        found[url] = violations(page)

    # htmx at work: a payment added in place, a scenario previewed as it is typed.
    page.goto(f"{live_server.url}/payments/")
    page.select_option("#id_source", index=1)
    page.fill("#id_gross", "12.34")
    page.click("#quick-add-fields button[type=submit]")
    page.wait_for_selector("#quick-add-status:has-text('12.34')")
    found["/payments/ (quick add)"] = violations(page)
    page.goto(f"{live_server.url}/scenarios/new/")
    page.fill("#id_starting_capital", "20000")
    page.wait_for_load_state("networkidle")
    found["/scenarios/new/ (preview)"] = violations(page)

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    found["/api/docs/"] = violations(page)

    assert {url: v for url, v in found.items() if v} == {}

    # What would be reported: an inline style, as htmx would add one if it were allowed to.
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'),"
        " {textContent: 'body { color: red; }'}))"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert "style-src" in violations(page)[0]


def test_the_admin_works_without_a_violation(page: Any, live_server: Any, db: None) -> None:
    User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    page.add_init_script(COLLECT)
    log_in(page, live_server.url, "chefin", password=PASSWORD)
    found = {}
    for url in ("/admin/", "/admin/income/incomecategory/", "/admin/income/incomecategory/add/"):
        page.goto(f"{live_server.url}{url}")
        found[url] = violations(page)
    assert {url: v for url, v in found.items() if v} == {}
