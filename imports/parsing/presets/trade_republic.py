"""Trade Republic: the transaction CSV written by pytr (``pytr export_transactions``).

Trade Republic itself offered no CSV for years; the community tool pytr reads the app's
timeline and writes one line per event. Evidence: pytr's ``transactions.py`` (the
writer: ``;``, the event's timestamp without zone, ``fees``/``taxes`` written as
``-event.fees``/``-event.taxes``), its ``event.py`` (which events become which type),
its German and English ``messages.po`` (the column and type labels) and its golden test
CSV.

- Header in the language of ``-l``: German ``Datum;Typ;Wert;Notiz;ISIN;Stück;Gebühren;
  Steuern`` or English ``Date;Type;Value;Note;ISIN;Shares;Fees;Taxes``; newer versions
  add ``ISIN2;Stück2`` (``Shares2``), so the signature leaves those out.
- Numbers depend on a flag: by default Python floats (``2.24``, ``-3002.8``), with
  ``--decimal-localization`` the language's format (``2,24``, ``-3.002,8``, ``2.500``).
  The format is therefore detected per file from the amounts, not fixed here.
- ``Wert`` is the net cash booked (a dividend after tax); ``Steuern`` and ``Gebühren`` are
  positive when withheld or charged, so gross = Wert + Steuern + Gebühren. A cancelled
  dividend is a ``Dividende`` row with negative Wert and negative Steuern: a reversal.
  ``Steuern`` is one sum (pytr adds up the event's tax lines): a German bank's
  Kapitalertragsteuer, Soli and Kirchensteuer and, on a foreign dividend, the source
  country's withholding all in one. The file does not tell them apart, so the foreign
  tax stays 0 and all of it counts as German tax withheld; the person can split it on
  the payment from the bank's tax statement.
- No currency column: a Trade Republic account is in euros.
- Interest (``Zinsen``) has no ISIN: it goes to the source "Trade Republic".
- ``Steuern`` rows (Vorabpauschale, corrections) and ``Steuerrückerstattung`` carry no
  income of their own: skipped as tax. A saveback writes a ``Kauf`` and an ``Einlage``
  with the same timestamp: both skipped.
"""

from __future__ import annotations

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

# pytr's labels (messages.po), German and English; SPLIT/SWAP/SPINOFF are untranslated
# in English and written as their id.
_TYPES = {
    "Dividende": kinds.INCOME,
    "Dividend": kinds.INCOME,
    "Zinsen": kinds.INCOME,
    "Interest": kinds.INCOME,
    "Einlage": kinds.skip("deposit"),
    "Deposit": kinds.skip("deposit"),
    "Entnahme": kinds.skip("withdrawal"),
    "Removal": kinds.skip("withdrawal"),
    "Kauf": kinds.skip("buy"),
    "Buy": kinds.skip("buy"),
    "Verkauf": kinds.skip("sell"),
    "Sell": kinds.skip("sell"),
    "Steuern": kinds.skip("tax"),
    "Taxes": kinds.skip("tax"),
    "Steuerrückerstattung": kinds.skip("tax"),
    "Tax Refund": kinds.skip("tax"),
    "Gebühren": kinds.skip("fee"),
    "Fees": kinds.skip("fee"),
    "Gebührenerstattung": kinds.skip("not_income"),
    "Fees Refund": kinds.skip("not_income"),
    "Zinsbelastung": kinds.skip("not_income"),
    "Interest Charge": kinds.skip("not_income"),
    "Split": kinds.skip("not_income"),
    "Swap": kinds.skip("not_income"),
    "Spinoff": kinds.skip("not_income"),
    "Umbuchung (Eingang)": kinds.skip("transfer"),
    "Umbuchung (Ausgang)": kinds.skip("transfer"),
    "Transfer (Inbound)": kinds.skip("transfer"),
    "Transfer (Outbound)": kinds.skip("transfer"),
}


def _options(date: str, type_: str, value: str, note: str, fees: str, taxes: str) -> Options:
    return Options(
        columns={
            "date": date, "type": type_, "net": value, "note": note, "source": "ISIN",
            "source_label": note,
            "fees": fees, "tax_withheld": taxes,
        },
        guess=False,
        types=_TYPES,
        fee_sign="positive",
        currency="EUR",
        source_fallback="Trade Republic",
    )  # fmt: skip


PRESETS = (
    Preset(
        key="trade_republic",
        name="Trade Republic (pytr)",
        signature=("Datum", "Typ", "Wert", "Notiz", "ISIN", "Stück", "Gebühren", "Steuern"),
        options=_options("Datum", "Typ", "Wert", "Notiz", "Gebühren", "Steuern"),
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("Trade Republic transactions exported with pytr (German)"),
    ),
    Preset(
        key="trade_republic_en",
        name="Trade Republic (pytr, English)",
        signature=("Date", "Type", "Value", "Note", "ISIN", "Shares", "Fees", "Taxes"),
        options=_options("Date", "Type", "Value", "Note", "Fees", "Taxes"),
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("Trade Republic transactions exported with pytr (English)"),
    ),
)
