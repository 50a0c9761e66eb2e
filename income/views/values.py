"""Asset values: what a capital or rental source's asset was worth, kept on its page.

The source's page records a value with an htmx form; the answer is the whole "Value and
return" section again (the recorded values and the total return and income yield they
give, or the form with its errors), swapped in place. Without JavaScript the same URL
redirects back to the source, or shows the form on a page of its own with its errors.
Editing and deleting a value are pages of their own, as for the other monthly records.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from income import reporting, selectors, services
from income.finance.errors import DomainError
from income.formatting import format_money
from income.forms_income import AssetValueForm, add_service_errors
from income.models import AssetValue, IncomeSource

METHODS = ["GET", "HEAD", "POST"]


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_source(request: HttpRequest, pk: int) -> IncomeSource:
    return get_object_or_404(selectors.source_list(owner=_owner(request)), pk=pk)


def _own_value(request: HttpRequest, pk: int) -> AssetValue:
    return get_object_or_404(selectors.asset_value_list(owner=_owner(request)), pk=pk)


def _recorded(value: AssetValue) -> str:
    return _("Value of %(amount)s on %(day)s recorded.") % {
        "amount": format_money(value.value, value.source.currency),
        "day": date_format(value.date, "SHORT_DATE_FORMAT"),
    }


def value_section(
    *,
    source: IncomeSource,
    figures: reporting.SourceFigures | None,
    form: AssetValueForm,
    status: str = "",
) -> dict[str, Any]:
    """The context of ``income/partials/asset_values.html``: the figures the recorded values
    give, the values themselves (newest first), the form, and what was just done."""
    return {
        "source": source,
        "figures": figures,
        "value_form": form,
        "asset_values": list(source.asset_values.order_by("-date", "-pk")),
        "value_status": status,
    }


def blank_value_form() -> AssetValueForm:
    return AssetValueForm(initial={"date": timezone.localdate()})


def _section(
    request: HttpRequest, source: IncomeSource, form: AssetValueForm, status: str = ""
) -> HttpResponse:
    """The section again, with the figures as they are after the change (one overview)."""
    view = reporting.overview(owner=_owner(request), as_of=timezone.localdate())
    figures = next((f for f in view.sources if f.source.pk == source.pk), None)
    context = value_section(source=source, figures=figures, form=form, status=status)
    return render(
        request, "income/partials/asset_values.html", {**context, "currency": view.currency}
    )


def _form_page(
    request: HttpRequest, form: AssetValueForm, source: IncomeSource, *, editing: bool
) -> HttpResponse:
    return render(
        request,
        "income/sources/value_form.html",
        {"form": form, "source": source, "editing": editing},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(METHODS)
def asset_value_create(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    source = _own_source(request, pk)
    if request.method != "POST":
        return _form_page(request, blank_value_form(), source, editing=False)
    form = AssetValueForm(request.POST)
    value: AssetValue | None = None
    if form.is_valid():
        try:
            value = services.asset_value_create(owner=owner, source=source, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
    if _is_htmx(request):
        # htmx swaps only a 2xx answer: the errors come back in the section, as 200.
        if value is None:
            return _section(request, source, form)
        return _section(request, source, blank_value_form(), status=_recorded(value))
    if value is None:
        return _form_page(request, form, source, editing=False)
    messages.success(request, _recorded(value))
    return redirect("source_detail", pk=source.pk)


@login_required
@require_http_methods(METHODS)
def asset_value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    value = _own_value(request, pk)
    form = AssetValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_value_update(owner=owner, asset_value=value, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value was saved."))
            return redirect("source_detail", pk=value.source_id)
    return _form_page(request, form, value.source, editing=True)


@login_required
@require_http_methods(METHODS)
def asset_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = _own_value(request, pk)
    source = value.source
    if request.method == "POST":
        services.asset_value_delete(asset_value=value)
        messages.success(request, _("The value was deleted."))
        return redirect("source_detail", pk=source.pk)
    return render(
        request,
        "income/sources/value_confirm_delete.html",
        {
            "source": source,
            "value": value,
            "cancel_url": reverse("source_detail", kwargs={"pk": source.pk}),
        },
    )
