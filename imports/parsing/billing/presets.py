"""Billing presets: the subscription and member exports of billing platforms, recognised by
their header as the payment presets are (``imports.parsing.presets``).

A billing preset is the header names that identify the export (its signature), the
number format and date order it writes, the category a new source from it gets, and one
small function that reads a row into a subscription (``BillingRow``) or says why the row
is skipped. Adding a platform is adding a module here and its name to ``_MODULES``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from imports.parsing import columns as cols
from imports.parsing.billing.cells import RowCells
from imports.parsing.billing.rows import BillingRow
from imports.parsing.layout import most_specific, presets_load
from imports.parsing.text import Record


@dataclass(frozen=True)
class Skip:
    """A row that is no paying subscription: ``reason`` is a key of
    ``imports.parsing.messages.SKIP_REASONS``, ``value`` what said so (a status)."""

    reason: str
    value: str = ""


#: (the row's cells, its line) → the subscription, or why the row is skipped. Raises
#: ``imports.parsing.drafts.CellError`` for a cell it cannot read.
ReadRow = Callable[[RowCells, int], BillingRow | Skip]


@dataclass(frozen=True)
class BillingPreset:
    """One billing export layout (see the module doc)."""

    key: str
    #: Shown as it is: a product name is not translated.
    name: str
    #: Header names (as written) that all must be in the header row.
    signature: tuple[str, ...]
    read: ReadRow
    #: The slug of the subscription category a source created from this file gets.
    category: str
    #: What the file is and where to download it, in a few words (``gettext_noop``).
    description: str
    #: The columns holding amounts, whose cells decide the file's number format
    #: (``1,234.50`` or ``1.234,50``); ``number_format`` when none decides.
    amount_columns: tuple[str, ...] = ()
    number_format: str = "en"
    date_order: str = "ymd"
    normalized: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "normalized", frozenset(map(cols.normalize, self.signature)))


_MODULES = ("stripe", "patreon", "polar", "baremetrics")


BILLING_PRESETS: dict[str, BillingPreset] = presets_load("imports.parsing.billing", _MODULES)

#: How many lines from the top the header is looked for in (a preamble above it).
HEADER_SCAN = 60


def detect_billing(records: Sequence[Record]) -> tuple[BillingPreset, int] | None:
    """The billing preset whose signature a header among the first records holds (the most
    specific when several do) and that header's index, None for any other file."""
    best: tuple[BillingPreset, int] | None = None
    for index, (_line, cells) in enumerate(records[:HEADER_SCAN]):
        found = most_specific(cells, BILLING_PRESETS.values())
        if found is not None and (best is None or len(found.normalized) > len(best[0].normalized)):
            best = (found, index)
    return best


def billing_header_score(rows: Sequence[Sequence[str]]) -> int:
    """How much the best of ``rows`` looks like a billing header: the most signature names
    of one preset it holds (for choosing the delimiter)."""
    score = 0
    for cells in rows:
        normalized = {cols.normalize(cell) for cell in cells}
        for preset in BILLING_PRESETS.values():
            score = max(score, len(preset.normalized & normalized))
    return score
