"""A request body is taken in the JSON types the schema names, no others (issue 20).

Amounts are decimal strings of their pattern or JSON numbers (PRODUCT.md §5), a number
checked as its string is; a boolean is ``true`` or ``false``; text is a string; an id or
a count is an integer. Anything else is a 400 naming the field, and nothing is saved.
"""

from __future__ import annotations

import inspect
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.test import APIClient

from config.api.serializers import StrictInput
from imports.api.serializers import PaymentImportCreateSerializer
from income.models import IncomeSource, Payment, Profile
from tests.factories import PaymentFactory, SourceFactory

CALCULATOR = "/api/v1/calculator/"
SEED = (
    '{"initial_investment": %s, "annual_return": %s, "investment_period": %s, '
    '"tax_rate": %s, "additional_income": %s}'
)


def post_json(client: APIClient, url: str, body: str) -> Any:
    """The body as written: a number's text (``0.125``, ``1e400``, ``NaN``) reaches the
    server as the client spelled it."""
    return client.post(url, body, content_type="application/json")


def patch_json(client: APIClient, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


# ----------------------------------------------------------------------------- decimals


def test_a_decimal_sent_as_a_number_answers_as_its_string_does(api_client: APIClient) -> None:
    as_strings = post_json(
        api_client, CALCULATOR, SEED % ('"10000.5"', '"0.05"', 10, '"0.15"', '"0"')
    )
    as_numbers = post_json(api_client, CALCULATOR, SEED % ("10000.5", "0.05", 10, "0.15", "0"))
    assert as_strings.status_code == 200, as_strings.content
    assert as_numbers.json() == as_strings.json()


def test_a_number_is_saved_as_the_same_decimal_as_its_string(
    alice: User, alice_api: APIClient
) -> None:
    source = SourceFactory.create(owner=alice)
    body = '{"source": %s, "date": "2025-03-0%s", "gross": %s, "tax_withheld": %s}'
    by_number = post_json(alice_api, "/api/v1/payments/", body % (source.pk, 1, "1234.5", "0"))
    by_string = post_json(
        alice_api, "/api/v1/payments/", body % (source.pk, 2, '"1234.50"', '"0.00"')
    )
    assert (by_number.status_code, by_string.status_code) == (201, 201), by_number.content
    assert by_number.json()["gross"] == by_string.json()["gross"] == "1234.50"
    first, second = Payment.objects.order_by("pk")
    assert first.gross == second.gross == Decimal("1234.50")
    assert first.tax_withheld == second.tax_withheld == Decimal("0.00")


@pytest.mark.parametrize("number", ["0.125", "1e-3", "10000000000000", "1e400", "-1e400", "-1"])
def test_a_number_is_refused_as_its_string_is(api_client: APIClient, number: str) -> None:
    """Too many places, too many digits, a huge exponent, below the minimum: the string's
    400 with the string's message, never a 500."""
    by_number = post_json(api_client, CALCULATOR, SEED % (number, "0.05", 10, "0.15", "0"))
    by_string = post_json(api_client, CALCULATOR, SEED % (f'"{number}"', "0.05", 10, "0.15", "0"))
    assert by_number.status_code == 400, by_number.content
    assert list(by_number.json()) == ["initial_investment"]
    if "e" not in number:  # a string with an exponent is refused by the pattern instead
        assert by_number.json() == by_string.json()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "true", "[1]", '{"a": 1}'])
def test_not_a_number_is_refused(api_client: APIClient, literal: str) -> None:
    response = post_json(api_client, CALCULATOR, SEED % (literal, "0.05", 10, "0.15", "0"))
    assert response.status_code == 400, response.content
    assert response.json() == {"initial_investment": ["A valid number is required."]}


@pytest.mark.parametrize("text", ["1e3", " 5", "5 ", "+5", "00000000000000", "0x10", "5,5"])
def test_a_decimal_string_off_its_pattern_is_refused(api_client: APIClient, text: str) -> None:
    """DRF reads ``"1e3"`` and ``" 5"`` as numbers; the schema's pattern does not."""
    response = post_json(api_client, CALCULATOR, SEED % (json.dumps(text), "0.05", 10, "0.15", "0"))
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["initial_investment"]


def test_a_refused_number_changes_nothing(alice: User, alice_api: APIClient) -> None:
    source = SourceFactory.create(owner=alice, invested_capital=Decimal("10.00"))
    response = patch_json(
        alice_api, f"/api/v1/sources/{source.pk}/", {"name": "New", "invested_capital": "0.001"}
    )
    assert response.status_code == 400
    response = alice_api.patch(
        f"/api/v1/sources/{source.pk}/",
        '{"name": "New", "invested_capital": 0.001}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["invested_capital"]
    source.refresh_from_db()
    assert (source.name, source.invested_capital) == (source.name, Decimal("10.00"))
    assert IncomeSource.objects.get(pk=source.pk).name != "New"


# ----------------------------------------------------------------------------- booleans


@pytest.mark.parametrize("value", [0, 1, "yes", "on", "true", "1", None])
def test_a_boolean_takes_json_true_and_false_only(
    alice: User, alice_api: APIClient, value: Any
) -> None:
    response = patch_json(alice_api, "/api/v1/me/", {"weekly_digest": value, "theme": "dark"})
    assert response.status_code == 400, response.content
    expected = "This field may not be null." if value is None else "Must be a valid boolean."
    assert response.json() == {"weekly_digest": [expected]}
    profile = Profile.objects.get(user=alice)
    assert profile.theme != "dark"


@pytest.mark.parametrize("value", [True, False])
def test_a_json_boolean_is_taken(alice: User, alice_api: APIClient, value: bool) -> None:
    response = patch_json(alice_api, "/api/v1/me/", {"weekly_digest": value})
    assert response.status_code == 200, response.content
    assert response.json()["weekly_digest"] is value
    assert Profile.objects.get(user=alice).weekly_digest is value


@pytest.mark.parametrize(("text", "taken"), [("true", True), ("False", False), ("yes", None)])
def test_a_form_boolean_is_true_or_false(
    alice: User, rf: Any, text: str, taken: bool | None
) -> None:
    """A multipart upload sends text: ``true`` or ``false`` as the schema's boolean."""
    request = rf.post("/api/v1/imports/")
    request.user = alice
    data = QueryDict(f"partial={text}")
    serializer = PaymentImportCreateSerializer(data=data, context={"request": request})
    serializer.is_valid()
    if taken is None:
        assert serializer.errors["partial"] == ["Must be a valid boolean."]
    else:
        assert "partial" not in serializer.errors
        assert serializer.errors  # the file is missing: only the boolean was taken


# ----------------------------------------------------------------------------- text and ids


@pytest.mark.parametrize("value", [0, 1.5, True, ["a"], {"a": 1}])
def test_text_takes_a_string_only(alice: User, alice_api: APIClient, value: Any) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice), note="before")
    response = patch_json(alice_api, f"/api/v1/payments/{payment.pk}/", {"note": value})
    assert response.status_code == 400, response.content
    assert response.json() == {"note": ["Not a valid string."]}
    payment.refresh_from_db()
    assert payment.note == "before"


def test_a_wrong_type_is_answered_with_the_other_errors(api_client: APIClient) -> None:
    response = post_json(api_client, "/api/v1/auth/login/", '{"username": 7}')
    assert response.status_code == 400
    assert response.json() == {
        "username": ["Not a valid string."],
        "password": ["This field is required."],
    }


@pytest.mark.parametrize(("body", "field"), [
    ('"investment_period": "10"', "investment_period"),
    ('"investment_period": 10.0', "investment_period"),
])  # fmt: skip
def test_a_count_takes_a_json_integer_only(api_client: APIClient, body: str, field: str) -> None:
    seed = SEED % ('"1000"', '"0.05"', 10, '"0.15"', '"0"')
    response = post_json(api_client, CALCULATOR, seed.replace('"investment_period": 10', body))
    assert response.status_code == 400, response.content
    assert response.json() == {field: ["A valid integer is required."]}


def test_an_id_takes_a_json_integer_only(alice: User, alice_api: APIClient) -> None:
    source = SourceFactory.create(owner=alice)
    body = json.dumps({"source": str(source.pk), "date": "2025-03-01", "gross": "1.00"})
    response = post_json(alice_api, "/api/v1/payments/", body)
    assert response.status_code == 400
    assert response.json() == {"source": ["Incorrect type. Expected pk value, received str."]}
    assert not Payment.objects.exists()


# ----------------------------------------------------------------------------- everywhere


def _api_serializers() -> list[type]:
    found: list[type] = []
    pending: list[type] = [serializers.Serializer]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        module = inspect.getmodule(cls)
        name = module.__name__ if module else ""
        if ".api." in f"{name}." and not name.startswith(("tests.", "config.api")):
            found.append(cls)
    return found


def test_every_api_serializer_takes_only_the_json_types_of_its_schema(
    api_client: APIClient, db: None
) -> None:
    api_client.get("/api/schema/")  # every API module imported
    found = _api_serializers()
    assert len(found) > 40
    loose = sorted(cls.__qualname__ for cls in found if not issubclass(cls, StrictInput))
    assert loose == []


def test_the_schema_offers_a_string_or_a_number_for_a_decimal_and_answers_a_string(
    api_client: APIClient, db: None
) -> None:
    answer = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = answer.json()["components"]["schemas"]
    string, number = schema["SourceRequest"]["properties"]["invested_capital"]["oneOf"]
    assert string["type"] == "string"
    assert string["pattern"]
    assert number == {
        "type": "number", "minimum": 0, "maximum": 9999999999999.99, "multipleOf": 0.01,
    }  # fmt: skip
    volatility = schema["PatchedScenarioRequest"]["properties"]["volatility"]
    assert volatility["nullable"] is True
    assert volatility["oneOf"][1]["maximum"] == 2
    answer = schema["Source"]["properties"]["invested_capital"]
    assert (answer["type"], answer["format"]) == ("string", "decimal")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tax_rate", "1"), ("tax_rate", "1.00000001"), ("tax_rate", "2"), ("tax_rate", "0.5"),
        ("annual_return", "-1"), ("annual_return", "-0.99999999"), ("annual_return", "10"),
        ("annual_return", "10.00000001"), ("annual_return", "-5"), ("annual_return", "-0"),
        ("initial_investment", "-0"), ("initial_investment", "0009"), ("initial_investment", "."),
    ],
)  # fmt: skip
def test_a_decimal_string_is_taken_exactly_when_its_schema_pattern_matches_it(
    api_client: APIClient, field: str, value: str
) -> None:
    """The pattern holds the range too: ``"2"`` for a tax rate of at most 1 is refused by
    the schema as by the server (schemathesis' positive data, issue 20)."""
    answer = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    string, number = answer.json()["components"]["schemas"]["CalculatorInputRequest"]["properties"][
        field
    ]["oneOf"]
    body = {
        "initial_investment": "1000", "annual_return": "0.05", "investment_period": 10,
        "tax_rate": "0.15", "additional_income": "0", field: value,
    }  # fmt: skip
    response = post_json(api_client, CALCULATOR, json.dumps(body))
    matches = re.fullmatch(string["pattern"], value) is not None
    assert (response.status_code == 200) == matches, (response.content, string["pattern"])
    in_range = number["minimum"] <= float(value if value != "." else "nan") <= number["maximum"]
    assert not matches or in_range


def test_a_return_of_minus_100_percent_keeps_its_message(api_client: APIClient) -> None:
    body = SEED % ('"1000"', '"-1"', 10, '"0.15"', '"0"')
    response = post_json(api_client, CALCULATOR, body)
    assert response.json() == {"annual_return": ["Must be greater than -1 (-100 %)."]}
