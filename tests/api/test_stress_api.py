"""POST /api/v1/scenarios/stress-test/ answers the long run (issue #17 item 10): the
path before and after over 36 months, and whether the shocks end an independence."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months, month_start
from income.models import Profile
from tests.factories import SourceFactory, category


def _steady_club(owner: User) -> None:
    """100 subscribers at 10, 5 new and 5 % churn a month: 1000.00 a month for ever."""
    SourceFactory.create(
        owner=owner, name="Club", category=category("membership"), tax_rate=Decimal(0),
        price_per_subscriber=Decimal(10), current_subscribers=100, new_subscribers_per_month=5,
        monthly_churn_rate=Decimal("0.05"),
    )  # fmt: skip


def test_the_stress_test_answers_the_path_and_the_end_of_independence(
    alice_api: APIClient, alice: User
) -> None:
    Profile.objects.filter(user=alice).update(monthly_expenses=Decimal(900))
    _steady_club(alice)
    this_month = month_start(timezone.localdate())
    response = alice_api.post(
        "/api/v1/scenarios/stress-test/", {"churn_spike": "0.05", "inflation": "0"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    path = body["path"]
    # Churn 0.10: subscribers 50 + 50 × 0.9^n → month 1: 950.00, month 36: 511.26.
    assert len(path) == 36
    assert path[0] == {
        "month": this_month.isoformat(),
        "net_before": "1000.00",
        "net_after": "950.00",
        "expenses": "900.00",
    }
    assert path[35]["month"] == add_months(this_month, 35).isoformat()
    assert (path[35]["net_before"], path[35]["net_after"]) == ("1000.00", "511.26")
    # 1000 covers 900 now; after the spike 950, 905, then 864.50 < 900 in month 3.
    assert body["independent_now"] is True
    assert body["independence_before"] == this_month.isoformat()
    assert body["independence_ends_before"] is None
    assert body["independence_ends_after"] == add_months(this_month, 2).isoformat()
    assert (body["monthly_net_before"], body["monthly_net_after"]) == ("1000.00", "950.00")


def test_without_expenses_nothing_is_independent(alice_api: APIClient, alice: User) -> None:
    _steady_club(alice)
    body = alice_api.post(
        "/api/v1/scenarios/stress-test/", {"churn_spike": "0.05"}, format="json"
    ).json()
    assert body["independent_now"] is False
    assert body["independence_ends_after"] is None
    assert {month["expenses"] for month in body["path"]} == {"0.00"}


def test_the_schema_explains_the_path_and_the_new_fields(api_client: APIClient, db: None) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "components"
    ]["schemas"]
    result = schema["StressResult"]["properties"]
    assert "36 months" in result["path"]["description"]
    assert "falls below the expenses" in result["independence_ends_after"]["description"]
    assert "already covers" in result["independent_now"]["description"]
    month = schema["StressMonth"]["properties"]
    assert set(month) == {"month", "net_before", "net_after", "expenses"}
    assert "grown with the inflation" in month["expenses"]["description"]
