"""Scalable Capital: the broker's transaction export (the 14-column CSV since 2024).

Evidence: a real-looking export in dickwolff/Export-To-Ghostfolio (samples and its
converter), the GhostfolioSidekick issue on the 2024 format change, and real rows quoted
in other importers (``KKT-Abschluss`` interest, a pending ``PRIME+ subscription`` fee,
cancelled buys, ``Vorabpauschale`` tax rows).

- ``date;time;status;reference;description;assetType;type;isin;shares;price;amount;fee;
  tax;currency``, ``;``, German numbers (``-2.164,80``, ``38,1846``), newest first.
- Only ``Executed`` rows are bookings: pending and cancelled orders and fees are in the
  file too, and are skipped by their status.
- ``amount`` of a ``Distribution`` is the net credit; ``tax`` is the tax withheld, written
  positive: gross = amount + tax (+ fee). Cash interest (``Interest``) reads the same way.
  That ``tax`` is one amount: Scalable is a German bank that withholds Kapitalertragsteuer,
  Soli and Kirchensteuer, and the source country's withholding on a foreign distribution
  is not written apart. So the foreign tax stays 0 and all of it counts as German tax.
- Interest has no ISIN: it goes to the source "Scalable Capital". A negative ``Interest``
  row (the account's quarterly ``KKT-Abschluss`` charging debit interest) is no income
  reversal but a charge: the row rule names it "Interest charged", which is skipped.
- ``Taxes`` rows (Vorabpauschale, tax settlements either way) have no income row of their
  own to belong to: skipped as tax, never merged into a distribution.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_INTEREST_CHARGED = "Interest charged"

_TYPES = {
    "Distribution": kinds.INCOME,
    "Interest": kinds.INCOME,
    _INTEREST_CHARGED: kinds.skip("not_income"),
    "Deposit": kinds.skip("deposit"),
    "Withdrawal": kinds.skip("withdrawal"),
    "Buy": kinds.skip("buy"),
    "Savings plan": kinds.skip("buy"),
    "Sell": kinds.skip("sell"),
    "Fee": kinds.skip("fee"),
    "Taxes": kinds.skip("tax"),
    "Security transfer": kinds.skip("transfer"),
    "Transfer": kinds.skip("transfer"),
    "Corporate action": kinds.skip("not_income"),
}


def _interest_charged(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """A negative ``Interest`` row is debit interest charged, not a reversal of income."""
    if values["type"].strip() == "Interest" and values["net"].strip().startswith("-"):
        values["type"] = _INTEREST_CHARGED


PRESETS = (
    Preset(
        key="scalable_capital",
        name="Scalable Capital",
        signature=("date", "time", "status", "reference", "description", "assetType", "type",
                   "isin", "amount", "fee", "tax", "currency"),
        options=Options(
            columns={
                "date": "date", "status": "status", "external_id": "reference",
                "note": "description", "type": "type", "source": "isin",
                "source_label": "description", "net": "amount",
                "fees": "fee", "tax_withheld": "tax", "currency": "currency",
            },
            guess=False,
            types=_TYPES,
            skip_statuses=("Pending", "Cancelled", "Canceled", "Rejected", "Expired"),
            fee_sign="positive",
            source_fallback="Scalable Capital",
        ),
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("Scalable Capital broker transactions"),
        row_rule=_interest_charged,
    ),
)  # fmt: skip
