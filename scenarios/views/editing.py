"""A scenario's form with its live preview, and cloning and deleting a scenario."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from finance.errors import DomainError
from income.forms.base import add_service_errors
from income.models import IncomeSource, Profile
from income.services.users import profile_get_or_create
from scenarios import selectors, services
from scenarios.forms import ScenarioForm
from scenarios.models import Scenario
from scenarios.views.base import (
    own_scenario,
    request_owner,
)


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
    owner = request_owner(request)
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
    owner = request_owner(request)
    profile = profile_get_or_create(user=owner)
    scenario = own_scenario(request, pk)
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
    return _form_page(request, form, own_scenario(request, pk), preview)


@login_required
@require_POST
def scenario_preview(request: HttpRequest) -> HttpResponse:
    """The live preview of the form (htmx): always 200, so htmx swaps the answer in."""
    owner = request_owner(request)
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
    copy = services.scenario_clone(scenario=own_scenario(request, pk))
    messages.success(
        request, _("“%(name)s” is a copy. Change what you want to compare.") % {"name": copy.name}
    )
    return redirect("scenario_edit", pk=copy.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = own_scenario(request, pk)
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("scenario_list")
    return render(request, "scenarios/confirm_delete.html", {"scenario": scenario})
