"""/tax/<year>/allowance-orders/: every bank's order in one form, the warning when they
exceed the allowance, and the suggestion to take over (issue 22)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from income import selectors, services
from tests.factories import SourceFactory

URL = reverse("allowance_orders", kwargs={"year": 2026})


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def _sources(owner: User) -> None:
    for platform, capital in (("Musterbank", "20000"), ("Neobroker", "47000"), ("", "5000")):
        SourceFactory.create(
            owner=owner,
            platform=platform,
            invested_capital=Decimal(capital),
            expected_yield=Decimal("0.02") if platform != "Musterbank" else Decimal("0.03"),
            start_date=date(2024, 1, 1),
        )


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ['lang="en"', "Allowance orders 2026", "No bank given", "€1,000.00", "€610.00"]),
        ("de", ['lang="de"', "1.000,00\xa0€", "610,00\xa0€"]),
    ],
)
def test_the_page_renders_the_banks_in_english_and_german(
    alice_client: Client, alice: User, language: str, texts: list[str]
) -> None:
    _sources(alice)
    alice_client.cookies["ertrag_language"] = language
    response = alice_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="allowance-row"') == 2
    assert 'data-testid="no-bank-row"' in html
    for text in texts:
        assert text in html, text


def test_the_page_needs_a_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_saving_sets_and_takes_back_each_banks_order(alice_client: Client, alice: User) -> None:
    _sources(alice)
    services.allowance_order_set(owner=alice, year=2026, bank="Neobroker", amount=Decimal(300))
    data = {
        "bank_0": "Musterbank",
        "amount_0": "450",
        "bank_1": "Neobroker",
        "amount_1": "",
        "new_bank": "Tagesgeldbank",
        "new_amount": "50",
    }
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    orders = selectors.allowance_order_list(owner=alice, year=2026)
    assert sorted(orders.values_list("bank", "amount")) == [
        ("Musterbank", Decimal("450.00")),
        ("Tagesgeldbank", Decimal("50.00")),
    ]


def test_a_bad_amount_shows_on_its_field_and_saves_nothing(
    alice_client: Client, alice: User
) -> None:
    _sources(alice)
    data = {"bank_0": "Musterbank", "amount_0": "-5", "bank_1": "Neobroker", "amount_1": "10"}
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["amount_0"]
    assert not selectors.allowance_order_list(owner=alice).exists()


def test_orders_above_the_allowance_show_the_warning(alice_client: Client, alice: User) -> None:
    services.allowance_order_set(owner=alice, year=2026, bank="Musterbank", amount=Decimal(801))
    services.allowance_order_set(owner=alice, year=2026, bank="Neobroker", amount=Decimal(400))
    html = alice_client.get(URL).content.decode()
    assert 'data-testid="allowance-excess"' in html
    assert "€201.00 more than your allowance of €1,000.00" in html


def test_orders_within_the_allowance_show_no_warning(alice_client: Client, alice: User) -> None:
    services.allowance_order_set(owner=alice, year=2026, bank="Musterbank", amount=Decimal(801))
    assert 'data-testid="allowance-excess"' not in alice_client.get(URL).content.decode()


def test_the_suggestion_is_shown_and_taken_over_into_the_form(
    alice_client: Client, alice: User
) -> None:
    _sources(alice)
    html = alice_client.get(URL).content.decode()
    assert "€390.00" in html  # 1,000 € by 600 : 940
    assert "€610.00" in html
    form = alice_client.get(URL, {"suggestion": "1"}).context["form"]
    assert form["amount_0"].value() == Decimal(390)
    assert form["amount_1"].value() == Decimal(610)
    assert not selectors.allowance_order_list(owner=alice).exists()  # asking saves nothing


def test_bob_sees_his_own_year_not_alices(client: Client, alice: User, bob: User) -> None:
    _sources(alice)
    services.allowance_order_set(owner=alice, year=2026, bank="Musterbank", amount=Decimal(801))
    client.force_login(bob)
    html = client.get(URL).content.decode()
    assert "Musterbank" not in html
    assert 'data-testid="allowance-excess"' not in html
    client.post(URL, {"bank_0": "Musterbank", "amount_0": "1"})
    alices = selectors.allowance_order_list(owner=alice)
    assert list(alices.values_list("amount", flat=True)) == [Decimal("801.00")]


def test_a_year_without_tax_facts_says_so(alice_client: Client) -> None:
    response = alice_client.get(reverse("allowance_orders", kwargs={"year": 2031}))
    assert response.status_code == 200
    assert 'data-testid="facts-missing"' in response.content.decode()


def test_a_year_out_of_range_is_a_404(alice_client: Client) -> None:
    assert alice_client.get(reverse("allowance_orders", kwargs={"year": 20026})).status_code == 404


def test_a_source_without_a_rate_is_named(alice_client: Client, alice: User) -> None:
    SourceFactory.create(
        owner=alice,
        platform="Tokyo",
        currency="JPY",
        invested_capital=Decimal("100000"),
        expected_yield=Decimal("0.01"),
    )
    html = alice_client.get(URL).content.decode()
    assert 'data-testid="missing-rates"' in html
    assert "JPY" in html
