"""The list of scenarios, one scenario's projection, and the dashboard's notice of
sources behind their plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from finance.errors import DomainError
from finance.rounding import to_cents
from income.formatting import format_month
from income.services.users import profile_get_or_create
from scenarios import plan_actual, selectors, services
from scenarios.api.views import MAX_COMPARED
from scenarios.models import Scenario
from scenarios.montecarlo import Fan
from scenarios.projection.result import Projection, YearRow
from scenarios.views.base import (
    chart_data,
    decimal_strings,
    own_scenario,
    request_owner,
    year_label,
)

TWELVE = Decimal(12)
TRACKED_SHOWN = 3  # months of plan vs actual on the detail page


@dataclass(frozen=True)
class StoredResult:
    """The summary ``services.scenario_run`` stored on the scenario, parsed for display."""

    final_capital: Decimal | None
    last_year_monthly_net: Decimal | None
    independence_month: date | None
    target_month: date | None

    @classmethod
    def of(cls, scenario: Scenario) -> StoredResult | None:
        result = scenario.result or {}
        if not result.get("final_capital"):
            return None

        def amount(key: str) -> Decimal | None:
            try:
                return Decimal(result[key]) if result.get(key) is not None else None
            except InvalidOperation:
                return None

        def month(key: str) -> date | None:
            try:
                return date.fromisoformat(result[key]) if result.get(key) else None
            except ValueError:
                return None

        return cls(
            final_capital=amount("final_capital"),
            last_year_monthly_net=amount("last_year_monthly_net"),
            independence_month=month("independence_month"),
            target_month=month("target_month"),
        )


@login_required
@require_safe
def scenario_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    profile = profile_get_or_create(user=owner)
    rows = [
        (scenario, StoredResult.of(scenario)) for scenario in selectors.scenario_list(owner=owner)
    ]
    return render(
        request,
        "scenarios/list.html",
        {
            "rows": rows,
            "currency": profile.base_currency,
            "expenses_set": profile.monthly_expenses > 0,
            "max_compared": MAX_COMPARED,
        },
    )


@dataclass(frozen=True)
class YearLine:
    """A row of the yearly table, with the real monthly average next to the nominal."""

    row: YearRow
    real_monthly_net: Decimal


def _real_monthly(row: YearRow) -> Decimal:
    """The year's real net / 12, rounded as ``YearRow.monthly_net_average`` is."""
    return to_cents(row.real_net_income / TWELVE)


def _capital_chart(projection: Projection, currency: str) -> dict[str, object]:
    years = projection.years
    return chart_data(
        [year_label(row.year) for row in years],
        [
            {"label": _("Capital"), "data": decimal_strings(row.capital_end for row in years)},
            {
                "label": _("Capital in today's money"),
                "data": decimal_strings(row.real_capital_end for row in years),
                "dashed": True,
            },
        ],
        currency,
    )


def _income_chart(projection: Projection, currency: str) -> dict[str, object]:
    years = projection.years
    return chart_data(
        [year_label(row.year) for row in years],
        [
            {
                "label": _("Monthly net income"),
                "data": decimal_strings(row.monthly_net_average for row in years),
            },
            {
                "label": _("Monthly net income in today's money"),
                "data": decimal_strings(_real_monthly(row) for row in years),
                "dashed": True,
            },
        ],
        currency,
    )


def _fan_chart(fan: Fan, currency: str) -> dict[str, object]:
    """P10 and P90 as the edges of a filled band, P50 as the line through it."""
    return chart_data(
        [format_month(month) for month in fan.months],
        [
            {
                "label": _("Pessimistic (10th percentile)"),
                "data": decimal_strings(fan.capital_p10),
                "color": 2,
                "thin": True,
            },
            {
                "label": _("Optimistic (90th percentile)"),
                "data": decimal_strings(fan.capital_p90),
                "color": 2,
                "thin": True,
                "fill_between": 0,
            },
            {
                "label": _("Median (50th percentile)"),
                "data": decimal_strings(fan.capital_p50),
                "color": 0,
            },
        ],
        currency,
    )


def _probability_years(fan: Fan) -> list[tuple[int, Decimal]]:
    """The probability of reaching the target by each year; every fifth year on long plans."""
    count = len(fan.probability_by_year)
    return [
        (index + 1, probability)
        for index, probability in enumerate(fan.probability_by_year)
        if count <= 10 or (index + 1) % 5 == 0 or index + 1 in (1, count)
    ]


@login_required
@require_safe
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owner = request_owner(request)
    scenario = own_scenario(request, pk)
    profile = profile_get_or_create(user=owner)
    currency = profile.base_currency
    context: dict[str, Any] = {
        "scenario": scenario,
        "currency": currency,
        "profile": profile,
        "sources": list(scenario.sources.all()),
        "other_scenarios": list(
            selectors.scenario_list(owner=owner)
            .exclude(pk=scenario.pk)
            .values_list("pk", "name")[: MAX_COMPARED * 5]
        ),
    }
    try:
        outcome = services.scenario_run(scenario=scenario, today=timezone.localdate())
    except DomainError as error:
        context["run_errors"] = [
            message for messages_ in error.field_errors.values() for message in messages_
        ]
        return render(request, "scenarios/detail.html", context)
    projection = outcome.projection
    last = projection.years[-1]
    context.update(
        {
            "projection": projection,
            "last_year": last,
            "last_year_real_monthly": _real_monthly(last),
            "years": [
                YearLine(row=row, real_monthly_net=_real_monthly(row)) for row in projection.years
            ],
            "missing_rates": outcome.missing_rates,
            "calculation": projection.calculation,
            "capital_chart": _capital_chart(projection, currency),
            # A saved calculation is taxed once, in its last year: a yearly average of its
            # "monthly net income" would show untaxed gains as net, so it has no such chart.
            "income_chart": (
                _income_chart(projection, currency) if projection.calculation is None else None
            ),
            "fan": outcome.fan,
            "fan_chart": _fan_chart(outcome.fan, currency) if outcome.fan else None,
            "probabilities": _probability_years(outcome.fan) if outcome.fan else [],
            "trackings": [
                (tracking, tracking.months[-TRACKED_SHOWN:])
                for tracking in plan_actual.plan_vs_actual(
                    scenario=scenario, today=timezone.localdate()
                )
            ],
        }
    )
    return render(request, "scenarios/detail.html", context)


@login_required
def behind_plan_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's notice of sources behind their plan (loaded there with htmx).

    The dashboard belongs to ``income``, which does not import ``scenarios``; it asks
    this URL instead. Nothing to report answers an empty body, which htmx swaps away.
    """
    flagged = plan_actual.flagged_for(owner=request_owner(request), today=timezone.localdate())
    if not flagged:
        return HttpResponse("")
    return render(request, "scenarios/partials/behind_plan.html", {"flagged": flagged})
