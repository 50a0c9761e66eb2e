"""Plan vs actual of a scenario's linked sources, in the user's base currency (reads only).

The plan is the sources' projection from the month the scenario was made, with the
inputs they have today (a scenario does not keep a copy of its sources' inputs), and
bounded by each source's start and end dates: before its start a source expects nothing,
so it cannot fall behind; the actual is each source's recorded net per month, converted
as the dashboard does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from finance.schedule import add_months, month_start, months_between
from income import reporting
from scenarios.models import Scenario
from scenarios.plans import source_models
from scenarios.projection.sources import source_monthly_net
from scenarios.tracking import SourceTracking, track

MAX_TRACKED_MONTHS = 36
ActualByMonth = dict[int, dict[date, Decimal]]


def _actual(*, owner: User, today: date) -> ActualByMonth:
    overview = reporting.overview(owner=owner, as_of=today, months=1)
    return {f.source.pk: f.monthly_net for f in overview.sources}


def plan_vs_actual(
    *, scenario: Scenario, today: date, actual: ActualByMonth | None = None
) -> list[SourceTracking]:
    """One tracking per linked source over the complete months since the scenario began.

    At most the last 36 months are tracked; ``actual`` may be passed in when several
    scenarios of one user are tracked, so the payments are read once.
    """
    sources = list(scenario.sources.select_related("category", "tax_profile"))
    current = month_start(today)
    start = max(month_start(scenario.created_at.date()), add_months(current, -MAX_TRACKED_MONTHS))
    months = months_between(start, current)
    if not sources or months < 1:
        return []
    received = actual if actual is not None else _actual(owner=scenario.owner, today=today)
    inputs = source_models(owner=scenario.owner, sources=sources, today=today)
    names = {source.pk: source.name for source in sources}
    return [
        track(
            name=names[source_id],
            expected=source_monthly_net(model, months=months, start=start),
            actual=received.get(source_id, {}),
            start=start,
        )
        for (model, _tags), source_id in zip(inputs.models, inputs.source_ids, strict=True)
    ]


def flagged_for(*, owner: User, today: date) -> list[tuple[Scenario, SourceTracking]]:
    """Every (scenario, source) of ``owner`` that is behind its plan for three months."""
    scenarios = list(Scenario.objects.filter(owner=owner, sources__isnull=False).distinct())
    if not scenarios:
        return []
    actual = _actual(owner=owner, today=today)
    return [
        (scenario, tracking)
        for scenario in scenarios
        for tracking in plan_vs_actual(scenario=scenario, today=today, actual=actual)
        if tracking.flagged
    ]
