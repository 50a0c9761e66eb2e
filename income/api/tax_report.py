"""The yearly tax report over the API: JSON, and the same CSV and PDF files the browser
downloads (issue 22). A year without facts, or outside the years offered, is a 404."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.errors import DomainError
from income.api.serializers.tax_report import TaxReportSerializer
from income.date_style import current_date_style
from income.tax_report import TaxYearReport, tax_report_years, tax_year_report
from income.tax_report.documents import report_csv, report_pdf
from income.views.exports import german_formats


def _report(request: Request, year: int) -> TaxYearReport:
    owner = cast(User, request.user)
    if year not in tax_report_years(today=timezone.localdate()):
        raise Http404
    try:
        return tax_year_report(owner=owner, year=year)
    except DomainError as error:
        raise Http404(str(error)) from error


class TaxReportView(APIView):
    """The caller's tax report of ``year``: capital income, rent, business income."""

    @extend_schema(responses={200: TaxReportSerializer})
    def get(self, request: Request, year: int) -> Response:
        return Response(TaxReportSerializer(_report(request, year)).data)


class TaxReportCsvView(APIView):
    """The report of ``year`` as CSV, in the caller's language's number format."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, year: int) -> HttpResponse:
        content = report_csv(
            _report(request, year), german=german_formats(), date_style=current_date_style()
        )
        response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ertrag-tax-{year}.csv"'
        return response


class TaxReportPdfView(APIView):
    """The report of ``year`` as a PDF."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, year: int) -> HttpResponse:
        user = cast(User, request.user)
        content = report_pdf(
            _report(request, year),
            owner_name=user.get_full_name() or user.username,
            made_on=timezone.localdate(),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ertrag-tax-{year}.pdf"'
        return response
