"""Writes of a subscription source's billing data (issue 23): customers, their
subscriptions and the pauses of those. Each write checks that the caller owns the source
and that the source is a subscription business, validates the row whole, and marks the
owner's figures stale, as the other records' services do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance.errors import DomainError
from income.changes import owner_data_changed
from income.models import (
    BillingSubscription,
    CalculationModel,
    Customer,
    IncomeSource,
    SubscriptionPause,
)
from income.services.rows import model_assign_and_save, reject_unknown, row_locked
from income.services.sources import source_require_owner

CUSTOMER_FIELDS = frozenset({"source", "external_id", "name"})
SUBSCRIPTION_FIELDS = frozenset(
    {
        "customer", "external_id", "plan", "amount", "currency", "interval", "interval_count",
        "quantity", "percent_off", "amount_off", "started", "trial_ends", "cancelled_on", "ended",
    }
)  # fmt: skip
PAUSE_FIELDS = frozenset({"subscription", "starts", "ends"})

#: The refusals that turn on stored rows, which no schema states: the API fuzzer accepts
#: exactly these as right (tests/fuzz).
CUSTOMERS_NOT_FOR_SOURCE = gettext_noop(
    "Customers and subscriptions belong to subscription sources only."
)
CUSTOMER_TAKEN = gettext_noop("This source has a customer with this id already.")
SUBSCRIPTION_TAKEN = gettext_noop("This customer has a subscription with this id already.")
PAUSE_OUTSIDE = gettext_noop("A pause starts on or after the subscription's start.")


def source_takes_customers(source: IncomeSource) -> bool:
    """Whether billing data can be recorded on ``source``: a subscription business."""
    return source.category.model == CalculationModel.SUBSCRIPTION


def _require_subscription_source(source: IncomeSource) -> None:
    if not source_takes_customers(source):
        raise DomainError({"source": [_(CUSTOMERS_NOT_FOR_SOURCE)]})


def _customer_owned(customer: Customer, owner: User) -> None:
    source_require_owner(source=customer.source, owner=owner)


# ----------------------------------------------------------------------------- customers


def _check_customer(customer: Customer) -> None:
    taken = (
        Customer.objects.filter(source_id=customer.source_id, external_id=customer.external_id)
        .exclude(pk=customer.pk)
        .exists()
    )
    if taken:
        raise DomainError({"external_id": [_(CUSTOMER_TAKEN)]})


R = TypeVar("R", Customer, BillingSubscription, SubscriptionPause)


def _save(record: R, *, owner: User, check: Callable[[R], None], update_fields: Any = None) -> R:
    """Check, validate whole, save and mark the owner's figures stale. ``check`` runs
    again on a conflict, so a parallel twin gets the same field error as a sequential
    one (``model_assign_and_save``)."""
    check(record)
    record = model_assign_and_save(
        instance=record,
        fields={},
        update_fields=update_fields,
        on_conflict=lambda: check(record),
    )
    owner_data_changed(owner_id=owner.pk)
    return record


@transaction.atomic
def customer_create(*, owner: User, source: IncomeSource, **fields: Any) -> Customer:
    """A customer of a subscription source, known by the billing platform's id."""
    reject_unknown("customer_create", fields, CUSTOMER_FIELDS - {"source"})
    source_require_owner(source=source, owner=owner)
    _require_subscription_source(source)
    customer = Customer(source=source, **fields)
    return _save(customer, owner=owner, check=_check_customer)


@transaction.atomic
def customer_update(*, owner: User, customer: Customer, **fields: Any) -> Customer:
    reject_unknown("customer_update", fields, CUSTOMER_FIELDS)
    if "source" in fields:
        source_require_owner(source=fields["source"], owner=owner)
        _require_subscription_source(fields["source"])
    customer = row_locked(customer)
    _customer_owned(customer, owner)
    for name, value in fields.items():
        setattr(customer, name, value)
    return _save(customer, owner=owner, check=_check_customer, update_fields=fields)


@transaction.atomic
def customer_delete(*, owner: User, customer: Customer) -> None:
    """The customer with their subscriptions and pauses."""
    customer = row_locked(customer)
    _customer_owned(customer, owner)
    owner_data_changed(owner_id=owner.pk)
    customer.delete()


# ----------------------------------------------------------------------------- subscriptions


def _check_subscription(subscription: BillingSubscription) -> None:
    _check_order(subscription)
    if not subscription.external_id:
        return
    taken = (
        BillingSubscription.objects.filter(
            customer_id=subscription.customer_id, external_id=subscription.external_id
        )
        .exclude(pk=subscription.pk)
        .exists()
    )
    if taken:
        raise DomainError({"external_id": [_(SUBSCRIPTION_TAKEN)]})


@transaction.atomic
def billing_subscription_create(
    *, owner: User, customer: Customer, **fields: Any
) -> BillingSubscription:
    """A subscription of ``customer``, in the source's currency unless another is given."""
    reject_unknown("billing_subscription_create", fields, SUBSCRIPTION_FIELDS - {"customer"})
    _customer_owned(customer, owner)
    subscription = BillingSubscription(customer=customer, currency=customer.source.currency)
    for name, value in fields.items():
        setattr(subscription, name, value)
    return _save(subscription, owner=owner, check=_check_subscription)


@transaction.atomic
def billing_subscription_update(
    *, owner: User, subscription: BillingSubscription, **fields: Any
) -> BillingSubscription:
    reject_unknown("billing_subscription_update", fields, SUBSCRIPTION_FIELDS)
    if "customer" in fields:
        _customer_owned(fields["customer"], owner)
    subscription = row_locked(subscription)
    _customer_owned(subscription.customer, owner)
    for name, value in fields.items():
        setattr(subscription, name, value)
    return _save(subscription, owner=owner, check=_check_subscription, update_fields=fields)


@transaction.atomic
def billing_subscription_delete(*, owner: User, subscription: BillingSubscription) -> None:
    subscription = row_locked(subscription)
    _customer_owned(subscription.customer, owner)
    owner_data_changed(owner_id=owner.pk)
    subscription.delete()


# ----------------------------------------------------------------------------- pauses


def _check_pause(pause: SubscriptionPause) -> None:
    _check_order(pause)
    starts, started = pause.starts, pause.subscription.started
    if starts is not None and started is not None and starts < started:
        raise DomainError({"starts": [_(PAUSE_OUTSIDE)]})


@transaction.atomic
def subscription_pause_create(
    *, owner: User, subscription: BillingSubscription, **fields: Any
) -> SubscriptionPause:
    """A pause of ``subscription``: no MRR from ``starts`` until ``ends``."""
    reject_unknown("subscription_pause_create", fields, PAUSE_FIELDS - {"subscription"})
    _customer_owned(subscription.customer, owner)
    pause = SubscriptionPause(subscription=subscription, **fields)
    return _save(pause, owner=owner, check=_check_pause)


@transaction.atomic
def subscription_pause_delete(*, owner: User, pause: SubscriptionPause) -> None:
    pause = row_locked(pause)
    _customer_owned(pause.subscription.customer, owner)
    owner_data_changed(owner_id=owner.pk)
    pause.delete()


# ----------------------------------------------------------------------------- in bulk


@dataclass(frozen=True)
class NewPause:
    starts: date
    ends: date | None = None


@dataclass(frozen=True)
class NewSubscription:
    """A subscription to write: ``fields`` are ``SUBSCRIPTION_FIELDS`` but ``customer``."""

    fields: dict[str, Any]
    pauses: tuple[NewPause, ...] = ()


@dataclass(frozen=True)
class NewCustomer:
    external_id: str
    name: str = ""
    subscriptions: tuple[NewSubscription, ...] = field(default=())


@transaction.atomic
def billing_bulk_create(
    *, owner: User, source: IncomeSource, customers: Sequence[NewCustomer]
) -> int:
    """Write many customers with their subscriptions and pauses at once: every row
    validated whole as the single services validate it (``full_clean``), then written in
    three bulk inserts, and the owner's figures marked stale once. All or nothing: the
    first invalid row raises ``DomainError`` (keyed by field, prefixed with the
    customer's id) and nothing is written. Returns the number of customers written.
    """
    source_require_owner(source=source, owner=owner)
    _require_subscription_source(source)
    taken = set(Customer.objects.filter(source=source).values_list("external_id", flat=True))
    rows: list[tuple[Customer, list[tuple[BillingSubscription, list[SubscriptionPause]]]]] = []
    for new in customers:
        if new.external_id in taken:
            raise DomainError({"external_id": [f"{new.external_id}: {_(CUSTOMER_TAKEN)}"]})
        taken.add(new.external_id)
        customer = Customer(source=source, external_id=new.external_id, name=new.name)
        _validated(customer, new.external_id, exclude=("source",))
        subscriptions = []
        for item in new.subscriptions:
            reject_unknown("billing_bulk_create", item.fields, SUBSCRIPTION_FIELDS - {"customer"})
            subscription = BillingSubscription(
                customer=customer, **{"currency": source.currency, **item.fields}
            )
            _validated(subscription, new.external_id, exclude=("customer",))
            pauses = [
                SubscriptionPause(subscription=subscription, starts=pause.starts, ends=pause.ends)
                for pause in item.pauses
            ]
            for pause in pauses:
                _validated(pause, new.external_id, exclude=("subscription",))
                _check_pause(pause)  # raises DomainError, named by its field
            subscriptions.append((subscription, pauses))
        rows.append((customer, subscriptions))
    Customer.objects.bulk_create([customer for customer, _items in rows])
    for customer, subscriptions in rows:
        for subscription, _pauses in subscriptions:
            subscription.customer = customer  # now with its id
    BillingSubscription.objects.bulk_create(
        [subscription for _customer, items in rows for subscription, _pauses in items]
    )
    for _customer, items in rows:
        for subscription, pauses in items:
            for pause in pauses:
                pause.subscription = subscription
    SubscriptionPause.objects.bulk_create(
        [pause for _customer, items in rows for _subscription, pauses in items for pause in pauses]
    )
    owner_data_changed(owner_id=owner.pk)
    return len(rows)


def _validated(
    row: Customer | BillingSubscription | SubscriptionPause, who: str, *, exclude: Sequence[str]
) -> None:
    """``full_clean``'s field checks without the parent, not saved yet, and without a
    query per row: uniqueness is checked in memory by the caller and the constraints
    across fields here (``_check_order``), the database's constraints the backstop. Its
    errors as a ``DomainError`` whose messages name the customer."""
    try:
        row.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        _check_order(row)
    except ValidationError as error:
        raise DomainError(
            {
                name: [f"{who}: {message}" for message in messages]
                for name, messages in error.message_dict.items()
            }
        ) from error


ENDS_BEFORE_START = gettext_noop("Must not be before the start.")
RESUMES_AFTER_START = gettext_noop("Must be after the start.")


def _check_order(row: Customer | BillingSubscription | SubscriptionPause) -> None:
    """The constraints across two dates of a row, as field errors: a subscription ends
    on or after its start, a pause resumes after it starts."""
    if isinstance(row, BillingSubscription):
        first, last, name, message = row.started, row.ended, "ended", ENDS_BEFORE_START
        wrong = first is not None and last is not None and last < first
    elif isinstance(row, SubscriptionPause):
        first, last, name, message = row.starts, row.ends, "ends", RESUMES_AFTER_START
        wrong = first is not None and last is not None and last <= first
    else:
        return
    if wrong:
        raise ValidationError({name: [_(message)]})
