"""The dashboard and the income calendar in the browser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from income.demo import demo_create
from tests.factories import PaymentFactory, SourceFactory, UserFactory, category


def test_a_new_user_is_guided_to_the_first_source(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "Start with your first income source" in html
    assert 'href="/sources/new/"' in html


def test_login_lands_on_the_dashboard(client: Client, alice: User, password: str) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response["Location"] == "/dashboard/"


def test_the_dashboard_shows_the_figures(client: Client, alice: User) -> None:
    today = timezone.localdate()
    source = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    PaymentFactory.create(source=source, date=today, gross=Decimal("1234.50"))
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert 'data-testid="passive-net-ttm">€1,234.50<' in html
    assert 'id="by-category-data"' in html
    assert "How passive is it really?" in html
    client.cookies["ertrag_language"] = "de"
    html = client.get("/dashboard/").content.decode()
    assert 'data-testid="passive-net-ttm">1.234,50\u00a0€<' in html


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_page_renders_for_the_demo_user(client: Client, db: None, language: str) -> None:
    demo = demo_create(username="demo", password="demo-pass-12345", today=timezone.localdate())
    client.force_login(demo.user)
    client.cookies["ertrag_language"] = language
    source = demo.user.income_sources.order_by("pk").first()
    assert source is not None
    urls = ["/dashboard/", "/calendar/", "/sources/", f"/sources/{source.pk}/", "/payments/"]
    urls += ["/imports/new/", "/settings/", "/sources/new/", f"/sources/{source.pk}/edit/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, language)


def test_the_dashboard_query_count_does_not_grow(client: Client, db: None) -> None:
    small, large = UserFactory.create(), UserFactory.create()
    for owner, count in ((small, 2), (large, 100)):
        for n in range(count):
            cat = category("rent") if n % 2 else category("etf-dividends")
            PaymentFactory.create(
                source=SourceFactory.create(owner=owner, category=cat), date=date(2025, 5, 5)
            )
    counts = []
    for owner in (small, large):
        client.force_login(owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_calendar_lists_expected_and_received(client: Client, alice: User) -> None:
    today = timezone.localdate()
    source = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        start_date=date(today.year - 1, 1, 1),
    )  # fmt: skip
    PaymentFactory.create(source=source, date=today.replace(day=1), gross=Decimal("750"))
    client.force_login(alice)
    html = client.get("/calendar/").content.decode()
    assert "badge-received" in html
    assert "badge-overdue" in html  # the three months before had no rent
    assert "badge-expected" in html


def test_the_calendar_shows_a_month_with_only_a_refund_as_a_refund_not_received(
    client: Client, alice: User
) -> None:
    today = timezone.localdate()
    source = SourceFactory.create(
        owner=alice, name="Shop", category=category("licences"), payout_rhythm="irregular",
        start_date=date(today.year - 1, 1, 1),
    )  # fmt: skip
    PaymentFactory.create(source=source, date=today.replace(day=1), gross=Decimal("-12.34"))
    client.force_login(alice)
    html = client.get("/calendar/").content.decode()
    assert '<span class="badge badge-refund">refund −€12.34</span>' in html
    assert 'class="cell-received' not in html
