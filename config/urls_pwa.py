"""The web app manifest at the site root, where browsers expect its scope to start."""

from django.urls import path

from config.views_pwa import manifest

urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
]
