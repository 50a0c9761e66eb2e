"""Subscription periods and effort logs: the monthly records kept on a source's page.

Both are added from the source's page and lead back to it (the pages' shape is
``record_pages``'); the services decide what is allowed (one row per month, periods only on
subscription sources).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from income import selectors, services
from income.forms.records import EffortLogForm, PeriodForm
from income.models import EffortLog, SubscriptionPeriod
from income.views.record_pages import (
    METHODS,
    own_source,
    owner_of,
    record_delete,
    record_form,
)

PERIOD_FORM = "income/records/period_form.html"
EFFORT_FORM = "income/records/effort_form.html"
CONFIRM_DELETE = "income/records/confirm_delete.html"


def _own_period(request: HttpRequest, pk: int) -> SubscriptionPeriod:
    return get_object_or_404(
        selectors.period_list(owner=owner_of(request)).select_related("source__category"), pk=pk
    )


def _own_effort_log(request: HttpRequest, pk: int) -> EffortLog:
    return get_object_or_404(selectors.effort_log_list(owner=owner_of(request)), pk=pk)


def _month(record: SubscriptionPeriod | EffortLog) -> str:
    return date_format(record.month, "YEAR_MONTH_FORMAT")


# ----------------------------------------------------------------------------- periods


def _period_added(period: SubscriptionPeriod) -> str:
    return _("The month %(month)s was added.") % {"month": _month(period)}


def _period_saved(period: SubscriptionPeriod) -> str:
    return _("The month %(month)s was saved.") % {"month": _month(period)}


@login_required
@require_http_methods(METHODS)
def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    source = own_source(request, pk)
    return record_form(
        request,
        form=PeriodForm(request.POST or None),
        save=partial(services.period_create, owner=owner_of(request), source=source),
        saved=_period_added,
        source=source,
        template=PERIOD_FORM,
    )


@login_required
@require_http_methods(METHODS)
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _own_period(request, pk)
    return record_form(
        request,
        form=PeriodForm(request.POST or None, instance=period),
        save=partial(services.period_update, owner=owner_of(request), period=period),
        saved=_period_saved,
        source=period.source,
        template=PERIOD_FORM,
    )


@login_required
@require_http_methods(METHODS)
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _own_period(request, pk)
    month = _month(period)
    return record_delete(
        request,
        source=period.source,
        delete=partial(services.period_delete, period=period),
        deleted=_("The month %(month)s was deleted.") % {"month": month},
        template=CONFIRM_DELETE,
        context={"what": _("the subscription figures of %(month)s") % {"month": month}},
    )


# ----------------------------------------------------------------------------- effort logs


def _hours_recorded(log: EffortLog) -> str:
    return _("The hours of %(month)s were recorded.") % {"month": _month(log)}


def _hours_saved(log: EffortLog) -> str:
    return _("The hours of %(month)s were saved.") % {"month": _month(log)}


@login_required
@require_http_methods(METHODS)
def effort_create(request: HttpRequest, pk: int) -> HttpResponse:
    source = own_source(request, pk)
    return record_form(
        request,
        form=EffortLogForm(request.POST or None),
        save=partial(services.effort_log_create, owner=owner_of(request), source=source),
        saved=_hours_recorded,
        source=source,
        template=EFFORT_FORM,
    )


@login_required
@require_http_methods(METHODS)
def effort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_effort_log(request, pk)
    return record_form(
        request,
        form=EffortLogForm(request.POST or None, instance=log),
        save=partial(services.effort_log_update, owner=owner_of(request), effort_log=log),
        saved=_hours_saved,
        source=log.source,
        template=EFFORT_FORM,
    )


@login_required
@require_http_methods(METHODS)
def effort_delete(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_effort_log(request, pk)
    month = _month(log)
    return record_delete(
        request,
        source=log.source,
        delete=partial(services.effort_log_delete, effort_log=log),
        deleted=_("The hours of %(month)s were deleted.") % {"month": month},
        template=CONFIRM_DELETE,
        context={"what": _("the hours logged for %(month)s") % {"month": month}},
    )
