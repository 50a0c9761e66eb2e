"""The reports page, its recompute button and the job's progress partial in the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from income.progress import progress_report
from reports.jobs import recompute_job_create, recompute_job_fail
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from tests.factories import UserFactory
from tests.reports.conftest import History

NBSP = "\u00a0"


def _logged_in(client: Client, user: User, language: str = "en") -> Client:
    client.force_login(user)
    client.cookies["ertrag_language"] = language
    return client


def test_it_requires_login(client: Client, db: None) -> None:
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_the_months_newest_first_in_english(
    client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 12)
    html = _logged_in(client, alice).get("/reports/").content.decode()
    table = html.split('id="history-heading"')[1]
    assert table.index("December 2025") < table.index("November 2025") < table.index("January")
    assert "<td>€1,234.50</td>" in html  # passive gross of a month
    assert "<td>€1,000.00</td>" in html  # passive net
    assert "<td>€3,000.00</td>" in html  # active net
    assert 'data-testid="latest-passive-net-ttm">€12,000.00<' in html
    assert "<td>25.0%</td>" in html  # passive share after twelve months
    assert "<td>50.0%</td>" in html  # expenses covered
    assert "Open" in html
    snapshot = ReportSnapshot.objects.get(owner=alice, month="2025-12-01")
    local = timezone.localtime(snapshot.computed_at)
    assert f'datetime="{local.isoformat()}"' in html
    assert re.search(r"Computed (now|[^<]+ ago)\.", html)
    assert 'href="/reports/export.csv"' in html
    assert 'id="report-history-data"' in html
    assert 'hx-post="/reports/recompute/"' in html
    assert 'aria-current="page">Reports<' in html


def test_the_page_uses_german_formats(client: Client, alice: User, report_history: History) -> None:
    report_history(alice, 12)
    html = _logged_in(client, alice, "de").get("/reports/").content.decode()
    assert "Dezember 2025" in html
    assert f"<td>1.234,50{NBSP}€</td>" in html
    assert f'data-testid="latest-passive-net-ttm">12.000,00{NBSP}€<' in html
    assert f"<td>25,0{NBSP}%</td>" in html
    snapshot = ReportSnapshot.objects.get(owner=alice, month="2025-12-01")
    assert timezone.localtime(snapshot.computed_at).strftime("%d.%m.%Y") in html


def test_a_user_without_reports_sees_the_empty_state(client: Client, alice: User) -> None:
    html = _logged_in(client, alice).get("/reports/").content.decode()
    assert "No reports yet" in html
    assert 'data-testid="recompute-button"' in html
    assert "export.csv" not in html
    assert "report-history-data" not in html


def test_the_history_is_paginated_by_24_months(
    client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 30)
    _logged_in(client, alice)
    first = client.get("/reports/").content.decode()
    assert "June 2027" in first
    assert "July 2025" in first
    assert "June 2025" not in first.split('id="history-heading"')[1]
    assert "Page 1 of 2" in first
    second = client.get("/reports/?page=2").content.decode().split('id="history-heading"')[1]
    assert "June 2025" in second
    assert "January 2025" in second
    assert "July 2025" not in second


def test_the_chart_shows_the_last_36_months(
    client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 40)
    response = _logged_in(client, alice).get("/reports/")
    chart = response.context["chart"]
    assert len(chart["labels"]) == 36
    assert chart["labels"][0] == "May 2025"
    assert chart["datasets"][0]["data"][-1] == "1000.00"
    # The second line is the average month of the twelve (12,000.00 / 12), on one scale.
    assert chart["datasets"][1]["data"][-1] == "1000.00"


def test_the_page_query_count_does_not_grow_with_the_months(
    client: Client, db: None, report_history: History, django_assert_max_num_queries: Any
) -> None:
    few, many = UserFactory.create(), UserFactory.create()
    report_history(few, 12)
    report_history(many, 36)
    for user in (few, many):
        _logged_in(client, user)
        with django_assert_max_num_queries(5):
            assert client.get("/reports/").status_code == 200


def test_the_button_queues_a_job_that_computes_the_reports(
    client: Client, alice: User, report_history: History, django_capture_on_commit_callbacks: Any
) -> None:
    report_history(alice, 3)
    ReportSnapshot.objects.filter(owner=alice).delete()
    _logged_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/recompute/", {"refresh": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    job = RecomputeJob.objects.get(owner=alice, reason=JobReason.REQUEST)
    assert html.startswith('<div class="job-progress"')
    assert "Waiting for a worker…" in html
    assert f'hx-get="/reports/jobs/{job.pk}/?refresh=1"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert 'aria-live="polite"' in html
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.force
    months = ReportSnapshot.objects.filter(owner=alice).count()
    assert months >= 3
    assert job.months_written == months


def test_the_button_without_htmx_leads_to_the_job_page(client: Client, alice: User) -> None:
    response = _logged_in(client, alice).post("/reports/recompute/")
    job = RecomputeJob.objects.get(owner=alice, reason=JobReason.REQUEST)
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page
    assert "Back to your reports" in page


def test_the_partial_shows_the_progress_while_running(client: Client, alice: User) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    RecomputeJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)  # a worker took it
    progress_report(
        kind="recompute", job_id=job.pk, phase="compute", done=1, total=4, start=0, end=100
    )
    response = _logged_in(client, alice).get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<progress max="100" value="25"' in html
    assert "Computing…" in html
    assert f'hx-get="/reports/jobs/{job.pk}/"' in html
    assert "HX-Refresh" not in response


def test_a_done_job_refreshes_the_page_only_when_asked(
    client: Client, alice: User, report_history: History, django_capture_on_commit_callbacks: Any
) -> None:
    report_history(alice, 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    job.refresh_from_db()
    url = f"/reports/jobs/{job.pk}/"
    _logged_in(client, alice)
    response = client.get(f"{url}?refresh=1", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert f"Done: {job.months_written} months written" in html
    assert 'value="100"' in html
    assert "hx-get" not in html  # the poll stops
    assert "HX-Refresh" not in client.get(url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in client.get(f"{url}?refresh=1")  # a plain page load


def test_an_unchanged_job_says_already_up_to_date(
    client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=False)
    again.refresh_from_db()
    assert again.skipped
    html = _logged_in(client, alice).get(f"/reports/jobs/{again.pk}/").content.decode()
    assert "Already up to date" in html


def test_a_failed_job_says_so_and_stops_polling(client: Client, alice: User) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    recompute_job_fail(job_id=job.pk, error="boom")
    response = _logged_in(client, alice).get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Failed" in html
    assert "boom" not in html
    assert "hx-get" not in html


def test_bob_gets_404_for_alices_job(client: Client, alice: User, bob: User) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    _logged_in(client, bob)
    assert client.get(f"/reports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_job_partial_is_translated(client: Client, alice: User, language: str) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    response = _logged_in(client, alice, language).get(
        f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().count("<div") == 1  # a single root element
