"""The private calendar feed in the browser (issue 24): the settings page makes the
address, renews it and turns it off; the address answers any client without a log-in,
as text/calendar, and a token that is not (or no longer) a feed's is a plain 404."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from income.models import CalendarFeed
from income.services import calendar_feed_create, calendar_feed_revoke
from tests.factories import PaymentFactory, SourceFactory

PAGE = "/settings/calendar-feed/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _path(feed: CalendarFeed) -> str:
    return f"/calendar/feed/{feed.token}.ics"


def test_the_page_requires_a_log_in(db: None) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_without_a_feed_the_page_offers_to_make_one(alice: User) -> None:
    response = _client(alice).get(PAGE)
    assert response.status_code == 200
    assert b'data-testid="feed-create"' in response.content
    assert b'data-testid="feed-url"' not in response.content


def test_making_the_feed_shows_its_absolute_address_and_a_webcal_link(alice: User) -> None:
    client = _client(alice)
    response = client.post(PAGE, {"action": "create"}, follow=True)
    feed = CalendarFeed.objects.get(owner=alice)
    assert len(feed.token) == 43  # 32 random bytes, URL-safe base64
    page = response.content.decode()
    assert f'value="http://testserver/calendar/feed/{feed.token}.ics"' in page
    assert f'href="webcal://testserver/calendar/feed/{feed.token}.ics"' in page
    assert "Your calendar address is ready" in page
    assert "No calendar app has fetched it yet." in page


def test_making_it_again_keeps_the_address(alice: User) -> None:
    client = _client(alice)
    client.post(PAGE, {"action": "create"})
    token = CalendarFeed.objects.get(owner=alice).token
    client.post(PAGE, {"action": "create"})
    assert list(CalendarFeed.objects.values_list("token", flat=True)) == [token]


def test_the_address_answers_without_a_log_in_as_a_private_calendar_file(alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="World ETF")
    payment = PaymentFactory.create(source=source, date=timezone.localdate())
    feed = calendar_feed_create(owner=alice)
    anonymous = Client()
    response = anonymous.get(_path(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Content-Disposition"] == 'inline; filename="ertrag.ics"'
    assert not response.cookies  # no session was started
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = [
        e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"payment-{payment.pk}@ertrag"
    ]
    assert event["SUMMARY"] == "World ETF: €100.00 net received"
    assert event["URL"] == f"http://testserver/sources/{source.pk}/"


def test_the_address_takes_get_and_head_only(alice: User) -> None:
    feed = calendar_feed_create(owner=alice)
    client = Client()
    head = client.head(_path(feed))
    assert head.status_code == 200
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(_path(feed)).status_code == 405


def test_the_feed_speaks_the_owners_language_not_the_readers(alice: User) -> None:
    SourceFactory.create(owner=alice, name="Depot", payout_rhythm="monthly")
    feed = calendar_feed_create(owner=alice)
    response = Client().get(_path(feed), HTTP_ACCEPT_LANGUAGE="de")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["X-WR-CALNAME"] == "Ertrag – income"


def test_a_new_address_stops_the_old_one_at_once(alice: User) -> None:
    client = _client(alice)
    old = calendar_feed_create(owner=alice)
    old_path = _path(old)
    response = client.post(PAGE, {"action": "rotate"}, follow=True)
    new = CalendarFeed.objects.get(owner=alice)
    assert new.token != old.token
    assert "the old one no longer works" in response.content.decode()
    assert Client().get(old_path).status_code == 404
    assert Client().get(_path(new)).status_code == 200


def test_turning_the_feed_off_makes_its_address_404(alice: User) -> None:
    client = _client(alice)
    feed = calendar_feed_create(owner=alice)
    response = client.post(PAGE, {"action": "revoke"}, follow=True)
    assert not CalendarFeed.objects.filter(owner=alice).exists()
    assert b'data-testid="feed-create"' in response.content
    assert Client().get(_path(feed)).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["x" * 43, "not-a-feed", "a" * 200, "%2e%2e", "ab$cd" * 9],
)
def test_a_made_up_token_is_404(alice: User, token: str) -> None:
    calendar_feed_create(owner=alice)
    assert Client().get(f"/calendar/feed/{token}.ics").status_code == 404


def test_bobs_revoked_address_is_404_to_anyone_and_the_same_404_as_an_unknown_one(
    alice: User, bob: User
) -> None:
    bobs = calendar_feed_create(owner=bob)
    calendar_feed_revoke(owner=bob)
    made_up = "Q" * 43
    for client in (Client(), _client(alice), _client(bob)):
        assert client.get(_path(bobs)).status_code == 404
    # Nothing tells a revoked feed (of an account that exists) from one never made: the
    # same page but for the address itself and what differs per answer anyway.
    revoked = Client().get(_path(bobs)).content.replace(bobs.token.encode(), b"TOKEN")
    unknown = (
        Client().get(f"/calendar/feed/{made_up}.ics").content.replace(made_up.encode(), b"TOKEN")
    )
    per_answer = re.compile(rb'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
    assert per_answer.sub(b"", revoked) == per_answer.sub(b"", unknown)


def test_a_signed_in_reader_does_not_make_the_feed_cacheable_by_others(alice: User) -> None:
    feed = calendar_feed_create(owner=alice)
    response = _client(alice).get(_path(feed))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_read_is_stamped_at_most_once_an_hour(alice: User) -> None:
    feed = calendar_feed_create(owner=alice)
    client = Client()
    client.get(_path(feed))
    feed.refresh_from_db()
    first = feed.last_read_at
    assert first is not None
    client.get(_path(feed))
    feed.refresh_from_db()
    assert feed.last_read_at == first  # within the hour: no write
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=first - timedelta(hours=2))
    client.get(_path(feed))
    feed.refresh_from_db()
    assert feed.last_read_at is not None
    assert feed.last_read_at > first - timedelta(hours=1)
    assert "Last fetched by a calendar app" in _client(alice).get(PAGE).content.decode()


def test_an_unknown_action_changes_nothing(alice: User) -> None:
    feed = calendar_feed_create(owner=alice)
    response = _client(alice).post(PAGE, {"action": "explode"}, follow=True)
    assert "Unknown action; nothing was changed." in response.content.decode()
    assert CalendarFeed.objects.get(owner=alice).token == feed.token


def test_settings_and_the_calendar_lead_to_the_feed_page(alice: User) -> None:
    client = _client(alice)
    for page in ("/settings/", "/calendar/"):
        assert f'href="{PAGE}"'.encode() in client.get(page).content, page


def test_the_admin_lists_feeds_without_their_tokens(alice: User) -> None:
    feed = calendar_feed_create(owner=alice)
    staff = User.objects.create_user("support", password="x", is_staff=True, is_superuser=True)
    client = _client(staff)
    listing = client.get("/admin/income/calendarfeed/")
    assert listing.status_code == 200
    assert b"alice" in listing.content
    assert feed.token.encode() not in listing.content
    detail = client.get(f"/admin/income/calendarfeed/{feed.pk}/change/")
    assert detail.status_code == 200
    assert feed.token.encode() not in detail.content
