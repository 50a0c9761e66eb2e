"""The app's URLs and two baselines of PRODUCT.md §6: ``/bench/constant/`` (the API
bench's) and ``/bench/constant-page/`` (the dashboard bench's).

The constant view is an API view like every other: the same authentication (knox token),
permission and throttling from ``REST_FRAMEWORK``; it reads nothing and always answers
the same small JSON object, so its throughput is what the stack itself allows.

The constant page is a browser page like the dashboard: behind ``login_required``, through
the same middleware, rendered with the request (context processors) from a template that
extends ``base.html`` with a constant block, so the layout, its navigation, CSRF tokens
and the user's preferences cost what they cost on every page, and only the dashboard's
own work is left for the comparison.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

CONSTANT = {"status": "ok", "amount": "1234.56", "currency": "EUR"}


class ConstantView(APIView):
    def get(self, request: Request) -> Response:
        return Response(CONSTANT)


#: Compiled once, as the cached template loader keeps the dashboard's in production.
CONSTANT_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Constant{% endblock %}'
    "{% block content %}<h1>Constant</h1><p>The same text on every request.</p>{% endblock %}"
)


@login_required
def constant_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CONSTANT_PAGE.render({}, request))


urlpatterns = [
    path("bench/constant/", ConstantView.as_view(), name="bench-constant"),
    path("bench/constant-page/", constant_page, name="bench-constant-page"),
    path("", include("config.urls")),
]
