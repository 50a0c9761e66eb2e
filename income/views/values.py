"""Asset values: what a capital or rental source's asset was worth, kept on its page.

The source's page records a value with an htmx form; the answer is the whole "Value and
return" section again (the recorded values and the total return and income yield they
give, or the form with its errors), swapped in place. Without JavaScript the same URL
redirects back to the source, or shows the form on a page of its own with its errors.
Editing and deleting a value are pages of their own, as for the other monthly records.
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

from income import reporting, selectors, services, source_figures
from income.formatting import format_money
from income.forms.records import AssetValueForm
from income.models import AssetValue, IncomeSource
from income.views.record_pages import (
    METHODS,
    form_page,
    own_source,
    owner_of,
    record_delete,
    record_form,
    save_form,
)

VALUE_FORM = "income/sources/value_form.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_value(request: HttpRequest, pk: int) -> AssetValue:
    return get_object_or_404(selectors.asset_value_list(owner=owner_of(request)), pk=pk)


def _recorded(value: AssetValue) -> str:
    return _("Value of %(amount)s on %(day)s recorded.") % {
        "amount": format_money(value.value, value.source.currency),
        "day": date_format(value.date, "SHORT_DATE_FORMAT"),
    }


def value_section(
    *,
    source: IncomeSource,
    figures: source_figures.SourceFigures | None,
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
    view = reporting.overview(owner=owner_of(request), as_of=timezone.localdate())
    figures = next((f for f in view.sources if f.source.pk == source.pk), None)
    context = value_section(source=source, figures=figures, form=form, status=status)
    return render(
        request, "income/partials/asset_values.html", {**context, "currency": view.currency}
    )


@login_required
@require_http_methods(METHODS)
@vary_on_headers("HX-Request")
def asset_value_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The one record page with an htmx answer: the whole section, swapped in place."""
    source = own_source(request, pk)
    if request.method != "POST":
        return form_page(request, VALUE_FORM, blank_value_form(), source)
    form = AssetValueForm(request.POST)
    value = save_form(
        form, partial(services.asset_value_create, owner=owner_of(request), source=source)
    )
    if _is_htmx(request):
        # htmx swaps only a 2xx answer: the errors come back in the section, as 200.
        if value is None:
            return _section(request, source, form)
        return _section(request, source, blank_value_form(), status=_recorded(value))
    if value is None:
        return form_page(request, VALUE_FORM, form, source)
    messages.success(request, _recorded(value))
    return redirect("source_detail", pk=source.pk)


@login_required
@require_http_methods(METHODS)
def asset_value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    value = _own_value(request, pk)
    return record_form(
        request,
        form=AssetValueForm(request.POST or None, instance=value),
        save=partial(services.asset_value_update, owner=owner_of(request), asset_value=value),
        saved=lambda _value: _("The value was saved."),
        source=value.source,
        template=VALUE_FORM,
    )


@login_required
@require_http_methods(METHODS)
def asset_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = _own_value(request, pk)
    return record_delete(
        request,
        source=value.source,
        delete=partial(services.asset_value_delete, asset_value=value),
        deleted=_("The value was deleted."),
        template="income/sources/value_confirm_delete.html",
        context={"value": value},
    )
