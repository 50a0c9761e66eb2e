"""income.date_style: a date style is active only where it is set, and only for whole days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import formats, translation

from income.date_style import current_date_style, date_style_override, style_format

DAY = date(2026, 12, 5)


def test_english_without_a_style_is_day_first() -> None:
    with translation.override("en"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "5 Dec 2026"
        assert formats.date_format(DAY, "DATE_FORMAT") == "5 December 2026"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT") == "December 2026"


def test_german_without_a_style_is_djangos() -> None:
    with translation.override("de"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "05.12.2026"
        assert formats.date_format(DAY, "DATE_FORMAT") == "5. Dezember 2026"


def test_a_style_writes_every_whole_day_but_leaves_months_in_words() -> None:
    with translation.override("en"), date_style_override("iso"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "2026-12-05"
        assert formats.date_format(DAY, "DATE_FORMAT") == "2026-12-05"
        moment = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2026-12-05 14:30"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT") == "December 2026"
        assert formats.get_format("DECIMAL_SEPARATOR") == "."


def test_the_style_ends_with_its_block() -> None:
    with translation.override("en"):
        with date_style_override("dmy"):
            assert current_date_style() == "dmy"
            assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "05/12/2026"
        assert current_date_style() == "system"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "5 Dec 2026"


def test_day_month_year_uses_the_languages_separator() -> None:
    assert style_format("dmy", "SHORT_DATE_FORMAT", "de") == "d.m.Y"
    assert style_format("dmy", "SHORT_DATE_FORMAT", "en") == "d/m/Y"
    assert style_format("system", "SHORT_DATE_FORMAT", "en") is None
    assert style_format("iso", "MONTH_DAY_FORMAT", "en") is None


def test_an_unknown_style_is_the_languages_own() -> None:
    with translation.override("en"), date_style_override("nonsense"):
        assert current_date_style() == "system"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "5 Dec 2026"


def test_a_typed_english_date_is_read_day_first() -> None:
    from django import forms

    with translation.override("en"):
        assert forms.DateField().clean("05/12/2026") == DAY
        assert forms.DateField().clean("2026-12-05") == DAY
