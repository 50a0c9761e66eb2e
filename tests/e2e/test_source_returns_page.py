"""A source's own page in a real browser (issue #17.6, #17.12), on a phone and a desk, in
English and German: the demo ETF with its recorded values (total return, income yield,
an income payback; a value recorded with the htmx form), and the demo membership with
its MRR and subscriber chart and the revenue received each month.

Screenshots: ``test-artifacts/source-<etf|membership>-<width>-<language>.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from income.demo import demo_create
from income.models import AssetValue, IncomeSource
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in, wait_for_charts

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-pass-12345"


@pytest.fixture
def demo_user(shipped_content: None) -> Any:
    return demo_create(username="demo", password=PASSWORD, today=timezone.localdate()).user


def _open(browser: Any, live_server: Any, width: int, language: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, "demo", password=PASSWORD)
    if language == "de":
        page.click("form.language-switch button[value=de]")
        page.wait_for_function("() => document.documentElement.lang === 'de'")
    return context, page


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_etf_shows_its_value_total_return_and_income_payback(
    browser: Any, live_server: Any, demo_user: Any, width: int, language: str
) -> None:
    etf = IncomeSource.objects.get(owner=demo_user, name="FTSE All-World ETF")
    context, page = _open(browser, live_server, width, language)
    page.goto(f"{live_server.url}/sources/{etf.pk}/")
    assert page.locator("[data-testid=cash-roi]").count() == 0
    total = page.inner_text("[data-testid=total-return]")
    assert total.endswith("\u00a0€") if language == "de" else total.startswith("€")
    assert page.locator("[data-testid=value-table] tbody tr").count() == 4
    wait_for_charts(page)
    screenshot(page, f"source-etf-{width}-{language}")

    # A new value, recorded with the form on the page (its date is today's): the section
    # comes back with it. On the 1st the demo has a value of today already: it goes first.
    before = AssetValue.objects.filter(source=etf).exclude(date=timezone.localdate()).count()
    AssetValue.objects.filter(source=etf, date=timezone.localdate()).delete()
    page.fill("#id_value", "70000")
    page.fill("#id_note", "Checked today")
    page.click("#asset-value button[type=submit]")
    page.wait_for_selector("[data-testid=value-status]:not(:empty)")
    assert page.locator("[data-testid=value-table] tbody tr").count() == before + 1
    assert AssetValue.objects.filter(source=etf, value=70000).exists()
    assert page.inner_text("[data-testid=total-return]") != total
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_membership_shows_its_mrr_subscribers_and_revenue(
    browser: Any, live_server: Any, demo_user: Any, width: int, language: str
) -> None:
    club = IncomeSource.objects.get(owner=demo_user, name="Membership community")
    context, page = _open(browser, live_server, width, language)
    page.goto(f"{live_server.url}/sources/{club.pk}/")
    wait_for_charts(page)
    # Two charts: net income per month, and MRR with subscribers on a second axis.
    axes = page.evaluate(
        "() => Object.keys(Chart.getChart(document.querySelector("
        "'[data-chart-source=source-subscription-chart]')).scales)"
    )
    assert "y1" in axes
    received = page.locator("[data-testid=period-received]").all_inner_texts()
    assert received
    assert all(text != "—" for text in received)
    screenshot(page, f"source-membership-{width}-{language}")
    context.close()
