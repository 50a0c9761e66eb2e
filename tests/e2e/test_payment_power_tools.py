"""The payments page as a power tool, in a real browser (issue 18, item 2).

The journey of the issue: find payments by search, tick ten, move them to another
source, delete three and undo, all through the page. Screenshots of the page at 375
and 1280 px in English and German go to ``test-artifacts/payments-*.png``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from income.models import IncomeSource, Payment
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import PaymentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(shipped_content: None) -> User:
    user: User = UserFactory.create(username="erika")
    flat = SourceFactory.create(owner=user, name="Flat Lindenstraße")
    SourceFactory.create(owner=user, name="Garage Nord")
    start = date(2025, 1, 3)
    for i in range(14):
        PaymentFactory.create(
            source=flat,
            date=start + timedelta(days=7 * i),
            gross=Decimal("120.00"),
            note="garage rent",
        )
    for i in range(30):
        PaymentFactory.create(
            source=flat,
            date=start + timedelta(days=3 * i),
            gross=Decimal("750.00"),
            tax_withheld=Decimal("0.00"),
            fees=Decimal("2.50"),
            note="flat rent",
        )
    return user


def console_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_find_select_ten_move_delete_three_and_undo(
    page: Any, live_server: Any, owner: User
) -> None:
    errors = console_errors(page)
    log_in(page, live_server.url, "erika")
    page.goto(f"{live_server.url}/payments/")
    page.fill("#id_search", "garage")
    with page.expect_navigation():
        page.click("[data-testid=payment-filter-submit]")
    assert "search=garage" in page.url
    assert page.inner_text("[data-testid=payment-count]") == "1–14 of 14"

    boxes = page.locator("[data-testid=select-payment]")
    for i in range(10):
        boxes.nth(i).check()
    assert "10" in page.inner_text("[data-testid=payment-selected-count]")
    garage = IncomeSource.objects.get(name="Garage Nord")
    page.select_option("#id_target_source", str(garage.pk))
    with page.expect_navigation():
        page.click("[data-testid=bulk-move]")
    assert "10 payments moved to “Garage Nord”." in page.inner_text("main")
    assert "search=garage" in page.url  # the filter is kept
    assert Payment.objects.filter(source=garage).count() == 10

    # the Garage source's rows, sorted by date; three deleted, then undone
    page.goto(f"{live_server.url}/payments/?source={garage.pk}&sort=date")
    assert page.inner_text("[data-testid=payment-count]") == "1–10 of 10"
    before = list(Payment.objects.order_by("pk").values())
    for i in range(3):
        page.locator("[data-testid=select-payment]").nth(i).check()
    with page.expect_navigation():
        page.click("[data-testid=bulk-delete]")
    assert "3 payments deleted." in page.inner_text("[data-testid=payment-undo]")
    assert page.inner_text("[data-testid=payment-count]") == "1–7 of 7"
    with page.expect_navigation():
        page.click("[data-testid=payment-undo-button]")
    assert "3 payments restored." in page.inner_text("main")
    assert page.inner_text("[data-testid=payment-count]") == "1–10 of 10"
    assert list(Payment.objects.order_by("pk").values()) == before
    assert not errors, errors


def test_select_all_ticks_the_page(page: Any, live_server: Any, owner: User) -> None:
    log_in(page, live_server.url, "erika")
    page.goto(f"{live_server.url}/payments/?search=750")
    page.check("[data-testid=payment-select-all]")
    assert page.locator("[data-testid=select-payment]:checked").count() == 30


@pytest.mark.parametrize("width", [375, 1280])
def test_the_payments_page_fits_in_english_and_german(
    browser: Any, live_server: Any, owner: User, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors = console_errors(page)
    log_in(page, live_server.url, "erika")
    for language in ["en", "de"]:
        page.goto(f"{live_server.url}/payments/?sort=-gross")
        if page.get_attribute("html", "lang") != language:
            page.click(f"form.language-switch button[value={language}]")
            page.wait_for_function(f"() => document.documentElement.lang === '{language}'")
        page.locator("[data-testid=select-payment]").nth(0).check()
        page.locator("[data-testid=select-payment]").nth(1).check()
        screenshot(page, f"payments-{width}-{language}")
        source = IncomeSource.objects.get(name="Flat Lindenstraße")
        page.goto(f"{live_server.url}/sources/{source.pk}/")
        screenshot(page, f"payments-source-{width}-{language}")
    context.close()
    assert not errors, errors
