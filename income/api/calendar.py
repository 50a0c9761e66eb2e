"""``GET /api/v1/calendar/``: the income calendar page (``/calendar/``) for an app.

The figures are ``calendar_page``'s, the very object the page renders, so an app
and the page cannot disagree: which months a payout is expected, how much (net, in the base
currency), what arrived, and each month's totals. Like the page it covers the last three
months, the running one and the coming eleven, and takes no filter: the page has none.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.serializers import Serializer
from finance.schedule import month_start
from income.api.fields import FigureField
from income.calendar import calendar_page
from income.models import PayoutRhythm

#: The states of a source's month, as ``finance.schedule.calendar`` gives them.
CALENDAR_STATUSES = ("received", "expected", "overdue", "none")


class CalendarCellSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField(source="entry.month", help_text=_("The month, as its first day."))
    status = serializers.ChoiceField(
        source="entry.status",
        choices=CALENDAR_STATUSES,
        help_text=_(
            '"received": something positive arrived, expected or not; "overdue": a payout '
            'was expected and the month has passed without one; "expected": a payout is '
            'expected and the month has not passed; "none": nothing expected, nothing '
            "received."
        ),
    )
    payout_expected = serializers.BooleanField(
        source="entry.expected",
        help_text=_("The source's payout rhythm expects a payout in this month."),
    )
    expected_amount = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "What the expected payout should bring, net, in the base currency: the source's "
            "average complete month of the last year times the months a payout covers. Null "
            "when no payout is expected, or the source has no complete month yet, earned "
            "nothing or pays irregularly."
        ),
    )
    received_gross = FigureField(
        source="entry.received",
        decimal_places=2,
        help_text=_(
            "The gross of the month's payments in the source's own currency; negative for a refund."
        ),
    )
    received_net = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "The month's net in the base currency; null when nothing arrived (or no "
            "exchange rate is known yet)."
        ),
    )


class CalendarSourceSerializer(Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    category = serializers.IntegerField(
        source="source.category_id", help_text=_("The category's id, as in /api/v1/sources/.")
    )
    currency = serializers.CharField(
        source="source.currency", help_text=_("The currency the source pays in.")
    )
    payout_rhythm = serializers.ChoiceField(
        source="source.payout_rhythm", choices=PayoutRhythm.choices
    )
    months = CalendarCellSerializer(
        source="cells", many=True, help_text=_("One entry per month of the calendar, in order.")
    )


class CalendarMonthSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField(help_text=_("The month, as its first day."))
    to_date = serializers.BooleanField(
        help_text=_("The running month: received is to today, the month is not over.")
    )
    expected = FigureField(
        decimal_places=2,
        help_text=_("The expected payouts of all sources with an amount, net, base currency."),
    )
    received = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=_("What all sources brought, net, base currency; null for a month to come."),
    )
    received_share = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=_(
            "received ÷ expected, as a fraction (1 is all that was expected); null with "
            "nothing to compare."
        ),
    )


class CalendarSerializer(Serializer):  # type: ignore[type-arg]
    """The income calendar: per source the expected payouts beside what arrived."""

    today = serializers.DateField(help_text=_("The day the calendar was computed for."))
    currency = serializers.CharField(
        help_text=_("The base currency: every net amount and total is in it.")
    )
    months = CalendarMonthSerializer(
        many=True, help_text=_("The calendar's months in order, with the totals of all sources.")
    )
    sources = CalendarSourceSerializer(
        many=True, help_text=_("The sources that have not ended, by name.")
    )


class CalendarView(APIView):
    """Expected payouts from each source's rhythm beside what arrived: the last three
    months and the coming twelve, the calendar page's figures."""

    @extend_schema(responses={200: CalendarSerializer})
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        page = calendar_page(owner=cast(User, request.user), today=today)
        current = month_start(today)
        data: dict[str, Any] = {
            "today": today,
            "currency": page.currency,
            "months": [
                {
                    "month": total.month,
                    "to_date": total.month == current,
                    "expected": total.expected,
                    "received": total.received,
                    "received_share": total.received_share,
                }
                for total in page.totals
            ],
            "sources": [{"source": source, "cells": cells} for source, cells in page.rows],
        }
        return Response(CalendarSerializer(data).data)
