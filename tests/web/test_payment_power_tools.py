"""/payments/ as a power tool: search, sort, counts, bulk actions, undo, duplicates
(issue 18, items 2 and 3)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from income.models import EffortLog, IncomeSource, Payment
from tests.factories import PaymentFactory, SourceFactory


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def flat(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="Flat")


def listed_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="payment-(\d+)"', html)]


def test_search_and_sort_are_kept_in_the_url(alice_client: Client, flat: IncomeSource) -> None:
    rent = PaymentFactory.create(source=flat, gross=Decimal("750.00"), note="rent")
    big = PaymentFactory.create(source=flat, gross=Decimal("900.00"), note="rent + extras")
    PaymentFactory.create(source=flat, gross=Decimal("12.00"), note="interest")
    html = alice_client.get(reverse("payment_list"), {"search": "rent", "sort": "gross"}).content
    page = html.decode()
    assert listed_ids(page) == [rent.pk, big.pk]
    # the filter form keeps the sort, the column heads keep the search
    assert '<input type="hidden" name="sort" value="gross">' in page
    assert 'href="?search=rent&amp;sort=-gross"' in page  # gross is the sort: flip it
    assert 'aria-sort="ascending"' in page
    amount = alice_client.get(reverse("payment_list"), {"search": "750,00"}).content.decode()
    assert listed_ids(amount) == [rent.pk]


def test_pages_show_their_counts(alice_client: Client, flat: IncomeSource) -> None:
    Payment.objects.bulk_create(
        Payment(source=flat, date=date(2025, 1, 1), gross=Decimal("1.00"), currency="EUR")
        for _ in range(120)
    )
    html = alice_client.get(reverse("payment_list"), {"page": 2}).content.decode()
    # 50 a page: page 2 holds rows 51 to 100 of 120
    assert 'data-testid="payment-count">51–100 of 120<' in html


def test_the_list_runs_a_constant_number_of_queries(
    alice_client: Client, flat: IncomeSource, alice: User
) -> None:
    other = SourceFactory.create(owner=alice, name="ETF")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = alice_client.get(reverse("payment_list"), {"search": "1", "sort": "-net"})
        assert response.status_code == 200
        return len(captured)

    PaymentFactory.create(source=flat, gross=Decimal("1.00"))
    few = queries()
    Payment.objects.bulk_create(
        Payment(
            source=flat if i % 2 else other,
            date=date(2025, 1, 1),
            gross=Decimal("1.00"),
            currency="EUR",
            note="x1",
        )
        for i in range(60)
    )
    assert queries() == few


def test_bulk_move_moves_the_ticked_rows(
    alice_client: Client, flat: IncomeSource, alice: User
) -> None:
    target = SourceFactory.create(owner=alice, name="Garage")
    rows = [PaymentFactory.create(source=flat, gross=Decimal(f"{i}.00")) for i in range(1, 4)]
    response = alice_client.post(
        reverse("payment_bulk"),
        {
            "action": "move",
            "ids": [rows[0].pk, rows[1].pk],
            "target_source": target.pk,
            "next": "/payments/?search=x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/payments/?search=x"
    assert set(target.payments.values_list("pk", flat=True)) == {rows[0].pk, rows[1].pk}
    assert Payment.objects.get(pk=rows[2].pk).source == flat


def test_bulk_with_another_users_id_is_404_and_changes_nothing(
    alice_client: Client, flat: IncomeSource, bob: User
) -> None:
    mine = PaymentFactory.create(source=flat)
    theirs = PaymentFactory.create(source=SourceFactory.create(owner=bob))
    response = alice_client.post(
        reverse("payment_bulk"), {"action": "delete", "ids": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 404
    assert Payment.objects.count() == 2


def test_moving_to_another_users_source_is_refused(
    alice_client: Client, flat: IncomeSource, bob: User
) -> None:
    mine = PaymentFactory.create(source=flat)
    bobs_source = SourceFactory.create(owner=bob)
    response = alice_client.post(
        reverse("payment_bulk"),
        {"action": "move", "ids": [mine.pk], "target_source": bobs_source.pk},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    assert Payment.objects.get(pk=mine.pk).source == flat


def test_bulk_delete_offers_an_undo_that_restores_the_rows(
    alice_client: Client, flat: IncomeSource
) -> None:
    rows = [
        PaymentFactory.create(source=flat, gross=Decimal(f"{i}.00"), note=f"n{i}")
        for i in range(1, 5)
    ]
    before = list(Payment.objects.order_by("pk").values())
    ids = [row.pk for row in rows[:3]]
    response = alice_client.post(
        reverse("payment_bulk"), {"action": "delete", "ids": ids}, follow=True
    )
    html = response.content.decode()
    assert "3 payments deleted." in html
    assert 'data-testid="payment-undo-button"' in html
    assert Payment.objects.count() == 1
    response = alice_client.post(reverse("payment_undo"), follow=True)
    assert "3 payments restored." in response.content.decode()
    assert list(Payment.objects.order_by("pk").values()) == before
    # the offer is used up
    assert 'data-testid="payment-undo-button"' not in response.content.decode()


def test_a_single_delete_can_be_undone_too(alice_client: Client, flat: IncomeSource) -> None:
    payment = PaymentFactory.create(source=flat, external_id="X-1")
    alice_client.post(reverse("payment_delete", args=[payment.pk]))
    assert not Payment.objects.exists()
    alice_client.post(reverse("payment_undo"))
    assert Payment.objects.get().pk == payment.pk


def test_bob_cannot_undo_alices_deletion(
    alice_client: Client, flat: IncomeSource, bob: User
) -> None:
    payment = PaymentFactory.create(source=flat)
    alice_client.post(reverse("payment_bulk"), {"action": "delete", "ids": [payment.pk]})
    bob_client = Client()
    bob_client.force_login(bob)
    response = bob_client.post(reverse("payment_undo"), follow=True)
    assert "There is no deletion to undo." in response.content.decode()
    assert not Payment.objects.exists()


def test_bulk_without_a_value_is_a_clear_error(alice_client: Client, flat: IncomeSource) -> None:
    payment = PaymentFactory.create(source=flat)
    response = alice_client.post(
        reverse("payment_bulk"), {"action": "set_date", "ids": [payment.pk]}, follow=True
    )
    assert "Choose the new value for the selected payments." in response.content.decode()
    response = alice_client.post(reverse("payment_bulk"), {"action": "delete"}, follow=True)
    assert "Select at least one payment." in response.content.decode()
    assert Payment.objects.get().date == payment.date


def test_a_likely_duplicate_asks_before_it_is_saved(
    alice_client: Client, flat: IncomeSource
) -> None:
    PaymentFactory.create(source=flat, gross=Decimal("750.00"), date=date(2025, 3, 1))
    data = {
        "source": flat.pk,
        "date": "2025-03-01",
        "gross": "750.00",
        "tax_withheld": "0",
        "fees": "0",
    }
    response = alice_client.post(reverse("payment_create"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "already recorded" in html
    assert 'data-testid="save-anyway"' in html
    assert Payment.objects.count() == 1
    alice_client.post(
        reverse("payment_create"), {**data, "confirm_duplicate": "1"}, HTTP_HX_REQUEST="true"
    )
    assert Payment.objects.count() == 2


# ----------------------------------------------------------------------------- source page


def test_the_source_page_shows_the_latest_ten_payments_and_pages_the_hours(
    alice_client: Client, flat: IncomeSource
) -> None:
    Payment.objects.bulk_create(
        Payment(source=flat, date=date(2025, 1, day), gross=Decimal("5.00"), currency="EUR")
        for day in range(1, 26)
    )
    EffortLog.objects.bulk_create(
        EffortLog(source=flat, month=date(2023 + i // 12, i % 12 + 1, 1), hours=Decimal(1))
        for i in range(15)
    )
    html = alice_client.get(reverse("source_detail", args=[flat.pk])).content.decode()
    payments_table = html.split('data-testid="payment-table"')[1].split("</table>")[0]
    assert payments_table.count("<tr>") == 11  # a head row and the latest 10
    assert "The latest 10 of 25 payments." in html
    assert f"/payments/?source={flat.pk}" in html
    hours = html.split('data-testid="effort-table"')[1].split("</table>")[0]
    assert hours.count("<tr>") == 13  # a head row and 12 months a page
    assert "1–12 of 15" in html
    second = alice_client.get(reverse("source_detail", args=[flat.pk]), {"hours": 2})
    hours = second.content.decode().split('data-testid="effort-table"')[1].split("</table>")[0]
    assert hours.count("<tr>") == 4
