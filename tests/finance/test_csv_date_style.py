"""CSV days by date style: the language's by default, day-month-year or ISO on request."""

from __future__ import annotations

from datetime import date

from finance.csv_export import format_cell, write_csv

DAY = date(2025, 12, 31)


def test_the_system_style_keeps_the_languages_days() -> None:
    assert format_cell(DAY, german=True) == "31.12.2025"
    assert format_cell(DAY, german=False) == "2025-12-31"


def test_day_month_year_in_english_is_day_first_with_slashes() -> None:
    assert format_cell(DAY, german=False, date_style="dmy") == "31/12/2025"
    assert format_cell(DAY, german=True, date_style="dmy") == "31.12.2025"


def test_iso_is_the_same_in_every_language() -> None:
    assert format_cell(DAY, german=True, date_style="iso") == "2025-12-31"
    text = write_csv(["Datum"], [[DAY]], german=True, date_style="iso")
    assert text == "Datum\r\n2025-12-31\r\n"
