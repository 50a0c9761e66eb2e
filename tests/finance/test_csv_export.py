"""CSV export cells: locale formats, and formulas defused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance.csv_export import format_cell, safe_cell, write_csv


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_defused(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_text_is_untouched() -> None:
    assert safe_cell("Dividende Q4") == "Dividende Q4"


def test_numbers_and_dates_follow_the_locale() -> None:
    assert format_cell(Decimal("-1234.56"), german=True) == "-1234,56"
    assert format_cell(Decimal("-1234.56"), german=False) == "-1234.56"
    assert format_cell(date(2025, 12, 31), german=True) == "31.12.2025"
    assert format_cell(date(2025, 12, 31), german=False) == "2025-12-31"
    assert format_cell(None, german=True) == ""


def test_a_german_file_uses_semicolons() -> None:
    text = write_csv(["Datum", "Betrag"], [[date(2025, 1, 2), Decimal("3.50")]], german=True)
    assert text == "Datum;Betrag\r\n02.01.2025;3,50\r\n"
