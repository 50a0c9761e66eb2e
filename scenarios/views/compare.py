"""Scenarios side by side: their capital by year and the differences to the first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from income.ids import object_ids
from income.services.users import profile_get_or_create
from scenarios import selectors, services
from scenarios.api.views import MAX_COMPARED
from scenarios.comparison import Difference, differences_to_first
from scenarios.models import Scenario
from scenarios.projection.result import Projection, YearRow
from scenarios.views.base import (
    chart_data,
    decimal_strings,
    request_owner,
    year_label,
)

MIN_COMPARED = 2


def _compare_ids(request: HttpRequest) -> list[int]:
    """``?ids=1,2`` or ``?ids=1&ids=2`` (the list's checkboxes), in order, without repeats.

    Raises ``ValueError`` for anything that is not an id.
    """
    return object_ids(request.GET.getlist("ids"))


def _compare_chart(outcomes: list[services.ScenarioOutcome], currency: str) -> dict[str, object]:
    """Each scenario's capital by year; a shorter horizon ends where it ends (null)."""
    longest = max(len(outcome.projection.years) for outcome in outcomes)
    datasets = []
    for outcome in outcomes:
        capital: list[Decimal | None] = [row.capital_end for row in outcome.projection.years]
        capital += [None] * (longest - len(capital))
        datasets.append({"label": outcome.scenario.name, "data": decimal_strings(capital)})
    chart = chart_data([year_label(year) for year in range(1, longest + 1)], datasets, currency)
    return {**chart, "fill": False}


@dataclass(frozen=True)
class ComparedScenario:
    scenario: Scenario
    projection: Projection
    last_year: YearRow
    difference: Difference | None = None  # to the first scenario; None for the first


@login_required
@require_safe
def scenario_compare(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    currency = profile_get_or_create(user=owner).base_currency
    try:
        ids = _compare_ids(request)
    except ValueError:
        ids, error = [], _("Give scenario ids separated by commas.")
    else:
        error = ""
        if len(ids) > MAX_COMPARED:
            error = _("You can compare up to %(max)s scenarios at a time.") % {"max": MAX_COMPARED}
        elif len(ids) < MIN_COMPARED:
            error = _("Pick 2 to %(max)s scenarios to compare.") % {"max": MAX_COMPARED}
    if error:
        return render(
            request, "scenarios/compare.html", {"error": error, "currency": currency}, status=400
        )
    found = {s.pk: s for s in selectors.scenario_list(owner=owner).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    today = timezone.localdate()
    outcomes = [services.scenario_run(scenario=found[pk], today=today) for pk in ids]
    differences = differences_to_first([(o.scenario, o.projection) for o in outcomes])
    compared = [
        ComparedScenario(
            scenario=outcome.scenario,
            projection=outcome.projection,
            last_year=outcome.projection.years[-1],
            difference=change,
        )
        for outcome, change in zip(outcomes, differences, strict=True)
    ]
    return render(
        request,
        "scenarios/compare.html",
        {
            "compared": compared,
            "currency": currency,
            "chart": _compare_chart(outcomes, currency),
            "missing_rates": sorted({c for o in outcomes for c in o.missing_rates}),
        },
    )
