"""What every scenario page uses: the caller's own scenario, and Chart.js series
whose amounts stay decimal strings until the browser plots them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from scenarios import selectors
from scenarios.models import Scenario


def request_owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def own_scenario(request: HttpRequest, pk: int) -> Scenario:
    """The caller's scenario; another user's id is a 404, as if it did not exist."""
    return get_object_or_404(selectors.scenario_list(owner=request_owner(request)), pk=pk)


def year_label(year: int) -> str:
    return _("Year %(year)s") % {"year": year}


def chart_data(
    labels: list[str], datasets: list[dict[str, Any]], currency: str
) -> dict[str, object]:
    """Series for charts.js; amounts stay decimal strings until the browser plots them."""
    return {"labels": labels, "datasets": datasets, "currency": currency, "type": "line"}


def decimal_strings(values: Iterable[Decimal | None]) -> list[str | None]:
    return [None if value is None else str(value) for value in values]
