"""Income sources in the browser: the list, a source's figures, and its form.

Figures come from ``reporting.overview`` (one call per request, whatever the number of
sources), writes from ``income.services``; the views only wire them to templates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from finance.errors import DomainError
from finance.rounding import to_cents
from finance.schedule import month_start
from income import reporting, selectors, services, source_figures
from income.formatting import format_month
from income.forms.base import add_service_errors
from income.forms.sources import SourceFilterForm, SourceForm
from income.models import CalculationModel, IncomeSource, SourceStatus
from income.subscriptions import SubscriptionMonth, subscription_months
from income.views.billing import billing_section
from income.views.tax_records import tax_record_sections
from income.views.values import blank_value_form, value_section

ZERO = Decimal(0)
#: The source page shows its latest payments only; the payments page (filtered by the
#: source) has them all, searchable and paged. Figures come first, lists after.
LATEST_PAYMENTS = 10
#: Logged months of hours per page of the source page (``?hours=<page>``).
HOURS_PAGE_SIZE = 12


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _own_source(request: HttpRequest, pk: int) -> IncomeSource:
    """The caller's source; another user's id is a 404, as if it did not exist."""
    return get_object_or_404(selectors.source_list(owner=_owner(request)), pk=pk)


@login_required
@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    filter_form = SourceFilterForm(request.GET)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    sources = selectors.source_list(owner=owner)
    if status:
        sources = sources.filter(status=status)
    view = reporting.overview(owner=owner, as_of=timezone.localdate())
    figures_by_source = {figures.source.pk: figures for figures in view.sources}
    return render(
        request,
        "income/sources/list.html",
        {
            "rows": [(source, figures_by_source.get(source.pk)) for source in sources],
            "has_sources": bool(view.sources),
            "currency": view.currency,
            "missing_rates": view.missing_rates,
            "status": status,
            "statuses": [("", _("All")), *SourceStatus.choices],
        },
    )


def _monthly_net_chart(
    figures: source_figures.SourceFigures | None, months: list[date], currency: str
) -> dict[str, object]:
    """Monthly net of the source for Chart.js; amounts stay decimal strings."""
    monthly = figures.monthly_net if figures else {}
    running = month_start(timezone.localdate())
    return {
        "partial_last": bool(months) and months[-1] == running,
        "labels": [format_month(month, to_date=month == running) for month in months],
        "datasets": [
            {
                "label": _("Net income"),
                "data": [str(to_cents(monthly.get(month, ZERO))) for month in months],
            }
        ],
        "currency": currency,
        "type": "bar",
    }


def _subscription_chart(months: list[SubscriptionMonth], currency: str) -> dict[str, object]:
    """MRR (bars, money) and subscribers at each month's end (a line on its own axis,
    ``"unit": "count"``) of the recorded months, oldest first, for Chart.js."""
    ordered = sorted(months, key=lambda row: row.period.month)
    running = month_start(timezone.localdate())
    return {
        "partial_last": bool(ordered) and ordered[-1].period.month == running,
        "labels": [
            format_month(row.period.month, to_date=row.period.month == running) for row in ordered
        ],
        "datasets": [
            {"label": _("MRR"), "data": [str(row.mrr) for row in ordered]},
            {
                "label": _("Subscribers"),
                "data": [row.period.subscribers_end for row in ordered],
                "unit": "count",
            },
        ],
        "currency": currency,
        "type": "bar",
    }


@login_required
@require_safe
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    source = _own_source(request, pk)
    view = reporting.overview(owner=owner, as_of=timezone.localdate())
    figures = next((f for f in view.sources if f.source.pk == source.pk), None)
    monthly = figures.monthly_net if figures else {}
    source_payments = selectors.payment_list(owner=owner).filter(source=source)
    payments = list(source_payments[: LATEST_PAYMENTS + 1])
    payment_count = source_payments.count()  # always: the page's queries stay constant
    hours_page = Paginator(
        selectors.effort_log_list(owner=owner).filter(source=source), HOURS_PAGE_SIZE
    ).get_page(request.GET.get("hours"))
    is_subscription = source.category.model == CalculationModel.SUBSCRIPTION
    basis = source_figures.return_basis(source.category)
    periods = (
        subscription_months(
            owner=owner, periods=list(selectors.period_list(owner=owner).filter(source=source))
        )
        if is_subscription
        else []
    )
    return render(
        request,
        "income/sources/detail.html",
        {
            **(
                value_section(
                    source=source,
                    figures=figures,
                    form=blank_value_form(),
                )
                if basis == source_figures.ReturnBasis.ASSET
                else {}
            ),
            **tax_record_sections(source=source),
            **(
                billing_section(source=source, currency=view.currency, today=timezone.localdate())
                if is_subscription
                else {"has_billing": False}
            ),
            "return_basis": basis,
            "source": source,
            "figures": figures,
            "currency": view.currency,
            "profile": view.profile,
            # Only the currencies this page shows: another source's gap is not news here.
            "missing_rates": [
                currency
                for currency in view.missing_rates
                if currency == source.currency or any(p.currency == currency for p in payments)
            ],
            "model": source.category.model,
            "is_subscription": is_subscription,
            "chart_data": _monthly_net_chart(figures, view.months, view.currency),
            "month_rows": [
                (month, to_cents(monthly.get(month, ZERO))) for month in reversed(view.months)
            ],
            "payments": payments[:LATEST_PAYMENTS],
            "more_payments": len(payments) > LATEST_PAYMENTS,
            "payment_count": payment_count,
            "periods": periods,
            "this_month": month_start(timezone.localdate()),
            "subscription_chart": _subscription_chart(periods, source.currency)
            if periods
            else None,
            "effort_logs": hours_page.object_list,
            "hours_page": hours_page,
        },
    )


def _source_form_page(
    request: HttpRequest, form: SourceForm, source: IncomeSource | None
) -> HttpResponse:
    return render(
        request,
        "income/sources/form.html",
        {"form": form, "source": source},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    if request.method != "POST":
        profile = services.profile_get_or_create(user=owner)
        form = SourceForm(
            initial={
                "currency": profile.base_currency,
                "tax_profile": profile.default_tax_profile_id,
                "start_date": timezone.localdate(),
            }
        )
        return _source_form_page(request, form, None)
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            source = services.source_create(owner=owner, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": source.name})
            return redirect("source_detail", pk=source.pk)
    return _source_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = _own_source(request, pk)
    if request.method != "POST":
        return _source_form_page(request, SourceForm(instance=source), source)
    form = SourceForm(request.POST, instance=source)
    if form.is_valid():
        try:
            source = services.source_update(source=source, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": source.name})
            return redirect("source_detail", pk=source.pk)
    return _source_form_page(request, form, _own_source(request, pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    source = _own_source(request, pk)
    if request.method == "POST":
        name = source.name
        services.source_delete(source=source)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("source_list")
    return render(
        request,
        "income/sources/confirm_delete.html",
        {"source": source, "contents": selectors.source_contents(source=source)},
    )
