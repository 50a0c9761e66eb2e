"""Every preset's fixture, a file in the real layout, imports to exactly what a careful
person would book: each payment's date, amounts, currency, source and id, and each
skipped row with its reason. The expected values sit beside the file
(``tests/imports/fixtures/<key>.expected.json``), written from the layout's evidence."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from imports.parsing.presets import PRESETS, detect_layout
from imports.parsing.statement import StatementResult, parse_statement

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "DKK", "NOK", "PLN")
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))


def read(key: str, name: str | None = None) -> StatementResult:
    """The fixture ``name`` (default ``key``), which must be recognised as preset ``key``."""
    result, layout = parse_statement(
        (FIXTURES / f"{name or key}.csv").read_bytes(),
        currencies=CURRENCIES,
        default_currency="EUR",
        detect=lambda records: detect_layout(records)[0],
    )
    assert layout is not None
    assert layout.preset == key, f"recognised as {layout.preset!r}"
    return result


def payment(row: Any) -> dict[str, object]:
    return {
        "line": row.line,
        "date": row.date.isoformat(),
        "gross": str(row.gross),
        "tax_withheld": str(row.tax_withheld),
        "foreign_tax": str(row.foreign_tax),
        "fees": str(row.fees),
        "currency": row.currency,
        "source": row.source,
        "external_id": row.external_id,
    }


@pytest.mark.parametrize("path", EXPECTED, ids=[p.name.split(".")[0] for p in EXPECTED])
def test_a_preset_file_imports_what_a_careful_person_books(path: Path) -> None:
    expected = json.loads(path.read_text())
    result = read(expected["preset"], path.name.removesuffix(".expected.json"))

    assert result.ok, (result.file_errors, result.errors)
    # A file of a layout without tax has no foreign tax: its expectations leave it out.
    assert [payment(row) for row in result.rows] == [
        {"foreign_tax": "0.00"}
        | {key: p[key] for key in ("line", "date", "gross", "tax_withheld", "fees", "currency",
                                   "source", "external_id")}
        | {key: p[key] for key in ("foreign_tax",) if key in p}
        for p in expected["payments"]
    ]  # fmt: skip
    assert [(s.line, s.reason) for s in result.skipped] == [
        (s["line"], s["reason"]) for s in expected["skipped"]
    ]
    assert all(isinstance(row.gross, Decimal) for row in result.rows)


def test_every_preset_has_a_fixture_in_its_real_layout() -> None:
    covered = {json.loads(p.read_text())["preset"] for p in EXPECTED}
    assert set(PRESETS) <= covered
