"""A calculator result saved as a scenario over the API reproduces POST /api/v1/calculator/
(PRODUCT.md §4 "Saved calculations"; issue 17, item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from scenarios.models import Scenario
from tests.factories import ScenarioFactory

CALCULATOR: dict[str, Any] = {
    "initial_investment": "10000",
    "annual_return": "0.05",
    "investment_period": 10,
    "tax_rate": "0.15",
    "additional_income": "1000",
}


def scenario_body(inputs: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A calculator's inputs as a mobile client saves them (the Scenario schema says how)."""
    return {
        "name": "Calculator",
        "starting_capital": inputs["initial_investment"],
        "annual_return": inputs["annual_return"],
        "horizon_years": inputs["investment_period"],
        "tax_rate": inputs["tax_rate"],
        "one_off_income": inputs["additional_income"],
        "tax_timing": "at_end",
        "inflation": "0",
        **overrides,
    }


def save_and_project(client: APIClient, inputs: dict[str, Any]) -> dict[str, Any]:
    created = client.post("/api/v1/scenarios/", scenario_body(inputs), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["tax_timing"] == "at_end"
    response = client.get(f"/api/v1/scenarios/{created.json()['id']}/projection/")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def test_the_seeds_example_saved_over_the_api_gives_the_calculators_figures(
    alice_api: APIClient, alice: User
) -> None:
    calculator = alice_api.post("/api/v1/calculator/", CALCULATOR, format="json").json()
    projection = save_and_project(alice_api, CALCULATOR)
    # 10,000 × 1.05^10 = 16,288.95; gross 6,288.95; 6,288.95 × 0.85 = 5,345.61 (tax 943.34);
    # net 5,345.61 + 1,000 = 6,345.61 — before, the scenario said 15,162.13 (tax every year)
    assert projection["final_capital"] == calculator["final_capital"] == "16288.95"
    assert projection["calculation"] == {
        "final_capital": calculator["final_capital"],
        "gross_income": calculator["gross_income"],
        "tax": calculator["tax"],
        "net_income": calculator["net_income"],
    }
    assert projection["calculation"]["net_income"] == "6345.61"
    assert projection["total_net_income"] == "6345.61"
    years = projection["years"]
    assert [row["capital_end"] for row in years] == [row["capital"] for row in calculator["yearly"]]
    assert [row["tax"] for row in years] == ["0.00"] * 9 + ["943.34"]


@pytest.mark.parametrize(
    "inputs",
    [
        {**CALCULATOR, "annual_return": "-0.05", "investment_period": 3},  # a loss: no tax
        {**CALCULATOR, "initial_investment": "2500.50", "tax_rate": "0.26375"},
        {**CALCULATOR, "annual_return": "0.123456", "investment_period": 40, "tax_rate": "1"},
    ],
)
def test_any_saved_calculation_equals_the_calculator(
    alice_api: APIClient, alice: User, inputs: dict[str, Any]
) -> None:
    calculator = alice_api.post("/api/v1/calculator/", inputs, format="json").json()
    projection = save_and_project(alice_api, inputs)
    assert projection["final_capital"] == calculator["final_capital"]
    for key in ("gross_income", "tax", "net_income"):
        assert projection["calculation"][key] == calculator[key], key


def test_a_scenario_taxed_every_year_has_no_calculation(alice_api: APIClient, alice: User) -> None:
    scenario = ScenarioFactory.create(owner=alice, horizon_years=2)
    projection = alice_api.get(f"/api/v1/scenarios/{scenario.pk}/projection/").json()
    assert projection["calculation"] is None
    assert alice_api.get(f"/api/v1/scenarios/{scenario.pk}/").json()["tax_timing"] == "yearly"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("monthly_contribution", "100.00"),
        ("compounding", "monthly"),
        ("payout", True),
        ("additional_yearly_income", "1200.00"),
    ],
)
def test_a_saved_calculation_with_what_the_calculator_lacks_is_a_400(
    alice_api: APIClient, alice: User, field: str, value: Any
) -> None:
    response = alice_api.post(
        "/api/v1/scenarios/", scenario_body(CALCULATOR, **{field: value}), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "taxed once at the end" in response.json()[field][0]
    assert not Scenario.objects.exists()


def test_a_one_off_income_needs_the_tax_at_the_end(alice_api: APIClient, alice: User) -> None:
    response = alice_api.post(
        "/api/v1/scenarios/", scenario_body(CALCULATOR, tax_timing="yearly"), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["one_off_income"]
    assert not Scenario.objects.exists()


def test_switching_a_saved_calculation_to_yearly_tax_is_refused_until_the_one_off_goes(
    alice_api: APIClient, alice: User
) -> None:
    created = alice_api.post("/api/v1/scenarios/", scenario_body(CALCULATOR), format="json")
    url = f"/api/v1/scenarios/{created.json()['id']}/"
    assert alice_api.patch(url, {"tax_timing": "yearly"}, format="json").status_code == 400
    assert Scenario.objects.get().tax_timing == "at_end"
    response = alice_api.patch(url, {"tax_timing": "yearly", "one_off_income": "0"}, format="json")
    assert response.status_code == 200
    # 10,000 × (1 + 0.05 × 0.85)^10 = 10,000 × 1.0425^10 = 15,162.13: the tax every year
    assert alice_api.get(f"{url}projection/").json()["final_capital"] == "15162.13"


def test_a_clone_of_a_saved_calculation_is_one_too(alice_api: APIClient, alice: User) -> None:
    created = alice_api.post("/api/v1/scenarios/", scenario_body(CALCULATOR), format="json")
    clone = alice_api.post(f"/api/v1/scenarios/{created.json()['id']}/clone/").json()
    assert (clone["tax_timing"], clone["one_off_income"]) == ("at_end", "1000.00")
    projection = alice_api.get(f"/api/v1/scenarios/{clone['id']}/projection/").json()
    assert projection["calculation"]["net_income"] == "6345.61"


def test_compare_shows_the_calculation_beside_a_yearly_plan(
    alice_api: APIClient, alice: User
) -> None:
    saved = alice_api.post("/api/v1/scenarios/", scenario_body(CALCULATOR), format="json").json()
    yearly = ScenarioFactory.create(owner=alice, horizon_years=10)
    body = alice_api.get(f"/api/v1/scenarios/compare/?ids={saved['id']},{yearly.pk}").json()
    first, second = body["scenarios"]
    assert first["final_capital"] == "16288.95"
    assert first["calculation"]["net_income"] == "6345.61"
    assert second["calculation"] is None


def test_scenarios_filter_by_tax_timing(alice_api: APIClient, alice: User) -> None:
    alice_api.post("/api/v1/scenarios/", scenario_body(CALCULATOR), format="json")
    ScenarioFactory.create(owner=alice)
    found = alice_api.get("/api/v1/scenarios/?tax_timing=at_end").json()["results"]
    assert [row["name"] for row in found] == ["Calculator"]


def test_the_schema_documents_the_tax_timing_and_the_calculation(
    api_client: APIClient, db: None
) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    scenario = components["Scenario"]
    assert "calculator" in scenario["description"]
    assert "taxed once at the end" in scenario["properties"]["tax_timing"]["description"]
    assert "one_off_income" in scenario["properties"]
    assert "calculator" in scenario["properties"]["one_off_income"]["description"]
    calculation = components["Projection"]["properties"]["calculation"]
    assert "at_end" in str(calculation)
