"""/api/v1/me/: the caller's own profile, and nothing else writable."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.test import APIClient


def test_me_shows_the_callers_profile(alice_api: APIClient) -> None:
    assert alice_api.get("/api/v1/me/").json() == {
        "username": "alice",
        "email": "alice@example.com",
        "base_currency": "EUR",
        "language": "en",
        "monthly_expenses": "0.00",
        "hourly_value": "0.00",
        "default_tax_profile": None,
        "filing_status": "single",
        "church_tax_rate": "0.00",
        "marginal_tax_rate": None,
        "weekly_digest": False,
        "home_country": "",
        "theme": "system",
        "date_style": "system",
    }


def test_me_changes_currency_and_language(alice_api: APIClient, alice: User) -> None:
    response = alice_api.patch(
        "/api/v1/me/", {"base_currency": "USD", "language": "de"}, format="json"
    )
    assert response.status_code == 200
    alice.profile.refresh_from_db()
    assert (alice.profile.base_currency, alice.profile.language) == ("USD", "de")


def test_me_ignores_username_and_owner_fields(alice_api: APIClient, alice: User, bob: User) -> None:
    response = alice_api.patch(
        "/api/v1/me/", {"username": "root", "user": bob.pk, "is_staff": True}, format="json"
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.username, alice.is_staff) == ("alice", False)
    assert bob.profile.user_id == bob.pk


def test_me_refuses_an_unknown_currency(alice_api: APIClient, alice: User) -> None:
    response = alice_api.patch("/api/v1/me/", {"base_currency": "BTC"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["base_currency"]
    alice.profile.refresh_from_db()
    assert alice.profile.base_currency == "EUR"


def test_me_sets_the_home_country_upper_case_and_refuses_a_bad_one(
    alice_api: APIClient, alice: User
) -> None:
    response = alice_api.patch("/api/v1/me/", {"home_country": "de"}, format="json")
    assert response.status_code == 200
    alice.profile.refresh_from_db()
    assert alice.profile.home_country == "DE"
    response = alice_api.patch("/api/v1/me/", {"home_country": "D3"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["home_country"]
    alice.profile.refresh_from_db()
    assert alice.profile.home_country == "DE"
