"""What a row of a statement is: income, a refund, withholding tax, or something to skip.

Withholding tax is of two kinds, both merged into their income row as tax withheld:
``TAX`` is German tax (Kapitalertragsteuer, Solidaritätszuschlag, Kirchensteuer) or a tax
the file does not place, ``FOREIGN_TAX`` the source country's withholding
(``Quellensteuer``, ``Withholding Tax``), which is also the payment's ``foreign_tax``:
the tax report credits it, and compares only the rest with the German tax due.

A type column (Typ, Type, Action, Umsatzart, …) names each row's kind in the
platform's words. Presets list their platform's values exactly; for any other file the
words below classify a value by what it contains, first match wins (so
``Quellensteuer-Erstattung`` is tax, and ``Dividendenreinvestition`` a buy). A value
that matches nothing is skipped as "not an income type": the preview lists it, and the
mapping can turn it into income.
"""

from __future__ import annotations

import re

INCOME = "income"
REFUND = "refund"
TAX = "tax"
FOREIGN_TAX = "foreign_tax"
SKIP = "skip"  # followed by ":" and a reason of ``messages.SKIP_REASONS``

KINDS = (INCOME, REFUND, TAX, FOREIGN_TAX)
#: The kinds of a withholding-tax row, merged into its income row.
TAX_KINDS = frozenset({TAX, FOREIGN_TAX})


def skip(reason: str) -> str:
    return f"{SKIP}:{reason}"


def reason_of(kind: str) -> str | None:
    """The skip reason of a kind, None for income, refund and tax."""
    return kind.partition(":")[2] or None if kind.startswith(SKIP) else None


_VOCABULARY: tuple[tuple[str, str], ...] = (
    # Capital coming back is no income, whatever word it uses.
    (r"kapitalrückzahlung|capital return|return of capital|einlagenrückgewähr",
     skip("not_income")),
    # Interest the holder pays is a cost, not income reversed.
    (r"sollzins|debit int|interest paid|interest charged|zinsbelastung|überziehungszins",
     skip("fee")),
    (r"verkauf|\bsell|sale of|redemption|rücknahme|\bverkoop", skip("sell")),
    (r"reinvest|wiederanlage|sparplan|savings plan|kauf|\bbuy|purchase|investment|invest"
     r"|subscription of|zeichnung|\bkoop\b", skip("buy")),
    (r"tilgung|principal|repayment", skip("transfer")),
    # The source country's tax by its name; "Quellensteuer-Erstattung" gives it back.
    (r"quellensteuer|withholding|foreign tax|bronbelasting", FOREIGN_TAX),
    (r"kapitalertrag.?steuer|solidarit|kirchensteuer|steuer|\btax|belasting", TAX),
    (r"refund|rückzahlung|rückerstattung|erstattung|chargeback|storno|reversal|rückbuchung"
     r"|dispute|rückgabe|\breturn", REFUND),
    (r"\bfx\b|currency|conversion|umrechnung|wechsel|valuta", skip("transfer")),
    (r"dividend|ausschüttung|distribution|zins|interest|coupon|kupon|(?<!üb)ertrag|royalt"
     r"|tantieme|lizenz|licen|miete|\brent\b|rental|payment in lieu|bonus|cashback|prämie"
     r"|income|einnahme|affiliate|provisionsgutschrift|\bcharge\b|payment received"
     r"|zahlung erhalten", INCOME),
    (r"terugstorting|withdraw|auszahlung|abhebung", skip("withdrawal")),
    (r"deposit|einzahlung|einlage|top.?up|aufladung|storting", skip("deposit")),
    (r"transfer|überweisung|übertrag|umbuchung|payout", skip("transfer")),
    (r"gebühr|\bfees?\b|entgelt|kosten|commission|spesen|transactiekosten", skip("fee")),
    (r"lastschrift|debit|kartenzahlung|\bcard\b", skip("debit")),
    (r"gutschrift|credit|eingang|zahlungseingang", INCOME),
)  # fmt: skip
_PATTERNS = tuple((re.compile(words), kind) for words, kind in _VOCABULARY)


def normalize_value(value: str) -> str:
    """A type value as compared: case-folded, spaces collapsed."""
    return " ".join(value.split()).casefold()


def guess_kind(value: str) -> str:
    """The kind the vocabulary gives a type value (see the module doc)."""
    folded = normalize_value(value)
    for pattern, kind in _PATTERNS:
        if pattern.search(folded):
            return kind
    return skip("not_income")
