"""Export, import and deletion of everything a user owns.

The export is the user's own rows only, read through the apps' selectors; the import
writes them back through the apps' services, so it obeys every rule a form or the API
obeys, in one transaction: a file with one bad row imports nothing. Derived data
(report snapshots, recompute jobs) is not exported: the import's change announcement
recomputes it, from the same rows, to the same figures.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from income import selectors as income_selectors
from income import services as income_services
from income.finance.csv_export import write_csv
from income.finance.errors import DomainError
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
from portability.document import FORMAT, TABLES, VERSION, check_header, plain
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


def _each(
    table: str, rows: Sequence[Mapping[str, Any]], write: Callable[[Mapping[str, Any]], Any]
) -> int:
    """Write every row; a refused one names its table and position (1-based)."""
    for number, row in enumerate(rows, start=1):
        try:
            write(row)
        except (DomainError, ValidationError, TypeError, ValueError) as error:
            raise DomainError(
                {
                    "file": [
                        _("%(table)s, row %(number)s: %(problem)s")
                        % {"table": table, "number": number, "problem": _problem(error)}
                    ]
                }
            ) from error
    return len(rows)


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


@transaction.atomic
def account_import(*, user: User, document: Any) -> ImportSummary:
    """Write an export into an account that has no sources and no scenarios yet.

    All rows or none: any refusal rolls the whole import back, with the table and row
    that was refused. The figures follow from the rows (the services announce the
    change), so they come out as they were where the export was made.
    """
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
    sources: dict[Any, IncomeSource] = {}

    def own(ref: Any) -> IncomeSource:
        if ref not in sources:
            raise DomainError({"source": [_("It refers to a source that is not in the file.")]})
        return sources[ref]

    def source(row: Mapping[str, Any]) -> None:
        sources[row.get("ref")] = income_services.source_create(
            owner=user, **_typed(IncomeSource, row, SOURCE_FIELDS)
        )

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

    def scenario(row: Mapping[str, Any]) -> None:
        linked = row.get("sources", [])
        if not isinstance(linked, list):
            raise DomainError({"sources": [_("A list was expected.")]})
        scenario_services.scenario_create(
            owner=user,
            sources=[own(ref) for ref in linked],
            **_typed(Scenario, row, SCENARIO_FIELDS),
        )

    profile = document.get("profile", {})
    counts = {
        "profile": _each(
            "profile",
            [profile] if profile else [],
            lambda row: income_services.profile_update(
                user=user, **_typed(Profile, row, PROFILE_FIELDS)
            ),
        ),
        "sources": _each("sources", _rows(document, "sources"), source),
        "payments": _each("payments", _rows(document, "payments"), payment),
        "subscription_periods": _each(
            "subscription_periods", _rows(document, "subscription_periods"), period
        ),
        "effort_logs": _each("effort_logs", _rows(document, "effort_logs"), effort),
        "asset_values": _each("asset_values", _rows(document, "asset_values"), asset_value),
        "scenarios": _each("scenarios", _rows(document, "scenarios"), scenario),
    }
    return ImportSummary(counts=counts)


def account_import_file(*, user: User, content: bytes) -> ImportSummary:
    """An uploaded export: the zip the export makes, or its ``ertrag.json`` alone."""
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "ertrag.json" not in archive.namelist():
                raise DomainError({"file": [_("The zip has no ertrag.json.")]})
            content = archive.read("ertrag.json")
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError({"file": [_("The file is not an Ertrag export.")]}) from error
    return account_import(user=user, document=document)


# ----------------------------------------------------------------------------- deletion


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and every row of the user's, in every app.

    Every table of ours refers to the user with ``on_delete=CASCADE`` (sources and what
    hangs on them, scenarios, reports, jobs, digests, imports, tokens, the profile), so
    deleting the user deletes them with it; the log-in lockout counts of the username
    are kept by name, not by user, and go separately.
    """
    AccessAttempt.objects.filter(username=user.username).delete()
    user.delete()
