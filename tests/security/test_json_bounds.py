"""JSON bodies are bounded in size and nesting (issue 19, finding 10).

``[`` × 200,000 once reached Python's recursion limit inside the parser and answered 500;
any body was read whole, whatever its length. Both now answer 400 with the API's error
body (``{"detail": ...}``), before any view runs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from config import json_bounds

CALCULATOR = "/api/v1/calculator/"


def _post(client: APIClient, body: str | bytes) -> tuple[int, dict[str, Any]]:
    client.raise_request_exception = False
    response = client.post(CALCULATOR, data=body, content_type="application/json")
    payload: dict[str, Any] = response.json()
    return response.status_code, payload


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[" * 200_000, '{"a":' * 100_000, "[" * 200_000 + "]" * 200_000])
def test_deeply_nested_json_is_a_400_for_the_anonymous_calculator(body: str) -> None:
    status, payload = _post(APIClient(), body)
    assert status == 400
    # The API's typed error (issue 20): a message and a stable code.
    assert set(payload) == {"detail", "code"}
    assert payload["code"] == "parse_error"


@pytest.mark.django_db
def test_json_nested_past_the_limit_is_refused_even_below_the_recursion_limit() -> None:
    depth = json_bounds.MAX_DEPTH + 1
    status, payload = _post(APIClient(), "[" * depth + "]" * depth)
    assert status == 400
    # The API's typed error (issue 20): a message and a stable code.
    assert set(payload) == {"detail", "code"}
    assert payload["code"] == "parse_error"


@pytest.mark.django_db
def test_json_within_the_limits_still_reaches_the_view() -> None:
    depth = json_bounds.MAX_DEPTH
    status, payload = _post(APIClient(), "[" * depth + "]" * depth)
    assert status == 400
    assert "detail" not in payload  # the serializer's own errors


@pytest.mark.django_db
@override_settings(API_JSON_MAX_BYTES=1000)
def test_a_json_body_over_the_size_limit_is_refused_unread() -> None:
    body = '{"x": "' + "a" * 5000 + '"}'
    status, payload = _post(APIClient(), body)
    assert status == 400
    # The API's typed error (issue 20): a message and a stable code.
    assert set(payload) == {"detail", "code"}
    assert payload["code"] == "parse_error"


def test_the_depth_of_a_parsed_document_is_measured_without_recursion() -> None:
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]
    assert json_bounds.depth_over(nested, limit=10)
    assert not json_bounds.depth_over({"a": [1, {"b": []}]}, limit=4)
    assert json_bounds.depth_over({"a": [1, {"b": []}]}, limit=3)


def test_loads_refuses_what_is_too_deep_or_too_large() -> None:
    with pytest.raises(json_bounds.JSONTooLarge):
        json_bounds.loads("[" * 200_000)
    with pytest.raises(json_bounds.JSONTooLarge):
        json_bounds.loads("[1]" + " " * 100, max_chars=50)
    assert json_bounds.loads('{"a": 0.1}') == {"a": Decimal("0.1")}
