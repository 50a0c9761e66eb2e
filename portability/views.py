"""The "Your data" page: download everything, bring an export back, delete the account."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from config.uploads import bounded_upload
from finance.errors import DomainError
from income.progress import progress_read
from jobs.leases import jobs_lease
from portability import selectors, services
from portability.forms import MAX_IMPORT_BYTES, DeleteForm, ImportForm
from portability.models import DataImport, DataImportStatus
from portability.tasks import PROGRESS_KIND


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
@bounded_upload(lambda: MAX_IMPORT_BYTES, back="data_page")
def data_import(request: HttpRequest) -> HttpResponse:
    """Check the file and queue its import; the job's page follows it (issue 19: an
    import is a worker's job, not one long request)."""
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.account_import_file(
                user=_user(request), content=form.cleaned_data["file"]
            )
        except DomainError as error:
            for message in error.field_errors.get("file", []) or [str(error)]:
                form.add_error("file", message)
        else:
            return redirect("data_import_job", pk=job.pk)
    delete_form = DeleteForm(user=_user(request))
    return _page(request, import_form=form, delete_form=delete_form, status=400)


def import_job_context(job: DataImport) -> dict[str, Any]:
    """What the job's page and its polled section show: status, progress, outcome."""
    in_progress = job.status in services.PENDING
    # Its worker stopped: "waiting for a worker", not the last percentage (issue 25).
    stalled = job.stalled(now=timezone.now(), lease=jobs_lease())
    counts = {table: job.counts.get(table, 0) for table in ("sources", "payments", "scenarios")}
    return {
        "job": job,
        "in_progress": in_progress,
        "stalled": stalled,
        "progress": (
            progress_read(kind=PROGRESS_KIND, job_id=job.pk)
            if in_progress and not stalled
            else None
        ),
        "summary": (
            _("Imported: %(sources)s sources, %(payments)s payments, %(scenarios)s scenarios.")
            % counts
            if job.status == DataImportStatus.DONE
            else ""
        ),
        "errors": [_(message) for message in job.errors],
    }


@login_required
@require_safe
@never_cache
@vary_on_headers("HX-Request")
def data_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's progress, then its outcome: htmx polls the section every second
    while it runs; without htmx the page says to reload it."""
    job = get_object_or_404(selectors.data_import_list(owner=_user(request)), pk=pk)
    context = import_job_context(job)
    if request.headers.get("HX-Request") == "true":
        return render(request, "portability/partials/import_progress.html", context)
    return render(request, "portability/import_job.html", context)


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
