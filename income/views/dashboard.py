"""The dashboard and the income calendar: a user's figures at a glance."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from income import reporting


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _chart(
    labels: list[str], series: dict[str, list[str]], currency: str, kind: str, stacked: bool
) -> dict[str, object]:
    return {
        "labels": labels,
        "datasets": [{"label": label, "data": data} for label, data in series.items()],
        "currency": currency,
        "type": kind,
        "stacked": stacked,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    view = reporting.overview(owner=cast(User, request.user), as_of=today)
    labels = [_month_label(month) for month in view.months]
    by_category = _chart(
        labels,
        {
            name: [str(series[month]) for month in view.months]
            for name, series in view.passive_net_by_category.items()
        },
        view.currency,
        "bar",
        stacked=True,
    )
    passive_vs_active = _chart(
        labels,
        {
            _("Passive net"): [str(view.passive_net_by_month[m]) for m in view.months],
            _("Active net"): [str(view.active_net_by_month[m]) for m in view.months],
        },
        view.currency,
        "line",
        stacked=False,
    )
    dimensions = {
        "source": _("Source"),
        "category": _("Category"),
        "currency": _("Currency"),
        "platform": _("Platform or payer"),
        "country": _("Country"),
    }
    return render(
        request,
        "income/dashboard.html",
        {
            "view": view,
            "currency": view.currency,
            "by_category_chart": by_category if view.passive_net_by_category else None,
            "passive_vs_active_chart": passive_vs_active,
            "month_rows": [
                (
                    month,
                    view.passive_gross_by_month[month],
                    view.passive_net_by_month[month],
                    view.active_net_by_month[month],
                )
                for month in reversed(view.months[-12:])
            ],
            "concentration": [
                (dimensions[key], shares, view.concentration_warnings.get(key))
                for key, shares in view.concentration.items()
                if shares
            ],
        },
    )


@login_required
def income_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = reporting.income_calendar(owner=cast(User, request.user), today=today)
    months = [entry.month for entry in rows[0].entries] if rows else []
    return render(
        request,
        "income/calendar.html",
        {"rows": rows, "months": months, "this_month": today.replace(day=1)},
    )
