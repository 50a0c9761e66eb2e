"""How PostgreSQL stores the report snapshots (migration ``reports/0012``, issue 21):
half of each page free, so that a rewritten month stays on its page without touching
an index, and the JSON columns compressed with lz4 where the server has it."""

from __future__ import annotations

import pytest
from django.db import connection

from reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db


def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("storage parameters are PostgreSQL's (the second pass of .ci/run)")


def test_the_snapshot_table_leaves_half_of_each_page_free() -> None:
    _needs_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [ReportSnapshot._meta.db_table]
        )
        (options,) = cursor.fetchone()
    assert "fillfactor=50" in options


def test_the_json_columns_are_compressed_with_lz4_where_the_server_has_it() -> None:
    _needs_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (has_lz4,) = cursor.fetchone()
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = ANY(%s)",
            [ReportSnapshot._meta.db_table, ["sources", "by_category", "concentration"]],
        )
        methods = dict(cursor.fetchall())
    expected = "l" if has_lz4 else ""
    assert methods == dict.fromkeys(["sources", "by_category", "concentration"], expected)
