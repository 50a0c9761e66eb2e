"""Interactive Brokers: a Flex Query of the Cash Transactions section, as CSV.

Evidence: a real Flex export in dickwolff/Export-To-Ghostfolio (``samples/ibkr-dividends-
export.csv``), IBKR's reporting reference (header and trailer records, the date-time
form ``20071106;110031``) and real rows quoted by other importers (section codes
``"HEADER","CTRN"``, ``Commission Adjustments`` refunds, ``Broker Interest Received``).

- Every value quoted, ``,``, ``.`` decimals without grouping; the columns are chosen in the
  query, so they are found by name. The signature is what the mapping needs: a query
  without one of those columns is read by the general guessing instead.
- Dates ``20230623`` or ``20230623;103000`` (other date settings of the query read too).
- ``Amount`` is signed, in ``CurrencyPrimary`` (one file holds several currencies).
- Withholding tax is its own row (``Withholding Tax``, negative) with the ``ActionID`` of
  its dividend: it is merged by that group. It is foreign tax: IBKR is no German paying
  agent and withholds no Kapitalertragsteuer, so its tax rows are the source country's
  (``… - US TAX``), except on a German security (an ``ISIN`` ``DE…``, described
  ``… - DE TAX``): that is the Kapitalertragsteuer and Soli Germany withholds at source,
  German tax (tax withheld only). IBKR corrects a dividend by reposting: a
  negative ``Dividends`` row with a positive tax row under the old ActionID (a reversal,
  booked negative on its day with its tax), then a new booking.
- Broker interest has no ISIN: it goes to the source "Interactive Brokers". A row without
  an ISIN but with a ``Symbol`` (a query without ISINs for some securities) goes by symbol.
- ``Deposits/Withdrawals`` is one type for both directions: the sign tells them apart.
- Variants of the query: section codes (``"HEADER","CTRN",…`` / ``"DATA","CTRN",…``),
  header and trailer records (``BOF``/``BOS``/``EOS``/``EOF`` …, read as rows without a
  date) and further sections (their own header ends the table) all read; with the
  ``SUMMARY`` level of detail its summary rows are skipped as totals, only ``DETAIL``
  rows are bookings.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_DEPOSITS_WITHDRAWALS = "Deposits/Withdrawals"
_WITHDRAWAL = "Withdrawal"
_SUMMARY = "SUMMARY"
_WITHHOLDING = "Withholding Tax"
#: The type the row rule gives a withholding-tax row of a German security.
_GERMAN_WITHHOLDING = "Withholding Tax (DE)"

_TYPES = {
    "Dividends": kinds.INCOME,
    "Payment In Lieu Of Dividends": kinds.INCOME,
    "Broker Interest Received": kinds.INCOME,
    "Bond Interest Received": kinds.INCOME,
    _WITHHOLDING: kinds.FOREIGN_TAX,
    "871(m) Withholding": kinds.FOREIGN_TAX,
    _GERMAN_WITHHOLDING: kinds.TAX,
    "Broker Interest Paid": kinds.skip("not_income"),
    "Bond Interest Paid": kinds.skip("not_income"),
    _DEPOSITS_WITHDRAWALS: kinds.skip("deposit"),
    _WITHDRAWAL: kinds.skip("withdrawal"),
    "Other Fees": kinds.skip("fee"),
    "Commission Adjustments": kinds.skip("fee"),
    "Advisor Fees": kinds.skip("fee"),
    "Broker Fees": kinds.skip("fee"),
    "Price Adjustments": kinds.skip("not_income"),
    _SUMMARY: kinds.skip("total"),
}


def _cash_row(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """Summary rows are totals; a negative deposit is a withdrawal; no ISIN → the symbol;
    the withholding tax of a German security is German tax (see the module doc)."""
    outgoing = values["gross"].strip().startswith("-")
    kind = values["type"].strip()
    if row.get("levelofdetail", "").strip().upper() == _SUMMARY:
        values["type"] = _SUMMARY
    elif kind == _DEPOSITS_WITHDRAWALS and outgoing:
        values["type"] = _WITHDRAWAL
    elif kind == _WITHHOLDING and (
        values["source"].strip().upper().startswith("DE")
        or values["note"].rstrip().upper().endswith("- DE TAX")
    ):
        values["type"] = _GERMAN_WITHHOLDING
    if not values["source"].strip():
        values["source"] = row.get("symbol", "")


PRESETS = (
    Preset(
        key="ibkr_flex_cash",
        name="Interactive Brokers (Flex Query: Cash Transactions)",
        signature=("CurrencyPrimary", "Description", "ISIN", "Date/Time", "Amount", "Type",
                   "TransactionID", "ActionID"),
        options=Options(
            columns={
                "date": "Date/Time", "gross": "Amount", "currency": "CurrencyPrimary",
                "type": "Type", "source": "ISIN", "source_label": "Symbol",
                "external_id": "TransactionID", "group": "ActionID", "note": "Description",
            },
            guess=False,
            number_format="en",
            types=_TYPES,
            tax_sign="negative",
            source_fallback="Interactive Brokers",
        ),
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("Interactive Brokers Flex Query: cash transactions"),
        row_rule=_cash_row,
    ),
)  # fmt: skip
