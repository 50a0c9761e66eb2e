"""The admin shows snapshots, jobs and digests read-only, and queues recomputes for users."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from reports.jobs import recompute_job_create
from reports.models import DigestDelivery, JobReason, JobStatus, RecomputeJob, ReportSnapshot
from tests.reports.conftest import History


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_every_reports_admin_page_loads(
    admin_client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 3)
    recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    DigestDelivery.objects.create(owner=alice, week=date(2025, 3, 3), language="en")
    for model in ("reportsnapshot", "recomputejob", "digestdelivery"):
        for query in ("", "?q=alice", "?q=nobody"):
            response = admin_client.get(f"/admin/reports/{model}/{query}")
            assert response.status_code == 200, (model, query)
    html = admin_client.get("/admin/reports/reportsnapshot/").content.decode()
    assert "alice" in html
    snapshot = ReportSnapshot.objects.filter(owner=alice).first()
    assert snapshot is not None
    assert (
        admin_client.get(f"/admin/reports/reportsnapshot/{snapshot.pk}/change/").status_code == 200
    )


def test_snapshots_cannot_be_added_or_changed_but_can_be_deleted(
    admin_client: Client, alice: User, report_history: History
) -> None:
    report_history(alice, 2)
    snapshot = ReportSnapshot.objects.filter(owner=alice).order_by("month").first()
    assert snapshot is not None
    assert admin_client.get("/admin/reports/reportsnapshot/add/").status_code == 403
    url = f"/admin/reports/reportsnapshot/{snapshot.pk}/change/"
    before = snapshot.passive_net
    admin_client.post(url, {"passive_net": "999999.00", "currency": "USD"})
    snapshot.refresh_from_db()
    assert (snapshot.passive_net, snapshot.currency) == (before, "EUR")
    response = admin_client.post(
        f"/admin/reports/reportsnapshot/{snapshot.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ReportSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_jobs_and_digests_are_read_only(admin_client: Client, alice: User) -> None:
    job = recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True)
    assert admin_client.get("/admin/reports/recomputejob/add/").status_code == 403
    assert admin_client.get("/admin/reports/digestdelivery/add/").status_code == 403
    assert (
        admin_client.post(
            f"/admin/reports/recomputejob/{job.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert RecomputeJob.objects.filter(pk=job.pk).exists()


def test_the_user_admin_queues_a_recompute_for_each_selected_user(
    admin_client: Client,
    alice: User,
    bob: User,
    report_history: History,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report_history(alice, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/auth/user/",
            {"action": "recompute_reports", "_selected_action": [alice.pk, bob.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "Recompute queued for 2 users." in response.content.decode()
    jobs = RecomputeJob.objects.filter(reason=JobReason.ADMIN)
    assert sorted(job.owner_id for job in jobs) == sorted([alice.pk, bob.pk])
    assert all(job.force and job.status == JobStatus.DONE for job in jobs)
    assert ReportSnapshot.objects.filter(owner=alice).exists()


def test_the_action_is_offered_on_the_user_changelist(admin_client: Client) -> None:
    html = admin_client.get("/admin/auth/user/").content.decode()
    assert 'value="recompute_reports"' in html
    assert "Recompute reports for selected users" in html
