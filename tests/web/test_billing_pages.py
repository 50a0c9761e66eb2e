"""A subscription source's page with billing data (issue 23): the analytics section with
its figures, movements and cohort heat maps, in both languages, in a fixed number of
queries however many customers there are; without billing data the section is absent."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.schedule import add_months, month_start
from income import services
from income.models import IncomeSource
from tests.factories import SourceFactory, category

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def club(alice: User) -> IncomeSource:
    return SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), currency="EUR"
    )


def _members(count: int, *, first: int = 0) -> list[services.NewCustomer]:
    """``count`` members at 10.00 a month from three months ago; every other one left
    last month."""
    started = add_months(month_start(timezone.localdate()), -3)
    left = add_months(month_start(timezone.localdate()), -1).replace(day=15)
    return [
        services.NewCustomer(
            external_id=f"cus_{number}",
            subscriptions=(
                services.NewSubscription(
                    fields={
                        "amount": D(10),
                        "started": started,
                        **({"ended": left} if number % 2 else {}),
                    }
                ),
            ),
        )
        for number in range(first, first + count)
    ]


def test_the_page_shows_the_analytics_of_the_billing_data(
    alice_client: Client, alice: User, club: IncomeSource
) -> None:
    services.billing_bulk_create(owner=alice, source=club, customers=_members(4))
    html = alice_client.get(reverse("source_detail", args=[club.pk])).content.decode()
    assert 'data-testid="billing"' in html
    assert "From your billing data: 4 customers." in html
    # Two of four pay on: MRR 20.00, ARR 240.00, ARPA 10.00.
    assert 'data-testid="billing-mrr">€20.00<' in html
    assert 'data-testid="billing-arr">€240.00<' in html
    # Last month two of four churned: 50 % customer churn and gross MRR churn.
    assert "50.0%" in html
    assert 'data-testid="billing-movements"' in html
    assert 'data-testid="retention-customers"' in html
    assert 'data-testid="retention-mrr"' in html
    assert 'id="billing-movements-chart"' in html
    # The source's own subscription figures say where they come from, and agree.
    assert 'data-testid="model-from-billing"' in html
    assert 'data-testid="mrr">€20.00<' in html
    assert 'data-testid="subscribers">2<' in html
    assert 'data-testid="periods-unused"' in html


def test_the_page_is_german_in_german(
    alice_client: Client, alice: User, club: IncomeSource
) -> None:
    services.billing_bulk_create(owner=alice, source=club, customers=_members(4))
    alice_client.cookies["ertrag_language"] = "de"
    html = alice_client.get(reverse("source_detail", args=[club.pk])).content.decode()
    assert "Abo-Analyse" in html
    assert "Aus deinen Abrechnungsdaten: 4 Kunden." in html
    assert "Neugeschäft" in html


def test_without_billing_data_the_section_is_absent(
    alice_client: Client, club: IncomeSource
) -> None:
    html = alice_client.get(reverse("source_detail", args=[club.pk])).content.decode()
    assert 'data-testid="billing"' not in html


def test_the_page_makes_as_many_queries_for_60_customers_as_for_3(
    alice_client: Client, alice: User, club: IncomeSource
) -> None:
    url = reverse("source_detail", args=[club.pk])
    services.billing_bulk_create(owner=alice, source=club, customers=_members(3))
    alice_client.get(url)  # warm caches of the first request
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    services.billing_bulk_create(owner=alice, source=club, customers=_members(57, first=3))
    with CaptureQueriesContext(connection) as many:
        response = alice_client.get(url)
    assert "From your billing data: 60 customers." in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_source_of_another_kind_shows_no_section(alice_client: Client, alice: User) -> None:
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    html = alice_client.get(reverse("source_detail", args=[etf.pk])).content.decode()
    assert 'data-testid="billing"' not in html


def test_the_steady_state_is_a_whole_number_of_customers(
    alice_client: Client, alice: User, club: IncomeSource
) -> None:
    """A third churning makes new ÷ churn a repeating decimal: shown whole, as a count of
    people, never its hundreds of exact digits."""
    services.billing_bulk_create(owner=alice, source=club, customers=_members(3))
    html = alice_client.get(reverse("source_detail", args=[club.pk])).content.decode()
    found = re.search(r'data-testid="steady-state">([^<]*)<', html)
    assert found is not None
    assert re.fullmatch(r"[0-9,]+", found[1]), found[1][:80]
