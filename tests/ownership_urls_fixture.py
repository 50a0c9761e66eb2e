"""A URL configuration with one route the ownership harness does not know about.

``test_ownership.py`` loads it to prove the harness fails on a new, unregistered route.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _thing(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


urlpatterns = [
    path("things/<int:pk>/", _thing, name="thing-detail"),
    path("", include("config.urls")),
]
