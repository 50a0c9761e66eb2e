"""The sweep's snapshot upsert (``reports.snapshot_writes``) writes what ``bulk_create``
with ``update_conflicts`` writes: on PostgreSQL it is a statement of its own (the rows as
one JSON document), so it is compared here with ``bulk_create`` on the same rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from reports import snapshot_writes
from reports.models import ReportSnapshot
from reports.services import DETAIL_FIELDS, SERIES_FIELDS
from reports.snapshot_writes import COLUMNS, Row, snapshots_upsert

FIELDS = [field.attname for field in COLUMNS if field.attname != "owner_id"]


def _row(owner: User, month: date, *, scale: int) -> Row:
    """A row with every column set, with what is awkward to send: amounts with more
    places than the column keeps, quotes and umlauts in JSON, microseconds, nulls."""
    return {
        "owner_id": owner.pk,
        "month": month,
        "currency": "EUR",
        "passive_gross": Decimal("1234.565") * scale,
        "passive_net": Decimal("-0.005") * scale,
        "active_net": Decimal("0.00"),
        "passive_gross_ttm": Decimal("9999999999.99"),
        "passive_net_ttm": Decimal("12.5") * scale,
        "total_net_ttm": Decimal("100.10"),
        "passive_share": Decimal("0.12345") * scale,
        "expense_coverage": None,
        "monthly_expenses": Decimal("2000.00") * scale,
        "independence_month": date(2031, 4, 1) if scale == 1 else None,
        "independence_key": str(scale) * 64,
        "history_key": f"h{scale}",
        "by_category": {"dividends": {"passive_net": "1.23", "label_de": 'Zinsen "Ö" \\ €'}},
        "sources": [{"id": 1, "name": "ETF\nWorld", "net": "12.34"}] * scale,
        "concentration": {"source": [{"code": "1", "share": "1.0000"}]},
        "missing_rates": ["USD"] if scale == 1 else [],
        "fingerprint": f"f{scale}",
        "computed_at": datetime(2025, 6, 18, 3, 4, scale, 123456, tzinfo=UTC),
        "closed_at": None,
    }


def _reference(rows: list[Row], *, update_fields: list[str]) -> None:
    ReportSnapshot.objects.bulk_create(
        [ReportSnapshot(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["owner", "month"],
        update_fields=update_fields,
    )


def _stored(owner: User) -> list[tuple[Any, ...]]:
    return list(ReportSnapshot.objects.filter(owner=owner).order_by("month").values_list(*FIELDS))


def test_a_row_names_every_column_of_a_snapshot(alice: User) -> None:
    assert set(_row(alice, date(2025, 6, 1), scale=1)) == {field.attname for field in COLUMNS}


@pytest.mark.parametrize("batch", [1, 5000])
def test_the_upsert_writes_and_updates_as_bulk_create_does(
    alice: User, bob: User, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_writes, "BATCH", batch)  # one statement, or one per row
    months = [date(2025, 5, 1), date(2025, 6, 1)]
    for update_fields, scale in ((SERIES_FIELDS, 1), (SERIES_FIELDS, 2), (DETAIL_FIELDS, 3)):
        # The second and third rounds find the months stored: only ``update_fields`` move.
        snapshots_upsert(
            [_row(alice, month, scale=scale) for month in months], update_fields=update_fields
        )
        _reference([_row(bob, month, scale=scale) for month in months], update_fields=update_fields)
        assert _stored(alice) == _stored(bob)
    assert ReportSnapshot.objects.filter(owner=alice).count() == len(months)
    latest = ReportSnapshot.objects.get(owner=alice, month=months[-1])
    assert latest.fingerprint == "f2"  # a series field: not updated by the third round
    assert latest.sources == [{"id": 1, "name": "ETF\nWorld", "net": "12.34"}] * 3


def test_no_rows_write_nothing(alice: User) -> None:
    snapshots_upsert([], update_fields=SERIES_FIELDS)
    assert not ReportSnapshot.objects.exists()
