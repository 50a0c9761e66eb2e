"""DKB: the turnover export of a Girokonto or Tagesgeld (CSV), both layouts in use.

Evidence (see ``tests/imports/fixtures/dkb.expected.json``): siddhantgoel/beancount-dkb
(both extractors and their tests), hamvocke/dkb2homebank (exports of 08/2023 and
02/2025), several test fixtures quoting 2024–2026 exports.

- Since 2023 (``dkb``): UTF-8 with BOM, every field quoted, ``;``; a preamble of four
  lines (``"Girokonto";"<IBAN>"``, ``"Zeitraum:";…``, ``"Kontostand vom …:";…``, ``""``).
  Dates with two-digit years (``01.07.25``), German amounts without trailing zeros
  (``780``, ``412,5``, ``-1.000``) under ``Betrag (€)``. The first exports of 08/2023 had
  no ``IBAN`` column, ``Betrag`` for the amount and ``-10,22 €`` in its cells: the same
  preset reads them (the currency comes from the header or from the cell).
  ``Status`` is ``Gebucht`` or ``Vorgemerkt`` (pending, skipped); ``Umsatztyp`` is
  ``Eingang`` (income) or ``Ausgang`` (an outgoing payment, skipped as ``debit``).
- Before 2023 (``dkb_legacy``): ISO-8859-1, a preamble from ``"Kontonummer:"`` to
  ``"Kontostand vom …:"``, four-digit years, ``Buchungstext`` as the type, one
  ``Auftraggeber / Begünstigter`` column and ``Betrag (EUR)``. A ``Tagessaldo`` row is a
  balance; a zero ``Abschluss`` is skipped as zero; ``Lohn, Gehalt, Rente`` is earned,
  not passive income (not_income).

The payer is ``Zahlungspflichtige*r`` (``Auftraggeber / Begünstigter`` before 2023).
DKB books its interest and the dividends of its depot with itself as the payer, so they
go to the source ``DKB AG``; a legacy ``Abschluss`` without a payer gets it too. A row
whose purpose starts with ``Umbuchung``/``Übertrag``, or whose payer is also its payee
(outside the bank's own rows), moves money between one's own accounts: a transfer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

BANK = "DKB AG"
#: The type a row gets when it moves money between one's own accounts.
OWN_TRANSFER = "Umbuchung"

_OWN_TRANSFER = re.compile(r"^\s*(umbuchung|übertrag|uebertrag)\b", re.IGNORECASE)


def own_transfer(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """An ``Umbuchung``, or a payment from the account holder to themself, is a transfer."""
    payer = " ".join(values["source"].split()).casefold()
    payee = " ".join(row.get("zahlungsempfänger*in", "").split()).casefold()
    to_self = bool(payer) and payer == payee and payer != BANK.casefold()
    if to_self or _OWN_TRANSFER.match(values["note"]):
        values["type"] = OWN_TRANSFER


_LEGACY_TYPES = {
    "Gutschrift": kinds.INCOME,
    "Zahlungseingang": kinds.INCOME,
    "Abschluss": kinds.INCOME,
    "Zinsen": kinds.INCOME,
    "Lohn, Gehalt, Rente": kinds.skip("not_income"),
    "Lastschrift": kinds.skip("debit"),
    "Folgelastschrift": kinds.skip("debit"),
    "Erstlastschrift": kinds.skip("debit"),
    "Überweisung": kinds.skip("debit"),
    "Online-Überweisung": kinds.skip("debit"),
    "Dauerauftrag": kinds.skip("debit"),
    "Kartenzahlung/-abrechnung": kinds.skip("debit"),
    "Kartenzahlung": kinds.skip("debit"),
    "Auszahlung": kinds.skip("withdrawal"),
    "Umbuchung": kinds.skip("transfer"),
    "Tagessaldo": kinds.skip("total"),
}

PRESETS = (
    Preset(
        key="dkb",
        name="DKB (Umsätze, since 2023)",
        signature=("Buchungsdatum", "Wertstellung", "Status", "Zahlungspflichtige*r",
                   "Zahlungsempfänger*in", "Verwendungszweck", "Umsatztyp", "Betrag"),
        options=Options(
            columns={
                "date": "Buchungsdatum", "gross": "Betrag", "status": "Status",
                "type": "Umsatztyp", "source": "Zahlungspflichtige*r",
                "note": "Verwendungszweck",
            },
            guess=False,
            number_format="de",
            types={
                "Eingang": kinds.INCOME,
                "Ausgang": kinds.skip("debit"),
                OWN_TRANSFER: kinds.skip("transfer"),
            },
            negative="skip",
            source_fallback=BANK,
        ),
        category="other-passive",
        fallback_category="p2p-interest",
        description=gettext_noop("DKB current or savings account: turnover export"),
        row_rule=own_transfer,
    ),
    Preset(
        key="dkb_legacy",
        name="DKB (Umsätze, before 2023)",
        signature=("Buchungstag", "Wertstellung", "Buchungstext", "Auftraggeber / Begünstigter",
                   "Verwendungszweck", "Betrag"),
        options=Options(
            columns={
                "date": "Buchungstag", "gross": "Betrag", "type": "Buchungstext",
                "source": "Auftraggeber / Begünstigter", "note": "Verwendungszweck",
            },
            guess=False,
            number_format="de",
            types=_LEGACY_TYPES,
            negative="skip",
            source_fallback=BANK,
        ),
        category="other-passive",
        fallback_category="p2p-interest",
        description=gettext_noop("DKB current or savings account: turnover export before 2023"),
        row_rule=own_transfer,
    ),
)  # fmt: skip
