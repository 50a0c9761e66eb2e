"""/api/v1/customers/, /api/v1/billing-subscriptions/, /api/v1/subscription-pauses/ and
/api/v1/sources/{id}/subscription-metrics/ (issue 23): create, list, filter, change and
delete one's own billing data; another user's is a 404 (or a 400 where an id is sent);
a source that is not a subscription business takes none; the metrics answer figures
that can be checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months
from income import services
from income.models import BillingSubscription, Customer, IncomeSource, SubscriptionPause
from tests.factories import SourceFactory, category

D = Decimal


@pytest.fixture
def club(alice: User) -> IncomeSource:
    return SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), currency="CHF"
    )


@pytest.fixture
def customer(alice: User, club: IncomeSource) -> Customer:
    return services.customer_create(owner=alice, source=club, external_id="cus_1", name="Ada")


@pytest.fixture
def subscription(alice: User, customer: Customer) -> BillingSubscription:
    return services.billing_subscription_create(
        owner=alice, customer=customer, amount=D("10.00"), started=date(2025, 1, 1)
    )


def subscription_body(customer: Customer, **overrides: Any) -> dict[str, Any]:
    return {
        "customer": customer.pk, "external_id": "sub_1", "plan": "Gold", "amount": "120.00",
        "interval": "year", "started": "2025-02-01", **overrides,
    }  # fmt: skip


# ----------------------------------------------------------------------------- customers


def test_a_customer_is_recorded_listed_changed_and_deleted(
    alice_api: APIClient, club: IncomeSource
) -> None:
    body = {"source": club.pk, "external_id": "cus_9", "name": "Grace"}
    created = alice_api.post("/api/v1/customers/", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert {k: row[k] for k in ("source", "external_id", "name")} == body
    listed = alice_api.get(f"/api/v1/customers/?source={club.pk}").json()
    assert [item["id"] for item in listed["results"]] == [row["id"]]
    url = f"/api/v1/customers/{row['id']}/"
    changed = alice_api.patch(url, {"name": "Grace Hopper"}, format="json")
    assert changed.status_code == 200, changed.content
    assert alice_api.get(url).json()["name"] == "Grace Hopper"
    assert alice_api.delete(url).status_code == 204
    assert not Customer.objects.exists()


def test_a_customer_on_a_source_that_is_no_subscription_business_is_a_400_on_source(
    alice: User, alice_api: APIClient
) -> None:
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_api.post(
        "/api/v1/customers/", {"source": etf.pk, "external_id": "cus_1"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    assert not Customer.objects.exists()


def test_a_duplicate_customer_id_is_a_400_on_it(
    alice_api: APIClient, club: IncomeSource, customer: Customer
) -> None:
    response = alice_api.post(
        "/api/v1/customers/", {"source": club.pk, "external_id": "cus_1"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["external_id"]
    assert Customer.objects.count() == 1


def test_another_users_customer_is_a_404_and_stays(bob_api: APIClient, customer: Customer) -> None:
    url = f"/api/v1/customers/{customer.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"name": "Mallory"}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get("/api/v1/customers/").json()["results"] == []
    customer.refresh_from_db()
    assert customer.name == "Ada"


def test_a_customer_on_another_users_source_is_refused(
    bob_api: APIClient, club: IncomeSource
) -> None:
    response = bob_api.post(
        "/api/v1/customers/", {"source": club.pk, "external_id": "cus_1"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    assert not Customer.objects.exists()


# ----------------------------------------------------------------------------- subscriptions


def test_a_subscription_is_recorded_listed_changed_and_deleted(
    alice_api: APIClient, club: IncomeSource, customer: Customer
) -> None:
    created = alice_api.post(
        "/api/v1/billing-subscriptions/", subscription_body(customer), format="json"
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert {k: row[k] for k in ("customer", "source", "amount", "currency", "interval")} == {
        "customer": customer.pk, "source": club.pk, "amount": "120.00",
        "currency": "CHF",  # the source's: none was sent
        "interval": "year",
    }  # fmt: skip
    for query in (f"customer={customer.pk}", f"source={club.pk}"):
        listed = alice_api.get(f"/api/v1/billing-subscriptions/?{query}").json()
        assert [item["id"] for item in listed["results"]] == [row["id"]], query
    url = f"/api/v1/billing-subscriptions/{row['id']}/"
    changed = alice_api.patch(url, {"quantity": 3, "ended": "2025-12-01"}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["quantity"], changed.json()["ended"]) == (3, "2025-12-01")
    assert alice_api.delete(url).status_code == 204
    assert not BillingSubscription.objects.exists()


def test_a_duplicate_subscription_id_of_a_customer_is_a_400_on_it(
    alice_api: APIClient, customer: Customer
) -> None:
    first = alice_api.post(
        "/api/v1/billing-subscriptions/", subscription_body(customer), format="json"
    )
    assert first.status_code == 201, first.content
    again = alice_api.post(
        "/api/v1/billing-subscriptions/", subscription_body(customer), format="json"
    )
    assert again.status_code == 400
    assert list(again.json()) == ["external_id"]
    assert BillingSubscription.objects.count() == 1


def test_another_users_subscription_is_a_404_and_stays(
    bob_api: APIClient, subscription: BillingSubscription
) -> None:
    url = f"/api/v1/billing-subscriptions/{subscription.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"amount": "1.00"}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get("/api/v1/billing-subscriptions/").json()["results"] == []
    subscription.refresh_from_db()
    assert subscription.amount == D("10.00")


def test_a_subscription_of_another_users_customer_is_refused(
    bob_api: APIClient, customer: Customer
) -> None:
    response = bob_api.post(
        "/api/v1/billing-subscriptions/", subscription_body(customer), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["customer"]
    assert bob_api.get(f"/api/v1/billing-subscriptions/?customer={customer.pk}").status_code == (
        400
    )
    assert not BillingSubscription.objects.exists()


# ----------------------------------------------------------------------------- pauses


def test_a_pause_is_recorded_listed_and_deleted_but_not_changed(
    alice_api: APIClient, subscription: BillingSubscription
) -> None:
    body = {"subscription": subscription.pk, "starts": "2025-03-01", "ends": "2025-05-01"}
    created = alice_api.post("/api/v1/subscription-pauses/", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert {k: row[k] for k in ("subscription", "starts", "ends")} == body
    listed = alice_api.get(f"/api/v1/subscription-pauses/?subscription={subscription.pk}")
    assert [item["id"] for item in listed.json()["results"]] == [row["id"]]
    url = f"/api/v1/subscription-pauses/{row['id']}/"
    assert alice_api.patch(url, {"ends": None}, format="json").status_code == 405
    assert alice_api.put(url, body, format="json").status_code == 405
    assert alice_api.delete(url).status_code == 204
    assert not SubscriptionPause.objects.exists()


def test_a_pause_before_the_subscription_started_is_a_400_on_starts(
    alice_api: APIClient, subscription: BillingSubscription
) -> None:
    body = {"subscription": subscription.pk, "starts": "2024-12-01"}
    response = alice_api.post("/api/v1/subscription-pauses/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["starts"]
    assert not SubscriptionPause.objects.exists()


def test_another_users_pause_is_a_404_and_their_subscription_is_refused(
    alice: User, bob_api: APIClient, subscription: BillingSubscription
) -> None:
    pause = services.subscription_pause_create(
        owner=alice, subscription=subscription, starts=date(2025, 3, 1)
    )
    url = f"/api/v1/subscription-pauses/{pause.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.delete(url).status_code == 404
    body = {"subscription": subscription.pk, "starts": "2025-06-01"}
    refused = bob_api.post("/api/v1/subscription-pauses/", body, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["subscription"]
    assert SubscriptionPause.objects.count() == 1


# ----------------------------------------------------------------------------- metrics


def test_the_metrics_answer_figures_checked_by_hand(
    alice: User, alice_api: APIClient, club: IncomeSource
) -> None:
    """Three customers in the source's currency, which is alice's base too (EUR):

    - A pays 10.00 a month from the first of the month two months ago (M-2): MRR 10.00;
    - C pays 5.00 a month from the same day and ended on the first of last month (M-1);
    - B pays 120.00 a year from the first of M-1: MRR 120.00 ÷ 12 = 10.00.

    At the month ends: M-2 is 15.00 (A + C, both new), M-1 is 20.00 (B new +10.00, C
    churned −5.00, from 15.00), this month (to date) 20.00 with A and B paying. So
    MRR 20.00, ARR 240.00, ARPA 20.00 ÷ 2 = 10.00. The last complete month is M-1:
    customer churn 1 ÷ 2 = 0.5, gross and net MRR churn 5 ÷ 15 = 0.3333, quick ratio
    10 ÷ 5 = 2. Over M-2 and M-1, 1 churned of 0 + 2 at the months' starts: LTV =
    ARPA 10.00 ÷ 0.5 = 20.00; three joined in two months: 1.5 new a month.
    """
    IncomeSource.objects.filter(pk=club.pk).update(currency="EUR")
    club.refresh_from_db()
    this_month = timezone.localdate().replace(day=1)
    two_ago, one_ago = add_months(this_month, -2), add_months(this_month, -1)
    customers = {
        name: services.customer_create(owner=alice, source=club, external_id=name)
        for name in ("A", "B", "C")
    }
    for name, amount, interval, started, ended in (
        ("A", "10.00", "month", two_ago, None),
        ("C", "5.00", "month", two_ago, one_ago),
        ("B", "120.00", "year", one_ago, None),
    ):
        services.billing_subscription_create(
            owner=alice, customer=customers[name], amount=D(amount), interval=interval,
            started=started, ended=ended,
        )  # fmt: skip

    response = alice_api.get(f"/api/v1/sources/{club.pk}/subscription-metrics/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in (
        "currency", "figures_from", "customers", "paying", "mrr", "arr", "arpa", "ltv", "nrr",
        "complete_month", "customer_churn", "gross_mrr_churn", "net_mrr_churn", "quick_ratio",
        "missing_rates",
    )} == {
        "currency": "EUR", "figures_from": "billing", "customers": 3, "paying": 2,
        "mrr": "20.00", "arr": "240.00", "arpa": "10.00", "ltv": "20.00", "nrr": None,
        "complete_month": one_ago.isoformat(), "customer_churn": "0.5000",
        "gross_mrr_churn": "0.3333", "net_mrr_churn": "0.3333", "quick_ratio": "2.0000",
        "missing_rates": [],
    }  # fmt: skip
    assert [
        (m["month"], m["mrr_start"], m["new"], m["churn"], m["mrr_end"], m["net_new"])
        for m in body["months"]
    ] == [
        (two_ago.isoformat(), "0.00", "15.00", "0.00", "15.00", "15.00"),
        (one_ago.isoformat(), "15.00", "10.00", "5.00", "20.00", "5.00"),
        (this_month.isoformat(), "20.00", "0.00", "0.00", "20.00", "0.00"),
    ]
    assert body["months"][1]["churned_customers"] == 1
    assert body["cohorts"] == [
        {
            "month": two_ago.isoformat(), "customers": [2, 1, 1],
            "mrr": ["15.00", "10.00", "10.00"],
            "customers_retained": ["1.0000", "0.5000", "0.5000"],
            "mrr_retained": ["1.0000", "0.6667", "0.6667"],
        },
        {
            "month": one_ago.isoformat(), "customers": [1, 1], "mrr": ["10.00", "10.00"],
            "customers_retained": ["1.0000", "1.0000"], "mrr_retained": ["1.0000", "1.0000"],
        },
    ]  # fmt: skip
    assert body["model"] == {
        "subscribers": 2, "new_per_month": "1.50", "churn_rate": "0.5000", "price": "10.00"
    }  # fmt: skip
    assert body["steady_state"] == 3  # 1.5 new a month ÷ 0.5 churn


def test_a_source_without_customers_answers_its_figures_come_from_its_periods(
    alice: User, alice_api: APIClient
) -> None:
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_api.get(f"/api/v1/sources/{etf.pk}/subscription-metrics/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["figures_from"], body["mrr"], body["months"], body["cohorts"]) == (
        "periods", "0.00", [], [],
    )  # fmt: skip
    assert (body["model"], body["complete_month"], body["arpa"]) == (None, None, None)
    assert body["steady_state"] is None


def test_another_users_source_metrics_are_a_404(bob_api: APIClient, club: IncomeSource) -> None:
    assert bob_api.get(f"/api/v1/sources/{club.pk}/subscription-metrics/").status_code == 404


# ----------------------------------------------------------------------------- schema


def test_the_schema_documents_the_billing_resources(api_client: APIClient, db: None) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/customers/{id}/",
        "/api/v1/billing-subscriptions/{id}/",
        "/api/v1/subscription-pauses/{id}/",
        "/api/v1/sources/{id}/subscription-metrics/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/subscription-pauses/{id}/"]) == {"get", "delete"}
    filters = {p["name"] for p in paths["/api/v1/billing-subscriptions/"]["get"]["parameters"]}
    assert {"customer", "source"} <= filters
    metrics = schema["components"]["schemas"]["SubscriptionMetrics"]["properties"]
    assert {"mrr", "nrr", "months", "cohorts", "model", "figures_from"} <= set(metrics)
