"""The app's URLs and ``/bench/constant/``: the API bench's baseline (PRODUCT.md §6).

The constant view is an API view like every other: the same authentication (knox token),
permission and throttling from ``REST_FRAMEWORK``; it reads nothing and always answers
the same small JSON object, so its throughput is what the stack itself allows.
"""

from __future__ import annotations

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

CONSTANT = {"status": "ok", "amount": "1234.56", "currency": "EUR"}


class ConstantView(APIView):
    def get(self, request: Request) -> Response:
        return Response(CONSTANT)


urlpatterns = [
    path("bench/constant/", ConstantView.as_view(), name="bench-constant"),
    path("", include("config.urls")),
]
