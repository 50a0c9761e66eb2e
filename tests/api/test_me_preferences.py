"""/api/v1/me/ carries the theme and the date style, as the settings page does."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.test import APIClient


def test_me_shows_theme_and_date_style(alice_api: APIClient) -> None:
    body = alice_api.get("/api/v1/me/").json()
    assert (body["theme"], body["date_style"]) == ("system", "system")


def test_me_changes_theme_and_date_style(alice_api: APIClient, alice: User) -> None:
    response = alice_api.patch("/api/v1/me/", {"theme": "dark", "date_style": "iso"}, format="json")
    assert response.status_code == 200, response.content
    alice.profile.refresh_from_db()
    assert (alice.profile.theme, alice.profile.date_style) == ("dark", "iso")


def test_an_unknown_date_style_is_refused_and_changes_nothing(
    alice_api: APIClient, alice: User
) -> None:
    response = alice_api.patch("/api/v1/me/", {"date_style": "us", "theme": "dark"}, format="json")
    assert response.status_code == 400
    assert "date_style" in response.json()
    alice.profile.refresh_from_db()
    assert (alice.profile.theme, alice.profile.date_style) == ("system", "system")


def test_the_schema_describes_both_fields(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert "device" in me["theme"]["description"]
    assert "CSV" in me["date_style"]["description"]
