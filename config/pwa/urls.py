"""The web app manifest at the site root, where browsers expect its scope to start."""

from django.urls import path

from config.pwa.views import manifest

urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
]
