"""A source's tax fields (issue 22): a capital source's fund type, a rental property's day of
purchase, building share and year of completion; refused on the other kind of source, and
usable in the form, the API and the admin."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from finance.errors import DomainError
from income import services
from income.models import FundType, IncomeSource
from tests.factories import SourceFactory, category
from tests.web.test_source_pages import source_post


def _flat(owner: User, **fields: Any) -> IncomeSource:
    return services.source_create(
        owner=owner,
        name="Flat in Leipzig",
        category=category("rent"),
        start_date=date(2020, 1, 1),
        purchase_price=Decimal("200000"),
        **fields,
    )


def test_a_rental_source_keeps_its_depreciation_fields(alice: User) -> None:
    flat = _flat(
        alice,
        acquired_on=date(2019, 11, 15),
        building_share=Decimal("0.75"),
        completion_year=1998,
    )
    flat.refresh_from_db()
    assert flat.acquired_on == date(2019, 11, 15)
    assert flat.building_share == Decimal("0.750000")
    assert flat.completion_year == 1998


def test_a_capital_source_keeps_its_fund_type(alice: User) -> None:
    etf = SourceFactory.create(owner=alice, fund_type=FundType.EQUITY)
    etf.refresh_from_db()
    assert etf.fund_type == "equity"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("building_share", Decimal("0.7")),
        ("completion_year", 1990),
        ("acquired_on", date(2023, 5, 1)),
    ],
)
def test_a_capital_source_refuses_the_rental_fields(alice: User, field: str, value: Any) -> None:
    with pytest.raises(DomainError) as refused:
        SourceFactory.create(owner=alice, **{field: value})
    assert list(refused.value.field_errors) == [field]
    assert "rental" in refused.value.field_errors[field][0]
    assert not IncomeSource.objects.filter(owner=alice).exists()


def test_a_rental_source_refuses_a_fund_type(alice: User) -> None:
    with pytest.raises(DomainError) as refused:
        _flat(alice, fund_type=FundType.REAL_ESTATE)
    assert list(refused.value.field_errors) == ["fund_type"]


def test_switching_a_flat_to_capital_asks_to_clear_its_building_share(alice: User) -> None:
    flat = _flat(alice, building_share=Decimal("0.8"))
    with pytest.raises(DomainError) as refused:
        services.source_update(source=flat, category=category("etf-dividends"))
    assert "building_share" in refused.value.field_errors
    flat.refresh_from_db()
    assert flat.category.slug == "rent"
    services.source_update(
        source=flat, category=category("etf-dividends"), building_share=Decimal(0)
    )
    assert flat.category.slug == "etf-dividends"


def test_the_day_of_purchase_is_not_in_the_future(alice: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        _flat(alice, acquired_on=tomorrow)
    assert list(refused.value.field_errors) == ["acquired_on"]


def test_the_day_of_purchase_is_not_after_the_end(alice: User) -> None:
    with pytest.raises(DomainError) as refused:
        _flat(alice, end_date=date(2024, 6, 30), acquired_on=date(2024, 7, 1))
    assert list(refused.value.field_errors) == ["acquired_on"]
    assert "end date" in refused.value.field_errors["acquired_on"][0]


def test_a_building_share_above_one_is_refused(alice: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _flat(alice, building_share=Decimal("1.5"))
    assert "building_share" in refused.value.message_dict


# ----------------------------------------------------------------------------- the form


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def test_the_form_shows_the_fund_type_with_capital_and_the_property_with_rental(
    alice_client: Client,
) -> None:
    html = alice_client.get(reverse("source_create")).content.decode()
    capital = html.split('group-capital" data-model="capital">')[1].split("</fieldset>")[0]
    rental = html.split('group-rental" data-model="rental">')[1].split("</fieldset>")[0]
    assert 'name="fund_type"' in capital
    assert "Not a fund" in capital
    for name in ("acquired_on", "building_share", "completion_year"):
        assert f'name="{name}"' in rental, name
        assert f'name="{name}"' not in capital


def test_the_form_stores_the_building_share_from_percent(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        reverse("source_create"),
        source_post(
            name="Flat",
            category=str(category("rent").pk),
            acquired_on="2021-03-01",
            building_share="75",
            completion_year="1985",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    flat = IncomeSource.objects.get(owner=alice, name="Flat")
    assert (flat.acquired_on, flat.building_share, flat.completion_year) == (
        date(2021, 3, 1),
        Decimal("0.750000"),
        1985,
    )
    edit = alice_client.get(reverse("source_edit", args=[flat.pk])).content.decode()
    assert 'name="building_share" value="75"' in edit


def test_the_form_shows_the_refusal_on_the_field_and_saves_nothing(
    alice_client: Client, alice: User
) -> None:
    response = alice_client.post(reverse("source_create"), source_post(building_share="60"))
    assert response.status_code == 400
    assert response.context["form"].errors["building_share"]
    assert not IncomeSource.objects.filter(owner=alice).exists()


def test_the_form_saves_a_fund_type(alice_client: Client, alice: User) -> None:
    response = alice_client.post(reverse("source_create"), source_post(fund_type="mixed"))
    assert response.status_code == 302
    assert IncomeSource.objects.get(owner=alice).fund_type == "mixed"


# ----------------------------------------------------------------------------- API, admin


def test_the_api_reads_and_writes_the_tax_fields(alice_api: APIClient, alice: User) -> None:
    body = {
        "name": "Flat",
        "category": category("rent").pk,
        "start_date": "2020-01-01",
        "acquired_on": "2019-12-01",
        "building_share": "0.8",
        "completion_year": 2001,
    }
    created = alice_api.post("/api/v1/sources/", body, format="json")
    assert created.status_code == 201, created.json()
    row = created.json()
    assert (row["acquired_on"], row["building_share"], row["completion_year"]) == (
        "2019-12-01",
        "0.800000",
        2001,
    )
    assert row["fund_type"] == ""


def test_the_api_answers_a_misplaced_fund_type_on_the_field(alice_api: APIClient) -> None:
    body = {
        "name": "Flat",
        "category": category("rent").pk,
        "start_date": "2020-01-01",
        "fund_type": "equity",
    }
    response = alice_api.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400
    assert "fund_type" in response.json()


def test_the_admin_shows_the_tax_fields(client: Client, alice: User) -> None:
    staff = User.objects.create_user("support", password="x", is_staff=True, is_superuser=True)
    flat = _flat(alice, building_share=Decimal("0.7"))
    client.force_login(staff)
    html = client.get(reverse("admin:income_incomesource_change", args=[flat.pk])).content
    for name in (b"fund_type", b"acquired_on", b"building_share", b"completion_year"):
        assert b'name="' + name + b'"' in html, name
