"""The dashboard page: the user's figures at a glance, read from their latest snapshot.

It lives in ``reports`` because it reads the snapshots, and ``income`` must never
import ``reports`` (the dependency points ``reports → scenarios → income``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from income import definitions, formatting
from income.formatting import format_month
from income.preferences import Preferences
from income.templatetags import definitions as definitions_tags
from income.templatetags import money as money_tags
from reports import dashboard as dashboard_module
from reports.dashboard import (
    DashboardData,
    DashboardHead,
    dashboard_data,
    dashboard_head,
    must_compute_now,
)
from reports.services import report_recompute

FIGURES_TEMPLATE = "reports/partials/dashboard_figures.html"
#: The templates the figures part is rendered from (``_release_digest``).
FIGURES_TEMPLATES = (FIGURES_TEMPLATE, "income/partials/payback.html")
#: Bump when what the figures part shows changes in code ``_release_digest`` does not read.
FIGURES_VERSION = 1
#: A cached figures part is dropped after this long, whatever its key says.
FIGURES_CACHE_SECONDS = 60 * 60


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


@cache
def _release_digest() -> str:
    """What the figures part is written by, hashed once per process (a deploy is one):
    its templates, the code that formats and labels its figures, and the translations.
    A release that changes any of them starts every user's figures part afresh."""
    digest = hashlib.sha256()
    for name in FIGURES_TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    modules = (formatting, money_tags, definitions, definitions_tags, dashboard_module)
    files = (
        [Path(__file__)]
        + [Path(str(module.__file__)) for module in modules]
        + sorted(
            path
            for folder in settings.LOCALE_PATHS
            for path in Path(folder).glob("*/LC_MESSAGES/*.mo")
        )
    )
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _figures_key(*, owner: User, head: DashboardHead, preferences: Preferences) -> str:
    """The cache key of a figures part: everything it is rendered from.

    The owner, the data (``DashboardHead.figures_version``: the snapshot's id and time,
    every month's time, base currency, home country, the categories, the running
    month), the language, the display preferences, and the release's version. A
    recompute, a language switch, a preference saved or a release is a new key,
    so a part rendered before is never shown for data or settings it was not made from.
    """
    parts = (
        owner.pk,
        head.figures_version(),
        get_language() or "",
        preferences.date_style,
        preferences.theme,
        FIGURES_VERSION,
        _release_digest(),
    )
    return "dashboard-figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _figures(request: HttpRequest, *, owner: User, head: DashboardHead) -> SafeString:
    """The figures part of the page, from the cache when these figures were rendered for
    this user, language and preferences before; else rendered and kept.

    Rendering them is most of the page's cost (about 90 amounts and percentages, 45
    dates, the charts' JSON), and they change only when the figures are recomputed.
    What depends on the time or the request (when they were computed, the stale notice,
    the CSRF token) stays in the page around them.
    """
    preferences = cast(Preferences, getattr(request, "preferences", Preferences()))
    key = _figures_key(owner=owner, head=head, preferences=preferences)
    html: str | None = shared_cache.get(key)
    if html is None:
        data = dashboard_data(owner=owner, head=head)
        if data is None:
            raise RuntimeError("a snapshot read for the head is gone")
        html = render_to_string(FIGURES_TEMPLATE, _context(data))
        shared_cache.set(key, html, FIGURES_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped


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
    head = dashboard_head(owner=owner)
    if must_compute_now(head, today=today):
        report_recompute(owner=owner, today=today)
        head = dashboard_head(owner=owner)
    if head is None:
        raise RuntimeError("report_recompute wrote no snapshot of the current month")
    context = {
        "view": head,
        "currency": head.currency,
        "figures": _figures(request, owner=owner, head=head),
    }
    return render(request, "reports/dashboard.html", context)
