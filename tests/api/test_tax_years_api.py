"""/api/v1/tax-years/: the tax facts of each year (admin content), read-only, and the
profile's tax settings on /api/v1/me/ (issue 22, item 1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from finance.tax.facts import KNOWN_FACTS
from income.models import TaxYear

COUNTRIES = sorted(KNOWN_FACTS[2025].treaty_rates)


def test_the_list_has_every_year_newest_first(alice_api: APIClient) -> None:
    response = alice_api.get("/api/v1/tax-years/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [row["year"] for row in body["results"]] == [2026, 2025, 2024, 2023]
    oldest_first = alice_api.get("/api/v1/tax-years/?ordering=year").json()["results"]
    assert [row["year"] for row in oldest_first] == [2023, 2024, 2025, 2026]


def test_a_year_shows_its_facts_as_decimal_strings_with_its_treaty_rates(
    alice_api: APIClient,
) -> None:
    response = alice_api.get("/api/v1/tax-years/2025/")
    assert response.status_code == 200
    assert response.json() == {
        "year": 2025,
        "saver_allowance_single": "1000.00",
        "saver_allowance_joint": "2000.00",
        "basiszins": "0.025300",
        "capital_gains_tax_rate": "0.250000",
        "solidarity_rate": "0.055000",
        "church_tax_rate_reduced": "0.080000",
        "church_tax_rate": "0.090000",
        "partial_exemption_equity": "0.300000",
        "partial_exemption_mixed": "0.150000",
        "partial_exemption_real_estate": "0.600000",
        "partial_exemption_foreign_real_estate": "0.800000",
        "kleinunternehmer_previous_year_limit": "25000.00",
        "kleinunternehmer_current_year_limit": "100000.00",
        "kleinunternehmer_current_limit_ends_status": True,
        "treaty_rates": [{"country": country, "rate": "0.150000"} for country in COUNTRIES],
    }
    older = alice_api.get("/api/v1/tax-years/2023/").json()
    assert older["kleinunternehmer_previous_year_limit"] == "22000.00"
    assert older["kleinunternehmer_current_limit_ends_status"] is False


def test_the_list_costs_the_same_queries_for_more_years(alice_api: APIClient) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_api.get("/api/v1/tax-years/").status_code == 200
        return len(captured)

    queries()  # the token's first use is stamped once
    four = queries()
    copy = model_to_dict(TaxYear.objects.get(year=2026), exclude=["id"])
    for year in (2027, 2028):
        TaxYear.objects.create(**{**copy, "year": year}).treaty_rates.create(
            country="US", rate=Decimal("0.15")
        )
    assert queries() == four


@pytest.mark.parametrize("year", ["2027", "2017", "0000", "abcd", "20255"])
def test_a_year_without_facts_is_a_404(alice_api: APIClient, year: str) -> None:
    assert alice_api.get(f"/api/v1/tax-years/{year}/").status_code == 404


def test_the_facts_are_read_only(alice_api: APIClient) -> None:
    assert alice_api.post("/api/v1/tax-years/", {"year": 2027}, format="json").status_code == 405
    for method in ("put", "patch", "delete"):
        response = getattr(alice_api, method)("/api/v1/tax-years/2025/", {}, format="json")
        assert response.status_code == 405, method
    assert TaxYear.objects.get(year=2025).basiszins == Decimal("0.0253")


def test_anonymous_callers_are_answered_as_for_tax_profiles(
    api_client: APIClient, db: None
) -> None:
    profiles = api_client.get("/api/v1/tax-profiles/").status_code
    assert profiles == 401
    assert api_client.get("/api/v1/tax-years/").status_code == profiles
    assert api_client.get("/api/v1/tax-years/2025/").status_code == profiles


def test_the_schema_describes_both_routes(schema_document: dict[str, Any]) -> None:
    paths = schema_document["paths"]
    assert set(paths["/api/v1/tax-years/"]) == {"get"}
    assert set(paths["/api/v1/tax-years/{year}/"]) == {"get"}
    component = schema_document["components"]["schemas"]["TaxYear"]
    assert component["properties"]["treaty_rates"]["items"] == {
        "$ref": "#/components/schemas/TreatyRate"
    }
    assert component["properties"]["basiszins"]["type"] == "string"


# ----------------------------------------------------------------------------- /me/


def test_me_shows_the_tax_settings(alice_api: APIClient) -> None:
    body = alice_api.get("/api/v1/me/").json()
    assert (body["filing_status"], body["church_tax_rate"], body["marginal_tax_rate"]) == (
        "single",
        "0.00",
        None,
    )


def test_me_takes_the_tax_settings(alice_api: APIClient, alice: User) -> None:
    response = alice_api.patch(
        "/api/v1/me/",
        {"filing_status": "joint", "church_tax_rate": "0.09", "marginal_tax_rate": "0.42"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["filing_status"], body["church_tax_rate"], body["marginal_tax_rate"]) == (
        "joint",
        "0.09",
        "0.420000",
    )
    alice.profile.refresh_from_db()
    assert alice.profile.filing_status == "joint"
    assert alice.profile.church_tax_rate == Decimal("0.09")
    assert alice.profile.marginal_tax_rate == Decimal("0.42")
    cleared = alice_api.patch("/api/v1/me/", {"marginal_tax_rate": None}, format="json")
    assert cleared.status_code == 200
    alice.profile.refresh_from_db()
    assert alice.profile.marginal_tax_rate is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("filing_status", "married"),
        ("church_tax_rate", "0.05"),
        ("church_tax_rate", 0.09),
        ("church_tax_rate", None),
        ("marginal_tax_rate", "0.51"),
        ("marginal_tax_rate", "-0.1"),
    ],
)
def test_me_refuses_a_tax_setting_out_of_its_choices_or_range(
    alice_api: APIClient, alice: User, field: str, value: Any
) -> None:
    response = alice_api.patch("/api/v1/me/", {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    alice.profile.refresh_from_db()
    assert (alice.profile.filing_status, alice.profile.church_tax_rate) == ("single", Decimal(0))
    assert alice.profile.marginal_tax_rate is None


def test_the_schema_lists_the_church_tax_rates_as_strings(schema_document: dict[str, Any]) -> None:
    me = schema_document["components"]["schemas"]["Me"]["properties"]
    reference = me["church_tax_rate"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    enum = schema_document["components"]["schemas"][reference]["enum"]
    assert enum == ["0.00", "0.08", "0.09"]
    assert me["marginal_tax_rate"]["nullable"] is True
