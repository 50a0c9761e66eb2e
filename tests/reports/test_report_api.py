"""/api/v1/reports/: the stored months, the latest with its details, and recompute jobs."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.progress import progress_report
from reports.jobs import recompute_job_create
from reports.models import JobReason, JobStatus, RecomputeJob, ReportSnapshot
from tests.conftest import token_client
from tests.factories import UserFactory
from tests.reports.conftest import History


def test_the_list_answers_the_callers_months_newest_first(
    alice_api: APIClient, alice: User, bob: User, report_history: History
) -> None:
    report_history(alice, 12)
    report_history(bob, 3)
    body = alice_api.get("/api/v1/reports/").json()
    assert body["count"] == 12
    months = [row["month"] for row in body["results"]]
    assert months[0] == "2025-12-01"
    assert months[-1] == "2025-01-01"
    snapshot = ReportSnapshot.objects.get(owner=alice, month="2025-12-01")
    assert body["results"][0] == {
        "month": "2025-12-01",
        "currency": "EUR",
        "passive_gross": "1234.50",
        "passive_net": "1000.00",
        "active_net": "3000.00",
        "passive_gross_ttm": "14814.00",
        "passive_net_ttm": "12000.00",
        "total_net_ttm": "48000.00",
        "passive_share": "0.2500",
        "expense_coverage": "0.5000",
        "monthly_expenses": "2000.00",
        "independence_month": (
            snapshot.independence_month.isoformat() if snapshot.independence_month else None
        ),
        "by_category": [
            {"code": "etf-dividends", "label": "ETF dividends", "passive_net": "1000.00"}
        ],
        "closed": False,
        "closed_at": None,
        "computed_at": body["results"][0]["computed_at"],
    }
    assert body["results"][11]["passive_net_ttm"] == "1000.00"
    assert body["results"][11]["passive_share"] == "0.2500"


def test_the_list_is_filtered_by_month(
    alice_api: APIClient, alice: User, report_history: History
) -> None:
    report_history(alice, 12)
    body = alice_api.get("/api/v1/reports/", {"from": "2025-02", "to": "2025-04"}).json()
    assert [row["month"] for row in body["results"]] == ["2025-04-01", "2025-03-01", "2025-02-01"]
    only_from = alice_api.get("/api/v1/reports/", {"from": "2025-11"}).json()
    assert only_from["count"] == 2
    # an empty parameter, as a blank form field sends it, does not filter
    assert alice_api.get("/api/v1/reports/", {"from": "", "to": ""}).json()["count"] == 12


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2025-13"}, "from"),
        ({"from": "2025-01-01"}, "from"),
        ({"to": "soon"}, "to"),
        ({"from": "2025-05", "to": "2025-02"}, "to"),
    ],
)
def test_a_bad_month_is_a_400_with_a_field_error(
    alice_api: APIClient, query: dict[str, str], field: str
) -> None:
    response = alice_api.get("/api/v1/reports/", query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_list_query_count_does_not_grow_with_the_months(
    db: None, report_history: History, django_assert_max_num_queries: Any
) -> None:
    few, many = UserFactory.create(), UserFactory.create()
    report_history(few, 12)
    report_history(many, 36)
    for user, count in ((few, 12), (many, 36)):
        client = token_client(user)
        with django_assert_max_num_queries(5):
            body = client.get("/api/v1/reports/", {"limit": 100}).json()
        assert body["count"] == count
        with django_assert_max_num_queries(4):
            assert client.get("/api/v1/reports/latest/").status_code == 200


def test_latest_has_the_sources_and_the_concentration(
    alice_api: APIClient, alice: User, report_history: History
) -> None:
    report_history(alice, 12)
    body = alice_api.get("/api/v1/reports/latest/").json()
    assert body["month"] == "2025-12-01"
    assert body["passive_net_ttm"] == "12000.00"
    assert body["expense_coverage"] == "0.5000"
    etf = next(row for row in body["sources"] if row["name"] == "ETF")
    assert etf["category"] == "etf-dividends"
    assert etf["net_to_date"] == "12000.00"
    assert etf["gross_to_date"] == "14814.00"
    assert etf["net_ttm"] == "12000.00"
    assert etf["ltv"] is None
    assert {row["name"] for row in body["sources"]} == {"ETF", "Salary"}
    etf_id = next(row["id"] for row in body["sources"] if row["name"] == "ETF")
    assert body["concentration"]["source"] == [
        {"key": "ETF", "code": str(etf_id), "label": "ETF", "amount": "12000.00", "share": "1.0000"}
    ]
    assert body["missing_rates"] == []


def test_latest_without_a_report_is_a_404_that_says_why(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/reports/latest/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No report yet.")


def test_recompute_answers_202_with_the_job_and_then_runs_it(
    alice_api: APIClient,
    alice: User,
    report_history: History,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report_history(alice, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/reports/recompute/", {"owner": 999}, format="json")
    assert response.status_code == 202
    body = response.json()
    job = RecomputeJob.objects.get(pk=body["id"])
    assert job.owner == alice
    assert response["Location"] == f"/api/v1/reports/recompute/{job.pk}/"
    assert body == {
        "id": job.pk,
        "status": "queued",
        "reason": "request",
        "force": True,
        "months_written": 0,
        "skipped": False,
        "attempts": 0,
        "created_at": body["created_at"],
        "started_at": None,
        "finished_at": None,
        "progress": None,
        "stalled": False,
    }
    done = alice_api.get(f"/api/v1/reports/recompute/{job.pk}/").json()
    assert done["status"] == "done"
    # The months since the history's two, each new; those two are as they were, unwritten.
    written = ReportSnapshot.objects.filter(owner=alice, computed_at__gte=job.created_at)
    assert done["months_written"] == written.count()
    assert written.count() == ReportSnapshot.objects.filter(owner=alice).count() - 2
    assert done["attempts"] == 1
    assert done["progress"] == {"phase": "done", "done": 4, "total": 4, "percent": 100}


def test_the_job_reports_its_progress_while_running(alice_api: APIClient, alice: User) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    RecomputeJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)  # a worker took it
    progress_report(
        kind="recompute", job_id=job.pk, phase="project", done=2, total=4, start=0, end=100
    )
    body = alice_api.get(f"/api/v1/reports/recompute/{job.pk}/").json()
    assert body["status"] == "running"
    assert body["progress"] == {"phase": "project", "done": 2, "total": 4, "percent": 50}


def test_bob_gets_404_for_alices_job(alice: User, bob_api: APIClient) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    assert bob_api.get(f"/api/v1/reports/recompute/{job.pk}/").status_code == 404


def test_reports_need_a_login(api_client: APIClient) -> None:
    for url in ("/api/v1/reports/", "/api/v1/reports/latest/", "/api/v1/reports/recompute/1/"):
        assert api_client.get(url).status_code == 401
    assert api_client.post("/api/v1/reports/recompute/").status_code == 401


def test_the_schema_describes_the_report_endpoints(client: Any) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in ("/api/v1/reports/", "/api/v1/reports/latest/", "/api/v1/reports/recompute/",
                 "/api/v1/reports/recompute/{id}/"):  # fmt: skip
        assert path in paths, path
