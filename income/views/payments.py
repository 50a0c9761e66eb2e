"""Payments in the browser: a filtered, paginated list with a quick-add form (htmx).

The quick add posts to ``payment_create``. With htmx it answers with a fragment: the
new table row (swapped into the top of the list) plus a fresh form out of band, or
the form with its errors, retargeted onto the form (status 200, since htmx does not
swap error statuses). Without JavaScript the same URL redirects back to the list, or
shows the list page with the errors and status 400.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from income import selectors, services
from income.finance.errors import DomainError
from income.formatting import format_money
from income.forms_income import (
    PaymentFilterForm,
    PaymentForm,
    PaymentQuickAddForm,
    add_service_errors,
)
from income.models import Payment

PAGE_SIZE = 50


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a save: ``?next=`` when it stays on this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _own_payment(request: HttpRequest, pk: int) -> Payment:
    return get_object_or_404(selectors.payment_list(owner=_owner(request)), pk=pk)


def _filtered(request: HttpRequest) -> tuple[PaymentFilterForm, QuerySet[Payment]]:
    """The filter of the query string and the payments it selects."""
    owner = _owner(request)
    filter_form = PaymentFilterForm(request.GET or None, owner=owner)
    if filter_form.is_bound:
        filter_form.is_valid()  # invalid criteria are shown as errors and left out
    return filter_form, selectors.payment_search(owner=owner, **filter_form.search_arguments())


def _list_page(
    request: HttpRequest, quick_add: PaymentQuickAddForm, *, status: int = 200
) -> HttpResponse:
    filter_form, payments = _filtered(request)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.payment_totals_by_currency(payments=payments)
    return render(
        request,
        "income/payments/list.html",
        {
            "filter_form": filter_form,
            "form": quick_add,
            "page": page,
            "totals": totals,
            "is_filtered": any(filter_form.search_arguments().values()),
            "has_sources": selectors.source_list(owner=_owner(request)).exists(),
        },
        status=status,
    )


@login_required
@require_safe
def payment_list(request: HttpRequest) -> HttpResponse:
    # Coming from a source's page (?source=<id>), the quick add starts with that source.
    initial = {"source": request.GET.get("source"), "date": timezone.localdate()}
    return _list_page(request, PaymentQuickAddForm(owner=_owner(request), initial=initial))


def _save_new_payment(request: HttpRequest, form: PaymentQuickAddForm) -> Payment | None:
    if not form.is_valid():
        return None
    data = form.service_data()
    source = data.pop("source")
    try:
        return services.payment_create(owner=_owner(request), source=source, **data)
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        return None


def _focus(form: PaymentQuickAddForm, name: str) -> None:
    """Put the keyboard focus on a field of the swapped-in form (htmx honours autofocus).

    The submit button the focus was on is replaced by the swap; without this the focus
    would fall back to the page's start.
    """
    field = form.fields.get(name) or form.fields["source"]
    field.widget.attrs["autofocus"] = True


@login_required
@require_POST
def payment_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = PaymentQuickAddForm(request.POST, owner=owner)
    payment = _save_new_payment(request, form)
    if _is_htmx(request):
        if payment is None:
            _focus(form, next(iter(form.errors), "source"))
            response = render(request, "income/partials/payment_quick_add.html", {"form": form})
            response["HX-Retarget"] = "#quick-add-fields"
            response["HX-Reswap"] = "outerHTML"
            return response
        # The next payment is often from the same source on the same day.
        fresh = PaymentQuickAddForm(
            owner=owner, initial={"source": payment.source_id, "date": payment.date}
        )
        _focus(fresh, "gross")
        # The form posts with the list's query string, so the totals keep its filter.
        _filter_form, payments = _filtered(request)
        return render(
            request,
            "income/partials/payment_created.html",
            {
                "payment": payment,
                "form": fresh,
                "totals": selectors.payment_totals_by_currency(payments=payments),
            },
        )
    if payment is None:
        return _list_page(request, form, status=400)
    messages.success(
        request,
        _("Payment of %(amount)s from “%(source)s” recorded.")
        % {"amount": format_money(payment.gross, payment.currency), "source": payment.source.name},
    )
    return redirect("payment_list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _owner(request)
    payment = _own_payment(request, pk)
    back = _next_url(request, reverse("payment_list"))
    form = PaymentForm(request.POST or None, instance=payment, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_update(owner=owner, payment=payment, **form.service_data())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The payment was saved."))
            return redirect(back)
    return render(
        request,
        "income/payments/form.html",
        {
            # after a refused save the instance holds the refused input; show the stored row
            "payment": _own_payment(request, pk) if form.errors else payment,
            "form": form,
            "next": back,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _own_payment(request, pk)
    back = _next_url(request, reverse("payment_list"))
    if request.method == "POST":
        services.payment_delete(payment=payment)
        messages.success(request, _("The payment was deleted."))
        return redirect(back)
    return render(
        request, "income/payments/confirm_delete.html", {"payment": payment, "next": back}
    )
