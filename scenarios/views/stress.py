"""The stress test: a scenario's plan under a fall, a flat spell or higher inflation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from finance.errors import DomainError
from income.formatting import format_month
from income.forms.base import add_service_errors
from income.services.users import profile_get_or_create
from scenarios import services
from scenarios.forms import StressForm
from scenarios.views.base import (
    chart_data,
    decimal_strings,
    request_owner,
)


@dataclass(frozen=True)
class StressLine:
    name: str
    before: Decimal
    after: Decimal
    change: Decimal


@dataclass(frozen=True)
class StressPathLine:
    """A month of the before/after path, with the change the shocks make to it."""

    number: int  # 1 for the first month
    month: date
    before: Decimal
    after: Decimal
    change: Decimal
    expenses: Decimal


#: The months of the path the page's short table shows (1-based): now, and each year.
STRESS_KEY_MONTHS = (1, 12, 24, 36)


def _stress_path(result: services.StressOutcome) -> list[StressPathLine]:
    return [
        StressPathLine(
            number=index + 1,
            month=row.month,
            before=row.net_before,
            after=row.net_after,
            change=row.net_after - row.net_before,
            expenses=row.expenses,
        )
        for index, row in enumerate(result.path)
    ]


def _stress_chart(
    path: list[StressPathLine], *, currency: str, expenses: bool
) -> dict[str, object]:
    """The path before and after the shocks; the expenses, dashed, when there are any."""
    datasets: list[dict[str, Any]] = [
        {"label": _("Without the shocks"), "data": decimal_strings(line.before for line in path)},
        {
            "label": _("With the shocks"),
            "data": decimal_strings(line.after for line in path),
            "color": 3,
        },
    ]
    if expenses:
        datasets.append(
            {
                "label": _("Expenses, grown with inflation"),
                "data": decimal_strings(line.expenses for line in path),
                "color": 1,
                "dashed": True,
                "thin": True,
            }
        )
    chart = chart_data([format_month(line.month) for line in path], datasets, currency)
    return {**chart, "fill": False}


def _independence_worse(result: services.StressOutcome) -> bool:
    """The shocks end an independence already reached, or put it off (or out of reach)."""
    if result.independent_now:
        return result.independence_ends_after is not None
    before, after = result.independence_before, result.independence_after
    return before is not None and (after is None or after > before)


@login_required
@require_safe
def scenario_stress(request: HttpRequest) -> HttpResponse:
    """GET with the shocks in the query string, so a result is a link that can be shared."""
    owner = request_owner(request)
    profile = profile_get_or_create(user=owner)
    form = StressForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = services.stress_run(
                owner=owner, today=timezone.localdate(), **form.stress_arguments()
            )
        except DomainError as error:
            add_service_errors(form, error)
    lines = (
        [
            StressLine(
                name=row["name"],
                before=row["monthly_net_before"],
                after=row["monthly_net_after"],
                change=row["monthly_net_after"] - row["monthly_net_before"],
            )
            for row in result.sources
        ]
        if result
        else []
    )
    path = _stress_path(result) if result else []
    last = path[-1] if path else None
    return render(
        request,
        "scenarios/stress.html",
        {
            "form": form,
            "result": result,
            "change": result.monthly_net_after - result.monthly_net_before if result else None,
            "lines": lines,
            "path": path,
            "path_last": last,
            # Losses as positive amounts, for "it costs … a month".
            "long_run_loss": -last.change if last else None,
            "first_loss": -(result.monthly_net_after - result.monthly_net_before)
            if result
            else None,
            "path_key_lines": [line for line in path if line.number in STRESS_KEY_MONTHS],
            "path_chart": (
                _stress_chart(
                    path, currency=profile.base_currency, expenses=profile.monthly_expenses > 0
                )
                if path
                else None
            ),
            # The shocks make some month of the path worse: their result is a warning.
            "shocks_hurt": any(line.change < 0 for line in path),
            "independence_worse": _independence_worse(result) if result else False,
            "currency": profile.base_currency,
            "profile": profile,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
