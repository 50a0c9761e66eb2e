"""The theme switch in the header (issue 18, item 4): one button that steps through the
device's setting, light and dark, kept on the profile, working without script."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from income import services


def _header_button(html: str) -> str:
    """The theme switch's button, as the page renders it."""
    start = html.index('class="inline-form theme-switch"')
    return html[html.index("<button", start) : html.index("</button>", start)]


def test_a_press_keeps_the_theme_on_the_profile_and_goes_back(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post("/theme/", {"theme": "dark", "next": "/payments/?q=rent"})
    assert response.status_code == 302
    assert response["Location"] == "/payments/?q=rent"
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "dark"


def test_the_next_page_is_drawn_in_the_new_theme_at_once(client: Client, alice: User) -> None:
    """The cached preferences follow the save: no page in the old theme after the switch."""
    client.force_login(alice)
    assert "data-theme=" not in client.get("/dashboard/").content.decode()  # cached: system
    client.post("/theme/", {"theme": "dark", "next": "/dashboard/"})
    assert '<html lang="en" data-theme="dark">' in client.get("/dashboard/").content.decode()
    client.post("/theme/", {"theme": "system", "next": "/dashboard/"})
    assert "data-theme=" not in client.get("/dashboard/").content.decode()


def test_the_button_steps_from_the_device_to_light_to_dark_and_back(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    steps = []
    for _ in range(3):
        button = _header_button(client.get("/help/").content.decode())
        value = button.split('value="', 1)[1].split('"', 1)[0]
        steps.append(value)
        client.post("/theme/", {"theme": value, "next": "/help/"})
    assert steps == ["light", "dark", "system"]


def test_the_button_says_what_it_shows_and_what_a_press_does(client: Client, alice: User) -> None:
    """An icon alone says nothing to a screen reader: the label names both."""
    services.profile_update(user=alice, theme="light")
    client.force_login(alice)
    button = _header_button(client.get("/dashboard/").content.decode())
    assert 'aria-label="Appearance: light. Switch to dark."' in button
    assert 'title="Appearance: light. Switch to dark."' in button
    assert 'value="dark"' in button


def test_it_never_redirects_off_site(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post("/theme/", {"theme": "light", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "light"


def test_an_unknown_theme_changes_nothing_and_says_so(client: Client, alice: User) -> None:
    services.profile_update(user=alice, theme="dark")
    client.force_login(alice)
    response = client.post("/theme/", {"theme": "sepia", "next": "/settings/"}, follow=True)
    assert response.redirect_chain == [("/settings/", 302)]
    assert "Unknown appearance; nothing was changed." in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "dark"
    client.post("/theme/", {"next": "/settings/"})  # no value at all
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "dark"


def test_it_needs_a_post(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/theme/?theme=dark").status_code == 405
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "system"


def test_it_needs_the_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/theme/", {"theme": "dark", "next": "/"}).status_code == 403
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "system"


def test_signed_out_the_switch_is_not_offered_and_a_post_changes_nothing(
    client: Client, alice: User
) -> None:
    """Signed out the device decides (see ``theme_switch``): no button, no cookie."""
    html = client.get("/calculator/").content.decode()
    assert "theme-switch" not in html
    assert 'class="inline-form language-switch"' in html  # the language switch stays
    response = client.post("/theme/", {"theme": "dark", "next": "/calculator/"})
    assert response.status_code == 302
    assert response["Location"] == "/calculator/"
    assert not response.cookies
    assert "data-theme=" not in client.get("/calculator/").content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "system"
