"""CSV import of payments: upload, preview with column mapping, import all rows or none.

The import itself runs on a worker. While it is queued or running, the detail page
shows its progress and polls ``import_status`` (htmx); that partial answers
``HX-Refresh`` once the import is over, so the page reloads into the result.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from imports import selectors, services
from imports.models import ImportStatus, PaymentImport
from income import selectors as income_selectors
from income.finance.csv_payments import FIELDS
from income.finance.errors import DomainError
from income.models import IncomeSource
from income.progress import progress_read

FIELD_LABELS = {
    "date": gettext_lazy("Date"),
    "gross": gettext_lazy("Gross"),
    "tax_withheld": gettext_lazy("Tax withheld"),
    "fees": gettext_lazy("Fees"),
    "currency": gettext_lazy("Currency"),
    "note": gettext_lazy("Note"),
    "external_id": gettext_lazy("External id"),
    "source": gettext_lazy("Source"),
}
PREVIEW_ROWS = 20
SHOWN_ERRORS = 100
#: A worker has the file (or will have it): the page follows its progress.
IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "German (1.234,56; 31.12.2025; separated by ;) or English (1,234.56; 2025-12-31) "
            "exports are both recognised."
        ),
    )
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=IncomeSource.objects.none(),
        required=False,
        help_text=gettext_lazy("For rows without a source column."),
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = income_selectors.source_list(owner=owner)  # type: ignore[attr-defined]


class MappingForm(forms.Form):
    """One select per field: which column of the file holds it."""

    def __init__(
        self, *args: Any, owner: User, headers: list[str], upload: PaymentImport, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *[(h, h) for h in headers]]
        for field in FIELDS:
            self.fields[field] = forms.ChoiceField(
                label=FIELD_LABELS[field], choices=choices, required=False
            )
        self.fields["source_default"] = forms.ModelChoiceField(
            label=_("Source for rows without one"),
            queryset=income_selectors.source_list(owner=owner),
            required=False,
            initial=upload.source_id,
        )


def _owned_upload(request: HttpRequest, pk: int) -> PaymentImport:
    return get_object_or_404(selectors.payment_import_list(owner=cast(User, request.user)), pk=pk)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    owner = cast(User, request.user)
    form = UploadForm(request.POST or None, request.FILES or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = services.payment_import_upload(
                owner=owner,
                filename=file.name,
                content=file.read(),
                source=form.cleaned_data["source"],
            )
        except DomainError as error:
            for message in error.field_errors.get("file", []):
                form.add_error("file", message)
        else:
            return redirect("import_detail", pk=upload.pk)
    recent = selectors.payment_import_list(owner=owner)[:10]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owner = cast(User, request.user)
    upload = _owned_upload(request, pk)
    if upload.status != ImportStatus.UPLOADED:
        return render(request, "imports/result.html", _progress_context(upload))
    parsed = services.payment_import_preview(upload=upload)
    headers = list(dict.fromkeys([*parsed.columns.values(), *parsed.unknown_columns]))
    initial = {field: parsed.columns.get(field, "") for field in FIELDS}
    form = MappingForm(
        request.POST or None, owner=owner, headers=headers, upload=upload, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        mapping = {field: form.cleaned_data[field] for field in FIELDS}
        services.payment_import_set_mapping(
            upload=upload, mapping=mapping, source=form.cleaned_data["source_default"]
        )
        if request.POST.get("action") == "import":
            upload = services.payment_import_start(upload=upload)
        return redirect("import_detail", pk=upload.pk)
    return render(
        request,
        "imports/preview.html",
        {
            "upload": upload,
            "parsed": parsed,
            "form": form,
            "preview_rows": parsed.rows[:PREVIEW_ROWS],
            "errors": parsed.errors[:SHOWN_ERRORS],
            "more_errors": max(len(parsed.errors) - SHOWN_ERRORS, 0),
            "currency_default": upload.source.currency if upload.source else None,
        },
    )


def _progress_context(upload: PaymentImport) -> dict[str, Any]:
    in_progress = upload.status in IN_PROGRESS
    return {
        "upload": upload,
        "in_progress": in_progress,
        "progress": progress_read(kind="import", job_id=upload.pk) if in_progress else None,
    }


@login_required
@require_safe
@never_cache
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress section of the detail page, polled by htmx while the import runs.

    Once the import is over (or not yet started) the page must show something else:
    ``HX-Refresh`` makes htmx reload it, and the body links there for a client without
    htmx. Never cached, or a proxy could keep a page polling a finished import forever.
    """
    upload = _owned_upload(request, pk)
    context = _progress_context(upload)
    response = render(request, "imports/partials/progress.html", context)
    if not context["in_progress"]:
        response["HX-Refresh"] = "true"
    return response
