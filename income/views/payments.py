"""Payments in the browser: a searchable, sortable, paginated list with a quick-add form
(htmx), bulk actions on ticked rows and an undo of the last deletion.

The filter, search and sort live in the query string, so a filtered view can be
bookmarked, and every action posts its ``next`` back to it.

The quick add posts to ``payment_create``. With htmx it answers with a fragment: the
new table row (swapped into the top of the list) plus a fresh form out of band, or
the form with its errors, retargeted onto the form (status 200, since htmx does not
swap error statuses). Without JavaScript the same URL redirects back to the list, or
shows the list page with the errors and status 400.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from finance.errors import DomainError
from income import selectors, services
from income.formatting import format_money
from income.forms.base import add_service_errors
from income.forms.payments import (
    PaymentBulkForm,
    PaymentFilterForm,
    PaymentForm,
    PaymentQuickAddForm,
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


#: The sortable columns of the list, by their ``?sort=`` key (``-`` first: descending).
SORT_COLUMNS = ("date", "source", "gross", "net")
DEFAULT_SORT = "-date"
#: Session key of the last deletion's undo token (see ``services.payments_bulk_delete``).
UNDO_SESSION_KEY = "payment_undo"


def _sort_key(request: HttpRequest) -> str:
    """The list's sort key from ``?sort=``; an unknown one falls back to newest first."""
    key = request.GET.get("sort", "")
    return key if key.lstrip("-") in SORT_COLUMNS else DEFAULT_SORT


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """Per column: the URL that sorts by it (the other way round when it is the sort
    already; back to page 1) and its ``aria-sort`` state."""
    links: dict[str, dict[str, str]] = {}
    for column in SORT_COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        state = ""
        if current.lstrip("-") == column:
            state = "descending" if current.startswith("-") else "ascending"
            query["sort"] = column if current.startswith("-") else f"-{column}"
        else:
            # dates and amounts start with the largest, a name with A
            query["sort"] = column if column == "source" else f"-{column}"
        links[column] = {"url": f"?{query.urlencode()}", "state": state}
    return links


def _filtered(request: HttpRequest) -> tuple[PaymentFilterForm, QuerySet[Payment]]:
    """The filter of the query string and the payments it selects, in the chosen order."""
    owner = _owner(request)
    filter_form = PaymentFilterForm(request.GET or None, owner=owner)
    if filter_form.is_bound:
        filter_form.is_valid()  # invalid criteria are shown as errors and left out
    return filter_form, selectors.payment_search(
        owner=owner, ordering=[_sort_key(request)], **filter_form.search_arguments()
    )


def _undo_offer(request: HttpRequest) -> dict[str, Any] | None:
    """The last deletion the owner can still undo (kept in their session), if any."""
    offer = request.session.get(UNDO_SESSION_KEY)
    if not offer:
        return None
    age = timezone.now().timestamp() - float(offer.get("at", 0))
    if age > services.PAYMENT_UNDO_SECONDS:
        del request.session[UNDO_SESSION_KEY]
        return None
    return {"count": offer["count"]}


def _list_page(
    request: HttpRequest,
    quick_add: PaymentQuickAddForm,
    *,
    status: int = 200,
    duplicate: bool = False,
    bulk_form: PaymentBulkForm | None = None,
) -> HttpResponse:
    filter_form, payments = _filtered(request)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.payment_totals_by_currency(payments=payments)
    sort = _sort_key(request)
    return render(
        request,
        "income/payments/list.html",
        {
            "filter_form": filter_form,
            "form": quick_add,
            "duplicate": duplicate,
            "page": page,
            "totals": totals,
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "bulk_form": bulk_form or PaymentBulkForm(owner=_owner(request)),
            "undo": _undo_offer(request),
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


def _save_new_payment(
    request: HttpRequest, form: PaymentQuickAddForm
) -> tuple[Payment | None, bool]:
    """Save the quick add: the payment, or ``None`` and whether a likely duplicate (same
    source, day and gross) stopped it; "Save anyway" (``confirm_duplicate=1``) confirms."""
    if not form.is_valid():
        return None, False
    data = form.service_data()
    source = data.pop("source")
    try:
        payment = services.payment_create(
            owner=_owner(request),
            source=source,
            allow_duplicate=request.POST.get("confirm_duplicate") == "1",
            **data,
        )
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        duplicate = isinstance(error, DomainError) and "confirm_duplicate" in error.field_errors
        return None, duplicate
    return payment, False


def _focus(form: PaymentQuickAddForm, name: str) -> None:
    """Put the keyboard focus on a field of the swapped-in form (htmx honours autofocus).

    The submit button the focus was on is replaced by the swap; without this the focus
    would fall back to the page's start.
    """
    field = form.fields.get(name) or form.fields["source"]
    field.widget.attrs["autofocus"] = True


@login_required
@require_POST
@vary_on_headers("HX-Request")
def payment_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = PaymentQuickAddForm(request.POST, owner=owner)
    payment, duplicate = _save_new_payment(request, form)
    if _is_htmx(request):
        if payment is None:
            _focus(form, next(iter(form.errors), "source"))
            response = render(
                request,
                "income/partials/payment_quick_add.html",
                {"form": form, "duplicate": duplicate},
            )
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
        return _list_page(request, form, status=400, duplicate=duplicate)
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


def _offer_undo(request: HttpRequest, *, count: int, token: str) -> None:
    """Keep the deletion's undo token in the owner's session (one offer: the latest).

    The session belongs to this login, so no other user can reach the token; the token
    itself is signed for the owner and expires (``services.payments_restore``).
    """
    request.session[UNDO_SESSION_KEY] = {
        "token": token,
        "count": count,
        "at": timezone.now().timestamp(),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _own_payment(request, pk)
    back = _next_url(request, reverse("payment_list"))
    if request.method == "POST":
        count, token = services.payments_bulk_delete(owner=_owner(request), ids=[payment.pk])
        _offer_undo(request, count=count, token=token)
        messages.success(request, _("The payment was deleted."))
        return redirect(back)
    return render(
        request, "income/payments/confirm_delete.html", {"payment": payment, "next": back}
    )


@login_required
@require_POST
def payment_bulk(request: HttpRequest) -> HttpResponse:
    """One action on the ticked rows of the list: delete, move, change date or currency.

    A refused request (nothing ticked, a missing value, more than the limit) shows the
    list again with the error and changes nothing; an id that is not the owner's is a 404.
    """
    owner = _owner(request)
    back = _next_url(request, reverse("payment_list"))
    form = PaymentBulkForm(request.POST, owner=owner)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    ids, data = form.ids(), form.cleaned_data
    action = data["action"]
    try:
        if action == "delete":
            count, token = services.payments_bulk_delete(owner=owner, ids=ids)
            _offer_undo(request, count=count, token=token)
            text = ngettext("%(count)s payment deleted.", "%(count)s payments deleted.", count) % {
                "count": count
            }
        elif action == "move":
            source = data["target_source"]
            count = services.payments_bulk_move(owner=owner, ids=ids, source=source)
            text = ngettext(
                "%(count)s payment moved to “%(source)s”.",
                "%(count)s payments moved to “%(source)s”.",
                count,
            ) % {"count": count, "source": source.name}
        elif action == "set_date":
            count = services.payments_bulk_set_date(owner=owner, ids=ids, on=data["new_date"])
            text = ngettext(
                "%(count)s payment now dated %(date)s.",
                "%(count)s payments now dated %(date)s.",
                count,
            ) % {"count": count, "date": date_format(data["new_date"], "SHORT_DATE_FORMAT")}
        else:
            currency = data["new_currency"]
            count = services.payments_bulk_set_currency(owner=owner, ids=ids, currency=currency)
            text = ngettext(
                "%(count)s payment now in %(currency)s.",
                "%(count)s payments now in %(currency)s.",
                count,
            ) % {"count": count, "currency": currency}
    except Payment.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        for field_messages in error.field_errors.values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(back)
    messages.success(request, text)
    return redirect(back)


@login_required
@require_POST
def payment_undo(request: HttpRequest) -> HttpResponse:
    """Put back the owner's last deleted payments (the token in their own session)."""
    back = _next_url(request, reverse("payment_list"))
    offer = request.session.pop(UNDO_SESSION_KEY, None)
    if not offer:
        messages.error(request, _("There is no deletion to undo."))
        return redirect(back)
    try:
        count = services.payments_restore(owner=_owner(request), token=offer["token"])
    except DomainError as error:
        for field_messages in error.field_errors.values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)s payment restored.", "%(count)s payments restored.", count)
        % {"count": count},
    )
    return redirect(back)
