"""Saving a calculator result as a scenario, for a visitor too: the result waits in
the session until the visitor has an account."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance.errors import DomainError
from income.forms.calculator import CalculatorForm
from scenarios import services
from scenarios.forms import CALCULATOR_KEYS, calculator_scenario_fields
from scenarios.views.base import (
    request_owner,
)

# The session key under which an anonymous visitor's calculator result waits for an account.
PENDING_CALCULATOR_SCENARIO = "pending_calculator_scenario"


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
    scenario = services.scenario_create(
        owner=request_owner(request), **calculator_scenario_fields(inputs)
    )
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
                owner=request_owner(request), **calculator_scenario_fields(inputs)
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
