"""The "Your data" page: download everything, bring an export back, delete the account."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from income.finance.errors import DomainError
from portability import services
from portability.forms import DeleteForm, ImportForm


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def zip_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ertrag-export-{stamp}.zip"'
    return response


def _page(
    request: HttpRequest, *, import_form: ImportForm, delete_form: DeleteForm, status: int = 200
) -> HttpResponse:
    context = {"import_form": import_form, "delete_form": delete_form}
    return render(request, "portability/data.html", context, status=status)


@login_required
def data_page(request: HttpRequest) -> HttpResponse:
    return _page(request, import_form=ImportForm(), delete_form=DeleteForm(user=_user(request)))


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    return zip_response(services.account_export(user=_user(request)))


@login_required
@require_POST
def data_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary = services.account_import_file(
                user=_user(request), content=form.cleaned_data["file"]
            )
        except DomainError as error:
            for message in error.field_errors.get("file", []) or [str(error)]:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Imported: %(sources)s sources, %(payments)s payments, %(scenarios)s scenarios.")
                % summary.counts,
            )
            return redirect("dashboard")
    delete_form = DeleteForm(user=_user(request))
    return _page(request, import_form=form, delete_form=delete_form, status=400)


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteForm(request.POST, user=user)
    if not form.is_valid():
        return _page(request, import_form=ImportForm(), delete_form=form, status=400)
    logout(request)
    services.account_delete(user=user)
    messages.success(request, _("Your account and all its data were deleted."))
    return redirect("home")
