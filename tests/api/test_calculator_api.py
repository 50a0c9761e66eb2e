"""POST /api/v1/calculator/: the contract of PRODUCT.md §5, and a 400 for every bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from finance.calculator import calculate

URL = "/api/v1/calculator/"
SEED: dict[str, Any] = {
    "initial_investment": "10000",
    "annual_return": "0.05",
    "investment_period": 10,
    "tax_rate": "0.15",
    "additional_income": "1000",
}


def test_a_result_of_more_than_28_digits_is_written_out_to_the_cent(api_client: APIClient) -> None:
    """1,000 % a year for 80 years is valid input; its 35-digit result once made DRF's
    28-digit context fail with a 500 (found by the schema fuzzer)."""
    inputs = {
        "initial_investment": "2450472922932",
        "annual_return": "0.913985",
        "investment_period": 80,
        "tax_rate": "0.50176094",
        "additional_income": "15",
    }
    response = api_client.post(URL, inputs, format="json")
    assert response.status_code == 200
    expected = calculate(
        initial_investment=Decimal("2450472922932"),
        annual_return=Decimal("0.913985"),
        investment_period=80,
        tax_rate=Decimal("0.50176094"),
        additional_income=Decimal("15"),
    )
    body = response.json()
    assert body["gross_income"] == str(expected.gross_income)
    assert body["net_income"] == str(expected.net_income)
    assert len(body["gross_income"].split(".")[0]) > 28
    assert body["tax"] == str(expected.tax)


def post_raw(client: APIClient, body: str) -> Any:
    return client.generic("POST", URL, body, content_type="application/json")


def test_the_seeds_example_answers_exact_strings(api_client: APIClient) -> None:
    response = api_client.post(URL, SEED, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["gross_income"] == "6288.95"
    assert body["net_income"] == "6345.61"
    assert body["tax"] == "943.34"
    assert len(body["yearly"]) == 10
    assert body["yearly"][-1] == {
        "year": 10,
        "capital": "16288.95",
        "gross_income": "6288.95",
        "tax": "943.34",
        "net_income": "6345.61",
    }


def test_json_numbers_are_read_as_decimals_not_floats(api_client: APIClient) -> None:
    # 0.1 + 0.2 as floats is 0.30000000000000004; read as Decimal it is exact
    body = '{"initial_investment": 10000, "annual_return": 0.05, "investment_period": 10,'
    body += ' "tax_rate": 0.15, "additional_income": 1000.00}'
    response = post_raw(api_client, body)
    assert response.status_code == 200
    assert response.json()["net_income"] == "6345.61"


def test_it_needs_no_authentication(api_client: APIClient) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.post(URL, SEED, format="json").status_code == 200


def test_amounts_are_strings_with_two_decimals(api_client: APIClient) -> None:
    body = api_client.post(URL, {**SEED, "investment_period": 1}, format="json").json()
    for key in ("gross_income", "tax", "net_income", "final_capital"):
        assert isinstance(body[key], str)
        assert body[key].split(".")[1].__len__() == 2


BAD_INPUTS: list[tuple[str, str, Any]] = [
    ("missing amount", "initial_investment", None),
    ("missing period", "investment_period", None),
    ("text", "initial_investment", "ten thousand"),
    ("text rate", "annual_return", "five percent"),
    ("NaN string", "initial_investment", "NaN"),
    ("Infinity string", "annual_return", "Infinity"),
    ("minus Infinity", "additional_income", "-Infinity"),
    ("negative amount", "initial_investment", "-1"),
    ("negative additional", "additional_income", "-0.01"),
    ("return of -100 %", "annual_return", "-1"),
    ("return below -100 %", "annual_return", "-1.5"),
    ("return above 1000 %", "annual_return", "10.01"),
    ("fractional years", "investment_period", "10.5"),
    ("negative years", "investment_period", -1),
    ("over 100 years", "investment_period", 101),
    ("tax above 100 %", "tax_rate", "1.01"),
    ("negative tax", "tax_rate", "-0.1"),
    ("40-digit amount", "initial_investment", "1" * 40),
    ("40-digit rate", "annual_return", "0." + "1" * 40),
    ("40-digit years", "investment_period", "1" * 40),
    ("too many cents", "initial_investment", "10.001"),
    ("empty string", "tax_rate", ""),
    ("a list", "initial_investment", ["1"]),
    ("an object", "tax_rate", {"value": "0.1"}),
    ("boolean", "investment_period", True),
]


@pytest.mark.parametrize(("case", "field", "value"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_a_400_naming_the_field(
    api_client: APIClient, case: str, field: str, value: Any
) -> None:
    body = dict(SEED)
    if value is None:
        del body[field]
    else:
        body[field] = value
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400, (case, response.content)
    assert list(response.json()) == [field], response.json()
    assert all(isinstance(message, str) for message in response.json()[field])


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "1E+30"])
def test_bare_json_literals_get_the_fields_error(api_client: APIClient, literal: str) -> None:
    body = json.dumps({k: v for k, v in SEED.items() if k != "tax_rate"})
    body = body[:-1] + f', "tax_rate": {literal}}}'
    response = post_raw(api_client, body)
    assert response.status_code == 400
    assert list(response.json()) == ["tax_rate"]


def test_a_body_that_is_not_json_is_a_400(api_client: APIClient) -> None:
    response = post_raw(api_client, "{not json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_loss_answers_no_tax(api_client: APIClient) -> None:
    body = api_client.post(
        URL, {**SEED, "annual_return": "-0.5", "investment_period": 1}, format="json"
    ).json()
    assert (body["gross_income"], body["tax"], body["net_income"]) == (
        "-5000.00",
        "0.00",
        "-4000.00",
    )


def test_german_clients_get_german_errors(api_client: APIClient) -> None:
    response = api_client.post(
        URL, {**SEED, "investment_period": 101}, format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    assert response.json() == {
        "investment_period": ["Stelle sicher, dass dieser Wert kleiner oder gleich 100 ist."]
    }
