"""Costs and fund years: what the tax year needs of a source beside its payments, kept on
the source's page as the asset values are (``income.views.values``).

The source's page records a cost (rental and business sources) or a fund year (fund
sources) with an htmx form; the answer is the whole section again (the records, the
costs' totals per year, or the form with its errors), swapped in place. Without
JavaScript the same URL redirects back to the source, or shows the form on a page of
its own with its errors. Editing and deleting are pages of their own.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from income import selectors, services
from income.formatting import format_money
from income.forms.tax_records import CostForm, FundYearForm
from income.models import Cost, FundYear, IncomeSource
from income.views.record_pages import (
    METHODS,
    form_page,
    own_source,
    owner_of,
    record_delete,
    record_form,
    save_form,
)

COST_FORM = "income/sources/cost_form.html"
FUND_YEAR_FORM = "income/sources/fund_year_form.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ----------------------------------------------------------------------------- sections


def cost_section(*, source: IncomeSource, form: CostForm, status: str = "") -> dict[str, Any]:
    """The context of ``income/partials/costs.html``: the costs (newest first), their
    totals per year and currency, the form, and what was just done."""
    return {
        "source": source,
        "cost_form": form,
        "costs": list(source.costs.order_by("-date", "-pk")),
        "cost_totals": selectors.cost_totals_by_year(source=source),
        "cost_status": status,
    }


def fund_year_section(
    *, source: IncomeSource, form: FundYearForm, status: str = ""
) -> dict[str, Any]:
    """The context of ``income/partials/fund_years.html``: the recorded years (newest
    first), the form, and what was just done."""
    return {
        "source": source,
        "fund_year_form": form,
        "fund_years": list(source.fund_years.order_by("-year")),
        "fund_year_status": status,
    }


def blank_cost_form(source: IncomeSource) -> CostForm:
    return CostForm(initial={"date": timezone.localdate(), "currency": source.currency})


def blank_fund_year_form() -> FundYearForm:
    """Starts at last year: the year a tax return is usually made for."""
    return FundYearForm(initial={"year": timezone.localdate().year - 1})


def tax_record_sections(*, source: IncomeSource) -> dict[str, Any]:
    """What the source's page needs for its costs and fund years: each section only where
    the services take that record (``source_takes_costs``, ``source_takes_fund_years``)."""
    context: dict[str, Any] = {
        "takes_costs": services.source_takes_costs(source),
        "takes_fund_years": services.source_takes_fund_years(source),
    }
    if context["takes_costs"]:
        context.update(cost_section(source=source, form=blank_cost_form(source)))
    if context["takes_fund_years"]:
        context.update(fund_year_section(source=source, form=blank_fund_year_form()))
    return context


# ----------------------------------------------------------------------------- costs


def _own_cost(request: HttpRequest, pk: int) -> Cost:
    return get_object_or_404(selectors.cost_list(owner=owner_of(request)), pk=pk)


def _cost_recorded(cost: Cost) -> str:
    return _("Cost of %(amount)s on %(day)s recorded.") % {
        "amount": format_money(cost.amount, cost.currency),
        "day": date_format(cost.date, "SHORT_DATE_FORMAT"),
    }


@login_required
@require_http_methods(METHODS)
@vary_on_headers("HX-Request")
def cost_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An htmx answer is the whole costs section, swapped in place."""
    source = own_source(request, pk)
    if request.method != "POST":
        return form_page(request, COST_FORM, blank_cost_form(source), source)
    form = CostForm(request.POST)
    cost = save_form(form, partial(services.cost_create, owner=owner_of(request), source=source))
    if _is_htmx(request):
        # htmx swaps only a 2xx answer: the errors come back in the section, as 200.
        if cost is None:
            context = cost_section(source=source, form=form)
        else:
            context = cost_section(
                source=source, form=blank_cost_form(source), status=_cost_recorded(cost)
            )
        return render(request, "income/partials/costs.html", context)
    if cost is None:
        return form_page(request, COST_FORM, form, source)
    messages.success(request, _cost_recorded(cost))
    return redirect("source_detail", pk=source.pk)


@login_required
@require_http_methods(METHODS)
def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cost = _own_cost(request, pk)
    return record_form(
        request,
        form=CostForm(request.POST or None, instance=cost),
        save=partial(services.cost_update, owner=owner_of(request), cost=cost),
        saved=lambda _cost: _("The cost was saved."),
        source=cost.source,
        template=COST_FORM,
    )


@login_required
@require_http_methods(METHODS)
def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cost = _own_cost(request, pk)
    return record_delete(
        request,
        source=cost.source,
        delete=partial(services.cost_delete, owner=owner_of(request), cost=cost),
        deleted=_("The cost was deleted."),
        template="income/sources/cost_confirm_delete.html",
        context={"cost": cost},
    )


# ----------------------------------------------------------------------------- fund years


def _own_fund_year(request: HttpRequest, pk: int) -> FundYear:
    return get_object_or_404(selectors.fund_year_list(owner=owner_of(request)), pk=pk)


def _fund_year_recorded(fund_year: FundYear) -> str:
    return _("Fund year %(year)s recorded.") % {"year": fund_year.year}


@login_required
@require_http_methods(METHODS)
@vary_on_headers("HX-Request")
def fund_year_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An htmx answer is the whole fund years section, swapped in place."""
    source = own_source(request, pk)
    if request.method != "POST":
        return form_page(request, FUND_YEAR_FORM, blank_fund_year_form(), source)
    form = FundYearForm(request.POST)
    fund_year = save_form(
        form, partial(services.fund_year_create, owner=owner_of(request), source=source)
    )
    if _is_htmx(request):
        if fund_year is None:
            context = fund_year_section(source=source, form=form)
        else:
            context = fund_year_section(
                source=source,
                form=blank_fund_year_form(),
                status=_fund_year_recorded(fund_year),
            )
        return render(request, "income/partials/fund_years.html", context)
    if fund_year is None:
        return form_page(request, FUND_YEAR_FORM, form, source)
    messages.success(request, _fund_year_recorded(fund_year))
    return redirect("source_detail", pk=source.pk)


@login_required
@require_http_methods(METHODS)
def fund_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fund_year = _own_fund_year(request, pk)
    return record_form(
        request,
        form=FundYearForm(request.POST or None, instance=fund_year),
        save=partial(services.fund_year_update, owner=owner_of(request), fund_year=fund_year),
        saved=lambda _fund_year: _("The fund year was saved."),
        source=fund_year.source,
        template=FUND_YEAR_FORM,
    )


@login_required
@require_http_methods(METHODS)
def fund_year_delete(request: HttpRequest, pk: int) -> HttpResponse:
    fund_year = _own_fund_year(request, pk)
    return record_delete(
        request,
        source=fund_year.source,
        delete=partial(services.fund_year_delete, owner=owner_of(request), fund_year=fund_year),
        deleted=_("The fund year was deleted."),
        template="income/sources/fund_year_confirm_delete.html",
        context={"fund_year": fund_year},
    )
