"""CSV downloads of a user's sources and payments, in their language's format and
their date style (the request's, set by ``income.preferences.PreferencesMiddleware``)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from finance.csv_export import write_csv
from income import selectors
from income.date_style import current_date_style
from income.ids import object_id


def csv_response(content: str, name: str) -> HttpResponse:
    # A BOM makes Excel read UTF-8 (umlauts, €) correctly.
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ertrag-{name}-{stamp}.csv"'
    return response


def german_formats() -> bool:
    return (get_language() or "en").startswith("de")


@login_required
def payments_export(request: HttpRequest) -> HttpResponse:
    """All payments, or with ``?source=<id>`` those of one of the caller's sources (another
    user's source, or no number, is a 404 like any id that is not theirs)."""
    owner = cast(User, request.user)
    payments = selectors.payment_list(owner=owner).order_by("date", "pk")
    name = "payments"
    if "source" in request.GET:
        source_id = object_id(request.GET["source"])
        if source_id is None:
            raise Http404
        source = get_object_or_404(selectors.source_list(owner=owner), pk=source_id)
        payments = payments.filter(source=source)
        name = f"payments-{source.pk}"
    header = [_("Date"), _("Source"), _("Gross"), _("Tax withheld"), _("Of which foreign tax"),
              _("Fees"), _("Net"), _("Currency"), _("Note"), _("ID")]  # fmt: skip
    rows = (
        [
            p.date,
            p.source.name,
            p.gross,
            p.tax_withheld,
            p.foreign_tax,
            p.fees,
            p.net,
            p.currency,
            p.note,
            p.external_id or "",
        ]
        for p in payments.iterator(chunk_size=2000)
    )
    return csv_response(
        write_csv(header, rows, german=german_formats(), date_style=current_date_style()), name
    )


@login_required
def sources_export(request: HttpRequest) -> HttpResponse:
    sources = selectors.source_list(owner=cast(User, request.user))
    header = [_("Name"), _("Category"), _("Currency"), _("Status"), _("Start date"),
              _("End date"), _("Payout rhythm"), _("Platform or payer"), _("Country"),
              _("Upfront money invested"), _("Setup hours"), _("Maintenance hours per month"),
              _("Monthly costs")]  # fmt: skip
    rows = (
        [
            s.name,
            s.category.name,
            s.currency,
            s.get_status_display(),
            s.start_date,
            s.end_date,
            s.get_payout_rhythm_display(),
            s.platform,
            s.country,
            s.upfront_investment,
            s.setup_hours,
            s.maintenance_hours_per_month,
            s.monthly_costs,
        ]
        for s in sources
    )
    return csv_response(
        write_csv(header, rows, german=german_formats(), date_style=current_date_style()), "sources"
    )
