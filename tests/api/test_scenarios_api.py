"""/api/v1/scenarios/: saved plans of the caller, with linked sources that must be theirs."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from scenarios.models import Scenario
from tests.factories import ScenarioFactory, SourceFactory


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
