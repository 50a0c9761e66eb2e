"""The upsert of a sweep's snapshot rows: one statement per set of updated columns.

``bulk_create(update_conflicts=True)`` makes a model instance per row and sends every
value as a parameter of its own: a sweep after new monthly expenses writes sixty months
per user, and the instances and the client-side quoting of ~130,000 parameters took more
time than computing the figures. On PostgreSQL the rows go as one JSON document that the
server unpacks (``jsonb_to_recordset``), typed by the model's own column types, and are
upserted with the same ``ON CONFLICT (owner_id, month) DO UPDATE`` as ``bulk_create``'s;
on other databases (SQLite, the tests' default) through ``bulk_create`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models

from reports.models import ReportSnapshot

#: One row: the value of each of ``COLUMNS``, by attribute name (``owner_id``).
Row = dict[str, Any]

#: Every column a row carries: the model's concrete fields but the primary key.
COLUMNS = [field for field in ReportSnapshot._meta.concrete_fields if not field.primary_key]
_BY_NAME = {field.name: field for field in COLUMNS}


def _json_scalar(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of ``field`` goes into the JSON document: dates, times and amounts as
    their exact text (the column's input function reads them), JSON as it is."""
    if isinstance(field, models.JSONField):
        return _same
    if isinstance(field, models.DecimalField | models.DateField):  # DateTimeField too
        return _text
    return _same


def _same(value: Any) -> Any:
    return value


def _text(value: Decimal | date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


#: Rows per statement: a sweep's chunk (50 users' sixty months, a few MB) is one.
BATCH = 5000

_ENCODERS = [(field.attname, _json_scalar(field)) for field in COLUMNS]


def snapshots_upsert(rows: Sequence[Row], *, update_fields: Sequence[str]) -> None:
    """Insert ``rows``, or on an (owner, month) already stored set its ``update_fields``
    (field names) to the row's, as ``bulk_create(update_conflicts=True)`` does."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        ReportSnapshot.objects.bulk_create(
            [ReportSnapshot(**row) for row in rows],
            update_conflicts=True,
            unique_fields=["owner", "month"],
            update_fields=list(update_fields),
            batch_size=500,
        )
        return
    statement = _upsert_sql(tuple(update_fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            document = json.dumps(
                [
                    {name: encode(row[name]) for name, encode in _ENCODERS}
                    for row in rows[start : start + BATCH]
                ],
                separators=(",", ":"),
                allow_nan=False,
            )
            cursor.execute(statement, [document])


_statements: dict[tuple[str, ...], str] = {}


def _upsert_sql(update_fields: tuple[str, ...]) -> str:
    """The statement for ``update_fields``, made once from the model's names and types."""
    if update_fields not in _statements:
        quote = connection.ops.quote_name
        columns = {field.name: quote(field.column or field.attname) for field in COLUMNS}
        types = ", ".join(
            f"{quote(field.attname)} {field.db_type(connection)}" for field in COLUMNS
        )
        picked = ", ".join(f"r.{quote(field.attname)}" for field in COLUMNS)
        updates = ", ".join(f"{columns[name]} = EXCLUDED.{columns[name]}" for name in update_fields)
        _statements[update_fields] = (
            f"INSERT INTO {quote(ReportSnapshot._meta.db_table)} ({', '.join(columns.values())}) "  # noqa: S608 - the model's names
            f"SELECT {picked} FROM jsonb_to_recordset(%s::jsonb) AS r({types}) "
            f"ON CONFLICT ({columns['owner']}, {columns['month']}) DO UPDATE SET {updates}"
        )
    return _statements[update_fields]
