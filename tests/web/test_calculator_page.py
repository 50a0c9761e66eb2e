"""/calculator/: the seed's example in English and German, and form errors for bad input."""

from __future__ import annotations

import re

import pytest
from django.test import Client

SEED_QUERY = {
    "initial_investment": "10000",
    "annual_return": "5",
    "investment_period": "10",
    "tax_rate": "15",
    "additional_income": "1000",
}


def figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, f"{testid} not on the page"
    return match.group(1)


def test_it_works_without_an_account(client: Client) -> None:
    response = client.get("/calculator/")
    assert response.status_code == 200
    assert 'name="initial_investment"' in response.content.decode()


def test_the_form_starts_with_the_seeds_example(client: Client) -> None:
    html = client.get("/calculator/").content.decode()
    assert 'value="10,000"' in html or 'value="10000"' in html
    assert "data-testid" not in html  # no result before the first calculation


def test_the_seeds_example_in_english(client: Client) -> None:
    html = client.get("/calculator/", SEED_QUERY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert figure(html, "gross-income") == "€6,288.95"
    assert figure(html, "net-income") == "€6,345.61"
    assert figure(html, "tax") == "€943.34"
    assert 'id="calculator-chart-data"' in html
    assert html.count("<tr>") == 11  # header + one row per year


def test_the_seeds_example_in_german(client: Client) -> None:
    client.cookies["ertrag_language"] = "de"
    html = client.get("/calculator/", SEED_QUERY).content.decode()
    assert figure(html, "gross-income") == "6.288,95\u00a0€"
    assert figure(html, "net-income") == "6.345,61\u00a0€"
    assert "Bruttoeinkommen" in html
    assert '<html lang="de"' in html


def test_german_input_with_german_separators(client: Client) -> None:
    client.cookies["ertrag_language"] = "de"
    query = {**SEED_QUERY, "initial_investment": "10.000,00", "tax_rate": "15,0"}
    html = client.get("/calculator/", query).content.decode()
    assert figure(html, "net-income") == "6.345,61\u00a0€"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("initial_investment", "-5"),
        ("initial_investment", "abc"),
        ("initial_investment", "NaN"),
        ("annual_return", "-100"),
        ("annual_return", "Infinity"),
        ("investment_period", "10.5"),
        ("investment_period", "101"),
        ("tax_rate", "100.5"),
        ("additional_income", "1" * 40),
    ],
)
def test_bad_input_shows_the_fields_error_and_no_result(
    client: Client, field: str, value: str
) -> None:
    response = client.get("/calculator/", {**SEED_QUERY, field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert "data-testid" not in html


def test_a_loss_shows_no_tax(client: Client) -> None:
    html = client.get(
        "/calculator/", {**SEED_QUERY, "annual_return": "-50", "investment_period": "1"}
    ).content.decode()
    assert figure(html, "tax") == "€0.00"
    assert figure(html, "gross-income") == "−€5,000.00"
