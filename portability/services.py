"""Export, import and deletion of everything a user owns.

The export is the user's own rows only, read through the apps' selectors; the import
writes them back through the apps' services, so it obeys every rule a form or the API
obeys. It runs in a worker, in short batches, all or nothing: a file with one bad row
imports nothing (``account_import`` says how). Derived data
(report snapshots, recompute jobs) is not exported: the import's change announcement
recomputes it, from the same rows, to the same figures.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.access_log import access_log_forget
from finance.csv_export import write_csv
from finance.errors import DomainError
from income import selectors as income_selectors
from income import services as income_services
from income.changes import announcements_held, owner_data_changed
from income.dispatch import task_send_on_commit
from income.models import (
    AssetValue,
    EffortLog,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
    TaxProfile,
)
from jobs.leases import (
    LeaseLost,
    Recovered,
    heartbeat,
    jobs_lease,
    lease_claim,
    leases_recover,
)
from portability.document import (
    FORMAT,
    TABLES,
    VERSION,
    ExportUnreadable,
    check_header,
    gettext_noop,
    plain,
    read_export,
)
from portability.models import DataImport, DataImportStatus
from scenarios import selectors as scenario_selectors
from scenarios import services as scenario_services
from scenarios.models import Scenario

PROFILE_FIELDS = tuple(sorted(income_services.PROFILE_FIELDS))
SOURCE_FIELDS = income_services.SOURCE_FIELDS
PAYMENT_FIELDS = tuple(sorted(income_services.PAYMENT_FIELDS - {"source"}))
PERIOD_FIELDS = tuple(sorted(income_services.PERIOD_FIELDS - {"source"}))
EFFORT_FIELDS = tuple(sorted(income_services.EFFORT_FIELDS - {"source"}))
ASSET_VALUE_FIELDS = tuple(sorted(income_services.ASSET_VALUE_FIELDS - {"source"}))
SCENARIO_FIELDS = scenario_services.SCENARIO_FIELDS
# Shared content is named by slug: the importing database has its own ids for it.
SLUGGED = {"category": IncomeCategory, "tax_profile": TaxProfile, "default_tax_profile": TaxProfile}


# ----------------------------------------------------------------------------- export


def _row(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """A row's values as Python holds them (Decimal, date); shared content by its slug."""
    row: dict[str, Any] = {}
    for name in names:
        if name in SLUGGED:
            related = getattr(instance, name)
            row[name] = related.slug if related is not None else None
        else:
            row[name] = getattr(instance, name)
    return row


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in row.items()}


def _tables(*, user: User) -> dict[str, Any]:
    """The user's rows: the profile, then each of ``TABLES``, with typed values.

    Typed, not yet written as JSON strings, so that the CSV files write an amount as the
    number it is (``-12.34`` for a refund, decimal comma in German), not as text that
    the formula guard would take for a formula.
    """
    sources = list(income_selectors.source_list(owner=user).order_by("pk"))
    return {
        "profile": _row(income_services.profile_get_or_create(user=user), PROFILE_FIELDS),
        "sources": [{"ref": s.pk, **_row(s, SOURCE_FIELDS)} for s in sources],
        "payments": [
            {"source": p.source_id, **_row(p, PAYMENT_FIELDS)}
            for p in income_selectors.payment_list(owner=user).order_by("pk")
        ],
        "subscription_periods": [
            {"source": p.source_id, **_row(p, PERIOD_FIELDS)}
            for p in income_selectors.period_list(owner=user).order_by("pk")
        ],
        "effort_logs": [
            {"source": e.source_id, **_row(e, EFFORT_FIELDS)}
            for e in income_selectors.effort_log_list(owner=user).order_by("pk")
        ],
        "asset_values": [
            {"source": v.source_id, **_row(v, ASSET_VALUE_FIELDS)}
            for v in income_selectors.asset_value_list(owner=user).order_by("pk")
        ],
        "scenarios": [
            {
                **_row(scenario, SCENARIO_FIELDS),
                "sources": sorted(source.pk for source in scenario.sources.all()),
            }
            for scenario in scenario_selectors.scenario_list(owner=user).order_by("pk")
        ],
    }


def _document(*, user: User, tables: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": plain(timezone.now()),
        "username": user.username,
        "email": user.email,
        "profile": _plain(tables["profile"]),
        **{table: [_plain(row) for row in tables[table]] for table in TABLES},
    }


def account_document(*, user: User) -> dict[str, Any]:
    """Everything the user entered, as one JSON-ready document (``portability.document``)."""
    return _document(user=user, tables=_tables(user=user))


def _csv(rows: Sequence[Mapping[str, Any]], *, german: bool) -> str:
    header = list(rows[0]) if rows else []
    return write_csv(header, ([row[name] for name in header] for row in rows), german=german)


def account_export(*, user: User) -> bytes:
    """A zip: ``ertrag.json`` (what the import reads) and one CSV per table for a
    spreadsheet, in the user's language's format, cells escaped against formulas."""
    tables = _tables(user=user)
    document = _document(user=user, tables=tables)
    german = document["profile"]["language"] == "de"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ertrag.json", json.dumps(document, indent=2, ensure_ascii=False))
        archive.writestr("profile.csv", "\ufeff" + _csv([tables["profile"]], german=german))
        for table in TABLES:
            rows = [
                {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
                for row in tables[table]
            ]
            archive.writestr(f"{table}.csv", "\ufeff" + _csv(rows, german=german))
    return buffer.getvalue()


# ----------------------------------------------------------------------------- import


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
    profile_before = _plain(_row(profile, PROFILE_FIELDS))
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
    """Take back an import: the sources and scenarios it wrote, and the settings it set."""
    with transaction.atomic():
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
    def own(ref: Any) -> IncomeSource:
        if ref not in sources:
            raise DomainError({"source": [_("It refers to a source that is not in the file.")]})
        return sources[ref]

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

    def scenario(row: Mapping[str, Any]) -> int:
        linked = row.get("sources", [])
        if not isinstance(linked, list):
            raise DomainError({"sources": [_("A list was expected.")]})
        return scenario_services.scenario_create(
            owner=user,
            sources=[own(ref) for ref in linked],
            **_typed(Scenario, row, SCENARIO_FIELDS),
        ).pk

    writers: dict[str, Callable[[Mapping[str, Any]], Any]] = {
        "sources": source,
        "payments": payment,
        "subscription_periods": period,
        "effort_logs": effort,
        "asset_values": asset_value,
        "scenarios": scenario,
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


# ----------------------------------------------------------------------------- import jobs

#: Shown (translated) when the broker cannot take the import: nothing was written.
IMPORT_NOT_QUEUED = gettext_noop(
    "The import could not be started because the background service is unreachable. "
    "Please try again in a few minutes."
)
#: Shown (translated) when the import broke for a reason that is not a row of the file.
IMPORT_BROKE = gettext_noop("The import could not be finished; nothing of it was kept.")


PENDING = (DataImportStatus.QUEUED, DataImportStatus.RUNNING)


def data_import_start(*, user: User, document: Any) -> DataImport:
    """Check the document, keep it for a worker, and queue its import.

    The checks that need no writing (the document's shape, an account without data,
    no other import of the user's under way) answer at once; the rows are written by
    ``data_import_run`` in a worker, which the page and the API follow by the job.
    """
    account_import_check(user=user, document=document)
    if DataImport.objects.filter(owner=user, status__in=PENDING).exists():
        raise DomainError({"file": [_("An import into this account is already under way.")]})
    from portability.tasks import data_import_process

    try:
        with transaction.atomic():
            job = DataImport.objects.create(owner=user, document=document)
    except IntegrityError as error:  # the same user's second upload at the same moment
        raise DomainError(
            {"file": [_("An import into this account is already under way.")]}
        ) from error
    task_send_on_commit(
        data_import_process,
        kwargs={"job_id": job.pk},
        on_unreachable=lambda: data_import_fail(job_id=job.pk, message=IMPORT_NOT_QUEUED),
    )
    return job


def data_import_run(*, job_id: int, on_progress: ImportProgress | None = None) -> DataImport | None:
    """Run a queued import; the outcome is kept on the job. Safe to run twice.

    A finished job is left as it is. A job that ran before (its worker died half-way
    and the watchdog or the broker sent it again, or its task is retrying) is first
    undone by its journal, then run from the start. The claim takes the lease
    (``jobs.leases``); every batch renews it, and writes the journal only while the
    lease is still this worker's. Returns None when there is nothing (left) to do.
    """
    jobs = DataImport.objects.all()
    before = jobs.filter(pk=job_id, status__in=PENDING).first()
    if before is None:
        return None
    holder = lease_claim(jobs, pk=job_id, any_running=False)
    if holder is None:
        return None
    job = DataImport.objects.select_related("owner").get(pk=job_id)
    ran_before = (
        before.status == DataImportStatus.RUNNING
        or before.attempts > 0
        or bool(before.created_sources or before.created_scenarios)
    )
    if ran_before:
        _attempt_undo(job)
        job.created_sources, job.created_scenarios = [], []
        job.save(update_fields=["created_sources", "created_scenarios"])
    profile = income_services.profile_get_or_create(user=job.owner)
    if not ran_before:
        job.profile_before = _plain(_row(profile, PROFILE_FIELDS))
        job.save(update_fields=["profile_before"])
    mine = jobs.filter(pk=job_id, status=DataImportStatus.RUNNING, holder=holder)
    beat = heartbeat(jobs, pk=job_id, holder=holder)

    def journal(source_ids: list[int], scenario_ids: list[int]) -> None:
        job.created_sources = [*job.created_sources, *source_ids]
        job.created_scenarios = [*job.created_scenarios, *scenario_ids]
        # In the batch's transaction: a batch of a worker that lost the job rolls back.
        if not mine.update(
            created_sources=job.created_sources, created_scenarios=job.created_scenarios
        ):
            raise LeaseLost(f"data import {job_id} is no longer {holder}'s")

    def beating(table: str, done: int, total: int) -> None:
        beat()
        if on_progress is not None:
            on_progress(table, done, total)

    try:
        # Refusals are kept as text: in the user's language, as the page would have said.
        with translation.override(profile.language or None):
            summary = account_import(
                user=job.owner, document=job.document, on_progress=beating, journal=journal
            )
    except DomainError as refused:
        job.status = DataImportStatus.FAILED
        job.errors = [str(text) for texts in refused.field_errors.values() for text in texts]
    else:
        job.status = DataImportStatus.DONE
        job.counts = summary.counts
    job.document = {}
    job.finished_at = timezone.now()
    if not mine.update(
        status=job.status,
        errors=job.errors,
        counts=job.counts,
        document=job.document,
        finished_at=job.finished_at,
    ):
        raise LeaseLost(f"data import {job_id} is no longer {holder}'s")
    return job


def _attempt_undo(job: DataImport) -> None:
    """Take back what an earlier attempt of ``job`` wrote, by its journal."""
    account_import_undo(
        user=job.owner,
        source_ids=job.created_sources,
        scenario_ids=job.created_scenarios,
        profile=job.profile_before,
    )


def data_import_fail(*, job_id: int, message: str) -> None:
    """Give up on an import that broke (not for a refused row: that ends the job itself).

    What it wrote is undone by its journal, so a failed import leaves the account as it was.
    """
    job = DataImport.objects.filter(pk=job_id, status__in=PENDING).select_related("owner").first()
    if job is None:
        return
    if job.status == DataImportStatus.RUNNING or job.attempts > 0:
        _attempt_undo(job)
    DataImport.objects.filter(pk=job_id, status__in=PENDING).update(
        status=DataImportStatus.FAILED,
        errors=[message],
        document={},
        finished_at=timezone.now(),
    )


#: Shown (translated) when every worker that took the import stopped before it finished.
IMPORT_WORKER_LOST = gettext_noop(
    "The import was started several times, but its worker stopped each time before it "
    "finished. Nothing of it was kept."
)


def data_imports_recover(*, now: datetime | None = None) -> Recovered:
    """Hand on the data imports whose worker died (the minutely watchdog, issue 25).

    A running import whose holder stopped beating goes back to the queue ("waiting for
    a worker"), its message sent again; the next worker undoes the broken attempt by
    its journal and runs it from the start. After ``JOBS_MAX_ATTEMPTS`` runs it is
    undone and failed with ``IMPORT_WORKER_LOST``.
    """
    now = now or timezone.now()

    def give_up(job: DataImport, same: QuerySet[DataImport]) -> bool:
        # Held by the watchdog while it undoes, so no redelivered message takes it.
        if not same.update(holder="watchdog", heartbeat_at=now):
            return False
        data_import_fail(job_id=job.pk, message=IMPORT_WORKER_LOST)
        return True

    return leases_recover(
        DataImport.objects.all(),
        now=now,
        resend=_import_resend,
        give_up=give_up,
        queued_overdue=now - QUEUED_OVERDUE * jobs_lease(),
    )


#: A queued import not taken within this many leases of its last send is sent again.
QUEUED_OVERDUE = 5


def _import_resend(job_id: int) -> None:
    """Send the import's message again; with the broker away it stays queued, and the
    watchdog sends it again later (up to ``JOBS_MAX_ATTEMPTS`` times)."""
    from portability.tasks import data_import_process

    task_send_on_commit(data_import_process, kwargs={"job_id": job_id}, on_unreachable=_nothing)


def _nothing() -> None:
    return None


def account_import_file(*, user: User, content: bytes) -> DataImport:
    """An uploaded export: the zip the export makes, or its ``ertrag.json`` alone,
    queued for a worker (``data_import_start``)."""
    try:
        document = read_export(content)  # bounded: size, zip shape, nesting
    except ExportUnreadable as error:
        raise DomainError({"file": [_(error.message)]}) from error
    return data_import_start(user=user, document=document)


# ----------------------------------------------------------------------------- deletion


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and every row of the user's, in every app.

    Every table of ours refers to the user with ``on_delete=CASCADE`` (sources and what
    hangs on them, scenarios, reports, jobs, digests, imports, tokens, the profile), so
    deleting the user deletes them with it; django-axes keeps its log-in records by the
    name typed, not by user, so they go separately (``config.access_log``).
    """
    access_log_forget(names=[user.username, user.email])
    user.delete()
