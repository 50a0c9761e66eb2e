"""The web app manifest, so a phone can add Ertrag to its home screen.

A view rather than a static file: ``start_url`` comes from the URL configuration,
``lang`` from the active language, and the icon URLs from the static files storage
(hashed names in production, where ``CompressedManifestStaticFilesStorage`` serves them).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

BRAND_COLOUR = "#0f766e"  # --pico-primary in static/css/app.css
PAGE_BACKGROUND = "#ffffff"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    start_url = reverse("dashboard")
    data = {
        "id": start_url,
        "name": "Ertrag",
        "short_name": "Ertrag",
        "description": capfirst(
            _("a self-hosted tracker for passive income.")
        ),  # the footer's words
        "lang": get_language(),
        "dir": "ltr",
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "background_color": PAGE_BACKGROUND,
        "theme_color": BRAND_COLOUR,
        "icons": [
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
