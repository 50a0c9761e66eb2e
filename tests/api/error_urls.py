"""A URL configuration for tests/api/test_api_errors.py: the site's routes, plus views
that fail for real (an unhandled error, an oversize upload) under /api/ and outside it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.uploads import bounded_upload
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class FailingView(APIView):
    """Divides by zero: the kind of bug that escapes every handler and is a 500."""

    def get(self, request: Request) -> Response:
        return Response({"ratio": 1 / len(request.query_params)})


def failing_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(1 / len(request.GET)))


@bounded_upload(lambda: 1024, back="dashboard")
def upload(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stored")


urlpatterns = [
    path("api/v1/failing/", FailingView.as_view()),
    path("api/v1/upload/", upload),
    path("failing/", failing_page),
    *site,
]
