"""Presets: the export layouts people download, recognised by their header.

A preset is data plus small rules, one module per format: the header names that
identify it (its signature), the ``Options`` that read it, the category a new source
from it gets, and at most a small ``row_rule`` for what options cannot say. Adding a
format is adding a module here and its name to ``_MODULES``.

``detect_layout`` looks at the first lines of a file: a person's saved mapping for
exactly this header wins (they chose it), then the preset whose signature the header
contains (the most specific one when several match), else plain options that guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from imports.parsing import columns as cols
from imports.parsing.layout import Layout, RowRule, most_specific, presets_load, signature
from imports.parsing.options import Options
from imports.parsing.text import Record

_HEADER_SCAN = 60


@dataclass(frozen=True)
class Preset:
    """One export layout (see the module doc)."""

    key: str
    #: Shown as it is: a product name is not translated.
    name: str
    #: Header names (as written) that all must be in the header row.
    signature: tuple[str, ...]
    options: Options
    #: The slug of the category a source created from this file gets.
    category: str
    #: The category of the source its rows without a source value go to (the
    #: ``source_fallback``: a broker's or a bank's own interest), when not ``category``.
    fallback_category: str | None = None
    #: What the file is, in a few words (translated for display: ``gettext_noop``).
    description: str = ""
    row_rule: RowRule | None = None
    #: Header names normalized, for matching.
    normalized: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "normalized", frozenset(map(cols.normalize, self.signature)))


_MODULES = (
    "trade_republic",
    "scalable_capital",
    "comdirect",
    "ing",
    "dkb",
    "paypal",
    "ibkr",
    "degiro",
    "stripe",
    "gumroad",
    "amazon_kdp",
    "mintos",
    "bondora",
)


PRESETS: dict[str, Preset] = presets_load(__name__, _MODULES)


def detect_layout(
    records: Sequence[Record],
    *,
    saved: Mapping[str, Options] | None = None,
    presets: Mapping[str, Preset] = PRESETS,
) -> tuple[Layout, Preset | None]:
    """The layout of a file from its first records (see the module doc)."""
    best: tuple[int, int, Preset] | None = None
    for index, (line, cells) in enumerate(records[:_HEADER_SCAN]):
        if saved:
            options = saved.get(signature(cells))
            if options is not None:
                pinned = (
                    options.merged({"header_line": line})
                    if options.header_line is None
                    else options
                )
                return Layout(options=pinned, header_index=index, saved=signature(cells)), None
        found = most_specific(cells, presets.values())
        if found is not None and (best is None or len(found.normalized) > best[0]):
            best = (len(found.normalized), index, found)
    if best is not None:
        _rank, index, preset = best
        layout = Layout(
            options=preset.options, header_index=index, preset=preset.key, row_rule=preset.row_rule
        )
        return layout, preset
    return Layout(options=Options(), header_index=_guess_header(records)), None


def _guess_header(records: Sequence[Record]) -> int | None:
    best, chosen = 0, None
    for index, (_line, cells) in enumerate(records[:_HEADER_SCAN]):
        score = cols.header_score(cells)
        if score > best:
            best, chosen = score, index
    return chosen
