"""The yearly tax report in the browser: the page, its CSV and its PDF (issue 22).

The three read one ``tax_year_report``; the page links each figure to the payments,
costs and fund years it is made of. A year without tax facts is a 404 with the reason,
as is a year outside the ones ``tax_report_years`` offers.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from finance.tax.capital import CreditLimit
from income.tax_report import tax_report_years
from income.tax_report.documents import disclaimer, report_settings
from income.tax_report.figures import bank_label, cost_kind_label, line_label
from income.tax_report.notices import notice_message
from income.views.tax_files import offered_report, report_csv_response, report_pdf_response


@login_required
def tax_report_index(request: HttpRequest) -> HttpResponse:
    """The last complete year with facts, else the newest year offered."""
    today = timezone.localdate()
    years = tax_report_years(today=today)
    if not years:
        return render(request, "income/tax/report.html", {"report": None, "years": []})
    complete = [year for year in years if year < today.year]
    return redirect("tax_report", year=complete[0] if complete else years[0])


@login_required
def tax_report_page(request: HttpRequest, year: int) -> HttpResponse:
    report, years = offered_report(owner=cast(User, request.user), year=year)
    lines = [(line, line_label(line)) for line in report.capital_lines]
    properties = [
        (
            prop,
            [(kind, cost_kind_label(kind), amount) for kind, amount in prop.result.costs.items()],
        )
        for prop in report.properties
    ]
    return render(
        request,
        "income/tax/report.html",
        {
            "report": report,
            "years": years,
            "lines": lines,
            "banks": [(bank, bank_label(bank.bank)) for bank in report.capital.banks],
            "properties": properties,
            "notices": [notice_message(notice, report) for notice in report.notices],
            "settings_line": report_settings(report),
            "disclaimer": disclaimer(),
            "credit_limits": CreditLimit,
            "today": timezone.localdate(),
        },
    )


@login_required
def tax_report_csv(request: HttpRequest, year: int) -> HttpResponse:
    report, _years = offered_report(owner=cast(User, request.user), year=year)
    return report_csv_response(report)


@login_required
def tax_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    owner = cast(User, request.user)
    report, _years = offered_report(owner=owner, year=year)
    return report_pdf_response(report, owner=owner)
