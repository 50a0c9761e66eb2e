"""Billing exports through the import pipeline (issue 23): a platform's subscription or
member export, uploaded like a statement, previewed, and imported by the worker into a
subscription source's customers and subscriptions.

A billing export is recognised by its header (``imports.parsing.billing``) when it is
uploaded; the upload then keeps that preset's key, and its preview, its import and its
rejected lines go through here instead of the statement's path. Its rows go to one
subscription source: the one chosen at the upload, else the one the platform's last
import went to (remembered as a ``SourceAlias`` of the platform's name), else a new
source named after the platform, in the preset's category. The write itself is
``income.services.billing_import``: what the export states wins, nothing is doubled.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance.currencies import CURRENCY_CODES
from finance.errors import DomainError
from imports.models import PaymentImport, SourceAlias
from imports.parsing.billing.presets import BILLING_PRESETS, BillingPreset
from imports.parsing.billing.reader import billing_preset_of, parse_billing
from imports.parsing.billing.rows import BillingResult, BillingRow
from imports.reading import READING_CACHE_SECONDS, default_currency_for
from imports.sources import alias_key
from income.models import BillingSubscription, Customer, IncomeCategory, IncomeSource
from income.services import (
    BillingWritten,
    NewCustomer,
    NewPause,
    NewSubscription,
    billing_import,
    source_create,
    source_require_owner,
    source_takes_customers,
)

__all__ = ["BILLING_PRESETS", "billing_preset_of"]

NOT_A_SUBSCRIPTION_SOURCE = gettext_noop(
    "A billing export's customers belong to a subscription source (a SaaS tool, a "
    "membership, online courses): choose one, or none to create one."
)


@dataclass(frozen=True)
class BillingTarget:
    """The source an export's subscriptions go to: ``source``, or one to create named
    ``name`` in ``category`` (``how``: "chosen", "remembered" or "create")."""

    source: IncomeSource | None
    name: str
    category: IncomeCategory | None
    currency: str
    how: str


@dataclass(frozen=True)
class BillingPreview:
    """What the preview of a billing export shows."""

    result: BillingResult
    preset: BillingPreset
    target: BillingTarget
    #: Subscriptions of the file the target does not have yet, and customers.
    new_subscriptions: int
    new_customers: int

    @property
    def known_subscriptions(self) -> int:
        return len(self.result.rows) - self.new_subscriptions


@dataclass(frozen=True)
class BillingSummary:
    result: BillingResult
    #: The source the subscriptions went to.
    source: IncomeSource
    written: BillingWritten
    created_sources: int
    rejected: int


def billing_read(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None,
    preset: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> BillingResult:
    """A billing export read with ``preset`` (every row checked, nothing written)."""
    result = parse_billing(
        data,
        currencies=CURRENCY_CODES,
        default_currency=default_currency_for(owner=owner, source=source),
        preset=preset,
        max_rows=settings.IMPORT_MAX_ROWS,
        on_progress=on_progress,
    )
    if result is None:  # only a key that is no billing preset's: a programming error
        raise ValueError(f"{preset!r} is no billing preset")
    return result


def _platform_key(preset: BillingPreset) -> str:
    """The alias under which the source of a platform's exports is remembered."""
    return alias_key(f"billing: {preset.name}")


def billing_source_check(*, owner: User, source: IncomeSource | None) -> None:
    """A ``DomainError`` unless ``source`` (when one is chosen) is the owner's and a
    subscription source: a billing export's customers belong to one."""
    if source is None:
        return
    source_require_owner(source=source, owner=owner)
    if not source_takes_customers(source):
        raise DomainError({"source": [_(NOT_A_SUBSCRIPTION_SOURCE)]})


def billing_target(
    *, owner: User, source: IncomeSource | None, preset: BillingPreset, result: BillingResult
) -> BillingTarget:
    """Where the export's subscriptions go (see the module doc); a ``DomainError`` when
    the chosen source is no subscription source."""
    currencies = Counter(row.currency for row in result.rows)
    currency = (
        currencies.most_common(1)[0][0]
        if currencies
        else default_currency_for(owner=owner, source=source)
    )
    if source is not None:
        billing_source_check(owner=owner, source=source)
        return BillingTarget(source, source.name, None, source.currency, "chosen")
    remembered = (
        SourceAlias.objects.filter(owner=owner, value=_platform_key(preset))
        .select_related("source__category")
        .first()
    )
    if remembered is not None and source_takes_customers(remembered.source):
        found = remembered.source
        return BillingTarget(found, found.name, None, found.currency, "remembered")
    category = IncomeCategory.objects.filter(slug=preset.category).first()
    name = preset.name.split(" (", 1)[0]
    return BillingTarget(None, name, category, currency, "create")


def billing_upload_read(*, upload: PaymentImport) -> BillingResult:
    """An uploaded billing export read as its import will read it, kept in the cache for
    the preview's visits under everything the reading depends on (the upload, its
    moment, its preset and the default currency), as a statement's reading is
    (``imports.reading.upload_read``: issue 19, every GET re-read a 100,000-row file).
    The file is fetched only when the reading is not kept."""
    default_currency = default_currency_for(owner=upload.owner, source=upload.source)
    parts = (
        upload.owner_id, upload.pk, upload.created_at.isoformat(), upload.preset,
        default_currency,
    )  # fmt: skip
    key = "billing-reading:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    kept = cache.get(key)
    if isinstance(kept, BillingResult):
        return kept
    result = billing_read(
        owner=upload.owner, data=bytes(upload.content), source=upload.source,
        preset=upload.preset,
    )  # fmt: skip
    cache.set(key, result, READING_CACHE_SECONDS)
    return result


def billing_preview(
    *,
    owner: User,
    source: IncomeSource | None,
    preset: str,
    data: bytes | None = None,
    result: BillingResult | None = None,
) -> BillingPreview:
    """Say where a billing export goes and what is new, writing nothing: its ``result``
    when it was read already, else ``data`` read now (three queries after the reading,
    whatever the number of rows)."""
    if result is None:
        if data is None:
            raise ValueError("billing_preview needs the file or its reading")
        result = billing_read(owner=owner, data=data, source=source, preset=preset)
    chosen = BILLING_PRESETS[result.preset]
    target = billing_target(owner=owner, source=source, preset=chosen, result=result)
    new_subscriptions = len(result.rows)
    new_customers = result.customers
    if target.source is not None:
        customers = dict(
            Customer.objects.filter(source=target.source).values_list("external_id", "pk")
        )
        known = set(
            BillingSubscription.objects.filter(customer__source=target.source).values_list(
                "customer_id", "external_id"
            )
        )
        new_subscriptions = sum(
            1 for row in result.rows if (customers.get(row.customer), row.subscription) not in known
        )
        new_customers = len({row.customer for row in result.rows} - set(customers))
    return BillingPreview(
        result=result,
        preset=chosen,
        target=target,
        new_subscriptions=new_subscriptions,
        new_customers=new_customers,
    )


class BillingRejected(DomainError):
    """The export has errors; nothing was written."""

    def __init__(self, *, result: BillingResult) -> None:
        self.result = result
        messages = [_(m) for m in result.file_errors] + [
            _("Line %(line)s: %(message)s") % {"line": e.line, "message": _(e.message)}
            for e in result.errors
        ]
        super().__init__({"file": messages})


def billing_file_import(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None,
    preset: str,
    partial: bool,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> BillingSummary:
    """Import a billing export: its subscriptions into the target source, all or none
    (with ``partial``, the rows without an error; the others are counted as rejected).
    Raises ``BillingRejected`` when the file cannot be imported as asked."""
    result = billing_read(
        owner=owner, data=data, source=source, preset=preset,
        on_progress=(lambda done, total: on_progress("parse", done, total))
        if on_progress else None,
    )  # fmt: skip
    if result.file_errors or (result.errors and not partial):
        raise BillingRejected(result=result)
    chosen = BILLING_PRESETS[result.preset]
    with transaction.atomic():
        target = billing_target(owner=owner, source=source, preset=chosen, result=result)
        created_sources = 0
        target_source = target.source
        if target_source is None:
            if target.category is None:  # the categories are seeded by a migration
                raise DomainError({"source": [_(NOT_A_SUBSCRIPTION_SOURCE)]})
            first = min((row.started for row in result.rows), default=None)
            target_source = source_create(
                owner=owner, name=target.name, category=target.category,
                currency=target.currency, start_date=first, platform=target.name,
            )  # fmt: skip
            created_sources = 1
        SourceAlias.objects.update_or_create(
            owner=owner, value=_platform_key(chosen), defaults={"source": target_source}
        )
        if on_progress is not None:
            on_progress("write", 0, len(result.rows))
        written = billing_import(
            owner=owner, source=target_source, customers=billing_customers(result.rows)
        )
    return BillingSummary(
        result=result,
        source=target_source,
        written=written,
        created_sources=created_sources,
        rejected=len({e.line for e in result.errors}),
    )


def billing_customers(rows: tuple[BillingRow, ...]) -> list[NewCustomer]:
    """The rows grouped by customer, in the order the file names them; a customer's name
    is the first one a row gives."""
    grouped: dict[str, list[BillingRow]] = {}
    for row in rows:
        grouped.setdefault(row.customer, []).append(row)
    return [
        NewCustomer(
            external_id=customer,
            name=next((row.customer_name for row in group if row.customer_name), ""),
            subscriptions=tuple(_subscription(row) for row in group),
        )
        for customer, group in grouped.items()
    ]


def _subscription(row: BillingRow) -> NewSubscription:
    return NewSubscription(
        fields={
            "external_id": row.subscription, "plan": row.plan, "amount": row.amount,
            "currency": row.currency, "interval": row.interval,
            "interval_count": row.interval_count, "quantity": row.quantity,
            "percent_off": row.percent_off, "amount_off": row.amount_off,
            "started": row.started, "trial_ends": row.trial_ends,
            "cancelled_on": row.cancelled_on, "ended": row.ended,
        },
        pauses=tuple(NewPause(starts=starts, ends=ends) for starts, ends in row.pauses),
    )  # fmt: skip
