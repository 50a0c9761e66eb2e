"""Costs and fund years on a source's page (issue 22): each section only where it applies,
costs summed per year, recorded with htmx or without JavaScript, edited and deleted on
pages of their own, in English and German; another user's is a 404."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from income import services
from income.models import Cost, FundYear, IncomeSource
from tests.factories import SourceFactory, category

D = Decimal


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def flat(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="Flat", category=category("rent"), currency="EUR")


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    source = SourceFactory.create(owner=alice, name="World ETF", category=category("etf-dividends"))
    IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
    source.refresh_from_db()
    return source


def page(client: Client, source: IncomeSource) -> str:
    response = client.get(reverse("source_detail", args=[source.pk]))
    assert response.status_code == 200
    return response.content.decode()


def cells(html: str, testid: str) -> list[str]:
    """The text of every element marked ``data-testid=testid``."""
    found = re.findall(rf'data-testid="{testid}">(.*?)</', html, re.S)
    return [re.sub(r"[ \t\n]+", " ", text).strip() for text in found]


def add_cost(owner: User, source: IncomeSource, day: date, amount: str) -> Cost:
    return services.cost_create(
        owner=owner, source=source, date=day, kind="other", amount=D(amount)
    )


# ----------------------------------------------------------------------------- sections


def test_a_rental_shows_costs_with_totals_per_year_and_no_fund_years(
    alice_client: Client, alice: User, flat: IncomeSource
) -> None:
    add_cost(alice, flat, date(2024, 5, 1), "100.00")
    add_cost(alice, flat, date(2025, 2, 1), "1200.00")
    add_cost(alice, flat, date(2025, 8, 1), "-200.50")
    html = page(alice_client, flat)
    assert 'data-testid="costs-section"' in html
    assert 'data-testid="fund-years-section"' not in html
    assert cells(html, "cost-total") == ["€999.50", "€100.00"]
    assert "refund" in html


def test_a_fund_shows_fund_years_and_no_costs(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D("12.5"), start_price=D("98.1234"),
        end_price=D("105.5"),
    )  # fmt: skip
    html = page(alice_client, etf)
    assert 'data-testid="fund-years-section"' in html
    assert 'data-testid="costs-section"' not in html
    assert "98.1234" in html
    assert "12.5" in html


def test_a_share_without_a_fund_type_shows_neither(alice_client: Client, alice: User) -> None:
    shares = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    html = page(alice_client, shares)
    assert 'data-testid="costs-section"' not in html
    assert 'data-testid="fund-years-section"' not in html


def test_the_sections_render_in_german(
    alice_client: Client, alice: User, flat: IncomeSource, etf: IncomeSource
) -> None:
    add_cost(alice, flat, date(2025, 2, 1), "1200.00")
    services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D("1234.5"), start_price=D(1), end_price=D(2)
    )
    alice_client.cookies["ertrag_language"] = "de"
    costs = page(alice_client, flat)
    assert cells(costs, "cost-total") == ["1.200,00\u00a0€"]
    assert 'lang="de"' in costs
    years = page(alice_client, etf)
    assert "1.234,5" in years
    assert alice_client.get(reverse("cost_create", args=[flat.pk])).status_code == 200
    assert alice_client.get(reverse("fund_year_create", args=[etf.pk])).status_code == 200


# ----------------------------------------------------------------------------- costs


def test_htmx_records_a_cost_and_answers_with_the_section_and_new_totals(
    alice_client: Client, flat: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("cost_create", args=[flat.pk]),
        {"date": "2025-03-01", "kind": "maintenance", "amount": "1200", "currency": "EUR"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert 'id="costs"' in html
    assert cells(html, "cost-total") == ["€1,200.00"]
    assert "recorded." in cells(html, "cost-status")[0]
    assert Cost.objects.get().amount == D("1200.00")


def test_htmx_shows_the_errors_in_the_section_and_records_nothing(
    alice_client: Client, flat: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("cost_create", args=[flat.pk]),
        {"date": "2025-03-01", "kind": "bribes", "amount": "12", "currency": "EUR"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "field-invalid" in response.content.decode()
    assert not Cost.objects.exists()


def test_without_javascript_a_cost_is_recorded_or_the_form_shown_with_errors(
    alice_client: Client, flat: IncomeSource
) -> None:
    url = reverse("cost_create", args=[flat.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url, {"date": "2025-03-01", "kind": "running", "amount": "80", "currency": "EUR"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("source_detail", args=[flat.pk])
    bad = alice_client.post(url, {"date": "", "kind": "running", "amount": "x", "currency": "EUR"})
    assert bad.status_code == 400
    assert Cost.objects.count() == 1


def test_a_cost_on_a_source_that_takes_none_is_refused_on_the_form(
    alice_client: Client, alice: User
) -> None:
    shares = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_client.post(
        reverse("cost_create", args=[shares.pk]),
        {"date": "2025-03-01", "kind": "other", "amount": "10", "currency": "EUR"},
    )
    assert response.status_code == 400
    assert "business or creator income only" in response.content.decode()
    assert not Cost.objects.exists()


def test_a_cost_is_edited_and_deleted(
    alice_client: Client, alice: User, flat: IncomeSource
) -> None:
    cost = add_cost(alice, flat, date(2025, 3, 1), "80.00")
    edit = reverse("cost_edit", args=[cost.pk])
    assert alice_client.get(edit).status_code == 200
    response = alice_client.post(
        edit, {"date": "2025-03-02", "kind": "management", "amount": "90.5", "currency": "EUR"}
    )
    assert response.status_code == 302
    cost.refresh_from_db()
    assert (cost.date, cost.kind, cost.amount) == (date(2025, 3, 2), "management", D("90.50"))
    delete = reverse("cost_delete", args=[cost.pk])
    assert "€90.50" in alice_client.get(delete).content.decode()
    assert alice_client.post(delete).status_code == 302
    assert not Cost.objects.exists()


def test_bob_cannot_touch_alices_costs(alice: User, bob: User, flat: IncomeSource) -> None:
    cost = add_cost(alice, flat, date(2025, 3, 1), "80.00")
    client = Client()
    client.force_login(bob)
    body = {"date": "2025-03-01", "kind": "other", "amount": "1", "currency": "EUR"}
    assert client.post(reverse("cost_create", args=[flat.pk]), body).status_code == 404
    assert client.post(reverse("cost_edit", args=[cost.pk]), body).status_code == 404
    assert client.post(reverse("cost_delete", args=[cost.pk])).status_code == 404
    assert Cost.objects.get().amount == D("80.00")


# ----------------------------------------------------------------------------- fund years


def test_htmx_records_a_fund_year_and_answers_with_the_section(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("fund_year_create", args=[etf.pk]),
        {"year": "2025", "units": "10", "start_price": "100", "end_price": "110"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fund-years"' in html
    assert "<html" not in html
    assert "2025" in cells(html, "fund-year-status")[0]
    assert FundYear.objects.get().units == D("10")


def test_a_day_of_purchase_outside_the_year_is_shown_on_its_field(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("fund_year_create", args=[etf.pk]),
        {
            "year": "2025",
            "units": "10",
            "start_price": "100",
            "end_price": "110",
            "bought_on": "2024-12-31",
        },
    )
    assert response.status_code == 400
    assert 'id="id_bought_on_error"' in response.content.decode()
    assert not FundYear.objects.exists()


def test_a_source_without_a_fund_type_says_to_set_it(alice_client: Client, alice: User) -> None:
    shares = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    response = alice_client.post(
        reverse("fund_year_create", args=[shares.pk]),
        {"year": "2025", "units": "10", "start_price": "100", "end_price": "110"},
    )
    assert response.status_code == 400
    assert "fund type first" in response.content.decode()
    assert not FundYear.objects.exists()


def test_a_fund_year_is_edited_and_deleted(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    recorded = services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D(1), start_price=D(1), end_price=D(1)
    )
    edit = reverse("fund_year_edit", args=[recorded.pk])
    assert alice_client.get(edit).status_code == 200
    response = alice_client.post(
        edit,
        {
            "year": "2025",
            "units": "3",
            "start_price": "1",
            "end_price": "2",
            "bought_on": "2025-06-01",
        },
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert (recorded.units, recorded.bought_on) == (D(3), date(2025, 6, 1))
    delete = reverse("fund_year_delete", args=[recorded.pk])
    assert "2025" in alice_client.get(delete).content.decode()
    assert alice_client.post(delete).status_code == 302
    assert not FundYear.objects.exists()


def test_the_fund_year_form_shows_units_as_typed_not_in_the_columns_six_places(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    recorded = services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D(650), start_price=D(1), end_price=D(1)
    )
    other = services.fund_year_create(
        owner=alice, source=etf, year=2024, units=D("12.5"), start_price=D(1), end_price=D(1)
    )
    html = alice_client.get(reverse("fund_year_edit", args=[recorded.pk])).content.decode()
    assert 'name="units" value="650"' in html
    html = alice_client.get(reverse("fund_year_edit", args=[other.pk])).content.decode()
    assert 'name="units" value="12.5"' in html


def test_the_source_delete_page_counts_costs_and_fund_years(
    alice_client: Client, alice: User, flat: IncomeSource
) -> None:
    add_cost(alice, flat, date(2025, 3, 1), "80.00")
    add_cost(alice, flat, date(2025, 4, 1), "80.00")
    html = alice_client.get(reverse("source_delete", args=[flat.pk])).content.decode()
    assert "2 recorded costs" in html
