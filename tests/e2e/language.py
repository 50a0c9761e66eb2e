"""Is a page German through and through? What a German reader would trip over, found.

The English side of the German catalogue is the list of what must not show: every
msgid the catalogue translates differently (a string left in English on a German page
is either missing from the catalogue or rendered outside ``gettext``). Numbers, money
and dates are checked by their shape, and chart labels, which are drawn on a canvas
and are not in the page's text, are read from Chart.js.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
ENGLISH_CALENDAR = (
    *("January", "February", "March", "May", "June", "July", "October", "December"),
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
)
# English number shapes: "€1,234.56", "1,234.56", "12/31/2025", "2025-12-31".
ENGLISH_SHAPES = {
    "money with the sign first": re.compile(r"€\d"),
    "a decimal point after thousands": re.compile(r"\d,\d{3}\.\d"),
    "an English date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
}
MIN_LENGTH = 4


@cache
def german_translations() -> str:
    """Everything the German catalogue says, as one text."""
    return " ".join(entry.msgstr for entry in polib.pofile(str(CATALOGUE)) if entry.msgstr)


@cache
def english_phrases() -> tuple[str, ...]:
    """The English texts the German catalogue replaces, longest first; with placeholders,
    the literal pieces between them that are long enough to mean something. A word the
    German translations use themselves is left out."""
    german = german_translations()
    phrases: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        for piece in PLACEHOLDER.split(entry.msgid):
            piece = " ".join(piece.split()).strip(" .,:;…()“”\"'")
            whole = piece == " ".join(entry.msgid.split()).strip(" .,:;…()“”\"'")
            if len(piece) < MIN_LENGTH or not (whole or " " in piece):
                continue
            # "passive" is German too ("passive Einnahmen"): what German uses is no finding.
            if not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", german):
                phrases.add(piece)
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(page: Any) -> str:
    """What a reader sees: the page's rendered text, the title and the chart labels."""
    text = page.evaluate(
        "() => [document.title, document.body.innerText,"
        " ...[...document.querySelectorAll('canvas[data-chart-source]')].flatMap(c => {"
        "   const chart = window.Chart && Chart.getChart(c);"
        "   if (!chart) return [];"
        "   return [...chart.data.labels.map(String),"
        "           ...chart.data.datasets.map(d => String(d.label ?? '')),"
        "           ...Object.values(chart.options.scales || {})"
        "              .map(s => String((s.title && s.title.text) || ''))];"
        " })].join('\\n')"
    )
    return " ".join(str(text).split())


def english_on(page: Any, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every English phrase, English month or day name and English number shape on the
    page; ``allowed`` are texts the user typed (a source's name is theirs)."""
    text = visible_text(page)
    for own in allowed:
        text = text.replace(own, " ")
    found = []
    for phrase in english_phrases():
        # The plain search first: a thousand patterns, compiled anew (re's cache holds
        # 512), took half a second a page.
        if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            found.append(phrase)
            text = text.replace(phrase, " ")
    found += [name for name in ENGLISH_CALENDAR if re.search(rf"\b{name}\b", text)]
    # The import's help names the English shapes it reads, in German: those are examples.
    found += [
        f"{what}: {match.group(0)!r}"
        for what, shape in ENGLISH_SHAPES.items()
        for match in shape.finditer(text)
        if match.group(0) not in german_translations()
    ]
    return found


def assert_german(page: Any, *, allowed: tuple[str, ...] = ()) -> None:
    assert page.get_attribute("html", "lang") == "de", page.url
    found = english_on(page, allowed=allowed)
    assert not found, f"English on the German page {page.url}: {found}"
