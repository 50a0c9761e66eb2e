"""Where a statement's header is, and the layout it is read with."""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from imports.parsing import columns as cols
from imports.parsing import dates, text
from imports.parsing.options import Options

HEADER_SCAN = 60

#: (field values of the row, the row by normalized header name) → None; edits the values.
RowRule = Callable[[MutableMapping[str, str], Mapping[str, str]], None]


def signature(header: Sequence[str]) -> str:
    """A short fingerprint of a header row: same names in the same order, same layout."""
    names = [cols.normalize(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Layout:
    """Where a file's header is and how to read it: a preset's, a saved one, or guessed."""

    options: Options
    header_index: int | None
    preset: str | None = None
    saved: str | None = None
    row_rule: RowRule | None = None


def find_header(records: Sequence[text.Record], options: Options) -> int | None:
    """The index of the header record: the one at ``header_line``, else the best scored.

    A row scores by the known column names it has (``columns.header_score``) plus the
    names the mapping refers to, so a preset's or a saved mapping's header is found even
    when its names are unusual.
    """
    if options.header_line is not None:
        for index, (line, _cells) in enumerate(records):
            if line == options.header_line:
                return index
        return None
    named = {cols.normalize(r) for r in options.columns.values() if isinstance(r, str) and r}
    named = {name.rpartition("#")[0] if re.search(r"#\d+$", name) else name for name in named}
    best, chosen = 0, None
    for index, (_line, cells) in enumerate(records[:HEADER_SCAN]):
        normalized = {cols.normalize(cell) for cell in cells}
        score = cols.header_score(cells)
        if named:
            hits = len(named & normalized)
            score = score + hits if hits == len(named) else 0
        if score > best:
            best, chosen = score, index
    date_at = options.columns.get("date")
    if chosen is None and isinstance(date_at, int):
        # Columns by position and no known names: the header is the row just above the
        # first row whose date column holds a date.
        for index, (_line, cells) in enumerate(records[:HEADER_SCAN]):
            if index and date_at < len(cells) and dates.looks_like_date(cells[date_at]):
                return index - 1
    return chosen


class HasSignature(Protocol):
    """A layout recognised by the header names it needs (a payment or a billing preset)."""

    @property
    def normalized(self) -> frozenset[str]: ...


S = TypeVar("S", bound=HasSignature)


def most_specific(header: Iterable[str], presets: Iterable[S]) -> S | None:
    """The preset whose signature the ``header``'s normalized names hold, the one with the
    most names when several do (a file with more columns is the more specific layout);
    None when none does."""
    names = {cols.normalize(cell) for cell in header}
    best: S | None = None
    for preset in presets:
        if preset.normalized <= names and (
            best is None or len(preset.normalized) > len(best.normalized)
        ):
            best = preset
    return best


def presets_load(package: str, modules: Iterable[str]) -> dict[str, Any]:
    """The ``PRESETS`` of each module of ``package``, by key; a key defined twice is a
    programming error. Adding a format is adding a module and its name."""
    presets: dict[str, Any] = {}
    for name in modules:
        for preset in importlib.import_module(f"{package}.{name}").PRESETS:
            if preset.key in presets:
                raise ValueError(f"preset {preset.key!r} is defined twice")
            presets[preset.key] = preset
    return presets
