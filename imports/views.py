"""The statement import in the browser: upload, preview and mapping, import, result.

The upload page takes a file (and lists the layouts recognised by their header and the
person's saved mappings); the detail page previews it as its import would read it: the
layout, the payments, every skipped row with its reason, the errors, where each source
value's rows go, and the mapping step. Its form keeps the choices
(``payment_import_configure``) and, on "Import", queues the file for a worker.

While the import is queued or running, the detail page shows its progress and polls
``import_status`` (htmx); that partial answers ``HX-Refresh`` once the import is over,
so the page reloads into the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.uploads import bounded_upload
from finance.errors import DomainError
from finance.money import payment_net
from imports import jobs, selectors, services
from imports.forms import (
    BILLING_FIELD_LABELS,
    FIELD_LABELS,
    BillingPreviewForm,
    PreviewForm,
    UploadForm,
)
from imports.models import ImportStatus, PaymentImport
from imports.parsing.billing.presets import BILLING_PRESETS
from imports.parsing.billing.rows import BillingRow
from imports.parsing.messages import SKIP_REASONS
from imports.parsing.presets import PRESETS
from imports.writing import NO_SOURCE
from income import selectors as income_selectors
from income.ids import object_id
from income.progress import progress_read
from jobs.leases import jobs_lease

PREVIEW_ROWS = 20
SHOWN_SKIPPED = 200
SHOWN_ERRORS = 100
HEADER_PREVIEW = 6
#: A worker has the file (or will have it): the page follows its progress.
IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


@dataclass(frozen=True)
class PreviewRow:
    line: int
    date: date
    source: str
    gross: Decimal
    tax_withheld: Decimal
    foreign_tax: Decimal
    fees: Decimal
    net: Decimal
    currency: str
    note: str
    refund: bool


@dataclass(frozen=True)
class ShownProblem:
    """A row error or a skipped row, in the reader's words."""

    line: int | None
    field: str
    message: str
    value: str = ""
    into_line: int | None = None


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _owned_upload(request: HttpRequest, pk: int) -> PaymentImport:
    return get_object_or_404(selectors.payment_import_list(owner=_owner(request)), pk=pk)


def _owned_upload_with_file(request: HttpRequest, pk: int) -> PaymentImport:
    try:
        return selectors.payment_import_with_content(owner=_owner(request), pk=pk)
    except PaymentImport.DoesNotExist as error:
        raise Http404 from error


#: The fields errors name, a statement's and a billing export's.
_LABELS = {**BILLING_FIELD_LABELS, **FIELD_LABELS}


def _field_label(field: str | None) -> str:
    return str(_LABELS[field]) if field in _LABELS else (field or "")


def _errors_shown(errors: list[dict[str, Any]]) -> list[ShownProblem]:
    return [
        ShownProblem(
            line=e.get("line"), field=_field_label(e.get("field")), message=_(e["message"])
        )
        for e in errors[:SHOWN_ERRORS]
    ]


# ----------------------------------------------------------------------------- upload
@login_required
@bounded_upload(lambda: settings.IMPORT_MAX_BYTES, back="import_upload")
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form, what is recognised by itself, the saved mappings, recent imports.

    ``?source=<id>`` (the source page's Import button) preselects one of the person's
    sources; anyone else's id is ignored.
    """
    owner = _owner(request)
    sources = income_selectors.source_list(owner=owner)
    initial = {}
    preset_source = object_id(request.GET.get("source", ""))
    if preset_source is not None and sources.filter(pk=preset_source).exists():
        initial["source"] = preset_source
    form = UploadForm(request.POST or None, request.FILES or None, sources=sources, initial=initial)
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
            for field, field_messages in error.field_errors.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else "file", message)
        else:
            return redirect("import_detail", pk=upload.pk)
    saved = [
        (mapping, list(mapping.header[:HEADER_PREVIEW]), len(mapping.header) > HEADER_PREVIEW)
        for mapping in selectors.import_mapping_list(owner=owner)
    ]
    # One line per product, its layouts described in the reader's language (a preset's
    # own name is not translated, and says "English" on a German page).
    presets: dict[str, list[str]] = {}
    for preset in PRESETS.values():
        product = preset.name.split(" (", 1)[0]
        presets.setdefault(product, []).append(
            _(preset.description) if preset.description else preset.name
        )
    billing_presets: dict[str, list[str]] = {}
    for billing in BILLING_PRESETS.values():
        product = billing.name.split(" (", 1)[0]
        billing_presets.setdefault(product, []).append(_(billing.description))
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "recent": selectors.payment_import_list(owner=owner)[:10],
            "presets": list(presets.items()),
            "billing_presets": list(billing_presets.items()),
            "saved_mappings": saved,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def import_mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(selectors.import_mapping_list(owner=_owner(request)), pk=pk)
    services.import_mapping_delete(mapping=mapping)
    messages.success(request, _("The mapping “%(name)s” was deleted.") % {"name": mapping.name})
    return redirect("import_upload")


# ----------------------------------------------------------------------------- preview
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview and mapping step of an upload; its progress or result once started
    (read without the file, which only the preview needs)."""
    started = _owned_upload(request, pk)
    if started.status != ImportStatus.UPLOADED:
        if request.method == "POST":
            return redirect("import_detail", pk=started.pk)
        return render(request, "imports/result.html", _result_context(started))
    if started.is_billing:
        return _billing_detail(request, started)
    # Without the file: the preview's reading is kept, and the file is fetched only when
    # it is not (``imports.reading.upload_read``).
    upload = started
    owner = _owner(request)
    preview = services.payment_import_preview(upload=upload)
    sources = income_selectors.source_list(owner=owner)
    form = PreviewForm(
        request.POST or None,
        upload=upload,
        preview=preview,
        sources=sources,
        categories=income_selectors.category_list(),
    )
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        mapping: dict[str, Any] | None = None
        preset: str | None = None
        if action == "detected":
            mapping, preset = {}, ""
        elif form.mapping_changed():
            mapping = form.mapping()
            detected = preview.reading.preset
            preset = upload.preset or (detected.key if detected else "")
        try:
            upload = services.payment_import_configure(
                upload=upload,
                source=form.cleaned_data["source"],
                mapping=mapping,
                preset=preset,
                sources=form.sources() if form.plan_names else None,
                partial=form.cleaned_data["partial"],
                save_as=form.cleaned_data["save_as"],
            )
        except DomainError as error:
            for messages_of_field in error.field_errors.values():
                for message in messages_of_field:
                    form.add_error(None, message)
        else:
            if form.cleaned_data["save_as"].strip():
                messages.success(
                    request,
                    _("Files with this header are now read with “%(name)s”.")
                    % {"name": form.cleaned_data["save_as"].strip()},
                )
            if action == "import":
                jobs.payment_import_start(upload=upload)
            return redirect("import_detail", pk=upload.pk)
    return render(
        request,
        "imports/preview.html",
        _preview_context(upload, preview, form),
        status=400 if form.errors else 200,
    )


def _preview_context(
    upload: PaymentImport, preview: services.Preview, form: PreviewForm
) -> dict[str, Any]:
    result = preview.result
    reading = preview.reading
    if reading.saved is not None:
        layout, layout_name = "saved", reading.saved.name
    elif upload.mapping:
        layout, layout_name = "own", reading.preset.name if reading.preset else ""
    elif reading.preset is not None:
        layout, layout_name = "preset", reading.preset.name
    else:
        layout, layout_name = "unknown", ""
    default = upload.source
    rows = [
        PreviewRow(
            line=row.line,
            date=row.date,
            source=default.name if default else (row.source_label or row.source or ""),
            gross=row.gross,
            tax_withheld=row.tax_withheld,
            foreign_tax=row.foreign_tax,
            fees=row.fees,
            net=payment_net(gross=row.gross, tax_withheld=row.tax_withheld, fees=row.fees),
            currency=row.currency,
            note=row.note,
            refund=row.gross < 0,
        )
        for row in result.rows[:PREVIEW_ROWS]
    ]
    skipped = [
        ShownProblem(
            line=s.line,
            field="",
            message=_(SKIP_REASONS.get(s.reason, s.reason)),
            value=s.value,
            into_line=s.into_line,
        )
        for s in result.skipped[:SHOWN_SKIPPED]
    ]
    errors = [
        ShownProblem(line=e.line, field=_field_label(e.field), message=_(e.message))
        for e in result.errors[:SHOWN_ERRORS]
    ]
    without_source = 0 if default else sum(1 for row in result.rows if not row.source)
    plans = list(preview.plans.values())
    return {
        "upload": upload,
        "result": result,
        "form": form,
        "layout": layout,
        "layout_name": layout_name,
        "mapping_open": layout in ("unknown", "own") or bool(result.file_errors or form.errors),
        "file_errors": [_(m) for m in result.file_errors],
        "warnings": [_(m) for m in result.warnings],
        "payments": len(result.rows),
        "preview_rows": rows,
        "skipped_count": len(result.skipped),
        "skipped": skipped,
        "more_skipped": max(len(result.skipped) - SHOWN_SKIPPED, 0),
        "error_lines": len({e.line for e in result.errors}),
        "errors": errors,
        "more_errors": max(len(result.errors) - SHOWN_ERRORS, 0),
        "without_source": without_source,
        "no_source_message": _(NO_SOURCE),
        "sources_to_create": sum(1 for plan in plans if plan.source is None),
        "can_import": not result.file_errors and bool(result.rows),
    }


@dataclass(frozen=True)
class BillingPreviewRow:
    row: BillingRow
    #: "month", "3 months" … in the reader's language.
    period: str


# "19 € / month", "25 € / 3 months": the billing period after a price.
_PERIODS = {
    "day": lambda n: npgettext("billing period", "day", "%(count)s days", n),
    "week": lambda n: npgettext("billing period", "week", "%(count)s weeks", n),
    "month": lambda n: npgettext("billing period", "month", "%(count)s months", n),
    "year": lambda n: npgettext("billing period", "year", "%(count)s years", n),
}


def _period_label(interval: str, count: int) -> str:
    return _PERIODS[interval](count) % {"count": count}


def _billing_detail(request: HttpRequest, upload: PaymentImport) -> HttpResponse:
    """A billing export's preview: its subscriptions, where they go, what is new; the
    form keeps the source and "import the good rows" and, on "Import", queues it."""
    owner = _owner(request)
    sources = income_selectors.subscription_source_list(owner=owner)
    form = BillingPreviewForm(request.POST or None, upload=upload, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.payment_import_configure(
                upload=upload,
                source=form.cleaned_data["source"],
                partial=form.cleaned_data["partial"],
            )
        except DomainError as error:
            for field_messages in error.field_errors.values():
                for message in field_messages:
                    form.add_error(None, message)
        else:
            if request.POST.get("action") == "import":
                jobs.payment_import_start(upload=upload)
            return redirect("import_detail", pk=upload.pk)
    try:
        preview = services.billing_upload_preview(upload=upload)
    except DomainError as error:  # the chosen source is no subscription source any more
        for field_messages in error.field_errors.values():
            for message in field_messages:
                form.add_error(None, message)
        preview = services.billing_upload_preview(upload=upload, planned=True)
    result = preview.result
    return render(
        request,
        "imports/billing_preview.html",
        {
            "upload": upload,
            "form": form,
            "preview": preview,
            "result": result,
            "rows": [
                BillingPreviewRow(row=row, period=_period_label(row.interval, row.interval_count))
                for row in result.rows[:PREVIEW_ROWS]
            ],
            "file_errors": [_(m) for m in result.file_errors],
            "warnings": [_(m) for m in result.warnings],
            "skipped": [
                ShownProblem(
                    line=s.line,
                    field="",
                    message=_(SKIP_REASONS.get(s.reason, s.reason)),
                    value=s.value,
                )
                for s in result.skipped[:SHOWN_SKIPPED]
            ],
            "more_skipped": max(len(result.skipped) - SHOWN_SKIPPED, 0),
            "errors": [
                ShownProblem(line=e.line, field=_field_label(e.field), message=_(e.message))
                for e in result.errors[:SHOWN_ERRORS]
            ],
            "more_errors": max(len(result.errors) - SHOWN_ERRORS, 0),
            "error_lines": len({e.line for e in result.errors}),
            "can_import": not result.file_errors and bool(result.rows),
        },
        status=400 if form.errors else 200,
    )


# ----------------------------------------------------------------------------- result
def _result_context(upload: PaymentImport) -> dict[str, Any]:
    in_progress = upload.status in IN_PROGRESS
    # Its worker stopped: "waiting for a worker", not the last percentage (issue 25).
    stalled = upload.stalled(now=timezone.now(), lease=jobs_lease())
    return {
        "upload": upload,
        "in_progress": in_progress,
        "stalled": stalled,
        "progress": (
            progress_read(kind="import", job_id=upload.pk) if in_progress and not stalled else None
        ),
        "errors": [] if in_progress else _errors_shown(upload.errors),
        "more_errors": max(len(upload.errors) - SHOWN_ERRORS, 0),
    }


@login_required
@require_safe
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    """The lines of the file that were not imported, with their line and reasons (CSV),
    read again from the stored file as its import read it: to fix and import again."""
    upload = _owned_upload_with_file(request, pk)
    # A BOM makes Excel read UTF-8 (umlauts, €) correctly.
    content = "\ufeff" + services.payment_import_rejected_lines(upload=upload)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-lines-{upload.pk}.csv"'
    return response


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
    context = _result_context(upload)
    response = render(request, "imports/partials/progress.html", context)
    if not context["in_progress"]:
        response["HX-Refresh"] = "true"
    return response
