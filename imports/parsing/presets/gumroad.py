"""Gumroad: the sales CSV (Sales or Analytics › Export), one row per purchase.

Evidence: Gumroad's own exporter (``antiwork/gumroad``,
``app/services/exports/purchase_export_service.rb``) and its spec: the column list, Ruby
floats (``12.0``, ``9.6``), ``Purchase Date`` as the UTC day, and a ``Totals`` row of
sums appended at the end. Every money column is US dollars, said only in the header
(``Sale Price ($)``); the newest exports add ``Buyer Currency``/``Buyer Total`` (what the
buyer's card was charged), which are not the seller's money and are not read. Seller
custom fields are appended after the known columns, and the column list grows over the
years, so the signature names only the columns every version has.

- Gross is ``Sale Price ($)``; the fee is ``Fees ($)`` (Gumroad's fee plus card
  processing), positive. VAT that Gumroad collects is in ``Taxes ($)``, outside the sale
  price and never the seller's, so no tax is withheld.
- The file has no type column: a refund or a chargeback is a flag on the sale's own row,
  and the file has no refund date. So such a row is two payments on the purchase day,
  the sale and a refund (``refunded``, see the statement's rules; its id is
  ``<Purchase ID>:refund``): the full sale price when ``Fully Refunded?`` is set or a
  dispute was lost (``Disputed?`` without ``Dispute Won?``), else ``Partial Refund ($)``.
  Gumroad keeps its fee on a refund, so the refund returns none.
- A free-trial sign-up and a pre-order authorization move no money (the charge comes as
  a row of its own later): the first is skipped as not income, the second as pending.
- The mapping names only the signature's columns, so an export without the refund or
  order columns is read too; the row rule takes those from the row when they are there
  (the note is the ``Order Number``).
- The source is the product (``Item Name``); the id is ``Purchase ID``, URL-safe base64
  (``-`` and ``_`` included), so one id in 64 starts with ``-``. The newest exports write
  such a cell with an apostrophe in front (``'-Qv7…``, against spreadsheet formulas);
  older ones write it bare, which would read as a formula. The id is taken in the newest
  form either way, so both exports of a purchase agree.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_FREE_TRIAL = "Free trial purchase"
_PREORDER = "Pre-order authorization"
_YES = frozenset({"1", "true", "yes"})
_FORMULA_START = ("=", "+", "-", "@")


def _flag(row: Mapping[str, str], name: str) -> bool:
    return row.get(name, "").strip().casefold() in _YES


def _refund_and_authorizations(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """The refund a sale's flags mean, the rows that move no money, and the id in its
    newest form (see the module doc).

    ``row`` is keyed by normalized header names (``Refunded?`` → ``refunded?``).
    """
    if _flag(row, "free trial purchase?"):
        values["type"] = _FREE_TRIAL
    elif _flag(row, "pre-order authorization?"):
        values["type"] = _PREORDER
    purchase_id = values["external_id"].strip()
    if purchase_id.startswith(_FORMULA_START):
        values["external_id"] = f"'{purchase_id}"
    lost_dispute = _flag(row, "disputed?") and not _flag(row, "dispute won?")
    if _flag(row, "fully refunded?") or lost_dispute:
        values["refunded"] = values["gross"]
    else:
        values["refunded"] = row.get("partial refund", "")
    values["note"] = row.get("order number", "")


PRESETS = (
    Preset(
        key="gumroad",
        name="Gumroad (sales)",
        signature=("Purchase ID", "Item Name", "Purchase Date", "Sale Price ($)", "Fees ($)"),
        options=Options(
            columns={
                "date": "Purchase Date", "gross": "Sale Price ($)", "fees": "Fees ($)",
                "source": "Item Name", "external_id": "Purchase ID",
            },
            guess=False,
            types={_FREE_TRIAL: kinds.skip("not_income"), _PREORDER: kinds.skip("pending")},
            negative="skip",
            fee_sign="positive",
            currency="USD",
            source_fallback="Gumroad",
        ),
        category="online-courses",
        description=gettext_noop("Gumroad sales export"),
        row_rule=_refund_and_authorizations,
    ),
)  # fmt: skip
