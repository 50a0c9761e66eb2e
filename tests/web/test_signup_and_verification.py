"""Sign-up on django-allauth: closed by setting, the e-mail check in the reader's language,
the addresses we had before it, and a mail to the owner when the password changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD

SIGNUP = {
    "username": "carol",
    "email": "carol@example.com",
    "base_currency": "EUR",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}


@pytest.fixture
def send(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    """Run a request and the mail it queues (the worker sends after commit); the outbox."""

    def run(request: Any) -> list[Any]:
        with django_capture_on_commit_callbacks(execute=True):
            request()
        return list(mail.outbox)

    return run


def test_closed_signup_shows_a_page_and_creates_nothing(
    client: Client, db: None, settings: Any
) -> None:
    assert 'href="/accounts/signup/"' in client.get("/").content.decode()
    settings.SIGNUP_OPEN = False
    assert "/accounts/signup/" not in client.get("/").content.decode()  # no button to it
    page = client.get("/accounts/signup/")
    assert "Sign-up is closed" in page.content.decode()
    client.post("/accounts/signup/", SIGNUP)
    assert not User.objects.exists()


def test_closed_signup_still_lets_users_log_in(client: Client, alice: User, settings: Any) -> None:
    settings.SIGNUP_OPEN = False
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_signup_mails_a_link_that_verifies_the_address(client: Client, send: Any) -> None:
    sent = send(lambda: client.post("/accounts/signup/", SIGNUP))
    assert "_auth_user_id" not in client.session  # "check your mail", as a taken address
    assert [m.to for m in sent] == [["carol@example.com"]]
    address = EmailAddress.objects.get(email="carol@example.com")
    assert not address.verified
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(sent[0].body))
    assert link, sent[0].body
    client.post(link.group(1))
    address.refresh_from_db()
    assert address.verified
    assert client.session["_auth_user_id"]  # the link logs in, in the browser that signed up


def test_the_verification_mail_is_in_the_readers_language(client: Client, send: Any) -> None:
    client.cookies["ertrag_language"] = "de"
    sent = send(lambda: client.post("/accounts/signup/", SIGNUP))
    body = str(sent[0].body)
    assert "Hallo von Ertrag!" in body
    assert "Hello from Ertrag!" not in body


def test_with_mandatory_verification_nobody_is_in_before_the_link(
    client: Client, db: None, settings: Any
) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post("/accounts/signup/", SIGNUP)
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    login = client.post("/accounts/login/", {"username": "carol", "password": SIGNUP["password1"]})
    assert login["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_password_change_mails_the_owner(
    client: Client, alice: User, password: str, send: Any
) -> None:
    client.force_login(alice)
    sent = send(
        lambda: client.post(
            "/accounts/password/change/",
            {
                "oldpassword": password,
                "password1": "brand-new-secret-77",
                "password2": "brand-new-secret-77",
            },
        )
    )
    assert [m.to for m in sent] == [["alice@example.com"]]
    assert "password" in str(sent[0].subject).lower()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/accounts/password_reset/done/", "/accounts/password/reset/done/"),
        ("/accounts/reset/MQ/abc-123/", "/accounts/password/reset/"),
        ("/accounts/reset/done/", "/accounts/login/"),
    ],
)
def test_the_old_addresses_lead_to_their_new_pages(
    client: Client, db: None, old: str, new: str
) -> None:
    response = client.get(old)
    assert response.status_code in (301, 302)
    assert response["Location"] == new


def test_the_old_password_change_address_still_changes_the_password(
    client: Client, alice: User, password: str
) -> None:
    client.force_login(alice)
    client.post(
        "/accounts/password_change/",
        {
            "oldpassword": password,
            "password1": "brand-new-secret-77",
            "password2": "brand-new-secret-77",
        },
    )
    alice.refresh_from_db()
    assert alice.check_password("brand-new-secret-77")


def test_closed_signup_also_refuses_a_first_single_sign_on(rf: Any, settings: Any) -> None:
    from accounts.adapter import SocialAccountAdapter

    request = rf.get("/accounts/oidc/sso/login/callback/")
    assert SocialAccountAdapter(request).is_open_for_signup(request, None)
    settings.SIGNUP_OPEN = False
    assert not SocialAccountAdapter(request).is_open_for_signup(request, None)


def test_single_sign_on_is_off_until_configured(client: Client, db: None) -> None:
    assert client.get("/accounts/oidc/sso/login/").status_code == 404
    assert "oidc" not in client.get("/accounts/login/").content.decode()
