"""A person's date style (system, day-month-year, ISO) applied to every date Django writes.

Django chooses date formats by language only (``get_format`` looks up the active
language's format module); it has no per-request or per-user switch. The pages already
write every day through those formats (``|date:"SHORT_DATE_FORMAT"``, ``date_format``),
in templates several people edit. So instead of a new filter that every template would
have to use (and that the next template would forget), the one function all of them go
through, ``django.utils.formats.get_format``, is wrapped once: while a style is active
(``date_style_override``, set per request by ``PreferencesMiddleware`` and around the
digest), the formats of a day with a year come from ``style_format``; everything else
(numbers, month names, input formats) is Django's, unchanged. The style lives in a
context variable, so threads and async requests never see each other's.

A style governs the formats that write a whole day: ``DATE_FORMAT``,
``SHORT_DATE_FORMAT``, ``DATETIME_FORMAT`` and ``SHORT_DATETIME_FORMAT``. "Month year"
and "day month" keep the language's words: they are never ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import formats
from django.utils.translation import get_language

SYSTEM, DMY, ISO = "system", "dmy", "iso"
STYLES = (SYSTEM, DMY, ISO)
DAY_FORMATS = ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")

# A callable, so the style (one profile query) is read only when a page writes a date.
_active: ContextVar[Callable[[], str] | None] = ContextVar("ertrag_date_style", default=None)
_django_get_format = formats.get_format


def style_format(style: str, format_type: str, language: str | None) -> str | None:
    """The format ``style`` gives ``format_type`` in ``language``; None: the language's own.

    Day-month-year separates with the language's mark (05.12.2026 in German, 05/12/2026
    otherwise); ISO is 2026-12-05 in every language. Times are 24-hour either way.
    """
    if style not in (DMY, ISO) or format_type not in DAY_FORMATS:
        return None
    german = (language or "").startswith("de")
    day = "Y-m-d" if style == ISO else ("d.m.Y" if german else "d/m/Y")
    return f"{day} H:i" if "DATETIME" in format_type else day


def current_date_style() -> str:
    """The style active now (``SYSTEM`` outside a request or override)."""
    lookup = _active.get()
    style = lookup() if lookup is not None else SYSTEM
    return style if style in STYLES else SYSTEM


def _get_format(format_type: str, lang: str | None = None, use_l10n: bool | None = None) -> Any:
    if format_type in DAY_FORMATS and _active.get() is not None:
        chosen = style_format(current_date_style(), format_type, lang or get_language())
        if chosen is not None:
            return chosen
    return _django_get_format(format_type, lang, use_l10n)


def install() -> None:
    """Route Django's format lookups through the style (idempotent)."""
    if formats.get_format is not _get_format:
        formats.get_format = _get_format


@contextmanager
def date_style_override(style: str | Callable[[], str]) -> Iterator[None]:
    """Write dates in ``style`` (a style, or a callable giving it when first needed)."""
    install()
    lookup = style if callable(style) else (lambda: style)
    token = _active.set(lookup)
    try:
        yield
    finally:
        _active.reset(token)
