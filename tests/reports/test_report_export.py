"""Downloading the report history as CSV: the caller's months, in their language's format."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from reports.models import ReportSnapshot
from tests.reports.conftest import History

HEADER = [
    "Month", "Currency", "Passive gross", "Passive net", "Active net",
    "Passive gross, 12 months", "Passive net, 12 months", "All net income, 12 months",
    "Passive share", "Expenses covered", "Monthly expenses", "Independence month", "Closed",
    "Computed",
]  # fmt: skip


def _computed(owner: User, month: date) -> date:
    return timezone.localdate(ReportSnapshot.objects.get(owner=owner, month=month).computed_at)


def test_the_csv_has_a_header_and_one_row_per_month_oldest_first(
    client: Client, alice: User, bob: User, report_history: History
) -> None:
    report_history(alice, 3)
    report_history(bob, 5)
    client.force_login(alice)
    response = client.get("/reports/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ertrag-reports-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    computed = _computed(alice, date(2025, 3, 1)).isoformat()
    assert rows[3] == [
        "2025-03-01", "EUR", "1234.50", "1000.00", "3000.00", "3703.50", "3000.00",
        "12000.00", "0.2500", "0.1250", "2000.00", "", "", computed,
    ]  # fmt: skip
    # A title with a comma is quoted, so the columns stay where they are.
    assert text.splitlines()[0].startswith(
        'Month,Currency,Passive gross,Passive net,Active net,"Passive gross, 12 months",'
    )


def test_the_german_csv_uses_german_formats(
    client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 3, expenses=Decimal("1234.56"))
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    lines = client.get("/reports/export.csv").content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    computed = _computed(alice, date(2025, 3, 1)).strftime("%d.%m.%Y")
    assert lines[3] == (
        "01.03.2025;EUR;1234,50;1000,00;3000,00;3703,50;3000,00;12000,00;0,2500;0,2025;"
        f"1234,56;;;{computed}"
    )


def test_a_user_without_reports_gets_the_header_only(client: Client, alice: User) -> None:
    client.force_login(alice)
    text = client.get("/reports/export.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [HEADER]


def test_the_csv_requires_login(client: Client, db: None) -> None:
    assert client.get("/reports/export.csv").status_code == 302
