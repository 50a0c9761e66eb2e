"""Support sees recorded asset values in the admin: their own list and inline on the source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from income import services
from income.models import AssetValue, Profile
from tests.factories import SourceFactory, category


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


@pytest.fixture
def value(alice: User) -> AssetValue:
    source = SourceFactory.create(owner=alice, name="Flat", category=category("rent"))
    return services.asset_value_create(
        owner=alice, source=source, date=date(2025, 6, 30), value=Decimal("41300.00"), note="Equity"
    )


def test_the_values_have_a_list_a_page_and_an_inline_on_their_source(
    admin_client: Client, value: AssetValue
) -> None:
    listing = admin_client.get("/admin/income/assetvalue/?q=Flat")
    assert listing.status_code == 200
    assert "41300.00" in listing.content.decode() or "41,300.00" in listing.content.decode()
    assert admin_client.get(f"/admin/income/assetvalue/{value.pk}/change/").status_code == 200
    source_page = admin_client.get(f"/admin/income/incomesource/{value.source_id}/change/")
    assert source_page.status_code == 200
    assert "Equity" in source_page.content.decode()


def test_an_admin_edit_marks_the_owners_figures_stale(
    admin_client: Client, alice: User, value: AssetValue
) -> None:
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    response = admin_client.post(
        f"/admin/income/assetvalue/{value.pk}/change/",
        {"source": value.source_id, "date": "2025-06-30", "value": "42000.00", "note": ""},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("42000.00")
    assert Profile.objects.get(user=alice).data_changed_at is not None
