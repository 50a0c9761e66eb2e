"""Reports in the browser: the month-by-month history, its CSV, and the recompute button.

The button creates a ``RecomputeJob`` and answers the job's progress partial, which
polls itself with htmx until the job is finished. The page around it (the report page,
the dashboard) reloads when the job is done if the poll asks for it with ``?refresh=1``
(``HX-Refresh``), so the new figures appear without a second click.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from finance import figures
from finance.csv_export import write_csv
from finance.schedule import add_months, month_start
from income.formatting import format_month
from income.progress import progress_read
from income.views.exports import csv_response, german_formats
from jobs.leases import jobs_lease
from reports import jobs, selectors
from reports.models import JobStatus, RecomputeJob, ReportSnapshot

PAGE_SIZE = 24
CHART_MONTHS = 36
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
DETAIL_JSON = ("sources", "concentration", "by_category")


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _chart(newest_first: list[ReportSnapshot], *, running: date) -> dict[str, object]:
    """Passive net per month and the average month of the twelve up to it, oldest first.

    The average, not the twelve months' sum: on one axis with the months, a sum twelve
    times their size would flatten them into a line along the bottom. The running month
    (§3: month-to-date) is marked and has no average: it is not a trend point.
    """
    rows = newest_first[::-1]
    return {
        "labels": [format_month(row.month, to_date=row.month == running) for row in rows],
        "datasets": [
            {"label": _("Passive net"), "data": [str(row.passive_net) for row in rows]},
            {
                "label": _("Average month of the last 12"),
                "data": [
                    None if row.month == running else str(row.passive_net_monthly_average)
                    for row in rows
                ],
            },
        ],
        "currency": rows[-1].currency,
        "type": "line",
        "fill": False,
        "partial_last": rows[-1].month == running,
    }


def _independence(
    request: HttpRequest, recent: list[ReportSnapshot], *, today: date, expenses: Decimal
) -> figures.Independence | None:
    """The "independent since …" figure, from the chart's months or from every month.

    A month's coverage needs the eleven months before it, so the chart's months answer
    only for a run that starts at least a year after the first of them; a longer run
    (or a shorter history) reads every stored month, one query more.
    """
    monthly = {row.month: row.passive_net for row in recent}
    result = figures.independent_since(monthly, today=today, monthly_expenses=expenses)
    if result is None or len(recent) < CHART_MONTHS:
        return result
    if result.since < add_months(min(monthly), 12):
        everything = selectors.passive_net_by_month(owner=_owner(request))
        return figures.independent_since(everything, today=today, monthly_expenses=expenses)
    return result


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """The history, newest month first, 24 a page; the chart always shows the last 36."""
    # The per-source and concentration figures are not shown here: leave them unread.
    snapshots = selectors.snapshot_list(owner=_owner(request)).defer(*DETAIL_JSON)
    page = Paginator(snapshots, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = list(snapshots[:CHART_MONTHS])
    latest = recent[0] if recent else None
    today = timezone.localdate()
    running = month_start(today)
    expenses = latest.monthly_expenses if latest is not None else Decimal(0)
    independence = _independence(request, recent, today=today, expenses=expenses)
    # The dashboard's coverage: the 12 complete months, which the chart's 36 hold.
    coverage = figures.complete_months_coverage(
        {row.month: row.passive_net for row in recent}, today=today, monthly_expenses=expenses
    )
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "latest": latest,
            "chart": _chart(recent, running=running) if recent else None,
            "running": running,
            "independence": independence,
            "coverage": coverage,
            "chart_rows": recent,
        },
    )


@login_required
@require_safe
def report_csv(request: HttpRequest) -> HttpResponse:
    """The whole history as CSV, oldest month first as a spreadsheet reads a series.

    Written by ``finance.csv_export`` like the other exports: the language's
    number and date formats, and text cells a spreadsheet will not run as a formula.
    Ratios stay fractions (0.2500 = 25 %), as in the API.
    """
    snapshots = selectors.snapshot_list(owner=_owner(request)).defer(*DETAIL_JSON).order_by("month")
    header = [_("Month"), _("Currency"), _("Passive gross"), _("Passive net"), _("Active net"),
              _("Passive gross, 12 months"), _("Passive net, 12 months"),
              _("All net income, 12 months"), _("Passive share"), _("Expenses covered"),
              _("Monthly expenses"), _("Independence month"), _("Closed"),
              _("Computed")]  # fmt: skip
    rows = (
        [
            s.month,
            s.currency,
            s.passive_gross,
            s.passive_net,
            s.active_net,
            s.passive_gross_ttm,
            s.passive_net_ttm,
            s.total_net_ttm,
            s.passive_share,
            s.expense_coverage,
            s.monthly_expenses,
            s.independence_month,
            timezone.localdate(s.closed_at) if s.closed_at else None,
            timezone.localdate(s.computed_at),
        ]
        for s in snapshots.iterator(chunk_size=2000)
    )
    return csv_response(write_csv(header, rows, german=german_formats()), "reports")


@login_required
@require_safe
def report_received(request: HttpRequest) -> HttpResponse:
    """What was received, beside a projection (the stress test loads it with htmx).

    The stress test projects what the sources' models expect; a person also wants what
    actually came in, from the stored months: the average month, the coverage and
    "independent since", with the definitions the dashboard uses (issue 17, item 9).
    The scenarios app cannot read the reports (``reports → scenarios``), so the page
    asks for this small partial by URL.
    """
    owner = _owner(request)
    monthly = selectors.passive_net_by_month(owner=owner)
    latest = selectors.snapshot_latest(owner=owner)
    today = timezone.localdate()
    expenses = latest.monthly_expenses if latest is not None else Decimal(0)
    return render(
        request,
        "reports/partials/received.html",
        {
            "latest": latest,
            "average_month": figures.complete_months_average(monthly, today=today),
            "coverage": figures.complete_months_coverage(
                monthly, today=today, monthly_expenses=expenses
            ),
            "independence": figures.independent_since(
                monthly, today=today, monthly_expenses=expenses
            ),
        },
    )


def _wants_refresh(request: HttpRequest) -> bool:
    """Whether the page around the partial reloads once the job is done.

    ``refresh=1`` (query string or form) asks for it. An htmx POST asks for it unless it
    says ``refresh=0``: the button is on a page that shows the figures (the report page,
    the dashboard), and those are stale once the job is done.
    """
    default = "1" if request.method == "POST" and _is_htmx(request) else "0"
    return (request.GET.get("refresh") or request.POST.get("refresh") or default) == "1"


def _percent(job: RecomputeJob) -> int | None:
    """The bar's value; ``None`` leaves it indeterminate (no worker has reported yet, or
    the one that had has stopped: a frozen percentage would say it is still going)."""
    if job.status == JobStatus.DONE:
        return 100
    if _stalled(job):
        return None
    progress = progress_read(kind="recompute", job_id=job.pk)
    if progress is not None:
        return progress.percent
    return 0 if job.status == JobStatus.FAILED else None


def _stalled(job: RecomputeJob) -> bool:
    return job.stalled(now=timezone.now(), lease=jobs_lease())


def _job_response(
    request: HttpRequest, job: RecomputeJob, *, full_page: bool, already: bool = False
) -> HttpResponse:
    refresh = _wants_refresh(request)
    context: dict[str, Any] = {
        "already": already,
        "job": job,
        "percent": _percent(job),
        "polling": job.status in ACTIVE,
        "refresh": refresh,
        "stalled": _stalled(job),
    }
    template = "reports/job.html" if full_page else "reports/partials/job_progress.html"
    response = render(request, template, context)
    if job.status == JobStatus.DONE and refresh and _is_htmx(request):
        response["HX-Refresh"] = "true"
    return response


#: Said when the button is pressed while the user's recompute is queued or running.
ALREADY_UNDER_WAY = gettext_lazy("A recompute is already under way; here is its progress.")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def report_recompute(request: HttpRequest) -> HttpResponse:
    """Queue a forced recompute; htmx gets the progress partial, a plain form the job page.

    While one of the user's is queued or running, that one is shown instead, with a
    message saying so (``jobs.recompute_request``).
    """
    outcome = jobs.recompute_request(owner=_owner(request))
    job = outcome.job
    if not _is_htmx(request):
        if not outcome.created:
            messages.info(request, ALREADY_UNDER_WAY)
        return redirect("report_job", pk=job.pk)
    job.refresh_from_db()  # a worker that runs tasks eagerly may have finished it already
    return _job_response(request, job, full_page=False, already=not outcome.created)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: the partial for htmx polls, a small page otherwise."""
    job = get_object_or_404(selectors.recompute_job_list(owner=_owner(request)), pk=pk)
    return _job_response(request, job, full_page=not _is_htmx(request))
