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
from django.utils import timezone
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
    batch = _Batch()
    for new in customers:
        if new.external_id in taken:
            raise DomainError({"external_id": [f"{new.external_id}: {_(CUSTOMER_TAKEN)}"]})
        taken.add(new.external_id)
        customer = _new_customer(source, new)
        batch.customers.append(customer)
        for item in new.subscriptions:
            batch.add_subscription(_new_subscription(source, customer, new.external_id, item))
    batch.write()
    owner_data_changed(owner_id=owner.pk)
    return len(batch.customers)


@dataclass(frozen=True)
class BillingWritten:
    """What ``billing_import`` did, counted in subscriptions (an export's rows)."""

    created: int
    updated: int
    unchanged: int
    customers_created: int


@transaction.atomic
def billing_import(
    *, owner: User, source: IncomeSource, customers: Sequence[NewCustomer]
) -> BillingWritten:
    """Bring a source's billing data up to date with a billing export: what the export
    states wins, and what it does not mention is kept.

    A customer is recognised by its id, a subscription by the customer and its id: a
    new one is created, a known one takes the export's fields (a cancellation, a new
    plan), and an unchanged one is left alone, so importing this month's export after
    last month's adds the new customers and records the cancellations, and importing
    one twice changes nothing. A pause is recognised by its first day; its end is
    updated. Customers and subscriptions the export leaves out stay: an export may be
    filtered (only this year's, only active ones), and a row missing from it is no sign
    that the customer never existed.

    Every row is validated whole as the single services validate it, and all of it is
    written or none (the first invalid row raises ``DomainError`` naming the customer).
    The source's row is locked for the write, so two imports into one source run one
    after the other and the second finds the first's rows.
    """
    source_require_owner(source=source, owner=owner)
    _require_subscription_source(source)
    row_locked(source)
    stored = {c.external_id: c for c in Customer.objects.filter(source=source)}
    subscriptions = {
        (s.customer_id, s.external_id): s
        for s in BillingSubscription.objects.filter(customer__source=source).exclude(external_id="")
    }
    pauses: dict[int, dict[date, SubscriptionPause]] = {}
    for pause in SubscriptionPause.objects.filter(subscription__customer__source=source):
        pauses.setdefault(pause.subscription_id, {})[pause.starts] = pause
    batch = _Batch()
    renamed: list[Customer] = []
    seen: set[str] = set()
    updated = unchanged = 0
    for new in customers:
        if new.external_id in seen:
            raise DomainError({"external_id": [f"{new.external_id}: {_(CUSTOMER_TAKEN)}"]})
        seen.add(new.external_id)
        customer = stored.get(new.external_id)
        if customer is None:
            customer = _new_customer(source, new)
            batch.customers.append(customer)
        elif new.name and customer.name != new.name:
            customer.name = new.name
            _validated(customer, new.external_id, exclude=("source",))
            renamed.append(customer)
        for item in new.subscriptions:
            known = subscriptions.get((customer.pk, item.fields.get("external_id") or ""))
            if known is None:
                batch.add_subscription(_new_subscription(source, customer, new.external_id, item))
                continue
            changed = _assign(known, item.fields)
            if changed:
                _validated(known, new.external_id, exclude=("customer",))
            for pause_new in item.pauses:
                held = pauses.get(known.pk, {}).get(pause_new.starts)
                if held is None:
                    held = SubscriptionPause(
                        subscription=known, starts=pause_new.starts, ends=pause_new.ends
                    )
                    _checked_pause(held, new.external_id)
                    batch.pauses.append(held)
                    changed.add("pauses")
                elif held.ends != pause_new.ends:
                    held.ends = pause_new.ends
                    _checked_pause(held, new.external_id)
                    batch.changed_pauses.append(held)
                    changed.add("pauses")
            if changed:
                batch.changed.append((known, changed - {"pauses"}))
                updated += 1
            else:
                unchanged += 1
    if renamed:
        now = timezone.now()
        for customer in renamed:
            customer.updated_at = now
        Customer.objects.bulk_update(renamed, ["name", "updated_at"])
    batch.write()
    if batch.subscriptions or batch.changed or renamed:
        owner_data_changed(owner_id=owner.pk)
    return BillingWritten(
        created=len(batch.subscriptions),
        updated=updated,
        unchanged=unchanged,
        customers_created=len(batch.customers),
    )


def _assign(subscription: BillingSubscription, fields: dict[str, Any]) -> set[str]:
    """Set the fields that differ; their names."""
    changed = set()
    for name, value in fields.items():
        if getattr(subscription, name) != value:
            setattr(subscription, name, value)
            changed.add(name)
    return changed


def _new_customer(source: IncomeSource, new: NewCustomer) -> Customer:
    customer = Customer(source=source, external_id=new.external_id, name=new.name)
    _validated(customer, new.external_id, exclude=("source",))
    return customer


def _new_subscription(
    source: IncomeSource, customer: Customer, who: str, item: NewSubscription
) -> tuple[BillingSubscription, list[SubscriptionPause]]:
    """A subscription to insert with its pauses, validated (in the source's currency
    unless it names another)."""
    reject_unknown("billing", item.fields, SUBSCRIPTION_FIELDS - {"customer"})
    subscription = BillingSubscription(
        customer=customer, **{"currency": source.currency, **item.fields}
    )
    _validated(subscription, who, exclude=("customer",))
    pauses = [
        SubscriptionPause(subscription=subscription, starts=pause.starts, ends=pause.ends)
        for pause in item.pauses
    ]
    for pause in pauses:
        _checked_pause(pause, who)
    return subscription, pauses


def _checked_pause(pause: SubscriptionPause, who: str) -> None:
    _validated(pause, who, exclude=("subscription",))
    _check_pause(pause)  # raises DomainError, named by its field


@dataclass
class _Batch:
    """The rows of a bulk write, inserted parents first so each child gets its parent's id."""

    customers: list[Customer] = field(default_factory=list)
    subscriptions: list[BillingSubscription] = field(default_factory=list)
    pauses: list[SubscriptionPause] = field(default_factory=list)
    changed: list[tuple[BillingSubscription, set[str]]] = field(default_factory=list)
    changed_pauses: list[SubscriptionPause] = field(default_factory=list)

    def add_subscription(self, built: tuple[BillingSubscription, list[SubscriptionPause]]) -> None:
        subscription, pauses = built
        self.subscriptions.append(subscription)
        self.pauses.extend(pauses)

    def write(self) -> None:
        """Insert and update. A child built before its parent had an id takes the id
        now: ``bulk_create`` fills a foreign key from its object's primary key."""
        Customer.objects.bulk_create(self.customers)
        BillingSubscription.objects.bulk_create(self.subscriptions)
        SubscriptionPause.objects.bulk_create(self.pauses)
        names = sorted({name for _s, changed in self.changed for name in changed})
        if names:
            now = timezone.now()  # ``auto_now`` is not applied by ``bulk_update``
            for subscription, _changed in self.changed:
                subscription.updated_at = now
            BillingSubscription.objects.bulk_update(
                [s for s, _changed in self.changed], [*names, "updated_at"]
            )
        if self.changed_pauses:
            SubscriptionPause.objects.bulk_update(self.changed_pauses, ["ends"])


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
