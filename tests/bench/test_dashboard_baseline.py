"""The dashboard bench's baseline (``bench/_urls.py``): a fair page, and only the bench's.

The ratio of ``bench/dashboard.py`` means something only if its constant page pays for
what every page of the app pays for (the log-in, the base layout) and the app itself
never serves it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse


@pytest.mark.parametrize("path", ["/bench/constant-page/", "/bench/constant/"])
def test_the_baselines_are_not_in_the_apps_urls(path: str) -> None:
    with pytest.raises(Resolver404):
        resolve(path, urlconf="config.urls")


@override_settings(ROOT_URLCONF="bench._urls")
def test_the_constant_page_needs_the_log_in_as_the_dashboard_does(
    client: Client, alice: User
) -> None:
    response = client.get("/bench/constant-page/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@override_settings(ROOT_URLCONF="bench._urls")
def test_the_constant_page_is_drawn_in_the_base_layout(client: Client, alice: User) -> None:
    """What the signed-in layout draws on the dashboard, the constant page draws too."""
    client.force_login(alice)
    html = client.get("/bench/constant-page/").content.decode()
    dashboard = client.get("/dashboard/").content.decode()
    layout = [
        '<header class="site-header">',
        f'action="{reverse("logout")}"',
        f'action="{reverse("theme_switch")}"',
        f'action="{reverse("language_switch")}"',
        'name="csrfmiddlewaretoken"',
        '<footer class="container site-footer">',
    ]
    for part in layout:
        assert part in dashboard
        assert part in html
    assert "<h1>Constant</h1>" in html
