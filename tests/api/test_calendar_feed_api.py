"""``/api/v1/me/calendar-feed/`` (issue 24): an app reads the private feed's address,
makes a new one, or turns the feed off; the address then works, or answers 404."""

from __future__ import annotations

from typing import Any

import icalendar
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from income.models import CalendarFeed
from income.services import calendar_feed_create

URL = "/api/v1/me/calendar-feed/"


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def test_without_a_feed_the_answer_is_404(alice_api: APIClient) -> None:
    response = alice_api.get(URL)
    assert response.status_code == 404
    assert set(response.json()) >= {"detail"}


def test_post_makes_the_feed_and_answers_its_address(alice_api: APIClient, alice: User) -> None:
    response = alice_api.post(URL)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    feed = CalendarFeed.objects.get(owner=alice)
    assert body["url"] == f"http://testserver/calendar/feed/{feed.token}.ics"
    assert body["webcal_url"] == f"webcal://testserver/calendar/feed/{feed.token}.ics"
    assert body["last_read_at"] is None
    assert set(body) == {"url", "webcal_url", "created_at", "last_read_at"}
    assert alice_api.get(URL).json() == body
    # the address works without the API token
    feed_answer = Client().get(_path(body["url"]))
    assert feed_answer.status_code == 200
    assert icalendar.Calendar.from_ical(feed_answer.content)["METHOD"] == "PUBLISH"


def test_post_again_replaces_the_address_and_the_old_one_stops(alice_api: APIClient) -> None:
    old = alice_api.post(URL).json()["url"]
    new = alice_api.post(URL).json()["url"]
    assert new != old
    assert Client().get(_path(old)).status_code == 404
    assert Client().get(_path(new)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_delete_turns_the_feed_off(alice_api: APIClient, alice: User) -> None:
    url = alice_api.post(URL).json()["url"]
    assert alice_api.delete(URL).status_code == 204
    assert alice_api.get(URL).status_code == 404
    assert Client().get(_path(url)).status_code == 404
    assert alice_api.delete(URL).status_code == 404  # nothing left to turn off


def test_each_user_sees_and_changes_only_their_own_feed(
    alice_api: APIClient, bob_api: APIClient, alice: User
) -> None:
    alices = calendar_feed_create(owner=alice)
    assert bob_api.get(URL).status_code == 404
    assert bob_api.delete(URL).status_code == 404
    bobs = bob_api.post(URL).json()["url"]
    assert alices.token not in bobs
    assert CalendarFeed.objects.get(owner=alice).token == alices.token
    assert alices.token in alice_api.get(URL).json()["url"]


def test_it_requires_credentials(api_client: APIClient, db: None) -> None:
    for method in ("get", "post", "delete"):
        assert getattr(api_client, method)(URL).status_code == 401


def test_the_schema_documents_the_three_operations(schema_document: dict[str, Any]) -> None:
    operations = schema_document["paths"]["/api/v1/me/calendar-feed/"]
    assert set(operations) >= {"get", "post", "delete"}
    assert {"200", "404"} <= set(operations["get"]["responses"])
    assert "201" in operations["post"]["responses"]
    assert "requestBody" not in operations["post"]
    assert {"204", "404"} <= set(operations["delete"]["responses"])
    feed = schema_document["components"]["schemas"]["CalendarFeed"]
    assert set(feed["required"]) == {"url", "webcal_url", "created_at", "last_read_at"}
    assert feed["properties"]["last_read_at"]["nullable"] is True
