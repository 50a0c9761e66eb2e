"""/api/v1/costs/ and /api/v1/fund-years/ (issue 22): create, list, filter, change and
delete one's own; another user's is a 404; bad input is a 400 naming the field and
changes nothing; the schema documents both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income import services
from income.models import Cost, FundYear, IncomeSource
from tests.factories import SourceFactory, category

D = Decimal


@pytest.fixture
def flat(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="Flat", category=category("rent"), currency="CHF")


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    source = SourceFactory.create(owner=alice, name="World ETF", category=category("etf-dividends"))
    IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
    source.refresh_from_db()
    return source


def cost_body(source: IncomeSource, **overrides: Any) -> dict[str, Any]:
    return {
        "source": source.pk, "date": "2025-03-01", "kind": "maintenance", "amount": "1200.00",
        **overrides,
    }  # fmt: skip


def year_body(source: IncomeSource, **overrides: Any) -> dict[str, Any]:
    return {
        "source": source.pk, "year": 2025, "units": "120.5", "start_price": "98.1234",
        "end_price": "105.50", **overrides,
    }  # fmt: skip


# ----------------------------------------------------------------------------- costs


def test_a_cost_is_recorded_listed_changed_and_deleted(
    alice_api: APIClient, flat: IncomeSource
) -> None:
    created = alice_api.post("/api/v1/costs/", cost_body(flat, note="Boiler"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("source", "date", "kind", "amount", "currency", "note")} == {
        "source": flat.pk, "date": "2025-03-01", "kind": "maintenance", "amount": "1200.00",
        "currency": "CHF", "note": "Boiler",  # the source's: none was sent
    }  # fmt: skip
    listed = alice_api.get(f"/api/v1/costs/?source={flat.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    url = f"/api/v1/costs/{body['id']}/"
    assert alice_api.get(url).json()["amount"] == "1200.00"
    changed = alice_api.patch(url, {"amount": "-45.10"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["amount"] == "-45.10"
    assert alice_api.delete(url).status_code == 204
    assert not Cost.objects.exists()


def test_costs_filter_by_date_range(alice: User, alice_api: APIClient, flat: IncomeSource) -> None:
    for day in (date(2024, 12, 31), date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 1)):
        services.cost_create(owner=alice, source=flat, date=day, kind="other", amount=D(1))
    listed = alice_api.get("/api/v1/costs/?date_from=2025-01-01&date_to=2025-12-31").json()
    assert [row["date"] for row in listed["results"]] == ["2025-12-31", "2025-01-01"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"kind": "bribes"}, "kind"),
        ({"date": "2025-02-30"}, "date"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_bad_cost_input_is_a_400_that_names_the_field_and_changes_nothing(
    alice_api: APIClient, flat: IncomeSource, overrides: dict[str, str], field: str
) -> None:
    response = alice_api.post("/api/v1/costs/", cost_body(flat, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Cost.objects.exists()


def test_a_capital_source_takes_no_cost(alice: User, alice_api: APIClient) -> None:
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_api.post("/api/v1/costs/", cost_body(etf), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    assert not Cost.objects.exists()


def test_another_users_cost_is_a_404_and_stays(
    alice: User, bob_api: APIClient, flat: IncomeSource
) -> None:
    cost = services.cost_create(
        owner=alice, source=flat, date=date(2025, 1, 2), kind="other", amount=D("10.00")
    )
    url = f"/api/v1/costs/{cost.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"amount": "1"}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get("/api/v1/costs/").json()["results"] == []
    cost.refresh_from_db()
    assert cost.amount == D("10.00")


def test_a_cost_on_another_users_source_is_refused(bob_api: APIClient, flat: IncomeSource) -> None:
    response = bob_api.post("/api/v1/costs/", cost_body(flat), format="json")
    assert response.status_code == 400
    assert "source" in response.json()
    assert not Cost.objects.exists()


# ----------------------------------------------------------------------------- fund years


def test_a_fund_year_is_recorded_listed_changed_and_deleted(
    alice_api: APIClient, etf: IncomeSource
) -> None:
    created = alice_api.post(
        "/api/v1/fund-years/", year_body(etf, bought_on="2025-03-15"), format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("source", "year", "units", "start_price", "bought_on")} == {
        "source": etf.pk, "year": 2025, "units": "120.500000", "start_price": "98.1234",
        "bought_on": "2025-03-15",
    }  # fmt: skip
    url = f"/api/v1/fund-years/{body['id']}/"
    changed = alice_api.patch(url, {"end_price": "110", "bought_on": None}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["end_price"], changed.json()["bought_on"]) == ("110.0000", None)
    assert alice_api.delete(url).status_code == 204
    assert not FundYear.objects.exists()


def test_fund_years_filter_by_source_and_year(
    alice: User, alice_api: APIClient, etf: IncomeSource
) -> None:
    for year in (2023, 2024, 2025):
        services.fund_year_create(
            owner=alice, source=etf, year=year, units=D(1), start_price=D(1), end_price=D(1)
        )
    listed = alice_api.get(f"/api/v1/fund-years/?source={etf.pk}&year=2024").json()
    assert [row["year"] for row in listed["results"]] == [2024]
    everything = alice_api.get("/api/v1/fund-years/").json()
    assert [row["year"] for row in everything["results"]] == [2025, 2024, 2023]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"units": "-1"}, "units"),
        ({"start_price": "abc"}, "start_price"),
        ({"year": 1800}, "year"),
        ({"bought_on": "2024-12-31"}, "bought_on"),  # not in the year
        ({"year": 2024}, "year"),  # recorded already
    ],
)
def test_bad_fund_year_input_is_a_400_that_names_the_field_and_changes_nothing(
    alice: User, alice_api: APIClient, etf: IncomeSource, overrides: dict[str, Any], field: str
) -> None:
    services.fund_year_create(
        owner=alice, source=etf, year=2024, units=D(1), start_price=D(1), end_price=D(1)
    )
    response = alice_api.post("/api/v1/fund-years/", year_body(etf, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert FundYear.objects.count() == 1


def test_a_source_without_a_fund_type_answers_to_set_it(alice: User, alice_api: APIClient) -> None:
    shares = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_api.post("/api/v1/fund-years/", year_body(shares), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["fund_type"]
    assert not FundYear.objects.exists()


def test_another_users_fund_year_is_a_404_and_stays(
    alice: User, bob_api: APIClient, etf: IncomeSource
) -> None:
    recorded = services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D(1), start_price=D(1), end_price=D(1)
    )
    url = f"/api/v1/fund-years/{recorded.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.put(url, year_body(etf), format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get(f"/api/v1/fund-years/?source={etf.pk}").status_code == 400
    assert FundYear.objects.get().units == D(1)


# ----------------------------------------------------------------------------- schema


def test_the_schema_documents_both_resources(api_client: APIClient, db: None) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/costs/", "/api/v1/costs/{id}/", "/api/v1/fund-years/{id}/"):
        assert path in schema["paths"], path
    cost_filters = {p["name"] for p in schema["paths"]["/api/v1/costs/"]["get"]["parameters"]}
    assert {"source", "date_from", "date_to"} <= cost_filters
    year_filters = {p["name"] for p in schema["paths"]["/api/v1/fund-years/"]["get"]["parameters"]}
    assert {"source", "year"} <= year_filters
    cost = schema["components"]["schemas"]["Cost"]["properties"]
    assert {"kind", "amount", "currency"} <= set(cost)
    assert "Vorabpauschale" in schema["paths"]["/api/v1/fund-years/"]["post"]["description"]
