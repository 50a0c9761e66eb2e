"""Sign-up, log-in, log-out, password change and reset, language and settings in the browser."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from income.models import Profile, TaxProfile


def test_signup_creates_the_user_with_a_profile_and_logs_in(client: Client, db: None) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "carol",
            "email": "carol@example.com",
            "base_currency": "USD",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    # Issue 20: a sign-up ends on "check your mail" (a taken address must answer alike);
    # with optional verification the password logs in at once.
    assert response["Location"] == "/accounts/confirm-email/"
    profile = Profile.objects.get(user__username="carol")
    assert (profile.base_currency, profile.language) == ("USD", "de")
    client.post("/accounts/login/", {"username": "carol", "password": "a-long-passphrase-42"})
    assert client.get("/settings/").status_code == 200


def test_signup_with_a_taken_email_tells_nothing_about_who_has_an_account(
    client: Client, alice: User
) -> None:
    """Issue 19, item 9: the answer for a taken address is the one for a new address."""
    response = client.post(
        "/accounts/signup/",
        {
            "username": "carol",
            "email": "Alice@Example.com",
            "base_currency": "EUR",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response["Location"] == "/accounts/confirm-email/"  # as for a new address
    assert "alice" not in response.content.decode().lower()
    # Issue 20: one account per address; the owner is mailed instead.
    assert not User.objects.filter(username="carol").exists()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_signup_with_a_taken_username_shows_the_error(client: Client, alice: User) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "alice",
            "email": "new@example.com",
            "base_currency": "EUR",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


def test_signup_with_mismatched_passwords_creates_nothing(client: Client, db: None) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "carol",
            "email": "c@example.com",
            "base_currency": "EUR",
            "password1": "a-long-passphrase-42",
            "password2": "another-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert User.objects.count() == 0


def test_login_switches_to_the_profiles_language(
    client: Client, alice: User, password: str
) -> None:
    Profile.objects.filter(user=alice).update(language="de")
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 302
    assert response.cookies["ertrag_language"].value == "de"
    assert "Einstellungen" in client.get("/settings/").content.decode()


def test_wrong_password_shows_an_error(client: Client, alice: User) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_settings_require_login(client: Client, db: None) -> None:
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_settings_save_currency_and_language(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        "/settings/",
        {
            "base_currency": "GBP",
            "language": "de",
            "monthly_expenses": "2450.50",
            "hourly_value": "40",
            "default_tax_profile": TaxProfile.objects.get(slug="de-capital-gains").pk,
        },
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert (alice.profile.base_currency, alice.profile.language) == ("GBP", "de")
    assert alice.profile.monthly_expenses == Decimal("2450.50")
    assert alice.profile.default_tax_profile is not None
    assert response.cookies["ertrag_language"].value == "de"


def test_a_new_language_alone_leaves_the_figures_as_they_are(client: Client, alice: User) -> None:
    """Issue #17.11: the settings form sends every field; only a changed value that enters
    a figure marks the reports stale (and shows "your latest changes are being
    included"), a language never does."""
    profile = alice.profile
    settings_form = {
        "base_currency": profile.base_currency,
        "language": "de",
        "monthly_expenses": str(profile.monthly_expenses),
        "hourly_value": str(profile.hourly_value),
        "default_tax_profile": profile.default_tax_profile_id or "",
    }
    client.force_login(alice)
    assert client.post("/settings/", settings_form).status_code == 302
    profile.refresh_from_db()
    assert profile.language == "de"
    assert profile.data_changed_at is None

    assert (
        client.post("/settings/", {**settings_form, "monthly_expenses": "999"}).status_code == 302
    )
    profile.refresh_from_db()
    assert profile.data_changed_at is not None


def test_settings_refuse_an_unknown_currency(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        "/settings/",
        {"base_currency": "XXX", "language": "en", "monthly_expenses": "0", "hourly_value": "0"},
    )
    assert response.status_code == 200
    assert "base_currency" in response.context["form"].errors
    alice.profile.refresh_from_db()
    assert alice.profile.base_currency == "EUR"


def test_language_switch_works_anonymously(client: Client, db: None) -> None:
    response = client.post("/language/", {"language": "de", "next": "/calculator/"})
    assert response.status_code == 302
    assert response["Location"] == "/calculator/"
    assert "Rechner" in client.get("/calculator/").content.decode()


def test_language_switch_is_kept_on_the_profile(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.post("/language/", {"language": "de", "next": "/"})
    alice.profile.refresh_from_db()
    assert alice.profile.language == "de"


def test_language_switch_never_redirects_off_site(client: Client, db: None) -> None:
    response = client.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_refuses_an_unknown_language(client: Client, db: None) -> None:
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "ertrag_language" not in response.cookies


def test_logout_needs_a_post(client: Client, alice: User) -> None:
    """A GET (a link, an image on another site) only asks; the POST logs out."""
    client.force_login(alice)
    asked = client.get("/accounts/logout/")
    assert asked.status_code == 200
    assert 'method="post"' in asked.content.decode()
    assert client.get("/settings/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/settings/").status_code == 302


def test_password_change(client: Client, alice: User, password: str) -> None:
    client.force_login(alice)
    response = client.post(
        "/accounts/password_change/",
        {
            "oldpassword": password,
            "password1": "brand-new-secret-77",
            "password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-secret-77")


def test_password_change_with_a_wrong_current_password_changes_nothing(
    client: Client, alice: User, password: str
) -> None:
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "brand-new-secret-77",
            "password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_password_reset_mails_a_working_link(
    client: Client, alice: User, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", str(message.body))
    assert link
    form_url = client.get(link.group(1))["Location"]  # the key moves into the session
    response = client.post(
        form_url, {"password1": "reset-secret-9876", "password2": "reset-secret-9876"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("reset-secret-9876")


def test_password_reset_for_an_unknown_address_sends_nothing(
    client: Client, db: None, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302  # the same answer: it never tells who has an account
    assert mail.outbox == []


def test_home_page_in_both_languages(client: Client, db: None) -> None:
    assert "Passive income, honestly counted." in client.get("/").content.decode()
    client.cookies["ertrag_language"] = "de"
    html = client.get("/").content.decode()
    assert '<html lang="de"' in html
    assert "Passive income, honestly counted." not in html
