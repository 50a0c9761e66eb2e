"""A token in use is refreshed, but never past API_TOKEN_MAX_AGE_DAYS after it was
issued (issue 19, finding 8: with auto-refresh alone a token in use never expired)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.services import api_token_issue


def _issued_days_ago(user: User, days: int) -> tuple[str, AuthToken]:
    token, _expiry = api_token_issue(user=user, device="phone")
    stored = AuthToken.objects.get(user=user)
    issued = timezone.now() - timedelta(days=days)
    # As the daily use before today left it: refreshed, within the maximum age.
    AuthToken.objects.filter(pk=stored.pk).update(created=issued, expiry=timezone.now())
    stored.refresh_from_db()
    return token, stored


def test_a_token_used_every_day_still_ends_at_its_maximum_age(
    api_client: APIClient, alice: User
) -> None:
    max_age = timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    token, stored = _issued_days_ago(alice, settings.API_TOKEN_MAX_AGE_DAYS - 1)
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() + timedelta(hours=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get("/api/v1/me/").status_code == 200

    stored.refresh_from_db()
    assert stored.expiry is not None
    assert stored.expiry <= stored.created + max_age  # not today + API_TOKEN_TTL_HOURS


def test_a_token_past_its_maximum_age_is_refused(api_client: APIClient, alice: User) -> None:
    token, stored = _issued_days_ago(alice, settings.API_TOKEN_MAX_AGE_DAYS)
    AuthToken.objects.filter(pk=stored.pk).update(
        expiry=stored.created + timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(pk=stored.pk).exists()


def test_a_young_token_is_still_refreshed_on_use(api_client: APIClient, alice: User) -> None:
    token, stored = _issued_days_ago(alice, 1)
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() + timedelta(hours=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get("/api/v1/me/").status_code == 200

    stored.refresh_from_db()
    assert stored.expiry is not None
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert isinstance(ttl, timedelta)
    assert stored.expiry > timezone.now() + ttl - timedelta(minutes=1)
