"""Issue 23 and 24 in a browser: a creator imports their Stripe subscriptions export and
reads the analytics it gives, in English and German, on a desk and a phone; and a USD
payment left out of the figures is counted once the ECB's rates are fetched from a real
HTTP server serving the ECB's files.

Celery is eager here (``tests/conftest.py``): "Import" imports on the spot, and a rate
fetch's recompute runs as its transaction commits. The pages are photographed
(``test-artifacts/billing-<page>-<width>-<language>.png``, ``rates-dashboard-…``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from imports.parsing.billing.presets import BILLING_PRESETS
from income import services
from income.models import BillingSubscription, Customer, IncomeSource
from tests.e2e.conftest import screenshot
from tests.e2e.language import assert_german
from tests.e2e.steps import log_in, wait_for_charts
from tests.factories import PaymentFactory, SourceFactory, UserFactory
from tests.http_files import file_server

pytestmark = pytest.mark.django_db(transaction=True)

TESTS = Path(__file__).resolve().parents[1]
STRIPE = (TESTS / "imports" / "fixtures" / "billing" / "stripe_subscriptions.csv").read_bytes()
ECB = TESTS / "income" / "fixtures" / "ecb"
# What the file says (names, plans, statuses, ids) is no text of the page's language.
FILE_TEXT = (
    *(p.name for p in BILLING_PRESETS.values()), "Stripe", "Anna Berg", "Ben Okafor",
    "Carla Dietz", "Dora (team)", "Frieda Gross", "Gert Hansen", "Ertrag Pro (yearly)",
    "Ertrag Pro", "Extra seat", "active", "canceled", "trialing", "paused", "past_due",
    "incomplete_expired",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _content(shipped_content: None) -> None:
    """The shipped categories: the export's new source is created in one."""


def check(page: Any, name: str, language: str, width: int) -> None:
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == language
    if language == "de":
        assert_german(page, allowed=tuple(sorted(FILE_TEXT, key=len, reverse=True)))
    screenshot(page, f"{name}-{width}-{language}")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_stripe_export_becomes_subscription_analytics(
    browser: Any, live_server: Any, language: str, width: int
) -> None:
    user = UserFactory.create(language=language)
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/imports/new/")
    assert page.locator("[data-testid=import-billing-presets] li").count() == 4
    page.set_input_files(
        "#id_file", files=[{"name": "subscriptions.csv", "mimeType": "text/csv", "buffer": STRIPE}]
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=count-subscriptions]")
    assert page.get_attribute("[data-testid=import-layout]", "data-layout") == "billing"
    assert page.inner_text("[data-testid=count-subscriptions]") == "7"
    assert page.inner_text("[data-testid=count-new-customers]") == "6"
    assert page.inner_text("[data-testid=count-skipped]") == "1"
    check(page, "billing-preview", language, width)

    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=import-see-customers]")
    assert page.inner_text("[data-testid=count-created]") == "7"
    check(page, "billing-result", language, width)
    source = IncomeSource.objects.get(owner=user)
    assert (source.name, source.category.slug) == ("Stripe", "saas")
    assert Customer.objects.filter(source=source).count() == 6
    assert BillingSubscription.objects.filter(customer__source=source).count() == 7

    page.click("[data-testid=import-see-customers]")
    page.wait_for_selector("[data-testid=billing]")
    wait_for_charts(page)
    assert page.locator("[data-testid=retention-customers]").count() == 1
    check(page, "billing-analytics", language, width)

    # The same export again: nothing new, nothing doubled.
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files(
        "#id_file", files=[{"name": "subscriptions.csv", "mimeType": "text/csv", "buffer": STRIPE}]
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=count-new-subscriptions]")
    assert page.inner_text("[data-testid=count-new-subscriptions]") == "0"
    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=count-duplicates]")
    assert page.inner_text("[data-testid=count-duplicates]") == "7"
    assert BillingSubscription.objects.filter(customer__source=source).count() == 7
    context.close()


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_usd_payment_is_counted_once_the_rates_are_fetched(
    browser: Any, live_server: Any, language: str
) -> None:
    user = UserFactory.create(language=language)
    source = SourceFactory.create(owner=user, name="US shares", currency="USD")
    PaymentFactory.create(source=source, date=date(2026, 12, 2), gross=Decimal("108.00"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/sources/{source.pk}/")
    page.wait_for_load_state("networkidle")
    # No rate yet: the payment is left out, and the page says so.
    assert page.locator("main article[role=alert]").count() == 1
    screenshot(page, f"rates-waiting-1280-{language}")

    with file_server() as ecb:
        ecb.files["/hist.zip"] = (200, (ECB / "eurofxref-hist.zip").read_bytes())
        with override_settings(ECB_RATES_HISTORY_URL=ecb.url("/hist.zip")):
            fetch = services.ecb_rates_fetch()
    assert fetch.users_recomputed == 1

    page.goto(f"{live_server.url}/sources/{source.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main article[role=alert]").count() == 0
    # 108.00 USD at 1.0800 USD per euro on 2 December: 100.00 € gross.
    body = page.inner_text("main")
    assert ("€100.00" if language == "en" else "100,00\u00a0€") in body, body[:400]
    screenshot(page, f"rates-source-1280-{language}")
    context.close()
