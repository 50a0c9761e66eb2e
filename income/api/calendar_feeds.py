"""``/api/v1/me/calendar-feed/``: the private calendar feed's address for an app (issue 24).

The settings page's three actions: read the address (404 while there is none, so an
app tells "no feed" from a feed by the status alone, and a revoked feed is gone as a
deleted object is), make a new one (``POST``: the first, or one that replaces the old
at once) and turn it off (``DELETE``). The feed itself (``.ics``) needs no token: its
address is the credential.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import Serializer
from income import selectors, services
from income.calendar_feed import feed_address, site_url, webcal_address
from income.models import CalendarFeed

NO_FEED = "No calendar feed: none was made, or it was turned off."


class CalendarFeedSerializer(Serializer):  # type: ignore[type-arg]
    """The feed's address; whoever has it reads the feed without logging in."""

    url = serializers.URLField(
        help_text=_("The feed's address (iCalendar, RFC 5545), to subscribe to in a calendar app.")
    )
    webcal_url = serializers.CharField(
        help_text=_("The same address as webcal://, which opens the device's calendar app.")
    )
    created_at = serializers.DateTimeField(help_text=_("When this address was made."))
    last_read_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When a calendar app last fetched the feed, to the hour; null if never."),
    )


def _answer(request: Request, feed: CalendarFeed, code: int = status.HTTP_200_OK) -> Response:
    url = feed_address(site_url=site_url(request), token=feed.token)
    data: dict[str, Any] = {
        "url": url,
        "webcal_url": webcal_address(url),
        "created_at": feed.created_at,
        "last_read_at": feed.last_read_at,
    }
    return Response(CalendarFeedSerializer(data).data, status=code)


class CalendarFeedView(APIView):
    """The caller's private calendar feed: its address, a new one, or none."""

    @extend_schema(
        responses={200: CalendarFeedSerializer, 404: OpenApiResponse(description=NO_FEED)}
    )
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_of(owner=cast(User, request.user))
        if feed is None:
            raise Http404
        return _answer(request, feed)

    @extend_schema(request=None, responses={201: CalendarFeedSerializer})
    def post(self, request: Request) -> Response:
        """Make the feed's address: the first one, or a new one that replaces the old at
        once (the old address answers 404 from now on)."""
        feed = services.calendar_feed_rotate(owner=cast(User, request.user))
        return _answer(request, feed, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 404: OpenApiResponse(description=NO_FEED)})
    def delete(self, request: Request) -> Response:
        """Turn the feed off: its address answers 404 from now on."""
        if not services.calendar_feed_revoke(owner=cast(User, request.user)):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
