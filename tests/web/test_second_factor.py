"""A second factor in the browser: enrol an authenticator app, log in with its code or a
recovery code, guess under the lockout, switch it off; security mail each time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from income.models import Profile
from tests.factories import PASSWORD
from tests.mfa import enrol_totp, totp_code

LIMIT = 5


@pytest.fixture
def send(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    def run(request: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = request()
        return response

    return run


def log_in(client: Client, username: str = "alice", password: str = PASSWORD) -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def confirm_password(client: Client, password: str = PASSWORD) -> None:
    """Security changes ask for the password again (allauth's reauthentication)."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def second_step(client: Client, code: str) -> Any:
    return client.post("/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR="10.0.0.7")


def test_enrolling_an_authenticator_app_from_the_settings_mails_the_owner(
    client: Client, alice: User, send: Any
) -> None:
    assert log_in(client).status_code == 302
    assert "/accounts/2fa/" in client.get("/settings/").content.decode()
    confirm_password(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = send(
        lambda: client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    )
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "authenticator" in str(mail.outbox[0].subject).lower()


def test_the_password_alone_no_longer_logs_in(client: Client, alice: User) -> None:
    enrol_totp(alice)
    response = log_in(client)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302


def test_the_apps_code_completes_the_log_in_in_the_profiles_language(
    client: Client, alice: User
) -> None:
    secret, _codes = enrol_totp(alice)
    Profile.objects.filter(user=alice).update(language="de")
    log_in(client)
    response = second_step(client, totp_code(secret))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert response.cookies["ertrag_language"].value == "de"


def test_the_code_the_phone_showed_a_moment_ago_still_logs_in(client: Client, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    log_in(client)
    response = second_step(client, totp_code(secret, steps_back=1))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_code_a_minute_old_is_refused(client: Client, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    log_in(client)
    response = second_step(client, totp_code(secret, steps_back=2))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_logs_in_once(client: Client, alice: User) -> None:
    _secret, codes = enrol_totp(alice)
    log_in(client)
    assert second_step(client, codes[0]).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)

    client.post("/accounts/logout/")
    log_in(client)
    again = second_step(client, codes[0])
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_log_in_out_like_wrong_passwords(client: Client, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    log_in(client)
    for _ in range(LIMIT - 1):
        assert second_step(client, "000000").status_code == 200  # the form again
    assert second_step(client, "000000").status_code == 429
    response = second_step(client, totp_code(secret))
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_codes_still_let_the_right_one_in(client: Client, alice: User) -> None:
    secret, _codes = enrol_totp(alice)
    log_in(client)
    for _ in range(LIMIT - 1):
        second_step(client, "000000")
    assert second_step(client, totp_code(secret)).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_switching_the_app_off_mails_the_owner(client: Client, alice: User, send: Any) -> None:
    secret, _codes = enrol_totp(alice)
    log_in(client)
    second_step(client, totp_code(secret))
    confirm_password(client)
    response = send(lambda: client.post("/accounts/2fa/totp/deactivate/"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice).exists()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert re.search(r"deactivated|removed", str(mail.outbox[0].subject), re.IGNORECASE)


def test_a_password_change_signs_out_other_browsers_and_every_token(
    client: Client, alice: User, password: str
) -> None:
    from knox.models import AuthToken

    from income.services.users import api_token_create

    other_browser = Client()
    other_browser.force_login(alice)
    api_token_create(user=alice)
    log_in(client)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "brand-new-secret-77",
            "password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 302
    assert client.get("/settings/").status_code == 200  # this browser stays in
    assert other_browser.get("/settings/").status_code == 302
    assert not AuthToken.objects.filter(user=alice).exists()


def test_a_password_reset_revokes_every_token(client: Client, alice: User, send: Any) -> None:
    from knox.models import AuthToken

    from income.services.users import api_token_create

    api_token_create(user=alice)
    send(lambda: client.post("/accounts/password/reset/", {"email": "alice@example.com"}))
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[0].body)
    )
    assert link
    form_url = client.get(link.group(1))["Location"]
    client.post(form_url, {"password1": "reset-secret-9876", "password2": "reset-secret-9876"})
    alice.refresh_from_db()
    assert alice.check_password("reset-secret-9876")
    assert not AuthToken.objects.filter(user=alice).exists()


def test_the_admin_sees_who_has_a_second_factor(client: Client, alice: User) -> None:
    enrol_totp(alice)
    admin = User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    client.force_login(admin)
    page = client.get("/admin/mfa/authenticator/")
    assert page.status_code == 200
    assert "alice" in page.content.decode()
