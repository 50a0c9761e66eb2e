"""DEGIRO: the account statement (``Account.csv``), in German, English and Dutch.

Evidence: the header as the public DEGIRO importers and their test data show it —
``Datum,Uhrzeit,Valutadatum,Produkt,ISIN,Beschreibung,FX,Änderung,,Saldo,,Order-ID``
(some exports write ``Uhrze``), ``Date,Time,Value date,Product,ISIN,Description,FX,
Change,,Balance,,Order Id`` and the Dutch ``Datum,Tijd,…,Omschrijving,FX,Mutatie,,
Saldo,,Order Id``; rows like ``10-02-2021,00:00,09-02-2021,<product>,<ISIN>,
Geldmarktfonds Preisänderung (CHF),,CHF,-0.02,CHF,154.30,``.

- ``Änderung``/``Change``/``Mutatie`` spans two columns: its currency, then the amount
  under an empty name, so the columns are chosen by position (the layout is fixed).
- Dates ``DD-MM-YYYY``, day first, always.
- There is no type column: the description says what a row is (``Dividende``,
  ``Dividendensteuer``, ``Kauf 10 zu je …``, ``Währungswechsel (Einbuchung)``,
  ``Flatex Interest Income``, ``Einzahlung`` …), read by the general words of
  ``kinds``, whose amounts and names in the text do not matter.
- Dividend tax is its own negative row beside its dividend (same ISIN and day): merged.
  It is foreign tax: DEGIRO withholds no German tax (its customers declare their income
  themselves), so ``Dividendensteuer``/``Dividend Tax``/``Dividendbelasting`` is the
  source country's withholding, except on a German security (ISIN ``DE…``): that is the
  Kapitalertragsteuer Germany withholds at source, German tax (tax withheld only).
- A row goes to its security (ISIN), named after the product; interest without an ISIN
  goes to "DEGIRO".
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.dates import DMY
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_DIVIDEND_TAX = ("Dividendensteuer", "Dividend Tax", "Dividendbelasting")
#: The type the row rule gives the dividend tax of a German security.
_GERMAN_TAX = "Dividendensteuer (DE)"
_TYPES = {**dict.fromkeys(_DIVIDEND_TAX, kinds.FOREIGN_TAX), _GERMAN_TAX: kinds.TAX}


def _german_security_tax(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """The dividend tax of a German security (ISIN ``DE…``) is German tax, not foreign."""
    german = values["source"].strip().upper().startswith("DE")
    if german and values["type"].strip() in _DIVIDEND_TAX:
        values["type"] = _GERMAN_TAX


_OPTIONS = Options(
    columns={
        "date": 0, "source_label": 3, "source": 4, "type": 5, "note": 5, "currency": 7,
        "gross": 8,
    },
    guess=False,
    date_order=DMY,
    types=_TYPES,
    negative="reduce",
    tax_sign="negative",
    source_fallback="DEGIRO",
)  # fmt: skip

PRESETS = (
    Preset(
        key="degiro",
        name="DEGIRO",
        signature=("Datum", "Valutadatum", "Produkt", "ISIN", "Beschreibung", "FX", "Änderung",
                   "Saldo"),
        options=_OPTIONS,
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("DEGIRO account statement (German)"),
        row_rule=_german_security_tax,
    ),
    Preset(
        key="degiro_en",
        name="DEGIRO (English)",
        signature=("Date", "Value date", "Product", "ISIN", "Description", "FX", "Change",
                   "Balance"),
        options=_OPTIONS,
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("DEGIRO account statement (English)"),
        row_rule=_german_security_tax,
    ),
    Preset(
        key="degiro_nl",
        name="DEGIRO (Nederlands)",
        signature=("Datum", "Valutadatum", "Product", "ISIN", "Omschrijving", "FX", "Mutatie",
                   "Saldo"),
        options=_OPTIONS,
        category="etf-dividends",
        fallback_category="p2p-interest",
        description=gettext_noop("DEGIRO account statement (Dutch)"),
        row_rule=_german_security_tax,
    ),
)  # fmt: skip
