"""The dashboard page: the user's figures at a glance, read from their latest snapshot.

It lives in ``reports`` because it reads the snapshots, and ``income`` must never
import ``reports`` (the dependency points ``reports → scenarios → income``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from income.formatting import format_month
from reports.dashboard import DashboardData, dashboard_data, must_compute_now
from reports.services import report_recompute


def _chart(
    labels: list[str],
    series: dict[str, list[Decimal]],
    currency: str,
    kind: str,
    stacked: bool,
    *,
    partial_last: bool,
    colors: Mapping[str, int] | None = None,
) -> dict[str, object]:
    """The JSON ``static/js/charts.js`` draws; amounts as strings, so no float sneaks in.

    ``partial_last``: the last month is the running one, drawn apart from the trend.
    ``colors``: a palette index per label, for series whose colour must not depend on
    their position (a series missing from this user's data must not shift the others).
    """
    datasets: list[dict[str, object]] = []
    for label, data in series.items():
        dataset: dict[str, object] = {"label": label, "data": [str(amount) for amount in data]}
        if colors is not None and label in colors:
            dataset["color"] = colors[label]
        datasets.append(dataset)
    return {
        "partial_last": partial_last,
        "labels": labels,
        "datasets": datasets,
        "currency": currency,
        "type": kind,
        "stacked": stacked,
    }


def _concentration_titles() -> dict[str, str]:
    return {
        "source": _("Source"),
        "category": _("Category"),
        "currency": _("Currency"),
        "platform": _("Platform or payer"),
        "country": _("Country"),
    }


def _context(data: DashboardData) -> dict[str, object]:
    running = data.month_is_running
    last = len(data.months) - 1
    labels = [
        format_month(row.month, to_date=running and index == last)
        for index, row in enumerate(data.months)
    ]
    titles = _concentration_titles()
    return {
        "view": data,
        "currency": data.currency,
        "home_country": data.home_country,
        "by_category_chart": (
            _chart(
                labels,
                data.passive_net_by_category,
                data.currency,
                "bar",
                stacked=True,
                partial_last=running,
                colors=data.category_colors,
            )
            if data.passive_net_by_category
            else None
        ),
        "passive_vs_active_chart": _chart(
            labels,
            {
                _("Passive net"): [row.passive_net for row in data.months],
                _("Active net"): [row.active_net for row in data.months],
            },
            data.currency,
            "line",
            stacked=False,
            partial_last=running,
        ),
        "concentration": [
            (item.dimension, titles.get(item.dimension, item.dimension), item.shares, item.warning)
            for item in data.concentration
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the latest snapshot; compute it here only when the page cannot do without.

    Reading the snapshot keeps the page fast and its query count fixed. When there is
    none yet (a first visit), none for this month, or a stale empty one (a first source
    just added), the recompute runs synchronously once, right here: waiting for the
    worker would show a user who has data an empty page. Later changes are picked up by
    the debounced recompute the change queued; the page says when its figures are from.
    """
    owner = cast(User, request.user)
    today = timezone.localdate()
    data = dashboard_data(owner=owner)
    if must_compute_now(data, today=today):
        report_recompute(owner=owner, today=today)
        data = dashboard_data(owner=owner)
    if data is None:
        raise RuntimeError("report_recompute wrote no snapshot of the current month")
    return render(request, "reports/dashboard.html", _context(data))
