"""What the tax report's page and API share: the report of a year offered, and its CSV and
PDF as downloads (issue 22). One place, so that the browser's files and the API's are the
same bytes under the same names."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.utils import timezone

from finance.errors import DomainError
from income.date_style import current_date_style
from income.tax_report import TaxYearReport, tax_report_years, tax_year_report
from income.tax_report.documents import report_csv, report_pdf
from income.views.exports import german_formats


def offered_report(*, owner: User, year: int) -> tuple[TaxYearReport, list[int]]:
    """``owner``'s report of ``year`` and the years offered beside it; a 404 for a year not
    offered (``tax_report_years``) or without tax facts, with the reason."""
    years = tax_report_years(today=timezone.localdate())
    if year not in years:
        raise Http404
    try:
        return tax_year_report(owner=owner, year=year), years
    except DomainError as error:
        raise Http404(str(error)) from error


def report_csv_response(report: TaxYearReport) -> HttpResponse:
    """The report as a CSV download, in the language's number and date format."""
    content = report_csv(report, german=german_formats(), date_style=current_date_style())
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ertrag-tax-{report.year}.csv"'
    return response


def report_pdf_response(report: TaxYearReport, *, owner: User) -> HttpResponse:
    """The report as a PDF download, made out to ``owner``."""
    content = report_pdf(
        report, owner_name=owner.get_full_name() or owner.username, made_on=timezone.localdate()
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ertrag-tax-{report.year}.pdf"'
    return response
