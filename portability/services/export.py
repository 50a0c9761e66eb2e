"""The export: the user's own rows only, read through the apps' selectors, as one JSON
document and as a zip of it with one CSV per table."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from finance.csv_export import write_csv
from income import selectors as income_selectors
from income import services as income_services
from portability.document import FORMAT, TABLES, VERSION, plain
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
    SOURCE_FIELDS,
    SUBSCRIPTION_PAUSE_FIELDS,
    row_plain,
    row_values,
)
from scenarios import selectors as scenario_selectors


def _tables(*, user: User) -> dict[str, Any]:
    """The user's rows: the profile, then each of ``TABLES``, with typed values.

    Typed, not yet written as JSON strings, so that the CSV files write an amount as the
    number it is (``-12.34`` for a refund, decimal comma in German), not as text that
    the formula guard would take for a formula.
    """
    sources = list(income_selectors.source_list(owner=user).order_by("pk"))
    return {
        "profile": row_values(income_services.profile_get_or_create(user=user), PROFILE_FIELDS),
        "sources": [{"ref": s.pk, **row_values(s, SOURCE_FIELDS)} for s in sources],
        "payments": [
            {"source": p.source_id, **row_values(p, PAYMENT_FIELDS)}
            for p in income_selectors.payment_list(owner=user).order_by("pk")
        ],
        "subscription_periods": [
            {"source": p.source_id, **row_values(p, PERIOD_FIELDS)}
            for p in income_selectors.period_list(owner=user).order_by("pk")
        ],
        "effort_logs": [
            {"source": e.source_id, **row_values(e, EFFORT_FIELDS)}
            for e in income_selectors.effort_log_list(owner=user).order_by("pk")
        ],
        "asset_values": [
            {"source": v.source_id, **row_values(v, ASSET_VALUE_FIELDS)}
            for v in income_selectors.asset_value_list(owner=user).order_by("pk")
        ],
        "costs": [
            {"source": c.source_id, **row_values(c, COST_FIELDS)}
            for c in income_selectors.cost_list(owner=user).order_by("pk")
        ],
        "fund_years": [
            {"source": f.source_id, **row_values(f, FUND_YEAR_FIELDS)}
            for f in income_selectors.fund_year_list(owner=user).order_by("pk")
        ],
        "customers": [
            {"ref": c.pk, "source": c.source_id, **row_values(c, CUSTOMER_FIELDS)}
            for c in income_selectors.customer_list(owner=user).order_by("pk")
        ],
        "billing_subscriptions": [
            {"ref": s.pk, "customer": s.customer_id, **row_values(s, BILLING_SUBSCRIPTION_FIELDS)}
            for s in income_selectors.billing_subscription_list(owner=user).order_by("pk")
        ],
        "subscription_pauses": [
            {"subscription": p.subscription_id, **row_values(p, SUBSCRIPTION_PAUSE_FIELDS)}
            for p in income_selectors.subscription_pause_list(owner=user).order_by("pk")
        ],
        "scenarios": [
            {
                **row_values(scenario, SCENARIO_FIELDS),
                "sources": sorted(source.pk for source in scenario.sources.all()),
            }
            for scenario in scenario_selectors.scenario_list(owner=user).order_by("pk")
        ],
        "allowance_orders": [
            row_values(order, ALLOWANCE_ORDER_FIELDS)
            for order in income_selectors.allowance_order_list(owner=user).order_by("pk")
        ],
    }


def _document(*, user: User, tables: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": plain(timezone.now()),
        "username": user.username,
        "email": user.email,
        "profile": row_plain(tables["profile"]),
        **{table: [row_plain(row) for row in tables[table]] for table in TABLES},
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
