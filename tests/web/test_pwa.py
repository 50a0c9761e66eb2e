"""/manifest.webmanifest and the icons: what a phone needs to add Ertrag to its home screen."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from config.pwa.views import BRAND_COLOUR

BASE_DIR = Path(settings.BASE_DIR)


def manifest(client: Client, language: str = "en") -> dict[str, Any]:
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data: dict[str, Any] = json.loads(response.content)
    return data


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which the PNG format puts first."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def static_path(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    return url.removeprefix(settings.STATIC_URL)


def test_it_works_without_an_account(client: Client, db: None) -> None:
    data = manifest(client)
    assert data["name"] == "Ertrag"
    assert data["short_name"] == "Ertrag"
    assert data["start_url"] == "/dashboard/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"


def test_its_colours_are_the_brand_colour_of_the_style_sheet(client: Client, db: None) -> None:
    css = (BASE_DIR / "static" / "css" / "app.css").read_text()
    # The light theme's primary: written alone, or first in ``light-dark(light, dark)``.
    match = re.search(r"--pico-primary:\s*(?:light-dark\()?(#[0-9a-fA-F]{6})", css)
    assert match
    data = manifest(client)
    assert data["theme_color"].lower() == match.group(1).lower() == BRAND_COLOUR
    assert data["background_color"] == "#ffffff"


def test_its_language_is_the_active_language(client: Client, db: None) -> None:
    assert manifest(client, "en")["lang"] == "en"
    german = manifest(client, "de")
    assert german["lang"] == "de"
    assert german["description"] != manifest(client, "en")["description"]


def test_it_lists_icons_that_exist_at_their_declared_sizes(client: Client, db: None) -> None:
    icons = manifest(client)["icons"]
    pngs = {
        (icon["sizes"], icon.get("purpose", "any")) for icon in icons if icon["type"] == "image/png"
    }
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= pngs
    for icon in icons:
        found = finders.find(static_path(icon["src"]))
        assert found, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            width, height = png_size(Path(found).read_bytes())
            assert f"{width}x{height}" == icon["sizes"], icon["src"]
        else:
            assert icon["type"] == "image/svg+xml"
            assert Path(found).read_text().lstrip().startswith("<svg")


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("icons/icon-192.png", (192, 192)),
        ("icons/icon-512.png", (512, 512)),
        ("icons/icon-maskable-512.png", (512, 512)),
        ("icons/apple-touch-icon.png", (180, 180)),
    ],
)
def test_the_icons_are_served(path: str, size: tuple[int, int]) -> None:
    # WhiteNoise serves from the finders here, as it does under runserver; production
    # serves the same files from STATIC_ROOT after collectstatic.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get(f"{settings.STATIC_URL}{path}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert png_size(b"".join(response.streaming_content)) == size  # type: ignore[attr-defined]


def test_every_page_links_the_manifest_and_icons(client: Client, db: None) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<meta name="theme-color" content="{BRAND_COLOUR}">' in html
    assert re.search(r'<link rel="icon" type="image/svg\+xml" href="/static/icons/icon\.svg"', html)
    assert re.search(
        r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon\.png"', html
    )
