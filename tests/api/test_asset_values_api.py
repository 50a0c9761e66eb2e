"""/api/v1/asset-values/, the return figures per source in /api/v1/dashboard/ (issue #17.6),
and the MRR and received revenue of /api/v1/subscription-periods/ (issue #17.12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income import services
from income.models import AssetValue, ExchangeRate, IncomeSource
from tests.factories import PaymentFactory, PeriodFactory, SourceFactory, category

D = Decimal


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    """60,000 upfront on 2025-01-01; four dividends of 700 in 2025."""
    source = SourceFactory.create(
        owner=alice, name="World ETF", category=category("etf-dividends"),
        start_date=date(2025, 1, 1), upfront_investment=D("60000"),
    )  # fmt: skip
    for month in (3, 6, 9, 12):
        PaymentFactory.create(source=source, date=date(2025, month, 25), gross=D("700.00"))
    return source


def value_body(source: IncomeSource, **overrides: Any) -> dict[str, Any]:
    return {"source": source.pk, "date": "2025-12-31", "value": "63000.00", **overrides}


def test_a_value_is_recorded_listed_changed_and_deleted(
    alice_api: APIClient, etf: IncomeSource
) -> None:
    created = alice_api.post("/api/v1/asset-values/", value_body(etf, note="Depot"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("source", "date", "value", "note")} == {
        "source": etf.pk, "date": "2025-12-31", "value": "63000.00", "note": "Depot"
    }  # fmt: skip
    listed = alice_api.get(f"/api/v1/asset-values/?source={etf.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    url = f"/api/v1/asset-values/{body['id']}/"
    assert alice_api.patch(url, {"value": "64000"}, format="json").json()["value"] == "64000.00"
    assert alice_api.delete(url).status_code == 204
    assert not AssetValue.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"date": "2025-02-30"}, "date"),
        ({"date": "2025-12-31"}, "date"),  # that day has a value already
    ],
)
def test_bad_input_is_a_400_that_names_the_field_and_changes_nothing(
    alice_api: APIClient, alice: User, etf: IncomeSource, overrides: dict[str, str], field: str
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=date(2025, 12, 31), value=D(1))
    response = alice_api.post("/api/v1/asset-values/", value_body(etf, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert AssetValue.objects.count() == 1


def test_a_source_that_owns_no_asset_takes_no_value(alice_api: APIClient, alice: User) -> None:
    ebook = SourceFactory.create(owner=alice, category=category("licences"))
    response = alice_api.post("/api/v1/asset-values/", value_body(ebook), format="json")
    assert response.status_code == 400
    assert "source" in response.json()


def test_another_users_source_and_values_are_not_there(
    bob_api: APIClient, alice: User, etf: IncomeSource
) -> None:
    value = services.asset_value_create(owner=alice, source=etf, date=date(2025, 6, 30), value=D(1))
    assert bob_api.get(f"/api/v1/asset-values/{value.pk}/").status_code == 404
    assert bob_api.get("/api/v1/asset-values/").json()["count"] == 0
    response = bob_api.post("/api/v1/asset-values/", value_body(etf), format="json")
    assert response.status_code == 400
    assert "source" in response.json()
    assert AssetValue.objects.count() == 1


def source_row(api: APIClient, name: str, as_of: str = "2025-12-31") -> dict[str, Any]:
    body = api.get(f"/api/v1/dashboard/?as_of={as_of}").json()
    return next(row for row in body["sources"] if row["name"] == name)


def test_the_dashboard_gives_a_capital_source_its_total_return_and_income_yield(
    alice_api: APIClient, alice: User, etf: IncomeSource
) -> None:
    services.asset_value_create(owner=alice, source=etf, date=date(2025, 12, 1), value=D(63000))
    row = source_row(alice_api, "World ETF")
    # 2,800 + 63,000 − 60,000 = 5,800; / 60,000 = 0.0967; 2,800 / 63,000 = 0.0444
    assert {k: row[k] for k in (
        "return_basis", "money_put_in", "asset_value", "asset_value_date", "total_return",
        "total_return_ratio", "income_yield", "income_yield_base", "cash_roi", "full_roi",
    )} == {
        "return_basis": "asset", "money_put_in": "60000.00", "asset_value": "63000.00",
        "asset_value_date": "2025-12-01", "total_return": "5800.00",
        "total_return_ratio": "0.0967", "income_yield": "0.0444", "income_yield_base": "value",
        "cash_roi": None, "full_roi": None,
    }  # fmt: skip
    assert row["payback_projected"] is True  # the income payback, still ahead


def test_the_dashboard_gives_an_active_source_no_roi_and_no_payback(
    alice_api: APIClient, alice: User
) -> None:
    work = SourceFactory.create(
        owner=alice, name="Freelance", category=category("freelance"),
        start_date=date(2025, 1, 1), upfront_investment=D("500"),
    )  # fmt: skip
    PaymentFactory.create(source=work, date=date(2025, 3, 1), gross=D("4000.00"))
    row = source_row(alice_api, "Freelance")
    assert row["return_basis"] == "none"
    for key in ("cash_roi", "full_roi", "payback_month", "payback_projected", "money_put_in",
                "total_return", "income_yield"):  # fmt: skip
        assert row[key] is None, key


def test_the_schema_describes_the_new_figures_and_the_asset_values(
    api_client: APIClient, db: None
) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    figures = schema["components"]["schemas"]["SourceFigures"]["properties"]
    for name in ("return_basis", "total_return", "total_return_ratio", "income_yield",
                 "income_yield_base", "asset_value", "money_put_in", "cash_roi",
                 "payback_month"):  # fmt: skip
        assert figures[name].get("description"), name
    assert "income payback" in figures["payback_month"]["description"]
    assert set(schema["paths"]["/api/v1/asset-values/{id}/"]) >= {"get", "put", "patch", "delete"}
    value = schema["components"]["schemas"]["AssetValue"]["properties"]
    assert value["value"]["description"]
    period = schema["components"]["schemas"]["SubscriptionPeriod"]["properties"]
    assert "gross" in period["payments_gross"]["description"]
    assert period["mrr"]["description"]


# ----------------------------------------------------------------------------- subscriptions


@pytest.fixture
def club(alice: User) -> IncomeSource:
    source = SourceFactory.create(
        owner=alice, name="Club", category=category("membership"),
        price_per_subscriber=D("15"), start_date=date(2025, 1, 1),
    )  # fmt: skip
    PeriodFactory.create(source=source, month=date(2025, 1, 1), subscribers_start=0,
                         new_subscribers=10)  # fmt: skip
    PeriodFactory.create(source=source, month=date(2025, 2, 1), subscribers_start=10,
                         new_subscribers=4, churned_subscribers=1)  # fmt: skip
    PaymentFactory.create(source=source, date=date(2025, 1, 28), gross=D("150.00"), fees=D("5"))
    PaymentFactory.create(source=source, date=date(2025, 2, 28), gross=D("195.00"))
    return source


def test_the_periods_carry_their_mrr_and_the_gross_received_in_the_month(
    alice_api: APIClient, club: IncomeSource
) -> None:
    rows = alice_api.get(f"/api/v1/subscription-periods/?source={club.pk}").json()["results"]
    # February: 13 members × 15 = 195.00, 195.00 received; January: 10 × 15, 150.00
    # received (the gross, before its 5.00 fee)
    assert [(r["month"], r["mrr"], r["payments_gross"]) for r in rows] == [
        ("2025-02-01", "195.00", "195.00"),
        ("2025-01-01", "150.00", "150.00"),
    ]
    one = alice_api.get(f"/api/v1/subscription-periods/{rows[1]['id']}/").json()
    assert (one["mrr"], one["payments_gross"]) == ("150.00", "150.00")


def test_a_changed_period_answers_with_its_new_mrr(
    alice_api: APIClient, club: IncomeSource
) -> None:
    period = club.periods.get(month=date(2025, 1, 1))
    response = alice_api.patch(
        f"/api/v1/subscription-periods/{period.pk}/", {"revenue": "140.00"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["mrr"] == "140.00"  # the recorded revenue is the month's MRR
    created = alice_api.post(
        "/api/v1/subscription-periods/",
        {"source": club.pk, "month": "2025-03-01", "subscribers_start": 13},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["mrr"], created.json()["payments_gross"]) == ("195.00", "0.00")


def test_a_payment_in_another_currency_is_converted_at_its_date(
    alice_api: APIClient, club: IncomeSource
) -> None:
    ExchangeRate.objects.create(date=date(2025, 2, 1), currency="USD", rate=D("1.2500"))
    PaymentFactory.create(source=club, date=date(2025, 2, 10), gross=D("25.00"), currency="USD")
    rows = alice_api.get(f"/api/v1/subscription-periods/?source={club.pk}").json()["results"]
    # 195.00 + 25 USD / 1.25 = 20.00 EUR → 215.00
    assert rows[0]["payments_gross"] == "215.00"


def test_a_month_with_a_payment_that_cannot_be_converted_has_no_amount(
    alice_api: APIClient, club: IncomeSource
) -> None:
    PaymentFactory.create(source=club, date=date(2025, 2, 10), gross=D("25.00"), currency="CHF")
    rows = alice_api.get(f"/api/v1/subscription-periods/?source={club.pk}").json()["results"]
    assert rows[0]["payments_gross"] is None
    assert rows[1]["payments_gross"] == "150.00"
