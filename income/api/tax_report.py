"""The yearly tax report over the API: JSON, and the same CSV and PDF files the browser
downloads (issue 22). A year without facts, or outside the years offered, is a 404."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from income.api.serializers.tax_report import TaxReportSerializer
from income.tax_report import TaxYearReport
from income.views.tax_files import offered_report, report_csv_response, report_pdf_response


def _report(request: Request, year: int) -> TaxYearReport:
    report, _years = offered_report(owner=cast(User, request.user), year=year)
    return report


class TaxReportView(APIView):
    """The caller's tax report of ``year``: capital income, rent, business income."""

    @extend_schema(responses={200: TaxReportSerializer})
    def get(self, request: Request, year: int) -> Response:
        return Response(TaxReportSerializer(_report(request, year)).data)


class TaxReportCsvView(APIView):
    """The report of ``year`` as CSV, in the caller's language's number format."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, year: int) -> HttpResponse:
        return report_csv_response(_report(request, year))


class TaxReportPdfView(APIView):
    """The report of ``year`` as a PDF."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, year: int) -> HttpResponse:
        return report_pdf_response(_report(request, year), owner=cast(User, request.user))
