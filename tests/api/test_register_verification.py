"""An account made through the API gets the same e-mail check as one made in the browser;
with mandatory verification the API hands out no token before the link is followed."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

BODY = {"username": "dave", "email": "dave@example.com", "password": "a-long-passphrase-42"}


def register(api_client: APIClient, on_commit: Any) -> Any:
    with on_commit(execute=True):
        return api_client.post("/api/v1/auth/register/", BODY, format="json")


def test_an_api_signup_mails_the_address_check(
    api_client: APIClient, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    response = register(api_client, django_capture_on_commit_callbacks)
    assert response.status_code == 201
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]
    assert not EmailAddress.objects.get(email="dave@example.com").verified


def test_with_mandatory_verification_the_api_gives_no_token_before_the_link(
    api_client: APIClient, db: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = register(api_client, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert set(response.json()) == {"detail"}
    assert not AuthToken.objects.exists()

    login = {"username": "dave", "password": BODY["password"]}
    refused = api_client.post("/api/v1/auth/login/", login, format="json")
    assert refused.status_code == 400
    assert "non_field_errors" in refused.json()
    assert not AuthToken.objects.exists()

    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[0].body))
    assert link
    Client().post(link.group(1))
    assert api_client.post("/api/v1/auth/login/", login, format="json").status_code == 200
    assert AuthToken.objects.filter(user=User.objects.get(username="dave")).count() == 1
