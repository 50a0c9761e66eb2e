"""Bad input over the API, case by case: a 400 that names the field, and nothing saved.

Each row is one request a careless or hostile client might send (PRODUCT.md §7): NaN and
infinities, absurd sizes, negative money, rates beyond their range, dates that do not
exist, unknown currencies, another user's ids in related fields. The row counts of
every table of ours are the same after the request as before it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income.models import IncomeSource
from tests.factories import SourceFactory, category

APPS = ("income", "imports", "scenarios", "reports", "auth", "knox")


def row_counts() -> dict[str, int]:
    """Rows per table of the apps a request could write to."""
    return {
        model._meta.label: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }


@dataclass(frozen=True)
class Case:
    """One bad request: ``body`` overrides fields of the endpoint's good body."""

    name: str
    url: str
    body: dict[str, Any]
    field: str
    method: str = "post"
    raw: str | None = None  # sent as is, for what json.dumps cannot write (NaN)


@dataclass(frozen=True)
class World:
    alice: User
    client: APIClient
    source: IncomeSource
    subscription: IncomeSource
    bobs_source: IncomeSource


def bad(label: str, url: str, /, method: str = "post", **body: Any) -> Case:
    """A case that breaks the one field it names."""
    (field,) = body
    return Case(label, url, body, field, method=method)


def good_bodies(world: World) -> dict[str, dict[str, Any]]:
    """A body each endpoint accepts: every case breaks exactly one thing in it."""
    return {
        "/api/v1/sources/": {
            "name": "Depot",
            "category": category("etf-dividends").pk,
            "currency": "EUR",
            "start_date": "2024-01-01",
        },
        "/api/v1/payments/": {
            "source": world.source.pk,
            "date": "2025-03-01",
            "gross": "100.00",
            "currency": "EUR",
        },
        "/api/v1/subscription-periods/": {
            "source": world.subscription.pk,
            "month": "2025-01-01",
            "subscribers_start": 100,
            "new_subscribers": 10,
            "churned_subscribers": 5,
        },
        "/api/v1/scenarios/": {
            "name": "Plan",
            "annual_return": "0.05",
            "inflation": "0.02",
            "horizon_years": 10,
        },
        "/api/v1/calculator/": {
            "initial_investment": "10000",
            "annual_return": "0.05",
            "investment_period": 10,
            "tax_rate": "0.15",
            "additional_income": "1000",
        },
        "/api/v1/me/": {"monthly_expenses": "1500.00"},
    }


SOURCES = "/api/v1/sources/"
PAYMENTS = "/api/v1/payments/"
PERIODS = "/api/v1/subscription-periods/"
SCENARIOS = "/api/v1/scenarios/"
CALCULATOR = "/api/v1/calculator/"
ME = "/api/v1/me/"
BOBS = "<bob's source>"

CASES = [
    # --- sources
    bad("source: NaN capital", SOURCES, invested_capital="NaN"),
    bad("source: +Infinity capital", SOURCES, invested_capital="Infinity"),
    bad("source: -Infinity capital", SOURCES, invested_capital="-Infinity"),
    bad("source: 1e30 capital", SOURCES, invested_capital="1e30"),
    bad("source: negative capital", SOURCES, invested_capital="-5.00"),
    bad("source: yield above 1000 %", SOURCES, expected_yield="10.5"),
    bad("source: yield below -100 %", SOURCES, expected_yield="-1.5"),
    bad("source: churn above 100 %", SOURCES, monthly_churn_rate="1.5"),
    bad("source: negative vacancy", SOURCES, vacancy_rate="-0.1"),
    bad("source: tax above 100 %", SOURCES, tax_rate="1.01"),
    bad("source: 30 February", SOURCES, start_date="2025-02-30"),
    bad("source: unknown currency", SOURCES, currency="XXX"),
    bad("source: unknown category", SOURCES, category=999_999),
    bad("source: ends before it starts", SOURCES, end_date="2023-12-31"),
    bad("source: empty name", SOURCES, name=""),
    bad("source: name of 200 characters", SOURCES, name="x" * 200),
    bad("source: negative subscribers", SOURCES, current_subscribers=-3),
    # --- payments
    bad("payment: NaN gross", PAYMENTS, gross="NaN"),
    Case("payment: bare NaN in the JSON", PAYMENTS, {}, "gross", raw='"gross": NaN'),
    Case("payment: bare Infinity in the JSON", PAYMENTS, {}, "gross", raw='"gross": Infinity'),
    bad("payment: 1e30 gross", PAYMENTS, gross="1e30"),
    bad("payment: negative tax on a receipt", PAYMENTS, tax_withheld="-1.00"),
    bad("payment: negative fees on a receipt", PAYMENTS, fees="-1.00"),
    bad("payment: a third decimal", PAYMENTS, gross="1.234"),
    bad("payment: tax above the gross", PAYMENTS, tax_withheld="150.00"),
    bad("payment: 30 February", PAYMENTS, date="2025-02-30"),
    bad("payment: unknown currency", PAYMENTS, currency="ABC"),
    bad("payment: another user's source", PAYMENTS, source=BOBS),
    bad("payment: a source that does not exist", PAYMENTS, source=999_999),
    # --- subscription periods
    bad("period: more churned than there were", PERIODS, churned_subscribers=500),
    bad("period: negative new MRR", PERIODS, mrr_new="-10.00"),
    bad("period: month 13", PERIODS, month="2025-13-01"),
    bad("period: another user's source", PERIODS, source=BOBS),
    # --- scenarios
    bad("scenario: NaN return", SCENARIOS, annual_return="NaN"),
    bad("scenario: return below -100 %", SCENARIOS, annual_return="-1.5"),
    bad("scenario: horizon of 0 years", SCENARIOS, horizon_years=0),
    bad("scenario: horizon of 101 years", SCENARIOS, horizon_years=101),
    bad("scenario: volatility above 200 %", SCENARIOS, volatility="3"),
    bad("scenario: 1e30 capital", SCENARIOS, starting_capital="1e30"),
    bad("scenario: another user's source", SCENARIOS, sources=[BOBS]),
    bad("scenario: unknown compounding", SCENARIOS, compounding="daily"),
    # --- calculator (no account needed)
    bad("calculator: return of -100 %", CALCULATOR, annual_return="-1"),
    bad("calculator: 101 years", CALCULATOR, investment_period=101),
    bad("calculator: half a year", CALCULATOR, investment_period=2.5),
    bad("calculator: tax above 100 %", CALCULATOR, tax_rate="1.5"),
    bad("calculator: negative capital", CALCULATOR, initial_investment="-1"),
    bad("calculator: infinite extra income", CALCULATOR, additional_income="Infinity"),
    # --- profile
    bad("me: negative expenses", ME, monthly_expenses="-1", method="patch"),
    bad("me: unknown currency", ME, base_currency="XYZ", method="patch"),
    bad("me: a language we do not have", ME, language="fr", method="patch"),
]  # fmt: skip


@pytest.fixture
def world(alice: User, bob: User, alice_api: APIClient) -> World:
    return World(
        alice=alice,
        client=alice_api,
        source=SourceFactory.create(owner=alice),
        subscription=SourceFactory.create(owner=alice, category=category("membership")),
        bobs_source=SourceFactory.create(owner=bob, name="Bobs Depot"),
    )


def resolve(value: Any, world: World) -> Any:
    if value == BOBS:
        return world.bobs_source.pk
    if isinstance(value, list):
        return [resolve(item, world) for item in value]
    return value


def send(world: World, case: Case) -> Any:
    body = {**good_bodies(world)[case.url]}
    body.update({key: resolve(value, world) for key, value in case.body.items()})
    content = json.dumps(body)
    if case.raw is not None:  # replace the field's value with a literal JSON can't encode
        content = content[:-1] + ", " + case.raw + "}"
    request: Callable[..., Any] = getattr(world.client, case.method)
    return request(case.url, data=content, content_type="application/json")


def test_the_matrix_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(world: World, case: Case) -> None:
    before = row_counts()
    response = send(world, case)
    assert response.status_code == 400, (response.status_code, response.content[:300])
    errors = response.json()
    assert case.field in errors, errors
    assert all(isinstance(message, str) and message for message in errors[case.field]), errors
    assert row_counts() == before


@pytest.mark.parametrize("url", [SOURCES, PAYMENTS, PERIODS, SCENARIOS])
def test_each_good_body_is_accepted(world: World, url: str) -> None:
    """The cases break one thing each: without it, the same request is saved."""
    response = world.client.post(url, data=good_bodies(world)[url], format="json")
    assert response.status_code == 201, response.content[:300]


def test_owner_and_is_staff_in_a_body_are_ignored(world: World, bob: User) -> None:
    body = {**good_bodies(world)[SOURCES], "owner": bob.pk, "id": 1, "is_staff": True}
    response = world.client.post(SOURCES, data=body, format="json")
    assert response.status_code == 201
    assert IncomeSource.objects.get(pk=response.json()["id"]).owner == world.alice
    assert not IncomeSource.objects.filter(owner=bob).exclude(pk=world.bobs_source.pk).exists()

    response = world.client.patch(ME, data={"is_staff": True, "is_superuser": True}, format="json")
    assert response.status_code == 200
    world.alice.refresh_from_db()
    assert not world.alice.is_staff
    assert not world.alice.is_superuser
