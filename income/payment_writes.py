"""Many new payments at once (a statement import): PostgreSQL's COPY, else ``bulk_create``.

``bulk_create`` builds a model instance per row and sends every value as a parameter of
its own: the 100,000-row import of issue 21's bench spent two thirds of its time there
(profiled: 9.7 s of 15.2 s, the parse of the file most of the rest), and so measured
1.51 × the ``bulk_create`` of the same rows alone (goal ≤ 1.5). COPY streams the rows in
PostgreSQL's own format, escaped by psycopg, and checks them against the same
constraints as an INSERT (the amount rules, the currency, one external id and one row
hash per source): a broken rule raises Django's ``IntegrityError`` as ``bulk_create``
would (``wrap_database_errors``), so an import's retry after a concurrent one (issue 25)
works the same. Other databases (SQLite) take ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from income.models import Payment


class NewPayment(NamedTuple):
    """The columns of a payment to insert, but its id and time (the database's, now's).

    ``foreign_tax`` (the part of ``tax_withheld`` the source country took) comes last
    with its default, so a caller that knows of no foreign tax need not name it; it is
    written by both paths, COPY and ``bulk_create``, like every other field.
    """

    source_id: int
    date: date
    gross: Decimal
    tax_withheld: Decimal
    fees: Decimal
    currency: str
    note: str
    external_id: str | None
    row_hash: str | None
    foreign_tax: Decimal = Decimal("0.00")


_FIELDS = {field.name: field for field in Payment._meta.concrete_fields}
#: The table's columns of ``NewPayment``'s fields (``source_id`` is the source's), and the time.
_COLUMNS: list[str] = [
    str(_FIELDS[{"source_id": "source"}.get(name, name)].column) for name in NewPayment._fields
] + [str(_FIELDS["created_at"].column)]


def payments_insert(rows: Sequence[NewPayment]) -> None:
    """Insert ``rows`` in the caller's transaction, each created now."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Payment.objects.bulk_create([Payment(**row._asdict()) for row in rows])
        return
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(Payment._meta.db_table)} ({', '.join(map(quote, _COLUMNS))}) FROM STDIN"
    )
    now = timezone.now()
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row((*row, now))
