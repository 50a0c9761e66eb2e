"""The shape every record kept on a source's page shares: its form page and its delete page.

Subscription periods, logged hours and asset values are each added, edited and deleted
from their source's page and lead back to it; only the form, the service and the words
differ. The services decide what is allowed; a refusal (``ValidationError`` or
``DomainError``) lands on the form, as a field error where it names one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from finance.errors import DomainError
from income import selectors
from income.forms.base import ServiceModelForm, add_service_errors
from income.models import IncomeSource

#: A record's pages answer a look (GET, HEAD) and a form sent (POST).
METHODS = ["GET", "HEAD", "POST"]

Record = TypeVar("Record")


def owner_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def own_source(request: HttpRequest, pk: int) -> IncomeSource:
    """The caller's source ``pk``; another user's is a 404."""
    return get_object_or_404(selectors.source_list(owner=owner_of(request)), pk=pk)


def save_form(form: ServiceModelForm, save: Callable[..., Record]) -> Record | None:
    """The valid form's data through ``save`` (a service): the record, or None with the
    form's or the service's errors on the form."""
    if not form.is_valid():
        return None
    try:
        return save(**form.service_data())
    except (ValidationError, DomainError) as error:
        add_service_errors(form, error)
        return None


def form_page(
    request: HttpRequest, template: str, form: ServiceModelForm, source: IncomeSource
) -> HttpResponse:
    """The form on a page of its own; 400 when it shows errors, so a client can tell. It
    edits a stored record when its instance has an id (a create's never has one: the
    service makes the record, not the form)."""
    return render(
        request,
        template,
        {"form": form, "source": source, "editing": form.instance.pk is not None},
        status=400 if form.errors else 200,
    )


def record_form(
    request: HttpRequest,
    *,
    form: ServiceModelForm,
    save: Callable[..., Record],
    saved: Callable[[Record], str],
    source: IncomeSource,
    template: str,
) -> HttpResponse:
    """Show the form; a valid POST that the service accepts says ``saved(record)`` and goes
    back to the source's page, anything else shows the form again with its errors."""
    if request.method == "POST":
        record = save_form(form, save)
        if record is not None:
            messages.success(request, saved(record))
            return redirect("source_detail", pk=source.pk)
    return form_page(request, template, form, source)


def record_delete(
    request: HttpRequest,
    *,
    source: IncomeSource,
    delete: Callable[[], object],
    deleted: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """GET asks (``template`` with ``context``, a way back to the source); POST deletes,
    says ``deleted`` and goes back to the source's page."""
    if request.method == "POST":
        delete()
        messages.success(request, deleted)
        return redirect("source_detail", pk=source.pk)
    cancel_url = reverse("source_detail", kwargs={"pk": source.pk})
    return render(request, template, {"source": source, "cancel_url": cancel_url, **context})
