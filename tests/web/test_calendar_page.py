"""/calendar/ shows the expected amount of each payout and each month's totals (issue 18)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months, month_start
from tests.factories import PaymentFactory, SourceFactory, category


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:span|td|small)>', html, re.S)
    assert match, f"{testid} not on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_calendar_shows_amounts_and_monthly_totals(client: Client, alice: User) -> None:
    this_month = month_start(timezone.localdate())
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        start_date=date(2020, 1, 1),
    )  # fmt: skip
    for back in range(1, 13):  # the twelve complete months before this one: 750 each
        PaymentFactory.create(
            source=flat, date=add_months(this_month, -back).replace(day=3), gross=Decimal("750")
        )
    client.force_login(alice)
    html = client.get("/calendar/").content.decode()
    # 12 × 750 / 12 = 750.00 expected in every coming month
    assert _text(html, "expected-amount") == "€750.00"
    next_month = add_months(this_month, 1)
    assert _text(html, f"expected-total-{next_month:%Y-%m}") == "€750.00"
    last_month = add_months(this_month, -1)
    assert _text(html, f"received-total-{last_month:%Y-%m}").startswith("€750.00")
    assert "100% of expected" in html
    assert _text(html, f"received-total-{next_month:%Y-%m}") == "—"  # still to come
    assert "data-scroll-hint" in html
    client.cookies["ertrag_language"] = "de"
    html = client.get("/calendar/").content.decode()
    assert _text(html, "expected-amount") == "750,00\u00a0€"
