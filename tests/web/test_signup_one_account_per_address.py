"""One account per e-mail address in the browser, without telling anyone who has one.

A sign-up with a taken address makes no account, ends on the same "check your mail" page
a new address gets, and mails the address's owner, in the owner's language (issue 20). A
sign-up that loses a race for its name or address answers as the sequential case does.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.db import IntegrityError
from django.test import Client

from income.models import Profile

PASSPHRASE = "a-long-passphrase-42"


def signup(username: str, email: str, **extra: str) -> dict[str, str]:
    return {
        "username": username,
        "email": email,
        "base_currency": "EUR",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
        **extra,
    }


@pytest.fixture
def send(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    """Run a request and the mail it queues (the worker sends after commit)."""

    def run(request: Any) -> tuple[Any, list[Any]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = request()
        return response, list(mail.outbox)

    return run


def same_page(first: str, second: str) -> bool:
    """Two pages alike but for their CSRF tokens and the address they name."""

    def bare(page: str) -> str:
        page = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)
        return re.sub(r"[\w.+-]+@example\.com", "ADDRESS", page, flags=re.IGNORECASE)

    return bare(first) == bare(second)


def answer_of(client: Client, response: Any) -> tuple[int, str, str]:
    """What the person sees: the status, where it leads, and that page's text."""
    page = client.get(response["Location"]).content.decode()
    return response.status_code, response["Location"], page


def test_a_taken_address_makes_no_account_and_looks_like_a_new_one(alice: User, send: Any) -> None:
    fresh_client, taken_client = Client(), Client()
    fresh, fresh_mail = send(
        lambda: fresh_client.post("/accounts/signup/", signup("carol", "carol@example.com"))
    )
    taken, taken_mail = send(
        lambda: taken_client.post("/accounts/signup/", signup("dave", "ALICE@Example.com"))
    )

    fresh_answer = answer_of(fresh_client, fresh)
    taken_answer = answer_of(taken_client, taken)
    assert fresh_answer[:2] == taken_answer[:2] == (302, "/accounts/confirm-email/")
    assert same_page(fresh_answer[2], taken_answer[2])
    assert "_auth_user_id" not in fresh_client.session
    assert "_auth_user_id" not in taken_client.session
    assert not User.objects.filter(username="dave").exists()
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    # Each address gets one mail: the check for the new one, the notice for the taken one.
    assert [m.to for m in fresh_mail] == [["carol@example.com"]]
    assert [m.to for m in taken_mail] == [["alice@example.com"]]
    assert "confirm-email" in str(fresh_mail[0].body)
    notice = str(taken_mail[0].body)
    assert "already exists" in notice
    assert "/accounts/password/reset/" in notice
    assert "dave" not in notice


def test_the_owners_notice_is_in_the_owners_language(alice: User, send: Any) -> None:
    Profile.objects.filter(user=alice).update(language="de")
    client = Client()
    _response, sent = send(
        lambda: client.post(
            "/accounts/signup/", signup("dave", "alice@example.com"), HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert [m.to for m in sent] == [["alice@example.com"]]
    assert "Konto existiert bereits" in str(sent[0].subject)
    assert "Hallo von Ertrag!" in str(sent[0].body)


def test_an_english_owner_gets_it_in_english_whoever_asks_in_german(alice: User, send: Any) -> None:
    client = Client()
    client.cookies["ertrag_language"] = "de"
    response, sent = send(
        lambda: client.post("/accounts/signup/", signup("dave", "alice@example.com"))
    )
    assert "Account Already Exists" in str(sent[0].subject)
    assert "Hello from Ertrag!" in str(sent[0].body)
    # The person asking reads their own language, the same page a new address gets.
    page = client.get(response["Location"]).content.decode()
    assert "E-Mail" in page


def test_a_new_account_logs_in_by_the_link_and_goes_where_it_was_going(
    client: Client, send: Any
) -> None:
    response, sent = send(
        lambda: client.post(
            "/accounts/signup/", {**signup("carol", "carol@example.com"), "next": "/settings/"}
        )
    )
    assert response["Location"] == "/accounts/confirm-email/"
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(sent[0].body))
    assert link, sent[0].body
    followed = client.post(link.group(1))
    assert followed["Location"] == "/settings/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username="carol").pk)
    assert EmailAddress.objects.get(email="carol@example.com").verified


def test_with_optional_verification_a_new_account_can_log_in_at_once(
    client: Client, send: Any
) -> None:
    send(lambda: client.post("/accounts/signup/", signup("carol", "carol@example.com")))
    response = client.post("/accounts/login/", {"username": "carol", "password": PASSPHRASE})
    assert response.status_code == 302
    assert response["Location"] != "/accounts/confirm-email/"
    assert client.session["_auth_user_id"]


def test_a_taken_address_in_another_case_or_as_a_further_address_is_taken(
    alice: User, bob: User, send: Any
) -> None:
    EmailAddress.objects.create(user=bob, email="bob.work@example.com", verified=True)
    for address in ("Bob.Work@example.com", "BOB@EXAMPLE.COM"):
        response, sent = send(
            lambda address=address: Client().post("/accounts/signup/", signup("dave", address))
        )
        assert response["Location"] == "/accounts/confirm-email/"
        assert [m.to for m in sent] == [[address.lower()]]
    assert not User.objects.filter(username="dave").exists()


def test_a_taken_username_is_still_a_field_error(alice: User, client: Client) -> None:
    response = client.post("/accounts/signup/", signup("ALICE", "new@example.com"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username"}
    assert User.objects.count() == 1


def test_without_verification_mails_a_taken_address_is_a_field_error(
    alice: User, client: Client, settings: Any
) -> None:
    """With ``ACCOUNT_EMAIL_VERIFICATION=none`` no mail can tell the owner instead."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = client.post("/accounts/signup/", signup("dave", "alice@example.com"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email"}
    fresh = client.post("/accounts/signup/", signup("carol", "carol@example.com"))
    assert fresh.status_code == 302
    assert client.session["_auth_user_id"]  # nothing to hide: in at once


def test_a_name_taken_by_a_parallel_sign_up_is_the_form_error(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rival committed after this sign-up's form looked the name up (the look-up
    sees nothing), before it saved: the index refuses, the form shows the usual error."""
    from allauth.account.internal import userkit

    User.objects.create(username="Carol", email="someone@example.com")
    monkeypatch.setattr(userkit, "filter_users_by_username", lambda *a, **k: User.objects.none())
    response = client.post("/accounts/signup/", signup("carol", "carol@example.com"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username"}
    assert list(User.objects.values_list("username", flat=True)) == ["Carol"]


def test_an_address_taken_by_a_parallel_sign_up_answers_check_your_mail(
    client: Client, send: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accounts.forms import account_signup

    User.objects.create(username="erin", email="Carol@Example.com")
    looked_up: list[str] = []

    def blind_first_look(*, email: str, **kwargs: Any) -> bool:
        looked_up.append(email)
        return len(looked_up) > 1 and bool(User.objects.filter(email__iexact=email).exists())

    monkeypatch.setattr(account_signup, "email_taken", blind_first_look)
    response, sent = send(
        lambda: client.post("/accounts/signup/", signup("carol", "carol@example.com"))
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert list(User.objects.values_list("username", flat=True)) == ["erin"]
    assert [m.to for m in sent] == [["carol@example.com"]]
    assert "already exists" in str(sent[0].body)


def test_the_address_is_unique_in_any_case_in_the_database(db: None) -> None:
    """The index of accounts/migrations/0003 refuses what a look-up misses in a race;
    accounts without an address are outside it."""
    from django.db import transaction

    User.objects.create(username="erin", email="erin@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="erin2", email="ERIN@example.com")
    User.objects.create(username="x1", email="")
    User.objects.create(username="x2", email="")
