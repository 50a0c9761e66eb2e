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
from reports.services import COMPARED_FIELDS, DETAIL_FIELDS, SERIES_FIELDS, WRITTEN_FIELDS
from reports.snapshot_writes import COLUMNS, Row, snapshots_rewrite, snapshots_upsert

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


def test_a_rewritten_month_is_written_with_its_changed_and_its_written_fields() -> None:
    """What ``_Recomputed.changed`` gives ``snapshots_rewrite`` for a stored month: the
    compared fields that moved and ``WRITTEN_FIELDS``, which with them are every field
    a past month's upsert would set (``SERIES_FIELDS``)."""
    assert set(SERIES_FIELDS) == {*COMPARED_FIELDS, *WRITTEN_FIELDS}
    assert not set(COMPARED_FIELDS) & set(WRITTEN_FIELDS)


@pytest.mark.parametrize("batch", [1, 5000])
def test_a_rewrite_of_some_fields_leaves_the_rows_an_upsert_leaves(
    alice: User, bob: User, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each stored row sets only the fields it names (those that moved), a new row is
    inserted whole, and a row named as stored but deleted since is inserted whole too:
    the same rows as the upsert of every row with every series field, on PostgreSQL
    (one update) and elsewhere (the upsert itself)."""
    monkeypatch.setattr(snapshot_writes, "BATCH", batch)
    months = [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    for owner in (alice, bob):
        snapshots_upsert(
            [_row(owner, month, scale=1) for month in months[:3]], update_fields=SERIES_FIELDS
        )
    # Deleted after the recompute read it: the rewrite still names its fields.
    ReportSnapshot.objects.filter(owner=alice, month=months[2]).delete()
    ReportSnapshot.objects.filter(owner=bob, month=months[2]).delete()

    def written(row: Row) -> Row:
        row.update(fingerprint="f9", history_key="h9")
        row["computed_at"] = datetime(2025, 6, 19, tzinfo=UTC)
        return row

    def expenses(owner: User, month: date) -> Row:
        row = _row(owner, month, scale=1)
        row.update(monthly_expenses=Decimal("4000.00"), expense_coverage=Decimal("0.5"))
        return written(row)

    def payment(owner: User, month: date) -> Row:
        row = _row(owner, month, scale=1)
        row.update(passive_net=Decimal("7.00"), by_category={"rent": {"passive_net": "7.00"}})
        return written(row)

    def rows(owner: User) -> list[Row]:
        return [
            expenses(owner, months[0]),
            payment(owner, months[1]),
            expenses(owner, months[2]),
            expenses(owner, months[3]),
        ]

    named: list[list[str] | None] = [
        ["monthly_expenses", "expense_coverage", *WRITTEN_FIELDS],
        ["passive_net", "by_category", *WRITTEN_FIELDS],
        ["monthly_expenses", "expense_coverage", *WRITTEN_FIELDS],
        None,
    ]
    snapshots_rewrite(list(zip(rows(alice), named, strict=True)), update_fields=SERIES_FIELDS)
    _reference(rows(bob), update_fields=SERIES_FIELDS)
    assert _stored(alice) == _stored(bob)
    assert [
        row.monthly_expenses for row in ReportSnapshot.objects.filter(owner=alice).order_by("month")
    ] == [
        Decimal("4000.00"),
        Decimal("2000.00"),
        Decimal("4000.00"),
        Decimal("4000.00"),
    ]


def test_a_rewrite_refuses_a_field_it_may_not_update(alice: User) -> None:
    row = _row(alice, date(2025, 6, 1), scale=1)
    snapshots_upsert([row], update_fields=SERIES_FIELDS)
    with pytest.raises(ValueError, match="outside update_fields"):
        snapshots_rewrite([(row, ["sources"])], update_fields=SERIES_FIELDS)
