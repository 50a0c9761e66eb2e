"""The upsert of a sweep's snapshot rows: one statement per set of updated columns.

``bulk_create(update_conflicts=True)`` makes a model instance per row and sends every
value as a parameter of its own: a sweep after new monthly expenses writes sixty months
per user, and the instances and the client-side quoting of ~130,000 parameters took more
time than computing the figures. On PostgreSQL the rows go as one JSON document that the
server unpacks (``jsonb_to_recordset``), typed by the model's own column types, and are
upserted with the same ``ON CONFLICT (owner_id, month) DO UPDATE`` as ``bulk_create``'s;
on other databases (SQLite, the tests' default) through ``bulk_create`` itself.

A month already stored whose figures moved is written by ``snapshots_rewrite`` with the
columns that moved only: new monthly expenses move every month's coverage and nothing
else, and sending each month's per-source and per-category JSON again (4.5 MB for a
sweep's chunk of 50 users) took the server longer than the update itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
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


def snapshots_rewrite(
    rows: Sequence[tuple[Row, Collection[str] | None]], *, update_fields: Sequence[str]
) -> None:
    """Write ``rows`` as ``snapshots_upsert`` with ``update_fields`` would, each given with
    the fields that differ from its stored row (None: no row is stored).

    On PostgreSQL a stored row is updated in one statement for all of them, each row
    setting only its own fields (the others keep their value, which is the same); a row
    that is not stored, or that was deleted since it was read, is upserted whole. The
    stored rows are the same as after ``snapshots_upsert(rows, update_fields=...)``.
    """
    allowed = set(update_fields)
    updates = [(row, fields) for row, fields in rows if fields is not None]
    if any(not allowed.issuperset(fields) for _row, fields in updates):
        raise ValueError("a row sets a field outside update_fields")
    if connection.vendor != "postgresql":
        snapshots_upsert([row for row, _fields in rows], update_fields=update_fields)
        return
    new = [row for row, fields in rows if fields is None]
    statement = _update_sql(tuple(update_fields))
    with connection.cursor() as cursor:
        for start in range(0, len(updates), BATCH):
            batch = updates[start : start + BATCH]
            document = json.dumps(
                [
                    {
                        "owner_id": row["owner_id"],
                        "month": row["month"].isoformat(),
                        "set_fields": sorted(fields),
                        **{name: _ENCODE[name](row[name]) for name in fields},
                    }
                    for row, fields in batch
                ],
                separators=(",", ":"),
                allow_nan=False,
            )
            cursor.execute(statement, [document])
            if cursor.rowcount != len(batch):  # a row deleted since it was read
                new.extend(row for row, _fields in batch)
    snapshots_upsert(new, update_fields=update_fields)


_statements: dict[tuple[str, ...], str] = {}
_ENCODE = {field.name: encode for field, (_name, encode) in zip(COLUMNS, _ENCODERS, strict=True)}


def _update_sql(update_fields: tuple[str, ...]) -> str:
    """The ``UPDATE … FROM jsonb_to_recordset`` of ``snapshots_rewrite``: each of
    ``update_fields`` set to the row's value where the row names it in ``set_fields``."""
    key = ("update", *update_fields)
    if key not in _statements:
        quote = connection.ops.quote_name
        fields = [_BY_NAME[name] for name in ("owner", "month", *update_fields)]
        types = ", ".join(
            [f"{quote(f.attname)} {f.db_type(connection)}" for f in fields]
            + [f"{quote('set_fields')} text[]"]
        )
        column = {f.name: quote(f.column or f.attname) for f in fields}
        sets = ", ".join(
            f"{column[f.name]} = CASE WHEN '{f.name}' = ANY(r.{quote('set_fields')}) "
            f"THEN r.{quote(f.attname)} ELSE s.{column[f.name]} END"
            for f in fields[2:]
        )
        owner, month = column["owner"], column["month"]
        _statements[key] = (
            f"UPDATE {quote(ReportSnapshot._meta.db_table)} AS s SET {sets} "  # noqa: S608 - the model's names
            f"FROM jsonb_to_recordset(%s::jsonb) AS r({types}) "
            f"WHERE s.{owner} = r.{quote(_BY_NAME['owner'].attname)} "
            f"AND s.{month} = r.{quote(_BY_NAME['month'].attname)}"
        )
    return _statements[key]


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
