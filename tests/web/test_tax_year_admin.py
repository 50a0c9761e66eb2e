"""Admins keep the tax facts of each year in the admin (PRODUCT.md §9), with the treaty
rates inline; a new year starts from the latest one's facts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.test import Client

from income.models import TaxYear, TreatyRate
from income.tax_facts import tax_year_facts

FACT_FIELDS = [
    name
    for name in model_to_dict(TaxYear(), exclude=["id"])
    if name != "kleinunternehmer_current_limit_ends_status"
]


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def _in_language(client: Client, language: str) -> Client:
    client.cookies["ertrag_language"] = language
    return client


@pytest.mark.parametrize(("language", "word"), [("en", "Save"), ("de", "Sichern")])
def test_the_list_and_a_year_render_in_both_languages(
    admin_client: Client, language: str, word: str
) -> None:
    client = _in_language(admin_client, language)
    listing = client.get("/admin/income/taxyear/", HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f'<html lang="{language}"' in html
    assert html.index(">2026<") < html.index(">2025<") < html.index(">2023<")
    year = TaxYear.objects.get(year=2025)
    change = client.get(f"/admin/income/taxyear/{year.pk}/change/", HTTP_ACCEPT_LANGUAGE=language)
    assert change.status_code == 200
    page = change.content.decode()
    assert word in page
    assert 'value="0.025300"' in page or 'value="0,025300"' in page
    assert 'value="US"' in page  # the treaty rates inline


def test_a_new_year_starts_from_the_latest_ones_facts(admin_client: Client) -> None:
    page = admin_client.get("/admin/income/taxyear/add/").content.decode()
    assert 'name="year" value="2027"' in page
    assert 'name="basiszins" value="0.032000"' in page


def _add_form(**changes: Any) -> dict[str, Any]:
    latest = model_to_dict(TaxYear.objects.get(year=2026), exclude=["id"])
    form: dict[str, Any] = {name: str(latest[name]) for name in FACT_FIELDS}
    form.update(
        {
            "year": "2027",
            "basiszins": "0.0299",
            "kleinunternehmer_current_limit_ends_status": "on",
            "treaty_rates-TOTAL_FORMS": "1",
            "treaty_rates-INITIAL_FORMS": "0",
            "treaty_rates-MIN_NUM_FORMS": "0",
            "treaty_rates-MAX_NUM_FORMS": "1000",
            "treaty_rates-0-country": "us",
            "treaty_rates-0-rate": "0.15",
        }
    )
    form.update(changes)
    return form


def test_an_admin_adds_a_year_that_the_engine_then_reads(admin_client: Client) -> None:
    response = admin_client.post("/admin/income/taxyear/add/", _add_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    facts = tax_year_facts(year=2027)
    assert facts.basiszins == Decimal("0.0299")
    assert dict(facts.treaty_rates) == {"US": Decimal("0.15")}  # typed "us"
    assert facts.saver_allowance_joint == Decimal("2000.00")


def test_the_admin_refuses_a_rate_out_of_range(admin_client: Client) -> None:
    response = admin_client.post("/admin/income/taxyear/add/", _add_form(solidarity_rate="1.5"))
    assert response.status_code == 200
    assert "solidarity_rate" in response.context["adminform"].form.errors
    assert not TaxYear.objects.filter(year=2027).exists()
    assert TreatyRate.objects.filter(tax_year__year=2027).count() == 0


def test_the_profile_admin_shows_the_tax_settings(admin_client: Client, alice: User) -> None:
    page = admin_client.get(f"/admin/income/profile/{alice.profile.pk}/change/").content.decode()
    for name in ("filing_status", "church_tax_rate", "marginal_tax_rate"):
        assert f'name="{name}"' in page


def test_users_cannot_reach_the_tax_facts_admin(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/admin/income/taxyear/").status_code == 302
