"""comdirect: the turnover export of a Girokonto ("Umsätze", CSV), as it is downloaded.

Evidence (see ``tests/imports/fixtures/comdirect.expected.json``): pb-/beancount-comdirect
(importer and tests), sercxanto/go-homebank-csv (an anonymised real export of 10/2023),
lkleen/comdirect-csv-parser (the 2013 layout). Windows-1252, ``;``, every line ending in
``;``; a preamble (``;``, ``"Umsätze Girokonto";"Zeitraum: …";``, ``"Neuer Kontostand"``,
a blank line) above the header, the rows, then a blank line and ``"Alter Kontostand"``
(a balance row). An export of several accounts goes on with more blocks, each under a
title line (``"Umsätze Visa-Karte (Kreditkarte)";…``) and a header of its own: those are
another table. The amount is signed, German, in euros (``Umsatz in EUR``).

The rules:

- It is a bank account: a credit is income, a debit an outgoing payment (skipped as
  ``debit``), whatever the ``Vorgang`` says — rent arrives as ``Übertrag / Überweisung``
  just as the rent for one's own flat leaves as one. Card payments, direct debits, cash
  and transfers between one's own accounts are skipped by their ``Vorgang``.
- Pending rows have ``offen`` as their booking day (and ``--`` as value date).
- The payer is the text after ``Auftraggeber:`` in ``Buchungstext`` (up to the next
  label; a credit that names only an ``Empfänger:`` came back from them); the note is
  the text after ``Buchungstext:``. A cell without labels is the payer as it stands.
  A row without a payer (the bank's own interest, ``Kontoabschluss``, and a ``Kupon``
  its depot credits) gets the bank's name as its source, not the security's: the
  payer is what names a bank's sources.
- A row whose purpose starts with ``Umbuchung``/``Übertrag`` moves money between one's
  own accounts (``Umbuchung vom Tagesgeld PLUS``): a transfer, not income.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

BANK = "comdirect bank AG"
#: The type a row gets when its purpose says it moves money between one's own accounts.
OWN_TRANSFER = "Umbuchung"

_LABEL = re.compile(r"(Auftraggeber|Empfänger|Kto/IBAN|BLZ/BIC|Buchungstext):")
_OWN_TRANSFER = re.compile(r"^\s*(umbuchung|übertrag|uebertrag)\b", re.IGNORECASE)


def _labelled(text: str) -> dict[str, str]:
    """The parts of a ``Buchungstext`` cell by their label (``Auftraggeber: … Buchungstext:
    …``); labels may follow a value without a space (``Max MustermannKto/IBAN:``)."""
    parts: dict[str, str] = {}
    matches = list(_LABEL.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)] if matches else []
    for match, end in zip(matches, ends, strict=True):
        parts.setdefault(match[1], " ".join(text[match.end() : end].split()))
    return parts


def payer_and_purpose(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """Source = the ``Auftraggeber``, note = the purpose; an own transfer is one."""
    parts = _labelled(values["note"])
    if not parts:
        values["source"] = " ".join(values["source"].split())
        return
    values["source"] = parts.get("Auftraggeber") or parts.get("Empfänger", "")
    purpose = parts.get("Buchungstext", "")
    values["note"] = purpose
    if _OWN_TRANSFER.match(purpose):
        values["type"] = OWN_TRANSFER


_TYPES = {
    "Übertrag / Überweisung": kinds.INCOME,
    "Gutschrift": kinds.INCOME,
    "Kupon": kinds.INCOME,
    "Kontoabschluss": kinds.INCOME,
    "Lastschrift / Belastung": kinds.skip("debit"),
    "Kartenverfügung": kinds.skip("debit"),
    "Visa-Umsatz": kinds.skip("debit"),
    "Visa-Kartenabrechnung": kinds.skip("debit"),
    "Auszahlung GAA": kinds.skip("withdrawal"),
    "Kontoübertrag": kinds.skip("transfer"),
    OWN_TRANSFER: kinds.skip("transfer"),
    "Kontoführungsentgelt": kinds.skip("fee"),
}

PRESETS = (
    Preset(
        key="comdirect",
        name="comdirect (Girokonto)",
        signature=("Buchungstag", "Wertstellung (Valuta)", "Vorgang", "Buchungstext",
                   "Umsatz in EUR"),
        options=Options(
            columns={
                "date": "Buchungstag", "gross": "Umsatz in EUR", "type": "Vorgang",
                "source": "Buchungstext", "note": "Buchungstext",
            },
            guess=False,
            number_format="de",
            types=_TYPES,
            negative="skip",
            source_fallback=BANK,
        ),
        category="other-passive",
        fallback_category="p2p-interest",
        description=gettext_noop("comdirect current account: turnover export"),
        row_rule=payer_and_purpose,
    ),
)  # fmt: skip
