"""The income calendar: expected payouts beside what was received.

The dashboard itself moved to ``reports.views.dashboard``: it reads the report
snapshots, and ``income`` never imports ``reports``.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from income.calendar import calendar_page


@login_required
def income_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = calendar_page(owner=cast(User, request.user), today=today)
    return render(
        request,
        "income/calendar.html",
        {"page": page, "this_month": today.replace(day=1)},
    )
