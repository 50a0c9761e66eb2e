"""Payment search, ordering and the bulk services (issue 18, item 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import signing

from finance.errors import DomainError
from income import selectors, services
from income.models import IncomeSource, Payment, Profile
from tests.factories import PaymentFactory, SourceFactory


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("750", Decimal("750")),
        ("750,00", Decimal("750.00")),
        ("750.00", Decimal("750.00")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234", Decimal("1234")),
        ("€ 12,5", Decimal("12.5")),
        ("-20", Decimal("-20")),
        ("rent", None),
        ("12a", None),
        ("", None),
    ],
)
def test_an_amount_is_read_the_way_people_type_it(text: str, amount: Decimal | None) -> None:
    assert selectors.parse_amount_query(text) == amount


def test_search_finds_note_source_and_gross_or_net_of_the_owner_only(
    alice: User, bob: User
) -> None:
    flat = SourceFactory.create(owner=alice, name="Flat Lindenstraße")
    etf = SourceFactory.create(owner=alice, name="World ETF")
    rent = PaymentFactory.create(source=flat, gross=Decimal("750.00"), note="March rent")
    # net 750.00 = gross 800.00 − tax 40.00 − fees 10.00
    net_match = PaymentFactory.create(
        source=etf,
        gross=Decimal("800.00"),
        tax_withheld=Decimal("40.00"),
        fees=Decimal("10.00"),
    )
    PaymentFactory.create(source=etf, gross=Decimal("12.00"), note="dividend")
    PaymentFactory.create(
        source=SourceFactory.create(owner=bob, name="Flat of Bob"),
        gross=Decimal("750.00"),
        note="March rent",
    )

    def found(text: str) -> set[int]:
        return {p.pk for p in selectors.payment_search(owner=alice, search=text)}

    assert found("750,00") == {rent.pk, net_match.pk}
    assert found("750") == {rent.pk, net_match.pk}
    assert found("march") == {rent.pk}
    assert found("LINDEN") == {rent.pk}
    assert found("flat") == {rent.pk}


def test_ordering_by_net_then_date_with_ties_broken_by_id(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    a = PaymentFactory.create(source=source, gross=Decimal("10.00"), date=date(2025, 1, 1))
    b = PaymentFactory.create(source=source, gross=Decimal("30.00"), date=date(2025, 1, 2))
    c = PaymentFactory.create(source=source, gross=Decimal("10.00"), date=date(2025, 1, 3))
    rows = list(selectors.payment_search(owner=alice, ordering=["-net"]))
    assert [p.pk for p in rows] == [b.pk, c.pk, a.pk]  # ties: highest id first
    rows = list(selectors.payment_search(owner=alice, ordering=["gross"]))
    assert [p.pk for p in rows] == [a.pk, c.pk, b.pk]
    assert selectors.payment_ordering(["-nope"]) is None


# ----------------------------------------------------------------------------- bulk writes


@pytest.fixture
def rows(alice: User) -> list[Payment]:
    source = SourceFactory.create(owner=alice, name="Old")
    return [
        PaymentFactory.create(source=source, gross=Decimal(f"{i}0.00"), date=date(2025, 2, i))
        for i in range(1, 6)
    ]


def test_move_changes_the_source_of_exactly_the_selected_rows(
    alice: User, rows: list[Payment]
) -> None:
    target = SourceFactory.create(owner=alice, name="New")
    with mock.patch("income.services.payments_bulk.owner_data_changed") as changed:
        count = services.payments_bulk_move(
            owner=alice, ids=[rows[0].pk, rows[1].pk], source=target
        )
    assert count == 2
    changed.assert_called_once_with(owner_id=alice.pk)
    assert set(Payment.objects.filter(source=target).values_list("pk", flat=True)) == {
        rows[0].pk,
        rows[1].pk,
    }


def test_a_foreign_id_refuses_the_whole_request(
    alice: User, bob: User, rows: list[Payment]
) -> None:
    bobs = PaymentFactory.create(source=SourceFactory.create(owner=bob))
    with pytest.raises(Payment.DoesNotExist):
        services.payments_bulk_set_date(owner=alice, ids=[rows[0].pk, bobs.pk], on=date(2024, 1, 1))
    assert Payment.objects.filter(date=date(2024, 1, 1)).count() == 0
    with pytest.raises(Payment.DoesNotExist):
        services.payments_bulk_delete(owner=alice, ids=[bobs.pk])
    assert Payment.objects.filter(pk=bobs.pk).exists()


def test_moving_to_another_users_source_is_refused(
    alice: User, bob: User, rows: list[Payment]
) -> None:
    with pytest.raises(IncomeSource.DoesNotExist):
        services.payments_bulk_move(
            owner=alice, ids=[rows[0].pk], source=SourceFactory.create(owner=bob)
        )
    assert Payment.objects.get(pk=rows[0].pk).source.owner == alice


def test_more_than_the_limit_is_a_clear_error(alice: User, rows: list[Payment]) -> None:
    with pytest.raises(DomainError) as error:
        services.payments_bulk_set_currency(
            owner=alice, ids=list(range(1, services.PAYMENT_BULK_LIMIT + 2)), currency="USD"
        )
    assert "ids" in error.value.field_errors
    with pytest.raises(DomainError):
        services.payments_bulk_set_currency(owner=alice, ids=[], currency="USD")
    with pytest.raises(DomainError):
        services.payments_bulk_set_currency(owner=alice, ids=[rows[0].pk], currency="XXX")


def test_set_currency_relabels_without_converting(alice: User, rows: list[Payment]) -> None:
    services.payments_bulk_set_currency(owner=alice, ids=[rows[2].pk], currency="USD")
    moved = Payment.objects.get(pk=rows[2].pk)
    assert (moved.currency, moved.gross) == ("USD", Decimal("30.00"))


def test_delete_then_restore_gives_back_the_same_rows(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    original = PaymentFactory.create(
        source=source,
        gross=Decimal("750.00"),
        tax_withheld=Decimal("50.00"),
        fees=Decimal("1.25"),
        note="rent",
        external_id="BANK-1",
        currency="CHF",
    )
    Payment.objects.filter(pk=original.pk).update(
        created_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    )
    before = Payment.objects.filter(pk=original.pk).values().get()
    count, token = services.payments_bulk_delete(owner=alice, ids=[original.pk])
    assert count == 1
    assert not Payment.objects.filter(pk=original.pk).exists()
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    assert services.payments_restore(owner=alice, token=token) == 1
    assert Payment.objects.filter(pk=original.pk).values().get() == before
    assert Profile.objects.get(user=alice).data_changed_at is not None
    # a second undo of the same deletion changes nothing
    with pytest.raises(DomainError):
        services.payments_restore(owner=alice, token=token)
    assert Payment.objects.count() == 1


def test_another_user_cannot_undo_a_deletion(alice: User, bob: User, rows: list[Payment]) -> None:
    _count, token = services.payments_bulk_delete(owner=alice, ids=[rows[0].pk])
    with pytest.raises(DomainError):
        services.payments_restore(owner=bob, token=token)
    with pytest.raises(DomainError):
        services.payments_restore(owner=alice, token=token[:-3] + "abc")
    assert not Payment.objects.filter(pk=rows[0].pk).exists()


def test_an_expired_undo_is_refused(alice: User, rows: list[Payment]) -> None:
    _count, token = services.payments_bulk_delete(owner=alice, ids=[rows[0].pk])
    expired = mock.patch.object(
        signing.TimestampSigner, "unsign", side_effect=signing.SignatureExpired
    )
    with expired, pytest.raises(DomainError):
        services.payments_restore(owner=alice, token=token)


def test_a_likely_duplicate_is_refused_unless_allowed(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    PaymentFactory.create(source=source, gross=Decimal("750.00"), date=date(2025, 3, 1))
    with pytest.raises(DomainError) as error:
        services.payment_create(
            owner=alice,
            source=source,
            date=date(2025, 3, 1),
            gross=Decimal("750.00"),
            allow_duplicate=False,
        )
    assert "confirm_duplicate" in error.value.field_errors
    # another day, or confirmed, or the default (imports): saved
    services.payment_create(
        owner=alice,
        source=source,
        date=date(2025, 3, 2),
        gross=Decimal("750.00"),
        allow_duplicate=False,
    )
    services.payment_create(
        owner=alice,
        source=source,
        date=date(2025, 3, 1),
        gross=Decimal("750.00"),
        allow_duplicate=True,
    )
    assert Payment.objects.count() == 3
