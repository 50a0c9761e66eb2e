"""``/api/v1/imports/`` for billing exports (issue 23): a platform's subscription export
posted as a statement is, recognised by its header (``kind`` billing), previewed with
where its customers go, and imported by the worker into a subscription source, whose
analytics then come from it.

API tests run in a transaction, so the import task is sent (and, Celery being eager
here, run) only inside ``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoCaptureOnCommitCallbacks as OnCommit
from rest_framework.test import APIClient

from imports.models import PaymentImport, SourceAlias
from income.models import BillingSubscription, Customer, IncomeSource
from tests.factories import SourceFactory, category

BILLING = Path(__file__).resolve().parents[1] / "imports" / "fixtures" / "billing"
STRIPE = (BILLING / "stripe_subscriptions.csv").read_bytes()
# Ben's yearly subscription (line 3) with an amount no one can read.
BROKEN = STRIPE.replace(b"eur,year,240.00,active", b"eur,year,lots,active")


def post(client: APIClient, url: str, content: bytes = STRIPE, **fields: Any) -> Any:
    return client.post(
        url,
        {"file": SimpleUploadedFile("subscriptions.csv", content, "text/csv"), **fields},
        format="multipart",
    )


def imported(client: APIClient, on_commit: OnCommit, **fields: Any) -> dict[str, Any]:
    """Post the Stripe export, let the worker run, and read the finished job."""
    with on_commit(execute=True):
        response = post(client, "/api/v1/imports/", **fields)
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/imports/{response.json()['id']}/")
    assert job.status_code == 200
    done: dict[str, Any] = job.json()
    return done


def test_a_billing_export_is_a_billing_job_that_creates_its_source(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(alice_api, "/api/v1/imports/")
        assert not Customer.objects.exists()  # nothing is imported before the commit
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["kind"], job["status"], job["preset"]) == (
        "billing", "queued", "stripe_subscriptions"
    )  # fmt: skip
    assert job["source"] is None

    done = alice_api.get(f"/api/v1/imports/{job['id']}/").json()
    created = IncomeSource.objects.get(owner=alice)
    assert (created.name, created.category.slug) == ("Stripe", "saas")
    assert (done["status"], done["kind"], done["source"]) == ("done", "billing", created.pk)
    assert (done["created_rows"], done["updated_rows"], done["duplicate_rows"]) == (7, 0, 0)
    assert (done["skipped_rows"], done["rejected_rows"], done["created_sources"]) == (1, 0, 1)
    assert done["errors"] == []
    assert Customer.objects.filter(source=created).count() == 6
    assert BillingSubscription.objects.filter(customer__source=created).count() == 7


def test_the_created_sources_analytics_come_from_the_export(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    source = imported(alice_api, django_capture_on_commit_callbacks)["source"]
    response = alice_api.get(f"/api/v1/sources/{source}/subscription-metrics/")
    assert response.status_code == 200, response.content
    metrics = response.json()
    assert (metrics["figures_from"], metrics["currency"]) == ("billing", "EUR")
    # Six customers with a subscription (Emil's was never paid and is skipped). Paying
    # now, long after the export: Anna 19 + 3 seats × 5 = 34, Ben 240 / 12 = 20 and
    # Dora 19 once her trial ended; Carla ended in March 2024, Frieda in May 2024, and
    # Gert's pause has no end.
    assert metrics["customers"] == 6
    assert metrics["paying"] == 3
    assert metrics["mrr"] == "73.00"
    assert metrics["arr"] == "876.00"


def test_the_preview_says_where_the_customers_go_and_what_is_new(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    response = post(alice_api, "/api/v1/imports/preview/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kind"], body["preset"], body["payments_count"]) == (
        "billing", "stripe_subscriptions", 0
    )  # fmt: skip
    billing = body["billing"]
    assert (billing["subscriptions_count"], billing["customers_count"]) == (7, 6)
    assert (billing["new_subscriptions"], billing["new_customers"]) == (7, 6)
    assert billing["target"] == {
        "source": None, "name": "Stripe", "how": "create", "category": "saas"
    }  # fmt: skip
    assert len(billing["subscriptions"]) == 7
    seats = next(s for s in billing["subscriptions"] if s["subscription"] == "sub_1PaA02")
    assert (seats["customer"], seats["amount"], seats["quantity"]) == ("cus_QaA01", "5.00", 3)
    assert [(s["line"], s["reason"]) for s in body["skipped"]] == [(6, "never_paid")]
    assert body["errors"] == []
    assert not PaymentImport.objects.exists()  # a preview keeps nothing
    assert not IncomeSource.objects.filter(owner=alice).exists()

    source = imported(alice_api, django_capture_on_commit_callbacks)["source"]
    again = post(alice_api, "/api/v1/imports/preview/").json()["billing"]
    assert again["target"] == {
        "source": source, "name": "Stripe", "how": "remembered", "category": None
    }  # fmt: skip
    assert (again["subscriptions_count"], again["new_subscriptions"]) == (7, 0)
    assert again["new_customers"] == 0


def test_the_same_export_again_finds_its_subscriptions_already_there(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    first = imported(alice_api, django_capture_on_commit_callbacks)
    again = imported(alice_api, django_capture_on_commit_callbacks)
    assert (again["status"], again["source"]) == ("done", first["source"])
    assert (again["created_rows"], again["updated_rows"], again["duplicate_rows"]) == (0, 0, 7)
    assert again["created_sources"] == 0
    assert BillingSubscription.objects.count() == 7
    assert IncomeSource.objects.filter(owner=alice).count() == 1


def test_a_chosen_subscription_source_takes_the_export(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    mine = SourceFactory.create(owner=alice, name="My SaaS", category=category("saas"))
    preview = post(alice_api, "/api/v1/imports/preview/", source=mine.pk).json()["billing"]
    assert preview["target"] == {
        "source": mine.pk, "name": "My SaaS", "how": "chosen", "category": None
    }  # fmt: skip
    done = imported(alice_api, django_capture_on_commit_callbacks, source=mine.pk)
    assert (done["status"], done["source"], done["created_sources"]) == ("done", mine.pk, 0)
    assert Customer.objects.filter(source=mine).count() == 6
    assert SourceAlias.objects.get(owner=alice).source == mine


def test_a_source_that_takes_no_customers_is_a_400_that_keeps_nothing(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    dividends = SourceFactory.create(owner=alice, name="ETF", category=category("etf-dividends"))
    for url in ("/api/v1/imports/", "/api/v1/imports/preview/"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = post(alice_api, url, source=dividends.pk)
        assert response.status_code == 400, url
        assert set(response.json()) == {"source"}, url
        assert callbacks == []
    assert not PaymentImport.objects.exists()
    assert not Customer.objects.exists()
    assert list(IncomeSource.objects.filter(owner=alice)) == [dividends]


def test_another_users_subscription_source_is_a_400(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    bobs = SourceFactory.create(owner=bob, name="Bob's SaaS", category=category("saas"))
    response = post(alice_api, "/api/v1/imports/", source=bobs.pk)
    assert response.status_code == 400
    assert set(response.json()) == {"source"}
    assert not PaymentImport.objects.exists()
    assert not Customer.objects.filter(source=bobs).exists()


def test_a_broken_row_rejects_the_export_unless_the_good_rows_are_asked_for(
    alice_api: APIClient, alice: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = post(alice_api, "/api/v1/imports/", BROKEN).json()
    rejected = alice_api.get(f"/api/v1/imports/{job['id']}/").json()
    assert (rejected["status"], rejected["created_rows"], rejected["rejected_rows"]) == (
        "rejected", 0, 1
    )  # fmt: skip
    assert [(e["line"], e["field"]) for e in rejected["errors"]] == [(3, "amount")]
    assert not Customer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        job = post(alice_api, "/api/v1/imports/", BROKEN, partial=True).json()
    done = alice_api.get(f"/api/v1/imports/{job['id']}/").json()
    assert (done["status"], done["created_rows"], done["rejected_rows"]) == ("done", 6, 1)
    lines = alice_api.get(f"/api/v1/imports/{job['id']}/rejected/").content.decode()
    assert "sub_1PaB01,cus_QaB01,Ben Okafor" in lines.splitlines()[1]


def test_bob_cannot_see_alices_billing_job(
    alice_api: APIClient,
    bob_api: APIClient,
    alice: User,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = post(alice_api, "/api/v1/imports/", BROKEN, partial=True).json()
    assert bob_api.get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert bob_api.get(f"/api/v1/imports/{job['id']}/rejected/").status_code == 404
    assert job["id"] not in [j["id"] for j in bob_api.get("/api/v1/imports/").json()["results"]]
    source = alice_api.get(f"/api/v1/imports/{job['id']}/").json()["source"]
    assert bob_api.get(f"/api/v1/sources/{source}/subscription-metrics/").status_code == 404
    assert alice_api.get(f"/api/v1/imports/{job['id']}/").status_code == 200
