"""ING (Germany): the "Umsatzanzeige" of a Girokonto or Extra-Konto (CSV), as downloaded.

Evidence (see ``tests/imports/fixtures/ing.expected.json``): gbviktor/bankdash (a real
export of 01/2026), MatWein/XMC (a real export of 08/2020), a PHP bank importer that
lists four header versions, florivdg/dimetime (2026). ``;``, no quotes, German numbers
(trailing zeros may be dropped: ``-32,9``), Windows-1252 or UTF-8; a preamble of 13–15
lines (IBAN, Kunde, Zeitraum, ``Saldo``, a sentence that pending rows are left out)
above the header. ING exports booked rows only: no pending rows, no totals.

Header versions (all recognised by one signature of the names they share):
``Buchung;Valuta|Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;[Kategorie|Notiz;]
Verwendungszweck;[Saldo;Währung;]Betrag;Währung`` and an old one with
``Betrag;Währung;Saldo;Währung``. ``Währung`` appears twice when the balance is
exported: the amount's currency is the one right after ``Betrag`` (the column is left to
the reader's rule for a repeated currency column, so every version reads right).

The rules:

- It is a bank account: ``Buchungstext`` says what a row is; credits (``Gutschrift``,
  interest ``Abschluss``) are income, debits are skipped as ``debit`` (or ``fee``, for
  ING's own ``Entgelt``), and a negative amount on an income type is a debit too.
  ``Gehalt/Rente`` is earned, not passive income (not_income).
- The payer is ``Auftraggeber/Empfänger``; a row without one (the interest ``Abschluss``)
  gets the bank's name, ``ING``.
- A row whose purpose starts with ``Umbuchung``/``Übertrag``/``Uebertrag`` moves money
  between one's own accounts (Girokonto ↔ Extra-Konto): a transfer, not income.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

BANK = "ING"
#: The type a row gets when its purpose says it moves money between one's own accounts.
OWN_TRANSFER = "Umbuchung"

_OWN_TRANSFER = re.compile(r"^\s*(umbuchung|übertrag|uebertrag)\b", re.IGNORECASE)


def own_transfer(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """A row whose purpose starts with ``Umbuchung`` (or ``Übertrag``) is a transfer."""
    if _OWN_TRANSFER.match(values["note"]):
        values["type"] = OWN_TRANSFER


_TYPES = {
    "Gutschrift": kinds.INCOME,
    "Gutschrift Echtzeitüberweisung": kinds.INCOME,
    "Gutschrift/Dauerauftrag": kinds.INCOME,
    "Gutschrift / Dauerauftrag": kinds.INCOME,
    "Abschluss": kinds.INCOME,
    "Zinsgutschrift": kinds.INCOME,
    "Gehalt/Rente": kinds.skip("not_income"),
    "Überweisung": kinds.skip("debit"),
    "Ueberweisung": kinds.skip("debit"),
    "Echtzeitüberweisung": kinds.skip("debit"),
    "Lastschrift": kinds.skip("debit"),
    "Abbuchung": kinds.skip("debit"),
    "Dauerauftrag / Terminueberweisung": kinds.skip("debit"),
    "Dauerauftrag/Terminueberweisung": kinds.skip("debit"),
    "Retoure": kinds.skip("not_income"),
    "Rücküberweisung": kinds.skip("not_income"),
    "Bargeldauszahlung": kinds.skip("withdrawal"),
    "Entgelt": kinds.skip("fee"),
    OWN_TRANSFER: kinds.skip("transfer"),
}

PRESETS = (
    Preset(
        key="ing",
        name="ING (Umsatzanzeige)",
        signature=("Buchung", "Auftraggeber/Empfänger", "Buchungstext", "Verwendungszweck",
                   "Betrag", "Währung"),
        options=Options(
            columns={
                "date": "Buchung", "gross": "Betrag", "type": "Buchungstext",
                "source": "Auftraggeber/Empfänger", "note": "Verwendungszweck",
                "net": None, "tax_withheld": None, "fees": None, "refunded": None,
                "status": None, "external_id": None, "group": None, "source_label": None,
            },
            number_format="de",
            types=_TYPES,
            negative="skip",
            source_fallback=BANK,
        ),
        category="other-passive",
        fallback_category="p2p-interest",
        description=gettext_noop("ING current or savings account: Umsatzanzeige"),
        row_rule=own_transfer,
    ),
)  # fmt: skip
