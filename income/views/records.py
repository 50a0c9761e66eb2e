"""Subscription periods and effort logs: the monthly records kept on a source's page.

Both are added from the source's page and lead back to it; the services decide what is
allowed (one row per month, periods only on subscription sources).
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from income import selectors, services
from income.finance.errors import DomainError
from income.forms_income import EffortLogForm, PeriodForm, add_service_errors
from income.models import EffortLog, IncomeSource, SubscriptionPeriod

METHODS = ["GET", "HEAD", "POST"]


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _own_source(request: HttpRequest, pk: int) -> IncomeSource:
    return get_object_or_404(selectors.source_list(owner=_owner(request)), pk=pk)


def _own_period(request: HttpRequest, pk: int) -> SubscriptionPeriod:
    return get_object_or_404(
        selectors.period_list(owner=_owner(request)).select_related("source__category"), pk=pk
    )


def _own_effort_log(request: HttpRequest, pk: int) -> EffortLog:
    return get_object_or_404(selectors.effort_log_list(owner=_owner(request)), pk=pk)


def _month(record: SubscriptionPeriod | EffortLog) -> str:
    return date_format(record.month, "YEAR_MONTH_FORMAT")


def _form_page(
    request: HttpRequest, template: str, form: PeriodForm | EffortLogForm, source: IncomeSource
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "source": source, "editing": form.instance.pk is not None},
        status=400 if form.errors else 200,
    )


def _confirm_delete(
    request: HttpRequest, source: IncomeSource, what: str, cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "income/records/confirm_delete.html",
        {"source": source, "what": what, "cancel_url": cancel_url},
    )


# ----------------------------------------------------------------------------- periods


@login_required
@require_http_methods(METHODS)
def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    source = _own_source(request, pk)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(owner=owner, source=source, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The month %(month)s was added.") % {"month": _month(period)}
            )
            return redirect("source_detail", pk=source.pk)
    return _form_page(request, "income/records/period_form.html", form, source)


@login_required
@require_http_methods(METHODS)
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    period = _own_period(request, pk)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(owner=owner, period=period, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The month %(month)s was saved.") % {"month": _month(period)}
            )
            return redirect("source_detail", pk=period.source_id)
    return _form_page(request, "income/records/period_form.html", form, period.source)


@login_required
@require_http_methods(METHODS)
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _own_period(request, pk)
    source = period.source
    if request.method == "POST":
        month = _month(period)
        services.period_delete(period=period)
        messages.success(request, _("The month %(month)s was deleted.") % {"month": month})
        return redirect("source_detail", pk=source.pk)
    what = _("the subscription figures of %(month)s") % {"month": _month(period)}
    return _confirm_delete(
        request, source, what, reverse("source_detail", kwargs={"pk": source.pk})
    )


# ----------------------------------------------------------------------------- effort logs


@login_required
@require_http_methods(METHODS)
def effort_create(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    source = _own_source(request, pk)
    form = EffortLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            log = services.effort_log_create(owner=owner, source=source, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The hours of %(month)s were recorded.") % {"month": _month(log)}
            )
            return redirect("source_detail", pk=source.pk)
    return _form_page(request, "income/records/effort_form.html", form, source)


@login_required
@require_http_methods(METHODS)
def effort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    log = _own_effort_log(request, pk)
    form = EffortLogForm(request.POST or None, instance=log)
    if request.method == "POST" and form.is_valid():
        try:
            services.effort_log_update(owner=owner, effort_log=log, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The hours of %(month)s were saved.") % {"month": _month(log)}
            )
            return redirect("source_detail", pk=log.source_id)
    return _form_page(request, "income/records/effort_form.html", form, log.source)


@login_required
@require_http_methods(METHODS)
def effort_delete(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_effort_log(request, pk)
    source = log.source
    if request.method == "POST":
        month = _month(log)
        services.effort_log_delete(effort_log=log)
        messages.success(request, _("The hours of %(month)s were deleted.") % {"month": month})
        return redirect("source_detail", pk=source.pk)
    what = _("the hours logged for %(month)s") % {"month": _month(log)}
    return _confirm_delete(
        request, source, what, reverse("source_detail", kwargs={"pk": source.pk})
    )
