"""Scenarios in the browser: the list, a scenario's projection, its form with a live
preview, the comparison, the stress test, and saving a calculator result.

Figures come from the same services as the API (``services.scenario_run``,
``services.stress_run``) and, for the preview of inputs not saved yet, from
``selectors.scenario_preview``; writes go through ``scenarios.services``. The views
only wire them to templates and turn amounts into chart series.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from finance.errors import DomainError
from finance.rounding import to_cents
from income.formatting import format_month
from income.forms.base import add_service_errors
from income.forms.calculator import CalculatorForm
from income.ids import object_ids
from income.models import IncomeSource, Profile
from income.services import profile_get_or_create
from scenarios import plan_actual, selectors, services
from scenarios.api.views import MAX_COMPARED
from scenarios.comparison import Difference, differences_to_first
from scenarios.forms import CALCULATOR_KEYS, ScenarioForm, StressForm, calculator_scenario_fields
from scenarios.models import Scenario
from scenarios.montecarlo import Fan
from scenarios.projections import Projection, YearRow

ZERO = Decimal(0)
TWELVE = Decimal(12)
MIN_COMPARED = 2
# The session key under which an anonymous visitor's calculator result waits for an account.
PENDING_CALCULATOR_SCENARIO = "pending_calculator_scenario"
TRACKED_SHOWN = 3  # months of plan vs actual on the detail page


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _own_scenario(request: HttpRequest, pk: int) -> Scenario:
    """The caller's scenario; another user's id is a 404, as if it did not exist."""
    return get_object_or_404(selectors.scenario_list(owner=_owner(request)), pk=pk)


def _year_label(year: int) -> str:
    return _("Year %(year)s") % {"year": year}


def _chart(labels: list[str], datasets: list[dict[str, Any]], currency: str) -> dict[str, object]:
    """Series for charts.js; amounts stay decimal strings until the browser plots them."""
    return {"labels": labels, "datasets": datasets, "currency": currency, "type": "line"}


def _amounts(values: Iterable[Decimal | None]) -> list[str | None]:
    return [None if value is None else str(value) for value in values]


# ------------------------------------------------------------------------------- list


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
    owner = _owner(request)
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


# ----------------------------------------------------------------------------- detail


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
    return _chart(
        [_year_label(row.year) for row in years],
        [
            {"label": _("Capital"), "data": _amounts(row.capital_end for row in years)},
            {
                "label": _("Capital in today's money"),
                "data": _amounts(row.real_capital_end for row in years),
                "dashed": True,
            },
        ],
        currency,
    )


def _income_chart(projection: Projection, currency: str) -> dict[str, object]:
    years = projection.years
    return _chart(
        [_year_label(row.year) for row in years],
        [
            {
                "label": _("Monthly net income"),
                "data": _amounts(row.monthly_net_average for row in years),
            },
            {
                "label": _("Monthly net income in today's money"),
                "data": _amounts(_real_monthly(row) for row in years),
                "dashed": True,
            },
        ],
        currency,
    )


def _fan_chart(fan: Fan, currency: str) -> dict[str, object]:
    """P10 and P90 as the edges of a filled band, P50 as the line through it."""
    return _chart(
        [format_month(month) for month in fan.months],
        [
            {
                "label": _("Pessimistic (10th percentile)"),
                "data": _amounts(fan.capital_p10),
                "color": 2,
                "thin": True,
            },
            {
                "label": _("Optimistic (90th percentile)"),
                "data": _amounts(fan.capital_p90),
                "color": 2,
                "thin": True,
                "fill_between": 0,
            },
            {
                "label": _("Median (50th percentile)"),
                "data": _amounts(fan.capital_p50),
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
    owner = _owner(request)
    scenario = _own_scenario(request, pk)
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


# ------------------------------------------------------------------------------- form


def _preview_context(
    form: ScenarioForm,
    *,
    owner: User,
    profile: Profile,
    scenario: Scenario | None = None,
    sources: Sequence[IncomeSource] = (),
) -> dict[str, Any]:
    """What the preview box shows: the headline figures, or which fields to fix.

    An unbound form previews ``scenario`` (the saved one, or a new one's defaults); a
    bound one previews its cleaned input, which is never saved.
    """
    context: dict[str, Any] = {"form": form, "currency": profile.base_currency}
    if form.is_bound:
        if not form.is_valid():
            return {**context, "invalid": True}
        scenario = form.unsaved_scenario(owner=owner)
        sources = form.linked_sources()
    if scenario is None:
        return context
    try:
        services.scenario_tax_timing_check(scenario=scenario)
        preview = selectors.scenario_preview(
            owner=owner,
            profile=profile,
            scenario=scenario,
            sources=sources,
            today=timezone.localdate(),
        )
    except DomainError as error:
        add_service_errors(form, error)
        return {**context, "invalid": True}
    projection = preview.projection
    return {
        **context,
        "preview": projection,
        "last_year": projection.years[-1],
        "horizon_years": scenario.horizon_years,
        "target": scenario.target_monthly_income,
        "monthly_expenses": profile.monthly_expenses,
        "missing_rates": preview.missing_rates,
    }


def _form_page(
    request: HttpRequest,
    form: ScenarioForm,
    scenario: Scenario | None,
    preview: dict[str, Any],
) -> HttpResponse:
    return render(
        request,
        "scenarios/form.html",
        {"form": form, "scenario": scenario, **preview},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    profile = profile_get_or_create(user=owner)
    if request.method != "POST":
        form = ScenarioForm(owner=owner, initial={"tax_profile": profile.default_tax_profile_id})
        draft = Scenario(owner=owner, tax_profile=profile.default_tax_profile)
        return _form_page(
            request,
            form,
            None,
            _preview_context(form, owner=owner, profile=profile, scenario=draft),
        )
    form = ScenarioForm(request.POST, owner=owner)
    if form.is_valid():
        try:
            scenario = services.scenario_create(
                owner=owner, sources=form.linked_sources(), **form.service_data()
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": scenario.name})
            return redirect("scenario_detail", pk=scenario.pk)
    return _form_page(request, form, None, _preview_context(form, owner=owner, profile=profile))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    profile = profile_get_or_create(user=owner)
    scenario = _own_scenario(request, pk)
    if request.method != "POST":
        form = ScenarioForm(instance=scenario, owner=owner)
        preview = _preview_context(
            form,
            owner=owner,
            profile=profile,
            scenario=scenario,
            sources=list(scenario.sources.all()),
        )
        return _form_page(request, form, scenario, preview)
    form = ScenarioForm(request.POST, instance=scenario, owner=owner)
    if form.is_valid():
        try:
            scenario = services.scenario_update(
                scenario=scenario, sources=form.linked_sources(), **form.service_data()
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": scenario.name})
            return redirect("scenario_detail", pk=scenario.pk)
    preview = _preview_context(form, owner=owner, profile=profile)
    return _form_page(request, form, _own_scenario(request, pk), preview)


@login_required
@require_POST
def scenario_preview(request: HttpRequest) -> HttpResponse:
    """The live preview of the form (htmx): always 200, so htmx swaps the answer in."""
    owner = _owner(request)
    profile = profile_get_or_create(user=owner)
    form = ScenarioForm(request.POST, owner=owner, preview=True)
    return render(
        request,
        "scenarios/partials/preview_response.html",
        _preview_context(form, owner=owner, profile=profile),
    )


@login_required
@require_POST
def scenario_clone(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.scenario_clone(scenario=_own_scenario(request, pk))
    messages.success(
        request, _("“%(name)s” is a copy. Change what you want to compare.") % {"name": copy.name}
    )
    return redirect("scenario_edit", pk=copy.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _own_scenario(request, pk)
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("scenario_list")
    return render(request, "scenarios/confirm_delete.html", {"scenario": scenario})


# ---------------------------------------------------------------------------- compare


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
        datasets.append({"label": outcome.scenario.name, "data": _amounts(capital)})
    chart = _chart([_year_label(year) for year in range(1, longest + 1)], datasets, currency)
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
    owner = _owner(request)
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


# ------------------------------------------------------------------------ stress test


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
        {"label": _("Without the shocks"), "data": _amounts(line.before for line in path)},
        {
            "label": _("With the shocks"),
            "data": _amounts(line.after for line in path),
            "color": 3,
        },
    ]
    if expenses:
        datasets.append(
            {
                "label": _("Expenses, grown with inflation"),
                "data": _amounts(line.expenses for line in path),
                "color": 1,
                "dashed": True,
                "thin": True,
            }
        )
    chart = _chart([format_month(line.month) for line in path], datasets, currency)
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
    owner = _owner(request)
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


# --------------------------------------------------------------------- from calculator


def _pending_inputs(form: CalculatorForm) -> dict[str, str]:
    """The calculator's cleaned inputs as strings: the session stores JSON."""
    return {key: str(value) for key, value in form.calculator_inputs().items()}


@require_POST
def scenario_from_calculator(request: HttpRequest) -> HttpResponse:
    """Save a calculator result as a scenario; a visitor keeps it by signing up first."""
    form = CalculatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The calculator's inputs were not valid; nothing was saved."))
        return redirect("calculator")
    if form.cleaned_data["investment_period"] < 1:
        # A scenario runs for a year at least, and a saved calculation must reproduce the
        # calculation (PRODUCT.md §4): a 0-year result has no plan to save.
        messages.error(
            request,
            _(
                "A result over 0 years cannot be saved as a scenario: a scenario runs for a "
                "year at least."
            ),
        )
        query = urlencode({key: request.POST.get(key, "") for key in CALCULATOR_KEYS})
        return HttpResponseRedirect(f"{reverse('calculator')}?{query}")
    inputs = _pending_inputs(form)
    if not request.user.is_authenticated:
        request.session[PENDING_CALCULATOR_SCENARIO] = inputs
        messages.info(
            request,
            _(
                "Create an account to keep this result: it is saved as a scenario as soon "
                "as you have signed up or logged in."
            ),
        )
        claim = reverse("scenario_claim")
        return HttpResponseRedirect(f"{reverse('signup')}?{urlencode({'next': claim})}")
    scenario = services.scenario_create(owner=_owner(request), **calculator_scenario_fields(inputs))
    messages.success(
        request,
        _("The result was saved as the scenario “%(name)s”, with the calculator's figures.")
        % {"name": scenario.name},
    )
    return redirect("scenario_detail", pk=scenario.pk)


@login_required
def scenario_claim(request: HttpRequest) -> HttpResponse:
    """After sign-up or log-in: create the scenario a visitor saved from the calculator.

    The inputs wait in the session (``scenario_from_calculator``); Django keeps session
    data when it rotates the key at log-in. Sign-up and log-in come back here through
    their ``next`` parameter, so the account views need not know about scenarios.
    Pending inputs that no longer validate are dropped.
    """
    inputs = request.session.pop(PENDING_CALCULATOR_SCENARIO, None)
    scenario = None
    if isinstance(inputs, dict) and set(inputs) == set(CALCULATOR_KEYS):
        try:
            scenario = services.scenario_create(
                owner=_owner(request), **calculator_scenario_fields(inputs)
            )
        except (ArithmeticError, ValueError, TypeError, ValidationError, DomainError):
            scenario = None
    if scenario is None:
        return redirect("scenario_list")
    messages.success(
        request,
        _("Your calculator result was saved as the scenario “%(name)s”.") % {"name": scenario.name},
    )
    return redirect("scenario_detail", pk=scenario.pk)


@login_required
def behind_plan_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's notice of sources behind their plan (loaded there with htmx).

    The dashboard belongs to ``income``, which does not import ``scenarios``; it asks
    this URL instead. Nothing to report answers an empty body, which htmx swaps away.
    """
    flagged = plan_actual.flagged_for(owner=_owner(request), today=timezone.localdate())
    if not flagged:
        return HttpResponse("")
    return render(request, "scenarios/partials/behind_plan.html", {"flagged": flagged})
