"""The API speaks the profile's language; ``?lang=`` overrides it (config/api/language.py).

A phone always sends an ``Accept-Language``, so the header does not count as the person
asking for another language; for someone signed in, only ``?lang=`` does.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from income.models import Profile
from income.services.users import profile_get_or_create

NOT_FOUND = {"en": "Not found.", "de": "Nicht gefunden."}
REQUIRED = {"en": "This field is required.", "de": "Dieses Feld ist erforderlich."}


def _speaks(user: User, language: str) -> None:
    profile_get_or_create(user=user)
    Profile.objects.filter(user=user).update(language=language)


def test_a_token_request_gets_the_profiles_german_over_the_phones_english(
    alice: User, alice_api: APIClient
) -> None:
    _speaks(alice, "de")
    response = alice_api.get("/api/v1/sources/999999/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.json()["detail"] == NOT_FOUND["de"]
    assert response["Content-Language"] == "de"
    invalid = alice_api.post("/api/v1/sources/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert invalid.json()["name"] == [REQUIRED["de"]]


def test_a_token_request_gets_the_profiles_english_over_the_phones_german(
    alice: User, alice_api: APIClient
) -> None:
    _speaks(alice, "en")
    response = alice_api.get("/api/v1/sources/999999/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.json()["detail"] == NOT_FOUND["en"]
    assert response["Content-Language"] == "en"


def test_lang_in_the_query_overrides_the_profile(alice: User, alice_api: APIClient) -> None:
    _speaks(alice, "de")
    response = alice_api.get("/api/v1/sources/999999/?lang=en")
    assert response.json()["detail"] == NOT_FOUND["en"]
    _speaks(alice, "en")
    response = alice_api.get("/api/v1/sources/999999/?lang=de-CH")
    assert response.json()["detail"] == NOT_FOUND["de"]


def test_an_unknown_lang_falls_back_to_the_profile(alice: User, alice_api: APIClient) -> None:
    _speaks(alice, "de")
    response = alice_api.get("/api/v1/sources/999999/?lang=xx")
    assert response.json()["detail"] == NOT_FOUND["de"]


def test_a_session_request_gets_the_profiles_language(alice: User) -> None:
    _speaks(alice, "de")
    client = Client()
    client.force_login(alice)
    response = client.get("/api/v1/sources/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == NOT_FOUND["de"]
    # Also where no DRF view answers: an address no route matches.
    unknown = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json()["detail"] == NOT_FOUND["de"]
    _speaks(alice, "en")
    response = client.get("/api/v1/sources/999999/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["detail"] == NOT_FOUND["en"]


def test_an_anonymous_request_follows_accept_language_or_lang(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/sources/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 401
    assert response.json()["detail"] == "Anmeldedaten fehlen."
    response = api_client.get("/api/v1/sources/?lang=en", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_a_bad_token_is_still_a_401(api_client: APIClient, db: None) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    response = api_client.get("/api/v1/sources/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
