"""The import: an export written back through the apps' services, so it obeys every rule
a form or the API obeys; in short batches, all or nothing (``account_import`` says how),
and its undoing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from finance.errors import DomainError
from income import selectors as income_selectors
from income import services as income_services
from income.changes import announcements_held, owner_data_changed
from income.models import (
    AllowanceOrder,
    AssetValue,
    BillingSubscription,
    Cost,
    Customer,
    EffortLog,
    FundYear,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPause,
    SubscriptionPeriod,
)
from jobs.leases import LeaseLost
from portability.document import TABLES, check_header
from portability.services.columns import (
    ALLOWANCE_ORDER_FIELDS,
    ASSET_VALUE_FIELDS,
    BILLING_SUBSCRIPTION_FIELDS,
    COST_FIELDS,
    CUSTOMER_FIELDS,
    EFFORT_FIELDS,
    FUND_YEAR_FIELDS,
    PAYMENT_FIELDS,
    PERIOD_FIELDS,
    PROFILE_FIELDS,
    SCENARIO_FIELDS,
    SLUGGED,
    SOURCE_FIELDS,
    SUBSCRIPTION_PAUSE_FIELDS,
    row_plain,
    row_values,
)
from scenarios import selectors as scenario_selectors
from scenarios import services as scenario_services
from scenarios.models import Scenario


@dataclass(frozen=True)
class ImportSummary:
    """How many rows of each table the import wrote."""

    counts: dict[str, int]


def _typed(
    model: type[models.Model], row: Mapping[str, Any], names: Iterable[str]
) -> dict[str, Any]:
    """A row's values as the model's fields hold them; slugs become the shared rows."""
    values: dict[str, Any] = {}
    for name in names:
        if name not in row:
            continue
        value = row[name]
        if name in SLUGGED:
            values[name] = None if value is None else _shared(SLUGGED[name], name, value)
        else:
            values[name] = model._meta.get_field(name).to_python(value)  # type: ignore[union-attr]
    return values


def _shared(model: type[models.Model], name: str, slug: Any) -> models.Model:
    found = model._default_manager.filter(slug=slug).first()
    if found is None:
        raise DomainError({name: [_("“%(slug)s” does not exist here.") % {"slug": slug}]})
    return found


def _rows(document: Mapping[str, Any], table: str) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = document.get(table, [])
    if not all(isinstance(row, dict) for row in rows):
        raise DomainError({"file": [_("A part of the export is damaged: a list was expected.")]})
    return rows


def _problem(error: Exception) -> str:
    pairs: Iterable[tuple[str, list[str]]]
    if isinstance(error, DomainError):
        pairs = error.field_errors.items()
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        pairs = error.message_dict.items()
    elif isinstance(error, ValidationError):
        pairs = [("", error.messages)]
    else:
        pairs = [("", [str(error)])]
    return "; ".join(f"{field}: {' '.join(m)}" if field else " ".join(m) for field, m in pairs)


#: Rows written per transaction. Each batch holds the database's write lock (SQLite)
#: for well under a second, so other users' writes get their turn between batches.
IMPORT_BATCH_ROWS = 200

#: Called with (table, rows done, rows in all) after each batch has been committed.
ImportProgress = Callable[[str, int, int], None]
#: Called inside each batch's transaction with the ids of the sources and scenarios the
#: batch wrote, so that a record of them commits or rolls back with the rows.
ImportJournal = Callable[[list[int], list[int]], None]


def account_import_check(*, user: User, document: Any) -> None:
    """What can be refused before a row is written: the document's shape, an account
    that already has data. Quick, so the page and the API answer it at once."""
    problems = check_header(document)
    if problems:
        raise DomainError({"file": [_(problem) for problem in problems]})
    has_data = (
        income_selectors.source_list(owner=user).exists()
        or scenario_selectors.scenario_list(owner=user).exists()
    )
    if has_data:
        raise DomainError(
            {"file": [_("Import into an account without sources or scenarios: this one has some.")]}
        )
    if income_selectors.allowance_order_list(owner=user).exists():
        # What the import writes is undone by deleting every order (``account_import_undo``).
        raise DomainError(
            {"file": [_("Import into an account without allowance orders: this one has some.")]}
        )


def account_import(
    *,
    user: User,
    document: Any,
    on_progress: ImportProgress | None = None,
    journal: ImportJournal | None = None,
) -> ImportSummary:
    """Write an export into an account that has no sources and no scenarios yet.

    All rows or none, without one long transaction (issue 19, finding 3: 8,000 payments
    held SQLite's write lock for 28 s and every other user's write failed meanwhile).
    The rows are written in batches of ``IMPORT_BATCH_ROWS``, each a short transaction
    of its own; if a row is refused, its batch rolls back and ``account_import_undo``
    deletes what the earlier batches wrote (the sources, with everything hanging on
    them, and the scenarios) and puts the settings back. Undoing is exact because the
    account had no sources or scenarios before, and ``journal`` keeps the ids written,
    so a worker that dies half-way is undone the same way (``data_import_run``). The
    change is announced once, at the end (``announcements_held``): reports computed
    from half an import would outlive its undoing. Why not
    check every row first and then write: the rules live in the services' writes
    (``full_clean``, duplicates, overlapping periods), and a second copy of them for a
    dry run would drift from the first. The figures follow from the rows, so they come
    out as they were where the export was made.
    """
    account_import_check(user=user, document=document)
    profile = income_services.profile_get_or_create(user=user)
    profile_before = row_plain(row_values(profile, PROFILE_FIELDS))
    sources: dict[Any, IncomeSource] = {}
    written: tuple[list[int], list[int]] = ([], [])
    with announcements_held(owner_id=user.pk):
        try:
            counts = _write(
                user=user,
                document=document,
                sources=sources,
                written=written,
                on_progress=on_progress,
                journal=journal,
            )
        except LeaseLost:  # another worker has the job, and undoes this one's rows first
            raise
        except BaseException:
            account_import_undo(
                user=user, source_ids=written[0], scenario_ids=written[1], profile=profile_before
            )
            raise
    owner_data_changed(owner_id=user.pk)  # once, for the whole import
    return ImportSummary(counts=counts)


def account_import_undo(
    *,
    user: User,
    source_ids: Sequence[int],
    scenario_ids: Sequence[int],
    profile: Mapping[str, Any],
) -> None:
    """Take back an import: the sources and scenarios it wrote, its allowance orders (the
    account had none, ``account_import_check``), and the settings it set."""
    with transaction.atomic():
        for order in income_selectors.allowance_order_list(owner=user):
            income_services.allowance_order_delete(order=order)
        for scenario in scenario_selectors.scenario_list(owner=user).filter(pk__in=scenario_ids):
            scenario_services.scenario_delete(scenario=scenario)
        for source in income_selectors.source_list(owner=user).filter(pk__in=source_ids):
            income_services.source_delete(source=source)
        if profile:
            income_services.profile_update(user=user, **_typed(Profile, profile, PROFILE_FIELDS))


def _write(
    *,
    user: User,
    document: Mapping[str, Any],
    sources: dict[Any, IncomeSource],
    written: tuple[list[int], list[int]],
    on_progress: ImportProgress | None,
    journal: ImportJournal | None,
) -> dict[str, int]:
    # Billing rows point one level deeper, each at a row written before it (by ``ref``).
    customers: dict[Any, Customer] = {}
    subscriptions: dict[Any, BillingSubscription] = {}

    def own(ref: Any) -> IncomeSource:
        if ref not in sources:
            raise DomainError({"source": [_("It refers to a source that is not in the file.")]})
        return sources[ref]

    def own_customer(ref: Any) -> Customer:
        if ref not in customers:
            raise DomainError({"customer": [_("It refers to a customer that is not in the file.")]})
        return customers[ref]

    def own_subscription(ref: Any) -> BillingSubscription:
        if ref not in subscriptions:
            raise DomainError(
                {"subscription": [_("It refers to a subscription that is not in the file.")]}
            )
        return subscriptions[ref]

    def profile(row: Mapping[str, Any]) -> None:
        income_services.profile_update(user=user, **_typed(Profile, row, PROFILE_FIELDS))

    def source(row: Mapping[str, Any]) -> int:
        created = income_services.source_create(
            owner=user, **_typed(IncomeSource, row, SOURCE_FIELDS)
        )
        sources[row.get("ref")] = created
        return created.pk

    def payment(row: Mapping[str, Any]) -> None:
        income_services.payment_create(
            owner=user, source=own(row.get("source")), **_typed(Payment, row, PAYMENT_FIELDS)
        )

    def period(row: Mapping[str, Any]) -> None:
        income_services.period_create(
            owner=user,
            source=own(row.get("source")),
            **_typed(SubscriptionPeriod, row, PERIOD_FIELDS),
        )

    def effort(row: Mapping[str, Any]) -> None:
        income_services.effort_log_create(
            owner=user, source=own(row.get("source")), **_typed(EffortLog, row, EFFORT_FIELDS)
        )

    def asset_value(row: Mapping[str, Any]) -> None:
        income_services.asset_value_create(
            owner=user,
            source=own(row.get("source")),
            **_typed(AssetValue, row, ASSET_VALUE_FIELDS),
        )

    def cost(row: Mapping[str, Any]) -> None:
        income_services.cost_create(
            owner=user, source=own(row.get("source")), **_typed(Cost, row, COST_FIELDS)
        )

    def fund_year(row: Mapping[str, Any]) -> None:
        income_services.fund_year_create(
            owner=user,
            source=own(row.get("source")),
            **_typed(FundYear, row, FUND_YEAR_FIELDS),
        )

    def customer(row: Mapping[str, Any]) -> None:
        customers[row.get("ref")] = income_services.customer_create(
            owner=user, source=own(row.get("source")), **_typed(Customer, row, CUSTOMER_FIELDS)
        )

    def billing_subscription(row: Mapping[str, Any]) -> None:
        subscriptions[row.get("ref")] = income_services.billing_subscription_create(
            owner=user,
            customer=own_customer(row.get("customer")),
            **_typed(BillingSubscription, row, BILLING_SUBSCRIPTION_FIELDS),
        )

    def subscription_pause(row: Mapping[str, Any]) -> None:
        income_services.subscription_pause_create(
            owner=user,
            subscription=own_subscription(row.get("subscription")),
            **_typed(SubscriptionPause, row, SUBSCRIPTION_PAUSE_FIELDS),
        )

    def scenario(row: Mapping[str, Any]) -> int:
        linked = row.get("sources", [])
        if not isinstance(linked, list):
            raise DomainError({"sources": [_("A list was expected.")]})
        return scenario_services.scenario_create(
            owner=user,
            sources=[own(ref) for ref in linked],
            **_typed(Scenario, row, SCENARIO_FIELDS),
        ).pk

    def allowance_order(row: Mapping[str, Any]) -> None:
        # A column left out is refused by the model's validation, not a missing argument.
        fields: dict[str, Any] = {"year": None, "bank": "", "amount": None}
        fields.update(_typed(AllowanceOrder, row, ALLOWANCE_ORDER_FIELDS))
        income_services.allowance_order_set(owner=user, **fields)

    writers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
        "sources": source,
        "payments": payment,
        "subscription_periods": period,
        "effort_logs": effort,
        "asset_values": asset_value,
        "costs": cost,
        "fund_years": fund_year,
        "customers": customer,
        "billing_subscriptions": billing_subscription,
        "subscription_pauses": subscription_pause,
        "scenarios": scenario,
        "allowance_orders": allowance_order,
    }
    profile_row = document.get("profile", {})
    tables = [("profile", [profile_row] if profile_row else [], profile)] + [
        (table, _rows(document, table), writers[table]) for table in TABLES
    ]
    steps = [
        (table, number, row, write)
        for table, rows, write in tables
        for number, row in enumerate(rows, start=1)
    ]
    for first in range(0, len(steps), IMPORT_BATCH_ROWS):
        batch = steps[first : first + IMPORT_BATCH_ROWS]
        new_sources: list[int] = []
        new_scenarios: list[int] = []
        with transaction.atomic():
            for table, number, row, write in batch:
                created = _step(table, number, row, write)
                if table == "sources":
                    new_sources.append(created)
                elif table == "scenarios":
                    new_scenarios.append(created)
            if journal is not None:
                journal(new_sources, new_scenarios)
        written[0].extend(new_sources)
        written[1].extend(new_scenarios)
        if on_progress is not None:
            on_progress(batch[-1][0], first + len(batch), len(steps))
    return {table: len(rows) for table, rows, _write in tables}


def _step(
    table: str, number: int, row: Mapping[str, Any], write: Callable[[Mapping[str, Any]], Any]
) -> Any:
    """Write one row; a refused one names its table and position (1-based)."""
    try:
        return write(row)
    except (DomainError, ValidationError, TypeError, ValueError) as error:
        raise DomainError(
            {
                "file": [
                    _("%(table)s, row %(number)s: %(problem)s")
                    % {"table": table, "number": number, "problem": _problem(error)}
                ]
            }
        ) from error
