"""Support sees costs and fund years in the admin: their own lists and inlines on the
source, and an admin edit marks the owner's figures stale, as for asset values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from income import services
from income.models import Cost, FundYear, IncomeSource, Profile
from tests.factories import SourceFactory, category


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


@pytest.fixture
def cost(alice: User) -> Cost:
    source = SourceFactory.create(owner=alice, name="Flat", category=category("rent"))
    return services.cost_create(
        owner=alice, source=source, date=date(2025, 6, 30), kind="maintenance",
        amount=Decimal("850.00"), note="Boiler",
    )  # fmt: skip


@pytest.fixture
def fund_year(alice: User) -> FundYear:
    source = SourceFactory.create(owner=alice, name="ETF", category=category("etf-dividends"))
    IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
    source.refresh_from_db()
    return services.fund_year_create(
        owner=alice, source=source, year=2025, units=Decimal(3), start_price=Decimal(1),
        end_price=Decimal(2), note="Sparplan",
    )  # fmt: skip


def test_costs_have_a_list_a_page_and_an_inline_on_their_source(
    admin_client: Client, cost: Cost
) -> None:
    assert "Boiler" in admin_client.get("/admin/income/cost/?q=Flat").content.decode()
    assert admin_client.get(f"/admin/income/cost/{cost.pk}/change/").status_code == 200
    source_page = admin_client.get(f"/admin/income/incomesource/{cost.source_id}/change/")
    assert source_page.status_code == 200
    assert "Boiler" in source_page.content.decode()


def test_fund_years_have_a_list_a_page_and_an_inline_on_their_source(
    admin_client: Client, fund_year: FundYear
) -> None:
    assert "ETF" in admin_client.get("/admin/income/fundyear/?year=2025").content.decode()
    assert admin_client.get(f"/admin/income/fundyear/{fund_year.pk}/change/").status_code == 200
    source_page = admin_client.get(f"/admin/income/incomesource/{fund_year.source_id}/change/")
    assert "Sparplan" in source_page.content.decode()


def test_an_admin_edit_of_a_cost_marks_the_owners_figures_stale(
    admin_client: Client, alice: User, cost: Cost
) -> None:
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    response = admin_client.post(
        f"/admin/income/cost/{cost.pk}/change/",
        {
            "source": cost.source_id,
            "date": "2025-06-30",
            "kind": "maintenance",
            "amount": "900.00",
            "currency": "EUR",
            "note": "",
        },
    )
    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.amount == Decimal("900.00")
    assert Profile.objects.get(user=alice).data_changed_at is not None
