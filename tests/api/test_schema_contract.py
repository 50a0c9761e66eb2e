"""The schema as a contract a generator can follow (issue 20): one body type per
operation, one error type, the token scheme, and decimals as strict as the server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from income import services
from tests.factories import UserFactory

ERROR_CODES = {"400", "401", "403", "404", "409", "412", "413", "415", "429"}


@pytest.fixture
def schema(api_client: APIClient, db: None) -> dict[str, Any]:
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for operations in schema["paths"].values() for op in operations.values()]


def test_every_body_is_json_or_multipart_alone(schema: dict[str, Any]) -> None:
    for operation in _operations(schema):
        content = list(operation.get("requestBody", {}).get("content", {}))
        assert content in ([], ["application/json"], ["multipart/form-data"]), operation[
            "operationId"
        ]


def test_every_error_answer_refers_to_a_shared_component(schema: dict[str, Any]) -> None:
    for operation in _operations(schema):
        for code, response in operation["responses"].items():
            if code in ERROR_CODES:
                body = response["content"]["application/json"]["schema"]
                assert "$ref" in body, (operation["operationId"], code)
    assert {"Error", "ValidationError"} <= set(schema["components"]["schemas"])


def test_the_token_is_declared_as_a_bearer_scheme(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {**schemes["tokenAuth"], "type": "http", "scheme": "bearer"}
    assert "knoxApiToken" not in schemes


@pytest.mark.parametrize("prefix", ["Token", "Bearer", "bearer"])
def test_the_token_is_taken_with_either_prefix(
    api_client: APIClient, db: None, prefix: str
) -> None:
    token, _expiry = services.api_token_create(user=UserFactory.create())
    api_client.credentials(HTTP_AUTHORIZATION=f"{prefix} {token}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_a_bearer_header_without_a_token_is_refused(api_client: APIClient, db: None) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_a_capital_pattern_rejects_what_the_server_rejects(schema: dict[str, Any]) -> None:
    capital = schema["components"]["schemas"]["SourceRequest"]["properties"]["invested_capital"]
    string, number = capital["oneOf"]  # a decimal string, or a JSON number
    assert number["minimum"] == 0
    pattern = re.compile(string["pattern"])
    for rejected in ("", "-", ".", "-1.00", "1.234"):
        assert not pattern.match(rejected), rejected
    for accepted in ("0", "1.5", "750.00", ".5"):
        assert pattern.match(accepted), accepted


def test_limit_ordering_and_as_of_are_documented(schema: dict[str, Any]) -> None:
    payments = schema["paths"]["/api/v1/payments/"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter for parameter in payments}
    assert "at most" in by_name["limit"]["description"]
    assert "slug" in by_name["category"]["description"]
    sources = schema["paths"]["/api/v1/sources/"]["get"]["parameters"]
    ordering = next(p for p in sources if p["name"] == "ordering")
    # A comma-separated list of keys, each optionally descending (issue 20: the server
    # takes lists, and a generated client sends one string).
    keys = re.compile(ordering["schema"]["pattern"])
    for accepted in ("name", "-name", "start_date", "-start_date", "name,-start_date"):
        assert keys.fullmatch(accepted), accepted
    for refused in ("nope", "--name", "name,", "name,,start_date"):
        assert not keys.fullmatch(refused), refused
    dashboard = schema["paths"]["/api/v1/dashboard/"]["get"]["parameters"]
    assert "1900-01-01" in next(p for p in dashboard if p["name"] == "as_of")["description"]
