"""/api/v1/scenarios/: saved plans of the caller, with linked sources that must be theirs."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, category


def body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "ETF savings plan",
        "starting_capital": "10000.00",
        "monthly_contribution": "500.00",
        "annual_return": "0.06",
        "compounding": "monthly",
        "horizon_years": 25,
        "target_monthly_income": "2000.00",
        "volatility": "0.15",
        **overrides,
    }


def test_a_scenario_is_created_with_the_callers_sources(alice_api: APIClient, alice: User) -> None:
    flat = SourceFactory.create(owner=alice)
    response = alice_api.post("/api/v1/scenarios/", body(sources=[flat.pk]), format="json")
    assert response.status_code == 201, response.content
    scenario = Scenario.objects.get()
    assert scenario.owner == alice
    assert list(scenario.sources.all()) == [flat]
    assert response.json()["annual_return"] == "0.060000"


def test_another_users_source_cannot_be_linked(alice_api: APIClient, bob: User) -> None:
    response = alice_api.post(
        "/api/v1/scenarios/", body(sources=[SourceFactory.create(owner=bob).pk]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["sources"]
    assert Scenario.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("horizon_years", 0),
        ("horizon_years", 101),
        ("annual_return", "-1"),
        ("annual_return", "10.5"),
        ("starting_capital", "-1"),
        ("compounding", "daily"),
        ("volatility", "NaN"),
        ("inflation", "1.5"),
    ],
)
def test_bad_inputs_are_400(alice_api: APIClient, alice: User, field: str, value: Any) -> None:
    response = alice_api.post("/api/v1/scenarios/", body(**{field: value}), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Scenario.objects.count() == 0


def test_clone_copies_inputs_and_links(alice_api: APIClient, alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    original = ScenarioFactory.create(owner=alice, name="Base", sources=[source])
    response = alice_api.post(f"/api/v1/scenarios/{original.pk}/clone/")
    assert response.status_code == 201
    copy = response.json()
    assert copy["name"] == "Base (copy)"
    assert copy["id"] != original.pk
    assert copy["sources"] == [source.pk]
    assert copy["monthly_contribution"] == "250.00"


def test_the_list_has_only_the_callers_scenarios(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    ScenarioFactory.create(owner=alice)
    ScenarioFactory.create(owner=bob)
    assert alice_api.get("/api/v1/scenarios/").json()["count"] == 1


def test_updating_clears_the_stored_result(alice_api: APIClient, alice: User) -> None:
    scenario = ScenarioFactory.create(owner=alice)
    Scenario.objects.filter(pk=scenario.pk).update(result={"final_capital": "1.00"})
    response = alice_api.patch(
        f"/api/v1/scenarios/{scenario.pk}/", {"horizon_years": 30}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["result"] == {}


def test_the_projection_of_the_seeds_plan_matches_the_calculator(
    alice_api: APIClient, alice: User
) -> None:
    scenario = ScenarioFactory.create(
        owner=alice, starting_capital=Decimal("10000"), monthly_contribution=Decimal(0),
        annual_return=Decimal("0.05"), compounding="yearly", horizon_years=10, inflation=Decimal(0),
    )  # fmt: skip
    body = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/projection/").json()
    assert body["final_capital"] == "16288.95"  # the seed's 10,000 × 1.05^10
    assert len(body["years"]) == 10
    assert "months" not in body
    assert body["fan"] is None
    scenario.refresh_from_db()
    assert scenario.result["final_capital"] == "16288.95"
    monthly = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/projection/?months=1").json()
    assert len(monthly["months"]) == 120


def test_a_volatile_scenario_has_a_reproducible_fan(alice_api: APIClient, alice: User) -> None:
    scenario = ScenarioFactory.create(owner=alice, volatility=Decimal("0.15"), horizon_years=5)
    first = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/projection/").json()["fan"]
    second = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/projection/").json()["fan"]
    assert first == second
    assert len(first["capital_p50"]) == 60
    assert all(
        Decimal(low) <= Decimal(mid) <= Decimal(high)
        for low, mid, high in zip(
            first["capital_p10"], first["capital_p50"], first["capital_p90"], strict=True
        )
    )


def test_linked_sources_add_their_income(alice_api: APIClient, alice: User) -> None:
    flat = SourceFactory.create(
        owner=alice, category=category("rent"), monthly_rent=Decimal("1000"),
        monthly_running_costs=Decimal("100"),
    )  # fmt: skip
    bare = ScenarioFactory.create(owner=alice, horizon_years=2)
    linked = ScenarioFactory.create(owner=alice, horizon_years=2, sources=[flat])
    without = alice_api.get(f"/api/v1/scenarios/{bare.pk}/projection/").json()
    with_flat = alice_api.get(f"/api/v1/scenarios/{linked.pk}/projection/").json()
    # 1000 rent − 100 running costs = 900 a month, no tax: 10,800 a year more
    assert Decimal(with_flat["years"][0]["sources_net"]) == Decimal("10800.00")
    assert Decimal(without["years"][0]["sources_net"]) == Decimal(0)


def test_compare_takes_up_to_four_own_scenarios(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    mine = [ScenarioFactory.create(owner=alice, horizon_years=3) for _ in range(5)]
    ids = ",".join(str(s.pk) for s in mine[:2])
    body = alice_api.get(f"/api/v1/scenarios/compare/?ids={ids}").json()
    assert [row["scenario"] for row in body["scenarios"]] == [mine[0].pk, mine[1].pk]
    five = ",".join(str(s.pk) for s in mine)
    assert alice_api.get(f"/api/v1/scenarios/compare/?ids={five}").status_code == 400
    assert alice_api.get("/api/v1/scenarios/compare/?ids=x").status_code == 400
    bobs = ScenarioFactory.create(owner=bob)
    response = alice_api.get(f"/api/v1/scenarios/compare/?ids={mine[0].pk},{bobs.pk}")
    assert response.status_code == 404


def test_the_stress_test_shows_before_and_after(alice_api: APIClient, alice: User) -> None:
    SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), monthly_rent=Decimal("1000"),
    )  # fmt: skip
    response = alice_api.post("/api/v1/scenarios/stress-test/", {"vacancy": "0.25"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    # 1000 rent before; a quarter vacant after: 750
    assert (body["monthly_net_before"], body["monthly_net_after"]) == ("1000.00", "750.00")
    assert body["sources"] == [
        {"name": "Flat", "monthly_net_before": "1000.00", "monthly_net_after": "750.00"}
    ]
    bad = alice_api.post("/api/v1/scenarios/stress-test/", {"vacancy": "1.5"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["vacancy"]


def test_plan_vs_actual_flags_a_source_three_months_behind(
    alice_api: APIClient, alice: User
) -> None:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    blog = SourceFactory.create(
        owner=alice, name="Blog", category=category("affiliate"),
        expected_monthly_amount=Decimal("400"), start_date=date(2020, 1, 1),
    )  # fmt: skip
    scenario = ScenarioFactory.create(owner=alice, sources=[blog])
    Scenario.objects.filter(pk=scenario.pk).update(
        created_at=timezone.make_aware(datetime.combine(add_months(this_month, -4), time(12)))
    )
    # the plan expects 400 a month; received: 400, then 100, 100, 100
    for back, amount in ((4, "400"), (3, "100"), (2, "100"), (1, "100")):
        PaymentFactory.create(
            source=blog, date=add_months(this_month, -back).replace(day=10), gross=Decimal(amount)
        )
    body = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/plan-vs-actual/").json()
    assert len(body) == 1
    assert body[0]["name"] == "Blog"
    assert [m["behind"] for m in body[0]["months"]] == [False, True, True, True]
    assert body[0]["flagged"] is True
    assert body[0]["shortfall"] == "900.00"


def test_plan_vs_actual_is_documented_as_the_plain_list_it_answers(
    alice_api: APIClient, alice: User
) -> None:
    """Found by stateful fuzzing: the schema promised a page (count, results, limit,
    offset) and the filters of the scenario list, while the answer is a plain list."""
    scenario = ScenarioFactory.create(owner=alice)
    body = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/plan-vs-actual/?limit=1&offset=9")
    assert body.status_code == 200
    assert body.json() == []
    schema = alice_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/scenarios/{id}/plan-vs-actual/"]["get"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"
    assert [p["name"] for p in operation.get("parameters", [])] == ["id"]


def test_compare_documents_the_404_it_answers_for_an_id_not_yours(
    alice_api: APIClient, alice: User, bob: User
) -> None:
    """Found by the schema fuzzer: the ids are in the query, and the 404 was undocumented."""
    mine, theirs = ScenarioFactory.create(owner=alice), ScenarioFactory.create(owner=bob)
    response = alice_api.get(f"/api/v1/scenarios/compare/?ids={mine.pk},{theirs.pk}")
    assert response.status_code == 404
    schema = alice_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "404" in schema["paths"]["/api/v1/scenarios/compare/"]["get"]["responses"]


def test_the_schema_says_when_the_contribution_is_paid(api_client: APIClient, db: None) -> None:
    """Issue #17 item 13: the timing is part of the contract, not only a form's help."""
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    fields = response.json()["components"]["schemas"]["Scenario"]["properties"]
    assert "start of every month" in fields["monthly_contribution"]["description"]
