"""Edits keep each other's changes, parallel duplicates get the sequential 400, and a row
deleted meanwhile is gone for every later write (issue 20).

The races themselves run against a served app in ``tests/integration/test_api_races.py``;
here each interleaving is played in order on the real services: two copies of a row read
before either write, or a twin committed between a service's check and its save (a
``pre_save`` receiver writes it, as a parallel request would).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.http import Http404

from finance.errors import DomainError
from income import services
from income.models import EffortLog, IncomeSource, Payment, SubscriptionPeriod
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.factories import (
    EffortLogFactory,
    PaymentFactory,
    PeriodFactory,
    ScenarioFactory,
    SourceFactory,
)

D = Decimal


@contextmanager
def taken_just_before_save(model: type[Any], **values: Any) -> Iterator[None]:
    """Give the next ``model`` row saved ``values`` another row already has, after the
    service's check and ``full_clean()`` passed: what a parallel request that saved the
    same value first does. (A twin inserted here would be undone with the savepoint the
    save runs in; a value taken by a committed row is what the constraint sees.)"""
    done: list[bool] = []

    def receiver(sender: type[Any], instance: Any, **kwargs: Any) -> None:
        if not done:
            done.append(True)
            for name, value in values.items():
                setattr(instance, name, value)

    pre_save.connect(receiver, sender=model, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(receiver, sender=model)
    assert done, "no row was saved"


def test_two_edits_of_one_source_read_before_either_keep_both_changes(alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="ETF", notes="")
    first_copy = IncomeSource.objects.get(pk=source.pk)
    second_copy = IncomeSource.objects.get(pk=source.pk)
    services.source_update(source=first_copy, name="World ETF")
    services.source_update(source=second_copy, notes="quarterly")
    source.refresh_from_db()
    assert (source.name, source.notes) == ("World ETF", "quarterly")


def test_two_edits_of_one_payment_read_before_either_keep_both_changes(alice: User) -> None:
    payment = PaymentFactory.create(source__owner=alice, gross=D("10.00"), note="")
    first_copy = Payment.objects.get(pk=payment.pk)
    second_copy = Payment.objects.get(pk=payment.pk)
    services.payment_update(owner=alice, payment=first_copy, gross=D("12.50"))
    services.payment_update(owner=alice, payment=second_copy, note="January")
    payment.refresh_from_db()
    assert (payment.gross, payment.note) == (D("12.50"), "January")


def test_two_edits_of_one_scenario_read_before_either_keep_both_changes(alice: User) -> None:
    scenario = ScenarioFactory.create(owner=alice, name="Plan", description="")
    first_copy = Scenario.objects.get(pk=scenario.pk)
    second_copy = Scenario.objects.get(pk=scenario.pk)
    scenario_services.scenario_update(scenario=first_copy, name="Plan B")
    scenario_services.scenario_update(scenario=second_copy, description="safe")
    scenario.refresh_from_db()
    assert (scenario.name, scenario.description) == ("Plan B", "safe")


def test_two_profile_edits_keep_both_changes(alice: User) -> None:
    services.profile_update(user=alice, monthly_expenses=D("1500.00"))
    services.profile_update(user=alice, hourly_value=D("40.00"))
    profile = services.profile_get_or_create(user=alice)
    assert (profile.monthly_expenses, profile.hourly_value) == (D("1500.00"), D("40.00"))


def test_an_edit_stamps_the_row_as_updated(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    before = source.updated_at
    updated = services.source_update(source=source, notes="new")
    updated.refresh_from_db()
    assert updated.updated_at > before


def test_editing_or_deleting_a_row_deleted_meanwhile_is_not_found(alice: User) -> None:
    payment = PaymentFactory.create(source__owner=alice)
    stale = Payment.objects.get(pk=payment.pk)
    services.payment_delete(payment=payment)
    with pytest.raises(Http404):
        services.payment_update(owner=alice, payment=stale, note="late")
    with pytest.raises(Http404):
        services.payment_delete(payment=stale)
    assert not Payment.objects.filter(pk=payment.pk).exists()  # not saved back into being


def test_deleting_a_record_twice_is_not_found_the_second_time(alice: User) -> None:
    log = EffortLogFactory.create(source__owner=alice)
    stale = EffortLog.objects.get(pk=log.pk)
    services.effort_log_delete(effort_log=log)
    with pytest.raises(Http404):
        services.effort_log_delete(effort_log=stale)


def test_a_negative_zero_amount_is_stored_as_zero(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    payment = services.payment_create(
        owner=alice, source=source, date=date(2025, 1, 1), gross=D("10"), fees=D("-0")
    )
    payment.refresh_from_db()
    assert str(payment.fees) == "0.00"


def test_a_parallel_payment_with_the_external_id_gets_the_sequential_field_error(
    alice: User,
) -> None:
    source = SourceFactory.create(owner=alice)
    PaymentFactory.create(source=source, external_id="tx-1")
    with taken_just_before_save(Payment, external_id="tx-1"), pytest.raises(DomainError) as refused:
        services.payment_create(
            owner=alice, source=source, date=date(2025, 1, 1), gross=D(5), external_id="tx-2"
        )
    assert set(refused.value.field_errors) == {"external_id"}
    assert Payment.objects.filter(source=source).count() == 1


def test_a_parallel_record_of_the_month_gets_the_sequential_field_error(alice: User) -> None:
    taken, free = date(2025, 3, 1), date(2025, 4, 1)
    log = EffortLogFactory.create(source__owner=alice, month=taken)
    with taken_just_before_save(EffortLog, month=taken), pytest.raises(DomainError) as refused:
        services.effort_log_create(owner=alice, source=log.source, month=free, hours=D(2))
    assert set(refused.value.field_errors) == {"month"}
    period = PeriodFactory.create(source__owner=alice, month=taken)
    with (
        taken_just_before_save(SubscriptionPeriod, month=taken),
        pytest.raises(DomainError) as refused,
    ):
        services.period_create(owner=alice, source=period.source, month=free, subscribers_start=3)
    assert set(refused.value.field_errors) == {"month"}
    assert EffortLog.objects.count() == SubscriptionPeriod.objects.count() == 1


def test_a_parallel_sign_up_with_the_name_in_another_case_gets_the_sequential_error(
    db: None,
) -> None:
    User.objects.create(username="DAVE")
    with taken_just_before_save(User, username="dave"), pytest.raises(ValidationError) as refused:
        services.user_register(
            username="dave2", email="dave@example.com", password="a-long-passphrase-42"
        )
    assert set(refused.value.message_dict) == {"username"}
    assert list(User.objects.values_list("username", flat=True)) == ["DAVE"]


def test_usernames_are_unique_in_any_case_in_the_database(db: None) -> None:
    """The index of accounts/migrations/0002 refuses what the check would miss in a race."""
    from django.db import IntegrityError, transaction

    User.objects.create(username="erin")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ERIN")
