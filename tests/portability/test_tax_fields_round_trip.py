"""The export keeps a source's tax fields, a payment's foreign tax and the allowance orders,
and the import writes them back; an export from before them still imports (issue 22)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from finance.errors import DomainError
from income import selectors, services
from income.models import IncomeSource, Payment
from portability.services.export import account_document
from portability.services.importing import account_import
from tests.factories import UserFactory, category

pytestmark = pytest.mark.usefixtures("shipped_content")


def _account(owner: User) -> None:
    etf = services.source_create(
        owner=owner, name="ETF", category=category("etf-dividends"), start_date=date(2024, 1, 1),
        fund_type="equity", platform="Neobroker",
    )  # fmt: skip
    services.source_create(
        owner=owner, name="Flat", category=category("rent"), start_date=date(2020, 1, 1),
        acquired_on=date(2019, 12, 1), building_share=Decimal("0.75"), completion_year=1998,
    )  # fmt: skip
    services.payment_create(
        owner=owner, source=etf, date=date(2025, 3, 1), gross=Decimal("100.00"),
        tax_withheld=Decimal("26.00"), foreign_tax=Decimal("15.00"),
    )  # fmt: skip
    services.allowance_order_set(owner=owner, year=2026, bank="Neobroker", amount=Decimal("801.00"))


def test_the_tax_fields_and_orders_survive_the_round_trip(alice: User) -> None:
    _account(alice)
    document = json.loads(json.dumps(account_document(user=alice)))
    assert document["allowance_orders"] == [{"year": 2026, "bank": "Neobroker", "amount": "801.00"}]
    fresh = UserFactory.create(username="neu")
    account_import(user=fresh, document=document)
    etf = IncomeSource.objects.get(owner=fresh, name="ETF")
    flat = IncomeSource.objects.get(owner=fresh, name="Flat")
    assert etf.fund_type == "equity"
    assert (flat.acquired_on, flat.building_share, flat.completion_year) == (
        date(2019, 12, 1),
        Decimal("0.750000"),
        1998,
    )
    payment = Payment.objects.get(source=etf)
    assert (payment.foreign_tax, payment.german_tax) == (Decimal("15.00"), Decimal("11.00"))
    orders = selectors.allowance_order_list(owner=fresh)
    assert list(orders.values_list("year", "bank", "amount")) == [
        (2026, "Neobroker", Decimal("801.00"))
    ]


def test_an_export_from_before_the_tax_fields_imports_with_their_defaults(alice: User) -> None:
    _account(alice)
    document = json.loads(json.dumps(account_document(user=alice)))
    del document["allowance_orders"]
    for source in document["sources"]:
        for name in ("fund_type", "acquired_on", "building_share", "completion_year"):
            del source[name]
    for payment in document["payments"]:
        del payment["foreign_tax"]
    fresh = UserFactory.create(username="alt")
    account_import(user=fresh, document=document)
    etf = IncomeSource.objects.get(owner=fresh, name="ETF")
    assert etf.fund_type == ""
    assert IncomeSource.objects.get(owner=fresh, name="Flat").building_share == Decimal(0)
    assert Payment.objects.get(source=etf).foreign_tax == Decimal(0)
    assert not selectors.allowance_order_list(owner=fresh).exists()


def test_a_refused_order_undoes_the_whole_import(alice: User) -> None:
    _account(alice)
    document = json.loads(json.dumps(account_document(user=alice)))
    document["allowance_orders"].append({"year": 2026, "bank": "Bank", "amount": "-5"})
    fresh = UserFactory.create(username="neu")
    with pytest.raises(DomainError) as refused:
        account_import(user=fresh, document=document)
    assert "allowance_orders, row 2" in refused.value.field_errors["file"][0]
    assert not IncomeSource.objects.filter(owner=fresh).exists()
    assert not selectors.allowance_order_list(owner=fresh).exists()


def test_an_account_with_allowance_orders_takes_no_import(alice: User, bob: User) -> None:
    _account(alice)
    services.allowance_order_set(owner=bob, year=2026, bank="Bank", amount=Decimal(1))
    with pytest.raises(DomainError) as refused:
        account_import(user=bob, document=account_document(user=alice))
    assert "allowance orders" in refused.value.field_errors["file"][0]
