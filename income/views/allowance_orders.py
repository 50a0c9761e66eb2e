"""``/tax/<year>/allowance-orders/``: the person's allowance orders of a year, one form for
every bank, the warning when they exceed the allowance, and a suggested split.

The figures are ``income.allowance_orders.allowance_summary``'s, the same the API's
``/api/v1/allowance-orders/summary/`` answers.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from finance.errors import DomainError
from income import services
from income.allowance_orders import NO_BANK, allowance_summary
from income.forms.allowance_orders import AllowanceOrdersForm
from income.forms.base import add_service_errors
from income.models.tax_records import YEAR_HIGH, YEAR_LOW

TEMPLATE = "income/tax/allowance_orders.html"


@login_required
@require_http_methods(["GET", "POST"])
def allowance_orders(request: HttpRequest, year: int) -> HttpResponse:
    """Show and set the year's orders. ``?suggestion=1`` fills the form with the
    suggested split, to be checked and saved (nothing is saved by asking for it)."""
    if not YEAR_LOW <= year <= YEAR_HIGH:
        raise Http404
    owner = cast(User, request.user)
    try:
        summary = allowance_summary(owner=owner, year=year)
    except DomainError as error:  # no tax facts for the year yet
        context = {"year": year, "facts_missing": error.field_errors.get("year", [])}
        return render(request, TEMPLATE, context)
    named = [bank for bank in summary.banks if bank != NO_BANK]
    suggesting = request.method == "GET" and request.GET.get("suggestion") == "1"
    initial = dict(summary.suggestion.orders) if suggesting else summary.orders
    form = AllowanceOrdersForm(
        request.POST if request.method == "POST" else None,
        banks=named,
        initial_amounts=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allowance_orders_set_year(owner=owner, year=year, amounts=form.amounts())
        except (DomainError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your allowance orders were saved."))
            return redirect("allowance_orders", year=year)
    rows = [
        {
            "bank": bank,
            "bank_field": bank_field,
            "amount_field": amount_field,
            "expected": summary.expected.get(bank),
            "suggested": summary.suggestion.orders.get(bank),
        }
        for bank_field, amount_field, bank in form.rows()
    ]
    context = {
        "year": year,
        "summary": summary,
        "rows": rows,
        "form": form,
        "suggesting": suggesting,
        "unnamed_expected": summary.expected.get(NO_BANK),
        "has_unnamed": NO_BANK in summary.banks,
    }
    return render(request, TEMPLATE, context)
