"""Every write of the statement import goes through one function here (PRODUCT.md §8).

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (tasks) only after commit, as ``income.services``
does; what a payment, a source and a profile are stays there, and this module asks it.

The flow: ``payment_import_upload`` keeps the file; ``payment_import_preview`` reads it
(the layout detected, or the mapping chosen) and plans where each row goes, writing
nothing; ``payment_import_configure`` keeps the person's choices (mapping, sources,
"import the good rows", a mapping saved for files with the same header);
``payment_import_start`` queues it and the worker's ``payment_import_process`` runs
``payments_import``, the one function that writes payments.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance.currencies import CURRENCY_CODES
from finance.errors import DomainError
from imports.models import ImportMapping, ImportStatus, PaymentImport, SourceAlias
from imports.parsing.options import Options, OptionsError
from imports.parsing.presets import PRESETS, Preset, detect_layout
from imports.parsing.statement import (
    StatementResult,
    StatementRow,
    parse_statement,
    rejected_lines_csv,
)
from income.changes import owner_data_changed
from income.collector import collector_paused
from income.dispatch import task_send_on_commit
from income.models import IncomeCategory, IncomeSource, Payment
from income.services import (
    model_assign_and_save,
    profile_get_or_create,
    source_create,
    source_require_owner,
)
from jobs.leases import (
    Recovered,
    heartbeat,
    jobs_lease,
    lease_claim,
    leases_recover,
)

logger = logging.getLogger(__name__)

#: Told (phase, done, total) while an import runs; phase is "parse" or "write".
ImportProgress = Callable[[str, int, int], None]
IMPORT_BATCH = 2000
#: The category of a source created from a file no preset knows.
DEFAULT_CATEGORY = "other-passive"
MAX_SOURCE_NAME = 120  # IncomeSource.name

NO_SOURCE = gettext_noop("Choose the source these payments belong to.")


def alias_key(value: str) -> str:
    """A source value as remembered: case-folded, spaces collapsed (``IE00B3RBWM25`` and
    ``ie00b3rbwm25 `` are one security)."""
    return " ".join(value.split()).casefold()[:255]


# ----------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Reading:
    """A file read: the result, and the preset or saved mapping it was read with."""

    result: StatementResult
    preset: Preset | None
    saved: ImportMapping | None


def _default_currency(*, owner: User, source: IncomeSource | None) -> str:
    return source.currency if source else profile_get_or_create(user=owner).base_currency


def mapping_options(mapping: Mapping[str, Any]) -> Options:
    """A mapping from a form, the API or a saved row as ``Options``; a ``DomainError``
    naming the setting when it cannot be used."""
    try:
        return Options.from_json(mapping)
    except OptionsError as error:
        raise DomainError(
            {"mapping": [_("This mapping cannot be used: %(key)s.") % {"key": str(error)}]}
        ) from error


def statement_read(
    *,
    owner: User,
    data: bytes,
    default_currency: str,
    mapping: Mapping[str, Any] | None = None,
    preset: str = "",
    on_progress: Callable[[int, int], None] | None = None,
) -> Reading:
    """Read a file with ``mapping`` (chosen in the mapping step), else with the layout its
    header has: the owner's saved mapping for that header, a preset, or guessed columns.

    ``preset`` keeps a preset's small row rule when its mapping was edited.
    """
    known = PRESETS.get(preset)
    if mapping:
        result, _layout = parse_statement(
            data, currencies=CURRENCY_CODES, default_currency=default_currency,
            options=mapping_options(mapping), row_rule=known.row_rule if known else None,
            max_rows=settings.IMPORT_MAX_ROWS, on_progress=on_progress,
        )  # fmt: skip
        return Reading(result=result, preset=known, saved=None)
    saved_rows = {m.signature: m for m in ImportMapping.objects.filter(owner=owner)}
    saved: dict[str, Options] = {}
    for signature, row in saved_rows.items():
        try:
            saved[signature] = Options.from_json(row.options)
        except OptionsError:
            logger.warning("import mapping %s of user %s cannot be read", row.pk, owner.pk)
    found: dict[str, Preset | None] = {}

    def detect(records: Any) -> Any:
        layout, preset_found = detect_layout(records, saved=saved)
        found["preset"] = preset_found
        return layout

    result, layout = parse_statement(
        data, currencies=CURRENCY_CODES, default_currency=default_currency, detect=detect,
        max_rows=settings.IMPORT_MAX_ROWS, on_progress=on_progress,
    )  # fmt: skip
    return Reading(
        result=result,
        preset=found.get("preset"),
        saved=saved_rows.get(layout.saved) if layout and layout.saved else None,
    )


#: How long a reading of an upload is kept for its preview (the mapping step's visits).
READING_CACHE_SECONDS = 60 * 60


def _reading_key(*, upload: PaymentImport, default_currency: str) -> str:
    """Everything the reading of an upload depends on: the upload itself (its owner, id
    and moment of upload: an id the database gives again later never meets this one's
    reading), its mapping and preset, the default currency, and the owner's saved
    mappings (which one a header finds)."""
    saved = list(
        ImportMapping.objects.filter(owner_id=upload.owner_id)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    parts = (
        upload.owner_id, upload.pk, upload.created_at.isoformat(),
        json.dumps(upload.mapping, sort_keys=True), upload.preset, default_currency,
        [(pk, updated.isoformat()) for pk, updated in saved],
    )  # fmt: skip
    return "import-reading:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def upload_read(*, upload: PaymentImport) -> Reading:
    """An upload's file read as its import would read it: with its mapping and preset.

    The reading is kept in the cache under everything it depends on
    (``_reading_key``), so the preview's second visit neither reads the file again nor
    loads it from the database (issue 19: every GET re-read a 100,000-row file). An
    upload loaded without its file (``payment_import_list``) fetches it only when the
    reading is not kept.
    """
    default_currency = _default_currency(owner=upload.owner, source=upload.source)
    key = _reading_key(upload=upload, default_currency=default_currency)
    kept = cache.get(key)
    if kept is not None:
        result, preset_key, saved_pk = kept
        saved = ImportMapping.objects.filter(owner_id=upload.owner_id, pk=saved_pk).first()
        return Reading(result=result, preset=PRESETS.get(preset_key or ""), saved=saved)
    reading = statement_read(
        owner=upload.owner,
        data=bytes(upload.content),
        default_currency=default_currency,
        mapping=upload.mapping or None,
        preset=upload.preset,
    )
    preset_key = reading.preset.key if reading.preset else None
    saved_pk = reading.saved.pk if reading.saved else None
    cache.set(key, (reading.result, preset_key, saved_pk), READING_CACHE_SECONDS)
    return reading


# ----------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class SourcePlan:
    """Where the rows of one source value go: an existing source, or one to create."""

    key: str
    value: str
    label: str
    rows: int
    currency: str
    first_date: date
    source: IncomeSource | None
    #: "chosen" (in the preview), "alias" (remembered), "name" (a source of that name),
    #: or "create".
    how: str
    category: IncomeCategory | None


def _categories() -> dict[str, IncomeCategory]:
    return {c.slug: c for c in IncomeCategory.objects.all()}


def sources_plan(
    *,
    owner: User,
    rows: tuple[StatementRow, ...],
    preset: Preset | None,
    choices: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, SourcePlan]:
    """For each source value of the rows, the source its rows go to (see ``SourcePlan``).

    Order: what the person chose in the preview, a remembered alias, a source of theirs
    with that name (case-insensitive); else a new source is planned, named after the
    value's label (a security's name) or the value, in the chosen category or the
    preset's. Three queries, whatever the number of rows.
    """
    choices = choices or {}
    seen: dict[str, list[StatementRow]] = {}
    for row in rows:
        if row.source:
            seen.setdefault(alias_key(row.source), []).append(row)
    if not seen:
        return {}
    own = {s.pk: s for s in IncomeSource.objects.filter(owner=owner).select_related("category")}
    by_name = {alias_key(s.name): s for s in own.values()}
    aliases = dict(
        SourceAlias.objects.filter(owner=owner, value__in=list(seen)).values_list(
            "value", "source_id"
        )
    )
    categories = _categories()
    fallback = categories.get(preset.category if preset else DEFAULT_CATEGORY) or categories.get(
        DEFAULT_CATEGORY
    )
    # The rows without a value of their own go to the platform's source (its interest).
    platform_key = alias_key(preset.options.source_fallback or "") if preset else ""
    platform_category = (
        categories.get(preset.fallback_category or "") if preset else None
    ) or fallback
    plans: dict[str, SourcePlan] = {}
    for key, group in seen.items():
        first = group[0]
        choice = choices.get(key) or {}
        chosen_id = choice.get("source")
        chosen = own.get(chosen_id) if isinstance(chosen_id, int) else None
        target, how = None, "create"
        if chosen is not None:
            target, how = chosen, "chosen"
        elif not choice.get("category") and key in aliases and aliases[key] in own:
            target, how = own[aliases[key]], "alias"
        elif not choice.get("category") and key in by_name:
            target, how = by_name[key], "name"
        default = platform_category if key == platform_key else fallback
        category = categories.get(choice.get("category") or "") or default
        plans[key] = SourcePlan(
            key=key,
            value=first.source or "",
            label=first.source_label or first.source or "",
            rows=len(group),
            currency=first.currency,
            first_date=min(row.date for row in group),
            source=target,
            how=how,
            category=None if target else category,
        )
    return plans


def _check_choices(*, owner: User, choices: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The preview's source choices, each an own source's id or a category's slug."""
    if not isinstance(choices, Mapping) or len(choices) > 10_000:
        raise DomainError({"sources": [_("Choose a source or a category for each value.")]})
    own = set(IncomeSource.objects.filter(owner=owner).values_list("pk", flat=True))
    slugs = set(_categories())
    clean: dict[str, dict[str, Any]] = {}
    for value, choice in choices.items():
        if not isinstance(value, str) or not isinstance(choice, Mapping):
            raise DomainError({"sources": [_("Choose a source or a category for each value.")]})
        source_id, slug = choice.get("source"), choice.get("category")
        if source_id is not None:
            if (
                not isinstance(source_id, int)
                or isinstance(source_id, bool)
                or source_id not in own
            ):
                raise DomainError({"sources": [_("Select one of your own sources.")]})
            clean[alias_key(value)] = {"source": source_id}
        elif slug is not None:
            if slug not in slugs:
                raise DomainError({"sources": [_("Choose one of the categories.")]})
            clean[alias_key(value)] = {"category": slug}
    return clean


def _sources_create(
    *, owner: User, plans: Mapping[str, SourcePlan], needed: set[str], platform: str
) -> dict[str, IncomeSource]:
    """The planned sources of the values in ``needed`` created, and every value remembered
    as an alias of its source (the next statement's rows go there by themselves)."""
    targets: dict[str, IncomeSource] = {}
    for key in sorted(needed):
        plan = plans[key]
        if plan.source is not None:
            targets[key] = plan.source
            continue
        targets[key] = source_create(
            owner=owner,
            name=(plan.label or plan.value)[:MAX_SOURCE_NAME],
            category=plan.category or _categories()[DEFAULT_CATEGORY],
            currency=plan.currency,
            start_date=plan.first_date,
            platform=platform[:MAX_SOURCE_NAME],
        )
    SourceAlias.objects.bulk_create(
        [SourceAlias(owner=owner, value=key, source=source) for key, source in targets.items()],
        update_conflicts=True,
        unique_fields=["owner", "value"],
        update_fields=["source"],
    )
    return targets


# ----------------------------------------------------------------------------- importing
@dataclass(frozen=True)
class ImportSummary:
    """What an import did, and what the reader saw."""

    created: int
    duplicates: int
    created_sources: int
    rejected: int
    reading: Reading

    @property
    def result(self) -> StatementResult:
        return self.reading.result


ErrorList = list[tuple[int | None, str | None, str]]


class ImportRejected(DomainError):
    """The file has errors; nothing was written. ``errors`` are (line, field, message)."""

    def __init__(self, *, reading: Reading, errors: ErrorList):
        self.reading = reading
        self.errors = errors
        messages = [
            (_("Line %(line)s: %(message)s") % {"line": line, "message": _(message)})
            if line
            else _(message)
            for line, _field, message in errors
        ]
        super().__init__({"file": messages})


def payments_import(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None = None,
    mapping: Mapping[str, Any] | None = None,
    preset: str = "",
    sources: Mapping[str, Mapping[str, Any]] | None = None,
    partial: bool = False,
    on_progress: ImportProgress | None = None,
) -> ImportSummary:
    """Import a statement: the income rows go to their sources, all of them or none.

    All or nothing is the default (PRODUCT.md §8); with ``partial`` the rows without an
    error are imported and the others counted as rejected (their list stays with the
    upload, to download). Rows go to ``source`` when one is given, else to the source
    their value names (``sources_plan``; missing sources are created). A row already
    imported — the same external id, or for rows without one the same row hash — is
    skipped, so importing a statement twice, or two that overlap, adds nothing twice.
    """
    if source is not None:
        source_require_owner(source=source, owner=owner)
    with collector_paused():
        return _payments_import(
            owner=owner, data=data, source=source, mapping=mapping, preset=preset,
            sources=sources, partial=partial, on_progress=on_progress,
        )  # fmt: skip


def _payments_import(
    *,
    owner: User,
    data: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None,
    preset: str,
    sources: Mapping[str, Mapping[str, Any]] | None,
    partial: bool,
    on_progress: ImportProgress | None,
) -> ImportSummary:
    reading = statement_read(
        owner=owner,
        data=data,
        default_currency=_default_currency(owner=owner, source=source),
        mapping=mapping,
        preset=preset,
        on_progress=(lambda done, total: on_progress("parse", done, total))
        if on_progress
        else None,
    )
    result = reading.result
    errors: ErrorList = [(None, None, m) for m in result.file_errors]
    errors += [(e.line, e.field, e.message) for e in result.errors]
    rows = result.rows
    if source is None:
        errors += [(row.line, "source", NO_SOURCE) for row in rows if not row.source]
        rows = tuple(row for row in rows if row.source)
    if result.file_errors or (errors and not partial):
        raise ImportRejected(reading=reading, errors=errors)
    rejected = len({line for line, _f, _m in errors if line is not None})
    for attempt in range(1, WRITE_TRIES + 1):
        try:
            written = _rows_write(
                owner=owner, rows=rows, source=source, reading=reading, sources=sources,
                on_progress=on_progress,
            )  # fmt: skip
        except IntegrityError:
            # Another import of the same rows committed between this one's look at what
            # is there and its insert (two uploads of one file at once): look again, and
            # its rows are counted as already there (issue 25).
            if attempt == WRITE_TRIES:
                raise
            logger.info("payments_import: rows written meanwhile by another import, again")
        else:
            break
    created, targets, created_sources = written
    return ImportSummary(
        created=created,
        duplicates=targets - created,
        created_sources=created_sources,
        rejected=rejected,
        reading=reading,
    )


#: How often an import looks again at what is there after a concurrent one wrote it.
WRITE_TRIES = 3


def _rows_write(
    *,
    owner: User,
    rows: tuple[StatementRow, ...],
    source: IncomeSource | None,
    reading: Reading,
    sources: Mapping[str, Mapping[str, Any]] | None,
    on_progress: ImportProgress | None,
) -> tuple[int, int, int]:
    """Write the rows not yet there, all in one transaction: (created, rows, sources created)."""
    with transaction.atomic():
        if source is not None:
            targets = [(row, source) for row in rows]
            created_sources = 0
        else:
            plans = sources_plan(owner=owner, rows=rows, preset=reading.preset, choices=sources)
            needed = {alias_key(row.source) for row in rows if row.source}
            by_key = _sources_create(
                owner=owner,
                plans=plans,
                needed=needed,
                platform=reading.preset.name if reading.preset else "",
            )
            created_sources = sum(1 for key in needed if plans[key].source is None)
            targets = [(row, by_key[alias_key(row.source or "")]) for row in rows]
        new = _new_payments(targets)
        for first in range(0, len(new), IMPORT_BATCH):
            if on_progress is not None:
                on_progress("write", first, len(new))
            Payment.objects.bulk_create(new[first : first + IMPORT_BATCH])
        if new:
            owner_data_changed(owner_id=owner.pk)
    return len(new), len(targets), created_sources


def _known_payments(source_ids: set[int]) -> set[tuple[int, str | None, str | None]]:
    """(source, external id, row hash) of the payments already in these sources."""
    return set(
        Payment.objects.filter(source_id__in=source_ids).values_list(
            "source_id", "external_id", "row_hash"
        )
    )


def _new_payments(targets: list[tuple[StatementRow, IncomeSource]]) -> list[Payment]:
    """The rows not yet in the database (by external id, else row hash), as payments."""
    known = _known_payments({target.pk for _row, target in targets})
    known_ids = {(s, e) for s, e, _h in known if e}
    known_hashes = {(s, h) for s, _e, h in known if h}
    new: list[Payment] = []
    for row, target in targets:
        if row.external_id:
            if (target.pk, row.external_id) in known_ids:
                continue
            known_ids.add((target.pk, row.external_id))
        else:
            if (target.pk, row.row_hash) in known_hashes:
                continue
            known_hashes.add((target.pk, row.row_hash))
        new.append(
            Payment(
                source=target, date=row.date, gross=row.gross, tax_withheld=row.tax_withheld,
                fees=row.fees, currency=row.currency, note=row.note,
                external_id=row.external_id, row_hash=None if row.external_id else row.row_hash,
            )
        )  # fmt: skip
    return new


# ----------------------------------------------------------------------------- uploads
def _check_size(content: bytes) -> None:
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise DomainError(
            {
                "file": [
                    _("The file is larger than %(size)s MB.")
                    % {"size": settings.IMPORT_MAX_BYTES // 2**20}
                ]
            }
        )


def _check_quota(*, owner: User, content: bytes) -> None:
    """The owner's stored files and this one within ``IMPORT_USER_MAX_STORED_BYTES``
    (issue 19: uploads were kept forever, without a bound per person)."""
    stored = PaymentImport.objects.filter(owner=owner).aggregate(total=Sum(Length("content")))
    limit = settings.IMPORT_USER_MAX_STORED_BYTES
    if (stored["total"] or 0) + len(content) > limit:
        raise DomainError(
            {
                "file": [
                    _(
                        "With this file your uploads would take more than %(size)s MB, the "
                        "most one account keeps; files are removed %(days)s days after their "
                        "upload."
                    )
                    % {"size": max(limit // 2**20, 1), "days": settings.IMPORT_KEEP_DAYS}
                ]
            }
        )


@transaction.atomic
def payment_import_upload(
    *, owner: User, filename: str, content: bytes, source: IncomeSource | None
) -> PaymentImport:
    """Keep an uploaded file for preview; nothing is imported yet."""
    if source is not None:
        source_require_owner(source=source, owner=owner)
    _check_size(content)
    _check_quota(owner=owner, content=content)
    upload = PaymentImport(owner=owner, filename=filename[:255], content=content, source=source)
    return model_assign_and_save(instance=upload, fields={})


@dataclass(frozen=True)
class Preview:
    """What the preview shows: the reading and where each source value's rows go."""

    reading: Reading
    plans: dict[str, SourcePlan]

    @property
    def result(self) -> StatementResult:
        return self.reading.result


def payment_import_preview(*, upload: PaymentImport) -> Preview:
    """Read the stored file with its current mapping and plan its sources, writing nothing."""
    reading = upload_read(upload=upload)
    plans = (
        {}
        if upload.source_id
        else sources_plan(
            owner=upload.owner,
            rows=reading.result.rows,
            preset=reading.preset,
            choices=upload.sources,
        )
    )
    return Preview(reading=reading, plans=plans)


def statement_preview(
    *,
    owner: User,
    content: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    sources: Mapping[str, Any] | None = None,
) -> Preview:
    """A file read and planned as its import would be, without keeping it (the API's
    mapping step): the same limits as an upload, nothing written."""
    if source is not None:
        source_require_owner(source=source, owner=owner)
    _check_size(content)
    choices = _check_choices(owner=owner, choices=sources or {})
    reading = statement_read(
        owner=owner,
        data=content,
        default_currency=_default_currency(owner=owner, source=source),
        mapping=mapping_options(mapping).to_json() if mapping else None,
    )
    plans = (
        {}
        if source is not None
        else sources_plan(
            owner=owner, rows=reading.result.rows, preset=reading.preset, choices=choices
        )
    )
    return Preview(reading=reading, plans=plans)


def payment_import_rejected_lines(*, upload: PaymentImport) -> str:
    """The rows of the stored file that have an error, as CSV with their line and reasons
    (``rejected_lines_csv``), read with the upload's mapping: to fix and import again."""
    reading = upload_read(upload=upload)
    return rejected_lines_csv(reading.result)


@transaction.atomic
def payment_import_configure(
    *,
    upload: PaymentImport,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    preset: str | None = None,
    sources: Mapping[str, Any] | None = None,
    partial: bool | None = None,
    save_as: str = "",
) -> PaymentImport:
    """Keep the choices of the mapping step before importing.

    ``mapping`` replaces the layout (None keeps it, ``{}`` goes back to the detected one);
    ``preset`` names the preset whose row rule still applies; ``sources`` says per
    source value which source or category its rows get; ``save_as`` saves the mapping
    for the owner's files with the same header, under that name.
    """
    owner = upload.owner
    if source is not None:
        source_require_owner(source=source, owner=owner)
    fields: dict[str, Any] = {"source": source}
    if mapping is not None:
        fields["mapping"] = mapping_options(mapping).to_json() if mapping else {}
    if preset is not None:
        fields["preset"] = preset if preset in PRESETS else ""
    if sources is not None:
        fields["sources"] = _check_choices(owner=owner, choices=sources)
    if partial is not None:
        fields["partial"] = partial
    upload = model_assign_and_save(instance=upload, fields=fields)
    if save_as.strip():
        import_mapping_save(upload=upload, name=save_as)
    return upload


@transaction.atomic
def import_mapping_save(*, upload: PaymentImport, name: str) -> ImportMapping:
    """Save the upload's layout for the owner's files with the same header.

    The header line is not kept: the next file's preamble may be longer or shorter, and
    its header is found by its signature.
    """
    reading = upload_read(upload=upload)
    result = reading.result
    if not result.header:
        raise DomainError({"save_as": [_("A mapping can only be saved for a file with a header.")]})
    options = result.options.merged({"header_line": None})
    mapping, _created = ImportMapping.objects.update_or_create(
        owner=upload.owner,
        signature=result.signature,
        defaults={
            "name": name.strip()[:120],
            "header": list(result.header),
            "options": options.to_json(),
        },
    )
    return mapping


@transaction.atomic
def import_mapping_delete(*, mapping: ImportMapping) -> None:
    mapping.delete()


#: Shown (translated) when the broker cannot take an import: the upload is failed at once
#: rather than left "queued" with nobody to run it; the user uploads it again.
IMPORT_NOT_QUEUED = gettext_noop(
    "The import could not be started because the background service is unreachable. "
    "Please upload the file again in a few minutes."
)


def payment_import_start(*, upload: PaymentImport) -> PaymentImport:
    """Queue the stored file for import by a worker; the page and the API follow its progress.

    Only an upload not yet started is queued, so a double click queues it once (the
    claim is one conditional UPDATE). The task is sent after commit; if the broker is
    unreachable the upload fails with ``IMPORT_NOT_QUEUED`` (nothing was imported).
    """
    from imports.tasks import payment_import_process

    claimed = PaymentImport.objects.filter(pk=upload.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.QUEUED, heartbeat_at=timezone.now()
    )
    upload.refresh_from_db(fields=["status"])  # not the file: it may be tens of MB
    if claimed:
        task_send_on_commit(
            payment_import_process,
            kwargs={"upload_id": upload.pk},
            on_unreachable=lambda: payment_import_fail(
                upload_id=upload.pk, message=IMPORT_NOT_QUEUED
            ),
        )
    return upload


def payment_import_submit(
    *,
    owner: User,
    filename: str,
    content: bytes,
    source: IncomeSource | None,
    mapping: Mapping[str, Any] | None = None,
    sources: Mapping[str, Any] | None = None,
    partial: bool = False,
    save_as: str = "",
) -> PaymentImport:
    """Upload, map and queue a file in one go (the API): all of it, or nothing is kept.

    The upload is read again once the transaction has committed and the task was sent
    (or not): with the broker away it is failed by then, and the answer says so rather
    than "queued" (issue 25).
    """
    with transaction.atomic():
        upload = payment_import_upload(
            owner=owner, filename=filename, content=content, source=source
        )
        upload = payment_import_configure(
            upload=upload, source=source, mapping=mapping, sources=sources, partial=partial,
            save_as=save_as,
        )  # fmt: skip
        upload = payment_import_start(upload=upload)
    upload.refresh_from_db(fields=[*OUTCOME_FIELDS, "started_at"])
    return upload


def payment_import_process(
    *, upload_id: int, on_progress: ImportProgress | None = None
) -> PaymentImport | None:
    """Import a queued file; the outcome is kept on the upload.

    Safe to run twice: a finished upload is left as it is, and one whose worker died in
    the middle (its transaction rolled back) runs again from the start, once the
    watchdog has sent it again or its message comes back. The claim takes the lease
    (``jobs.leases``), renewed while the file is read; the rows are written in one
    transaction after that. A second message while the holder is alive finds nothing
    to do. Returns None when there is nothing (left) to do.
    """
    jobs = PaymentImport.objects.all()
    holder = lease_claim(jobs, pk=upload_id, any_running=False)
    if holder is None:
        return None
    upload = PaymentImport.objects.select_related("source", "owner").get(pk=upload_id)
    beat = heartbeat(jobs, pk=upload_id, holder=holder)

    def beating(phase: str, done: int, total: int) -> None:
        if phase == "parse":  # the rows are written in a transaction: a beat there is unseen
            beat()
        if on_progress is not None:
            on_progress(phase, done, total)

    try:
        summary = payments_import(
            owner=upload.owner,
            data=bytes(upload.content),
            source=upload.source,
            mapping=upload.mapping or None,
            preset=upload.preset,
            sources=upload.sources,
            partial=upload.partial,
            on_progress=beating,
        )
    except ImportRejected as rejected:
        reading = rejected.reading
        result = reading.result
        upload.status = ImportStatus.REJECTED
        upload.errors = _error_rows(rejected.errors)
        upload.created_rows = upload.duplicate_rows = upload.created_sources = 0
        upload.rejected_rows = len({line for line, _f, _m in rejected.errors if line})
    else:
        reading = summary.reading
        result = reading.result
        upload.status = ImportStatus.DONE
        upload.errors = _error_rows(
            [(int(e.line), e.field, e.message) for e in result.errors]
            + [
                (r.line, "source", NO_SOURCE)
                for r in result.rows
                if not r.source and not upload.source_id
            ]
        )
        upload.created_rows, upload.duplicate_rows = summary.created, summary.duplicates
        upload.created_sources, upload.rejected_rows = summary.created_sources, summary.rejected
    upload.preset = reading.preset.key if reading.preset else upload.preset
    upload.total_rows = result.total_rows
    upload.skipped_rows = len(result.skipped)
    upload.finished_at = timezone.now()
    # The outcome only: writing the file back would cost as much as storing it did. The
    # first attempt to finish writes it (one that lost its lease too, since its rows are
    # in); a later one found them all there and leaves the outcome as it is.
    PaymentImport.objects.filter(pk=upload_id, status__in=PENDING).update(
        **{name: getattr(upload, name) for name in OUTCOME_FIELDS}
    )
    return upload


OUTCOME_FIELDS = (
    "status", "errors", "preset", "total_rows", "created_rows", "duplicate_rows",
    "skipped_rows", "rejected_rows", "created_sources", "finished_at",
)  # fmt: skip


def _error_rows(errors: Sequence[tuple[int | None, str | None, str]]) -> list[dict[str, Any]]:
    return [{"line": line, "field": field, "message": message} for line, field, message in errors]


#: An import a worker has, or will have.
PENDING = (ImportStatus.QUEUED, ImportStatus.RUNNING)
#: An import that has ended: its file is only needed for the rejected lines.
ENDED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


def payment_import_cleanup(*, now: datetime | None = None) -> dict[str, int]:
    """Empty the files of ended imports older than ``IMPORT_KEEP_DAYS`` (their outcome
    stays) and delete uploads of that age that were never imported; a queued or running
    one is left alone. Safe to run twice: the second run finds nothing."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_KEEP_DAYS)
    old = PaymentImport.objects.filter(created_at__lt=cutoff)
    with transaction.atomic():
        emptied = old.filter(status__in=ENDED).exclude(content=b"").update(content=b"")
        _total, per_model = old.filter(status=ImportStatus.UPLOADED).delete()
    return {"emptied": emptied, "deleted": per_model.get(PaymentImport._meta.label, 0)}


def payment_import_fail(*, upload_id: int, message: str) -> None:
    """Give up on an upload whose import broke (not for a file with errors: that is rejected)."""
    _imports_fail(PaymentImport.objects.filter(pk=upload_id, status__in=PENDING), message=message)


def _imports_fail(uploads: QuerySet[PaymentImport], *, message: str) -> int:
    return uploads.update(
        status=ImportStatus.FAILED,
        errors=[{"line": None, "field": None, "message": message}],
        finished_at=timezone.now(),
    )


#: Shown when the import broke for a reason that is not a line of the file.
IMPORT_BROKE = "The import could not be finished."
#: Shown when every worker that took the import stopped before it finished.
IMPORT_WORKER_LOST = gettext_noop(
    "The import was started several times, but its worker stopped each time before it "
    "finished. Nothing of it was kept."
)


def payment_imports_recover(*, now: datetime | None = None) -> Recovered:
    """Hand on the imports whose worker died (the minutely watchdog, issue 25).

    A running import whose holder stopped beating goes back to the queue ("waiting for
    a worker") and its message is sent again; one queued that long after its last send
    is sent again too (the broker lost it). After ``JOBS_MAX_ATTEMPTS`` runs it fails
    with ``IMPORT_WORKER_LOST``. Nothing is doubled: an attempt's rows are one
    transaction, which died with its worker.
    """
    now = now or timezone.now()
    return leases_recover(
        PaymentImport.objects.all(),
        now=now,
        resend=_import_resend,
        give_up=lambda _upload, same: bool(_imports_fail(same, message=IMPORT_WORKER_LOST)),
        queued_overdue=now - QUEUED_OVERDUE * jobs_lease(),
    )


#: A queued import not taken within this many leases of its last send is sent again.
QUEUED_OVERDUE = 5


def _import_resend(upload_id: int) -> None:
    """Send the import's message again; with the broker away it stays queued, and the
    watchdog sends it again later (up to ``JOBS_MAX_ATTEMPTS`` times)."""
    from imports.tasks import payment_import_process

    task_send_on_commit(
        payment_import_process, kwargs={"upload_id": upload_id}, on_unreachable=lambda: None
    )
