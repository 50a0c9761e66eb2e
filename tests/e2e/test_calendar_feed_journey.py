"""The private calendar feed in a browser (issue 24): a person turns it on in the
settings, copies the address from the page, and a calendar app (here a plain HTTP
client) fetches it from the live server without a log-in; the file parses with the
right events. Turned off in the browser, the address answers 404.

The page is photographed in English and German on a desk and a phone
(``test-artifacts/calendar-feed-<width>-<language>.png``).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date
from decimal import Decimal
from typing import Any

import icalendar
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from finance.schedule import add_months, month_start
from income.models import IncomeSource, Payment
from income.services import calendar_feed_create
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import PaymentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(shipped_content: None) -> tuple[User, IncomeSource, Payment]:
    """An ETF paid on the 20th of last month and next expected on the 15th in two months."""
    user = UserFactory.create(username="alice")
    this_month = month_start(timezone.localdate())
    etf = SourceFactory.create(
        owner=user, name="World ETF", payout_rhythm="quarterly",
        next_payout_date=add_months(this_month, 2).replace(day=15),
        start_date=add_months(this_month, -24),
    )  # fmt: skip
    payment = PaymentFactory.create(
        source=etf, date=add_months(this_month, -1).replace(day=20), gross=Decimal("1200.00"),
        tax_withheld=Decimal("200.00"),
    )  # fmt: skip
    return user, etf, payment


def _fetch(url: str) -> tuple[str, bytes]:
    """What a calendar app does: GET the address, no cookie, no token."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the live server)
        return response.headers["Content-Type"], response.read()


def test_the_feed_loads_in_a_parser_with_the_right_events(
    browser: Any, live_server: Any, seeded: tuple[User, IncomeSource, Payment]
) -> None:
    _user, etf, payment = seeded
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/settings/")
    screenshot(page, "calendar-feed-settings-1280-en")
    page.click("[data-testid=calendar-feed-page]")
    page.click("[data-testid=feed-create]")
    url = page.input_value("[data-testid=feed-url]")
    assert url.startswith(f"{live_server.url}/calendar/feed/")
    assert url.endswith(".ics")
    assert page.get_attribute("[data-testid=feed-webcal]", "href") == (
        "webcal://" + url.split("://", 1)[1]
    )

    content_type, body = _fetch(url)
    assert content_type == "text/calendar; charset=utf-8"
    calendar: Any = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Ertrag – income"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    received = events[f"payment-{payment.pk}@ertrag"]
    assert received.start == payment.date
    assert received["SUMMARY"] == "World ETF: €1,000.00 net received"
    assert "Source: World ETF (ETF dividends)" in received["DESCRIPTION"]
    expected_on = etf.next_payout_date
    assert isinstance(expected_on, date)
    expected = events[f"expected-{etf.pk}-{expected_on:%Y-%m}@ertrag"]
    assert expected.start == expected_on
    # 1,000.00 net in the last twelve months: 1,000.00 / 12 × 3 months per payout
    assert expected["SUMMARY"] == "World ETF: €250.00 net expected"
    assert expected["URL"] == f"{live_server.url}/sources/{etf.pk}/"
    assert {event["UID"] for event in events.values()} == set(events)  # one event per UID

    page.reload()
    assert "Last fetched by a calendar app" in page.inner_text("[data-testid=feed-status]")

    page.click("[data-testid=feed-revoke]")
    page.wait_for_selector("[data-testid=feed-create]")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch(url)
    assert refused.value.code == 404
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_feed_page_fits_a_phone_and_a_desk_in_both_languages(
    browser: Any, live_server: Any, seeded: tuple[User, IncomeSource, Payment], width: int
) -> None:
    user, _etf, _payment = seeded
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/settings/calendar-feed/")
    screenshot(page, f"calendar-feed-none-{width}-en")
    calendar_feed_create(owner=user)
    page.reload()
    assert page.input_value("[data-testid=feed-url]").startswith(live_server.url)
    screenshot(page, f"calendar-feed-{width}-en")
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert page.input_value("[data-testid=feed-url]").startswith(live_server.url)
    screenshot(page, f"calendar-feed-{width}-de")
    context.close()
