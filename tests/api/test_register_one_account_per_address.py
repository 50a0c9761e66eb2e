"""One account per e-mail address through ``POST /api/v1/auth/register/``, without telling
a client whether an address has an account (issue 20).

Every sign-up that is accepted answers ``{"detail"}`` (201, or 202 with mandatory
verification) and hands out no token: a token would only exist for a new address. The
client logs in for one. A taken address makes no account and mails its owner.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import IntegrityError
from knox.models import AuthToken
from rest_framework.test import APIClient

from income.models import Profile

PASSPHRASE = "a-long-passphrase-42"


def body(username: str, email: str, **extra: str) -> dict[str, str]:
    return {"username": username, "email": email, "password": PASSPHRASE, **extra}


@pytest.fixture
def register(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    """Post a sign-up; its answer and the mail it queued (sent after commit)."""

    def run(data: dict[str, str], **headers: Any) -> tuple[Any, list[Any]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = APIClient().post("/api/v1/auth/register/", data, format="json", **headers)
        return response, list(mail.outbox)

    return run


def test_a_taken_address_answers_as_a_new_one_and_makes_no_account(
    alice: User, register: Any
) -> None:
    fresh, fresh_mail = register(body("carol", "carol@example.com"))
    taken, taken_mail = register(body("dave", "ALICE@example.com"))
    assert fresh.status_code == taken.status_code == 201
    assert fresh.json() == taken.json()
    assert set(fresh.json()) == {"detail"}
    assert fresh.headers.get("Content-Type") == taken.headers.get("Content-Type")
    assert not User.objects.filter(username="dave").exists()
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    assert not AuthToken.objects.exists()
    assert [m.to for m in fresh_mail] == [["carol@example.com"]]
    assert [m.to for m in taken_mail] == [["alice@example.com"]]
    assert "already exists" in str(taken_mail[0].body)
    assert "confirm-email" not in str(taken_mail[0].body)


def test_the_new_account_logs_in_for_its_token(register: Any) -> None:
    response, _sent = register(
        body("carol", "Carol@Example.com", language="de", base_currency="CHF")
    )
    assert response.status_code == 201
    profile = Profile.objects.get(user__username="carol")
    assert (profile.language, profile.base_currency) == ("de", "CHF")
    assert profile.user.email == "carol@example.com"  # stored as allauth stores it
    login = APIClient().post(
        "/api/v1/auth/login/", {"username": "carol", "password": PASSPHRASE}, format="json"
    )
    assert login.status_code == 200
    assert set(login.json()) == {"token", "expiry"}


def test_the_answer_is_in_the_askers_language_and_the_notice_in_the_owners(
    alice: User, register: Any
) -> None:
    Profile.objects.filter(user=alice).update(language="de")
    fresh, _ = register(body("carol", "carol@example.com"), HTTP_ACCEPT_LANGUAGE="en")
    taken, sent = register(body("dave", "alice@example.com"), HTTP_ACCEPT_LANGUAGE="en")
    assert fresh.json() == taken.json()
    assert "Check your e-mail" in taken.json()["detail"]
    assert "Konto existiert bereits" in str(sent[0].subject)
    german_fresh, _ = register(body("erin", "erin@example.com"), HTTP_ACCEPT_LANGUAGE="de")
    german_taken, _ = register(body("frank", "alice@example.com"), HTTP_ACCEPT_LANGUAGE="de")
    assert german_fresh.json() == german_taken.json()


def test_with_mandatory_verification_both_answer_202(
    alice: User, register: Any, settings: Any
) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    fresh, _ = register(body("carol", "carol@example.com"))
    taken, sent = register(body("dave", "alice@example.com"))
    assert fresh.status_code == taken.status_code == 202
    assert fresh.json() == taken.json()
    assert [m.to for m in sent] == [["alice@example.com"]]
    assert not User.objects.filter(username="dave").exists()


def test_a_taken_username_is_still_a_400(alice: User, register: Any) -> None:
    response, sent = register(body("Alice", "new@example.com"))
    assert response.status_code == 400
    assert set(response.json()) == {"username"}
    assert not sent


def test_a_weak_password_is_refused_whether_the_address_is_taken_or_not(
    alice: User, register: Any
) -> None:
    fresh, _ = register({**body("carol", "carol@example.com"), "password": "123"})
    taken, sent = register({**body("dave", "alice@example.com"), "password": "123"})
    assert fresh.status_code == taken.status_code == 400
    assert fresh.json() == taken.json()
    assert not sent
    assert User.objects.count() == 1


def test_without_verification_mails_a_taken_address_is_a_400(
    alice: User, register: Any, settings: Any
) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    taken, sent = register(body("dave", "alice@example.com"))
    assert taken.status_code == 400
    assert set(taken.json()) == {"email"}
    fresh, sent = register(body("carol", "carol@example.com"))
    assert fresh.status_code == 201
    assert set(fresh.json()) == {"detail"}
    assert not sent


def test_the_unique_index_is_what_refuses(db: None) -> None:
    """The API's sign-up saves first and lets this index refuse a taken address, so a
    race ends as the sequential case above does (tests/integration/test_signup_races.py)."""
    from django.db import transaction

    User.objects.create(username="erin", email="erin@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="Erin@Example.COM")
