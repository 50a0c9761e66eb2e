"""Where am I signed in? Browsers and API tokens in the settings, each one revocable."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.auth.models import User
from django.test import Client
from knox.models import AuthToken

from accounts.services import api_token_issue
from tests.factories import PASSWORD


def browser(user: User, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_settings_lead_to_browsers_and_tokens(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/settings/").content.decode()
    assert 'href="/accounts/sessions/"' in html
    assert 'href="/accounts/tokens/"' in html


def test_signed_in_browsers_are_listed_and_the_others_can_be_signed_out(alice: User) -> None:
    laptop = browser(alice, "Firefox on the laptop")
    phone = browser(alice, "Safari on the phone")
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Firefox" in page
    assert "Safari" in page
    assert UserSession.objects.filter(user=alice).count() == 2

    laptop.post("/accounts/sessions/", {})
    assert phone.get("/settings/").status_code == 302  # signed out
    assert laptop.get("/settings/").status_code == 200
    assert UserSession.objects.filter(user=alice).count() == 1


def test_the_token_page_lists_devices_and_revokes_one(client: Client, alice: User) -> None:
    api_token_issue(user=alice, device="Pixel 8")
    token, _expiry = api_token_issue(user=alice, device="budget script")
    client.force_login(alice)
    html = client.get("/accounts/tokens/").content.decode()
    assert "Pixel 8" in html
    assert "budget script" in html
    assert token not in html
    response = client.post(f"/accounts/tokens/{token[:15]}/revoke/")
    assert response.status_code == 302
    assert list(AuthToken.objects.filter(user=alice).values_list("device__name", flat=True)) == [
        "Pixel 8"
    ]


def test_the_admin_sees_signed_in_browsers(client: Client, alice: User) -> None:
    browser(alice, "Firefox on the laptop")
    admin = User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    client.force_login(admin)
    page = client.get("/admin/usersessions/usersession/")
    assert page.status_code == 200
    assert "alice" in page.content.decode()
