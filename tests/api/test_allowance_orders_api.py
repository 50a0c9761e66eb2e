"""/api/v1/allowance-orders/: the caller's allowance orders, and summary/?year= with the
excess warning and the suggested split (issue 22)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from income import services
from income.models import AllowanceOrder
from tests.factories import SourceFactory

URL = "/api/v1/allowance-orders/"


def test_create_list_by_year_update_and_delete(alice_api: APIClient) -> None:
    created = alice_api.post(
        URL, {"year": 2026, "bank": "Musterbank", "amount": "801.00"}, format="json"
    )
    assert created.status_code == 201, created.json()
    order = created.json()
    assert {k: order[k] for k in ("year", "bank", "amount")} == {
        "year": 2026,
        "bank": "Musterbank",
        "amount": "801.00",
    }
    alice_api.post(URL, {"year": 2025, "bank": "Musterbank", "amount": "500"}, format="json")
    listed = alice_api.get(URL, {"year": 2026}).json()
    assert [row["id"] for row in listed["results"]] == [order["id"]]
    changed = alice_api.patch(f"{URL}{order['id']}/", {"amount": "700"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["amount"] == "700.00"
    assert alice_api.delete(f"{URL}{order['id']}/").status_code == 204
    assert [row["year"] for row in alice_api.get(URL).json()["results"]] == [2025]


def test_a_second_create_for_the_bank_changes_its_order(alice_api: APIClient, alice: User) -> None:
    alice_api.post(URL, {"year": 2026, "bank": "Musterbank", "amount": "100"}, format="json")
    alice_api.post(URL, {"year": 2026, "bank": "Musterbank", "amount": "300"}, format="json")
    assert list(AllowanceOrder.objects.filter(owner=alice).values_list("amount", flat=True)) == [
        Decimal("300.00")
    ]


def test_a_negative_amount_is_a_400_on_the_field(alice_api: APIClient) -> None:
    response = alice_api.post(
        URL, {"year": 2026, "bank": "Musterbank", "amount": "-1"}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert not AllowanceOrder.objects.exists()


def test_moving_an_order_onto_a_bank_with_one_is_a_400(alice_api: APIClient, alice: User) -> None:
    services.allowance_order_set(owner=alice, year=2026, bank="Musterbank", amount=Decimal(1))
    other = services.allowance_order_set(
        owner=alice, year=2026, bank="Neobroker", amount=Decimal(1)
    )
    response = alice_api.patch(f"{URL}{other.pk}/", {"bank": "Musterbank"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["bank"]


def test_another_users_order_is_a_404_and_not_listed(
    alice: User, alice_api: APIClient, bob_api: APIClient
) -> None:
    order = services.allowance_order_set(
        owner=alice, year=2026, bank="Musterbank", amount=Decimal(500)
    )
    assert bob_api.get(f"{URL}{order.pk}/").status_code == 404
    assert bob_api.patch(f"{URL}{order.pk}/", {"amount": "1"}, format="json").status_code == 404
    assert bob_api.delete(f"{URL}{order.pk}/").status_code == 404
    assert bob_api.get(URL).json()["count"] == 0
    order.refresh_from_db()
    assert order.amount == Decimal("500.00")


def test_the_summary_warns_of_orders_above_the_allowance(alice_api: APIClient) -> None:
    for bank, amount in (("Musterbank", "801"), ("Neobroker", "400")):
        alice_api.post(URL, {"year": 2026, "bank": bank, "amount": amount}, format="json")
    response = alice_api.get(f"{URL}summary/", {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["allowance"] == "1000.00"
    assert body["filing_status"] == "single"
    assert body["total"] == "1201.00"
    assert body["excess"] == {"total": "1201.00", "allowance": "1000.00", "excess": "201.00"}
    assert body["orders"] == [
        {"bank": "Musterbank", "amount": "801.00"},
        {"bank": "Neobroker", "amount": "400.00"},
    ]


def test_the_summary_suggests_orders_from_the_expected_income(
    alice: User, alice_api: APIClient
) -> None:
    SourceFactory.create(
        owner=alice,
        platform="Musterbank",
        invested_capital=Decimal("20000"),
        expected_yield=Decimal("0.03"),
        start_date=date(2024, 1, 1),
    )
    body = alice_api.get(f"{URL}summary/", {"year": 2026}).json()
    assert body["excess"] is None
    assert body["banks"] == ["Musterbank"]
    assert body["expected"] == [{"bank": "Musterbank", "amount": "600.00"}]
    assert body["suggested_orders"] == [{"bank": "Musterbank", "amount": "600.00"}]
    assert body["unassigned"] == "400.00"
    assert body["missing_rates"] == []


def test_the_summary_needs_a_year_with_tax_facts(alice_api: APIClient) -> None:
    assert alice_api.get(f"{URL}summary/").status_code == 400
    assert alice_api.get(f"{URL}summary/", {"year": "soon"}).status_code == 400
    assert alice_api.get(f"{URL}summary/", {"year": 1800}).status_code == 400
    assert alice_api.get(f"{URL}summary/", {"year": 2031}).status_code == 404  # no facts yet


def test_the_schema_documents_the_orders_and_the_summary(api_client: APIClient, db: None) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/allowance-orders/" in schema["paths"]
    summary = schema["paths"]["/api/v1/allowance-orders/summary/"]["get"]
    assert [p["name"] for p in summary["parameters"]] == ["year"]
    assert "AllowanceSummary" in schema["components"]["schemas"]


def test_a_year_filter_that_is_no_whole_number_is_a_400(alice_api: APIClient) -> None:
    assert alice_api.get(URL, {"year": "0.5"}).status_code == 400
    assert alice_api.get(URL, {"year": ""}).status_code == 400
