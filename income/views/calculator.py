"""The seed's passive-income calculator as a public page (no account needed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from finance.calculator import CalculatorResult, calculate
from income.forms.calculator import CalculatorForm


def _chart_data(result: CalculatorResult) -> dict[str, object]:
    """Series for Chart.js; amounts stay decimal strings until the browser plots them."""
    return {
        "labels": [_("Year %(year)s") % {"year": row.year} for row in result.yearly],
        "datasets": [
            {"label": _("Capital"), "data": [str(row.capital) for row in result.yearly]},
            {"label": _("Net income"), "data": [str(row.net_income) for row in result.yearly]},
        ],
        "currency": "EUR",
    }


def calculator_page(request: HttpRequest) -> HttpResponse:
    """GET with the inputs in the query string, so a result is a link that can be shared."""
    result = None
    form = CalculatorForm(request.GET) if request.GET else CalculatorForm()
    if form.is_bound and form.is_valid():
        result = calculate(**form.calculator_inputs())
    return render(
        request,
        "income/calculator.html",
        {
            "form": form,
            "result": result,
            "chart_data": _chart_data(result) if result and result.yearly else None,
            "currency": "EUR",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
