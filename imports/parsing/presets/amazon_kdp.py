"""Amazon KDP: royalty reports, a sheet of the workbook saved as CSV (KDP offers no CSV).

Evidence: public KDP importers that read the real workbooks (the "Royalties Estimator"
read with the header in its first row; ``Avg. Delivery/Manufacturing cost`` on the
"Combined Sales" sheet; "Total Earnings" read with ``header=1`` below a
``Sales Period,January 2025`` line), and the notes of the fixture.

- ``amazon_kdp``: the Royalties Estimator's "Combined Sales" sheet, and its "eBook
  Royalty", "Paperback Royalty" and "Hardcover Royalty" sheets (``ASIN`` or ``ISBN``
  instead of ``ASIN/ISBN``): one row per royalty date, title, marketplace, royalty type
  and transaction type.
- ``amazon_kdp_prior_months``: the monthly "Prior Months' Royalties" workbook, sheet
  "Total Earnings" (formerly "Total Royalty", whose amount column is ``Royalty``, not
  ``Earnings``: the amount column is found by name). Its rows have no date; the line
  above the header names the month, and every row is booked on its last day (the
  statement's rule for dateless tables: the royalties of a month are complete then; the
  payment, about two months later, is not in the file).

``Royalty``/``Earnings`` is the author's share, already net of Amazon's and of delivery
and printing costs, in the marketplace's currency (``Currency``): the gross, with no fee
and no tax. Every row is a royalty whatever its transaction type or payout plan
(Standard, Kindle Countdown Deals, Expanded Distribution Channels, KENP …), so the type
column is not read and no new type can be skipped by mistake: the sign decides. A day of
returns only has a negative royalty, a refund on that day; a free promotion earns zero
and is skipped as such. The source is the title (ebook and paperback share it; the
mapping can choose ``ASIN/ISBN`` instead); the note names the marketplace, the
transaction type or payout plan, and the ASIN/ISBN. The rows have no id.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_NOTE_PARTS = (
    ("marketplace",),
    ("transaction type", "payout plan"),
    ("asin/isbn", "asin", "isbn"),
)


def _note(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """Marketplace, transaction type (or payout plan) and ASIN/ISBN as the note."""
    parts = (
        next((row[name].strip() for name in names if row.get(name, "").strip()), "")
        for names in _NOTE_PARTS
    )
    values["note"] = ", ".join(part for part in parts if part)


PRESETS = (
    Preset(
        key="amazon_kdp",
        name="Amazon KDP (royalties estimator)",
        signature=("Royalty Date", "Title", "Marketplace", "Royalty", "Currency"),
        options=Options(
            columns={
                "date": "Royalty Date", "gross": "Royalty", "currency": "Currency",
                "source": "Title",
            },
            guess=False,
            negative="reduce",
            source_fallback="Amazon KDP",
        ),
        category="licences",
        description=gettext_noop("Amazon KDP royalties estimator, a sheet saved as CSV"),
        row_rule=_note,
    ),
    Preset(
        key="amazon_kdp_prior_months",
        name="Amazon KDP (prior months' royalties)",
        signature=("Title", "Marketplace", "Royalty Type", "Payout Plan", "Currency"),
        options=Options(
            columns={"date": None, "currency": "Currency", "source": "Title"},
            negative="reduce",
            source_fallback="Amazon KDP",
        ),
        category="licences",
        description=gettext_noop("Amazon KDP prior months' royalties, a sheet saved as CSV"),
        row_rule=_note,
    ),
)  # fmt: skip
