"""What the schema allows the server takes, and what it forbids the server refuses with a
400 naming the parameter (issue 20: schemathesis' positive and negative data checks).

One test per kind of mismatch found: a pagination value DRF silently replaced by its
default, an ordering key or boolean it ignored, a list field that took an object, a
comparison or day parameter parsed more loosely than written. Each checks both sides:
the schema's words, and the server's answer to a value on each side of them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from scenarios.models import Scenario
from scenarios.services import scenario_create
from tests.factories import PaymentFactory, SourceFactory


@pytest.fixture(scope="module")
def schema(schema_document: dict[str, Any]) -> dict[str, Any]:
    return schema_document


def parameter(schema: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    parameters = schema["paths"][path]["get"]["parameters"]
    found: dict[str, Any] = next(p for p in parameters if p["name"] == name)
    return found


# ----------------------------------------------------------------------------- pagination


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=-1", "limit=false", "limit=", "limit=1.5", "offset=-1", "offset=null"],
)
def test_a_limit_below_1_or_an_offset_below_0_is_a_400(
    alice: User, alice_api: APIClient, query: str
) -> None:
    response = alice_api.get(f"/api/v1/payments/?{query}")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {query.split("=")[0]}


def test_the_schema_declares_the_bounds_the_server_checks(schema: dict[str, Any]) -> None:
    assert parameter(schema, "/api/v1/payments/", "limit")["schema"]["minimum"] == 1
    assert parameter(schema, "/api/v1/payments/", "offset")["schema"]["minimum"] == 0


def test_a_limit_above_the_maximum_still_answers_the_maximum_page(
    alice: User, alice_api: APIClient
) -> None:
    response = alice_api.get("/api/v1/payments/?limit=100000&offset=0")
    assert response.status_code == 200


# ----------------------------------------------------------------------------- ordering


def test_ordering_is_documented_as_a_comma_separated_list_of_keys(
    schema: dict[str, Any],
) -> None:
    for path, keys in (
        ("/api/v1/sources/", {"name", "start_date", "created_at", "status"}),
        ("/api/v1/payments/", {"date", "source", "gross", "net", "created_at"}),
    ):
        ordering = parameter(schema, path, "ordering")
        pattern = re.compile(ordering["schema"]["pattern"])
        for key in keys:
            assert pattern.fullmatch(key), (path, key)
            assert pattern.fullmatch(f"-{key}"), (path, key)
        first, second = sorted(keys)[:2]
        assert pattern.fullmatch(f"{first},-{second}")
        for refused in ("nope", f"{first}, {second}", f"{first},,{second}", f"--{first}"):
            assert not pattern.fullmatch(refused), (path, refused)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sources/",
        "/api/v1/payments/",
        "/api/v1/categories/",
        "/api/v1/tax-profiles/",
        "/api/v1/exchange-rates/",
        "/api/v1/scenarios/",
    ],
)
def test_an_unknown_or_malformed_sort_key_is_a_400(
    alice: User, alice_api: APIClient, path: str
) -> None:
    for ordering in ("AAA", "-", "--name", "date, -date"):
        response = alice_api.get(path, {"ordering": ordering})
        assert response.status_code == 400, (path, ordering, response.content)
        assert set(response.json()) == {"ordering"}


def test_a_list_of_sort_keys_sorts_by_each_in_turn(alice: User, alice_api: APIClient) -> None:
    for name, status in (("B", "active"), ("A", "paused"), ("C", "active")):
        SourceFactory.create(owner=alice, name=name, status=status)
    response = alice_api.get("/api/v1/sources/?ordering=status,-name")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["C", "B", "A"]
    source = SourceFactory.create(owner=alice, name="Depot")
    for gross in ("10.00", "30.00", "20.00"):
        PaymentFactory.create(source=source, gross=Decimal(gross))
    payments = alice_api.get("/api/v1/payments/?ordering=-gross").json()["results"]
    assert [row["gross"] for row in payments] == ["30.00", "20.00", "10.00"]


# ----------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/sources/?passive=null",
        "/api/v1/sources/?passive=maybe",
        "/api/v1/categories/?is_passive=0",
        "/api/v1/scenarios/?payout=null",
    ],
)
def test_a_boolean_filter_takes_true_or_false_only(
    alice: User, alice_api: APIClient, query: str
) -> None:
    response = alice_api.get(query)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [query.split("?")[1].split("=")[0]]


def test_a_boolean_filter_still_filters(alice: User, alice_api: APIClient) -> None:
    passive = alice_api.get("/api/v1/categories/?is_passive=true").json()["results"]
    active = alice_api.get("/api/v1/categories/?is_passive=false").json()["results"]
    assert all(row["is_passive"] for row in passive)
    assert not any(row["is_passive"] for row in active)


def test_the_projection_refuses_a_months_that_is_no_boolean(
    alice: User, alice_api: APIClient
) -> None:
    scenario = scenario_create(owner=alice, name="Plan")
    url = f"/api/v1/scenarios/{scenario.pk}/projection/"
    assert alice_api.get(url, {"months": "null"}).status_code == 400
    assert "months" in alice_api.get(url, {"months": "true"}).json()
    assert "months" not in alice_api.get(url, {"months": "false"}).json()


# ----------------------------------------------------------------------------- lists and ids


def test_scenario_sources_must_be_a_list(alice: User, alice_api: APIClient) -> None:
    source = SourceFactory.create(owner=alice)
    scenario = scenario_create(owner=alice, name="Plan", sources=[source])
    response = alice_api.patch(f"/api/v1/scenarios/{scenario.pk}/", {"sources": {}}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"sources"}
    assert list(Scenario.objects.get(pk=scenario.pk).sources.all()) == [source]
    created = alice_api.post("/api/v1/scenarios/", {"name": "B", "sources": {}}, format="json")
    assert created.status_code == 400


def test_compare_ids_are_written_and_read_the_same_way(
    schema: dict[str, Any], alice: User, alice_api: APIClient
) -> None:
    pattern = re.compile(
        parameter(schema, "/api/v1/scenarios/compare/", "ids")["schema"]["pattern"]
    )
    first, second = (scenario_create(owner=alice, name=name) for name in ("A", "B"))
    ids = f"{first.pk},{second.pk}"
    assert pattern.fullmatch(ids)
    assert alice_api.get("/api/v1/scenarios/compare/", {"ids": ids}).status_code == 200
    for refused in ("", f"{first.pk},,{second.pk}", f"{first.pk}, {second.pk}", "0", "1,2,3,4,5"):
        assert not pattern.fullmatch(refused), refused
        response = alice_api.get("/api/v1/scenarios/compare/", {"ids": refused})
        assert response.status_code == 400, (refused, response.content)


def test_as_of_takes_the_days_its_pattern_names(
    schema: dict[str, Any], alice: User, alice_api: APIClient
) -> None:
    pattern = re.compile(parameter(schema, "/api/v1/dashboard/", "as_of")["schema"]["pattern"])
    for day in ("1900-01-01", "2025-06-30", "2999-12-31"):
        assert pattern.fullmatch(day)
        assert alice_api.get("/api/v1/dashboard/", {"as_of": day}).status_code == 200, day
    for day in ("0316-10-31", "3000-01-01", "20250105", "2025-1-5"):
        assert not pattern.fullmatch(day), day
        assert alice_api.get("/api/v1/dashboard/", {"as_of": day}).status_code == 400, day


# ----------------------------------------------------------------------------- empty values


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/exchange-rates/?date__lte=",
        "/api/v1/payments/?date_from=",
        "/api/v1/sources/?status=",
        "/api/v1/asset-values/?source=",
    ],
)
def test_an_empty_date_number_or_choice_filter_is_a_400(
    alice: User, alice_api: APIClient, query: str
) -> None:
    response = alice_api.get(query)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [query.split("?")[1].rstrip("=")]


def test_an_empty_text_filter_is_still_no_filter(alice: User, alice_api: APIClient) -> None:
    assert alice_api.get("/api/v1/payments/?search=&category=").status_code == 200


def test_a_nullable_decimal_says_that_blank_is_null(
    schema: dict[str, Any], alice: User, alice_api: APIClient
) -> None:
    volatility = schema["components"]["schemas"]["ScenarioRequest"]["properties"]["volatility"]
    assert volatility.get("nullable") is True
    assert re.fullmatch(volatility["oneOf"][0]["pattern"], "")  # the string's pattern
    scenario = scenario_create(owner=alice, name="Plan")
    response = alice_api.patch(
        f"/api/v1/scenarios/{scenario.pk}/", {"volatility": ""}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["volatility"] is None
    amount = schema["components"]["schemas"]["PaymentRequest"]["properties"]["gross"]
    assert not re.fullmatch(amount["oneOf"][0]["pattern"], "")
