"""A user's recompute requests: one pending at a time, whatever the number of clicks.

Issue 19, finding 4: sixty forced recomputes in three seconds delayed another user's
import by 44 s. A request while one is queued or running answers that job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reports.jobs import REQUEST_LOST_AFTER, recompute_job_run, recompute_request
from reports.models import JobReason, JobStatus, RecomputeJob


def _requests(owner: User) -> Any:
    return RecomputeJob.objects.filter(owner=owner, reason=JobReason.REQUEST)


def test_sixty_api_requests_queue_one_job(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as sent:
        first = alice_api.post("/api/v1/reports/recompute/")
        answers = [alice_api.post("/api/v1/reports/recompute/") for _ in range(59)]
    assert first.status_code == 202
    assert {answer.status_code for answer in answers} == {200}
    assert {answer.json()["id"] for answer in answers} == {first.json()["id"]}
    assert {answer["Location"] for answer in answers} == {first["Location"]}
    assert _requests(alice).count() == 1
    assert len(sent) == 1  # one task message, not sixty


def test_a_request_while_the_job_runs_answers_that_job(alice_api: APIClient, alice: User) -> None:
    job = recompute_request(owner=alice).job
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    response = alice_api.post("/api/v1/reports/recompute/")
    assert response.status_code == 200
    assert response.json()["id"] == job.pk
    assert response.json()["status"] == "running"


def test_once_the_job_is_done_the_next_request_queues_a_new_one(
    alice_api: APIClient, alice: User
) -> None:
    job = recompute_request(owner=alice).job
    recompute_job_run(job_id=job.pk)
    response = alice_api.post("/api/v1/reports/recompute/")
    assert response.status_code == 202
    assert response.json()["id"] != job.pk


def test_another_users_pending_job_does_not_hold_back_mine(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    recompute_request(owner=bob)
    assert alice_api.post("/api/v1/reports/recompute/").status_code == 202


def test_the_database_refuses_a_second_pending_request(alice: User) -> None:
    """The rule holds for two requests at the same moment, not only one after another."""
    RecomputeJob.objects.create(owner=alice, reason=JobReason.REQUEST, force=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecomputeJob.objects.create(
            owner=alice, reason=JobReason.REQUEST, force=True, status=JobStatus.RUNNING
        )
    # Changes and admin recomputes are other queues of work, not held back.
    RecomputeJob.objects.create(owner=alice, reason=JobReason.ADMIN, force=True)


def test_a_job_whose_message_was_lost_does_not_lock_the_user_out(alice: User) -> None:
    lost = recompute_request(owner=alice).job
    RecomputeJob.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - REQUEST_LOST_AFTER - timedelta(minutes=1)
    )
    again = recompute_request(owner=alice)
    assert again.created
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED


def test_a_job_running_past_the_time_limit_does_not_lock_the_user_out(
    alice: User, settings: Any
) -> None:
    stuck = recompute_request(owner=alice).job
    RecomputeJob.objects.filter(pk=stuck.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    assert recompute_request(owner=alice).created
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED


def test_the_button_pressed_twice_shows_the_same_job_and_says_so(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    first = client.post("/reports/recompute/", HTTP_HX_REQUEST="true").content.decode()
    second = client.post("/reports/recompute/", HTTP_HX_REQUEST="true").content.decode()
    job = _requests(alice).get()
    assert 'data-testid="report-job-already"' not in first
    assert 'data-testid="report-job-already"' in second
    assert f'id="report-job-{job.pk}"' in second
    assert "A recompute is already under way" in second


def test_the_plain_form_pressed_twice_leads_to_the_same_job_page(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    first = client.post("/reports/recompute/")
    second = client.post("/reports/recompute/", follow=True)
    job = _requests(alice).get()
    assert first["Location"] == f"/reports/jobs/{job.pk}/"
    assert second.redirect_chain[-1][0] == f"/reports/jobs/{job.pk}/"
    assert "A recompute is already under way" in second.content.decode()
