"""Mintos: the account statement (CSV), in English and in German.

Evidence: a real statement in lastunicorn/mintos-toolkit (``statement.csv``) with its
column map and its list of payment types (``PaymentType.cs``); the German labels from
se-jaeger/mintos-statement-prep-for-portfolio-performance, which reads German exports.

- English ``Date,"Transaction ID:",Details,Turnover,Balance,Currency,"Payment Type"``;
  German ``Datum``, ``Details``, ``Umsatz``, ``Währung``, ``Zahlungsart`` (only those are
  attested, so only they are the signature). ``,``, ``.`` decimals with up to 16 places:
  each amount is rounded half up to the cent, so a tiny withholding often becomes 0.00.
- Every row goes to one source, "Mintos": an investor holds hundreds of notes, and a
  source per note would bury the overview (the note stays in the payment's note).
- The loan is only in ``Details`` (``ISIN: LV0000876543 (Loan 27718221-01) Interest
  received``): the row rule takes the ISIN out of it (the loan ID when an older line has
  none) as the group that ties a withholding-tax row (``Tax withholding``, negative) to
  its interest of the same day. That tax is foreign tax: Mintos, a Latvian platform,
  withholds the tax a loan's or bond's country levies on its interest (its statement calls
  it withholding tax) and never German tax, which its German investors pay themselves.
- Principal coming back (``Principal received*``) is capital, not income: skipped as a
  transfer, as is the secondary market's principal. Bonuses and cashback are income.
  ``Late fees correction`` takes late fees back: a refund on its loan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_ISIN = re.compile(r"\bISIN:\s*([A-Z]{2}[A-Z0-9]{9}[0-9])\b")
_LOAN = re.compile(r"\bLoan(?: ID)?:?\s*([0-9]+-[0-9]+)\b", re.IGNORECASE)

_TYPES = {
    # English (PaymentType.cs)
    "Interest received": kinds.INCOME,
    "Interest received from loan repurchase": kinds.INCOME,
    "Interest received from pending payments": kinds.INCOME,
    "Delayed interest income on transit rebuy": kinds.INCOME,
    "Late fees received": kinds.INCOME,
    "Late fees correction": kinds.REFUND,
    "Bonus": kinds.INCOME,
    "Cashback bonus": kinds.INCOME,
    "Bond interest income": kinds.INCOME,
    "Real estate interest income": kinds.INCOME,
    "Tax withholding": kinds.FOREIGN_TAX,
    "Bond tax withholding": kinds.FOREIGN_TAX,
    "Real estate tax withholding": kinds.FOREIGN_TAX,
    "Deposits": kinds.skip("deposit"),
    "Withdrawal": kinds.skip("withdrawal"),
    "Investment": kinds.skip("buy"),
    "Principal received": kinds.skip("transfer"),
    "Principal received from loan repurchase": kinds.skip("transfer"),
    "Principal received from repurchase of small loan parts": kinds.skip("transfer"),
    "Secondary market transaction": kinds.skip("transfer"),
    "Secondary market transaction - discount or premium": kinds.skip("not_income"),
    "Mintos Core fee": kinds.skip("fee"),
    "Mintos Custom Loans fee": kinds.skip("fee"),
    "Secondary market fee": kinds.skip("fee"),
    "Cash out share income to seller": kinds.skip("not_income"),
    # German (Zahlungsart)
    "Zinszahlungen": kinds.INCOME,
    "Erhaltene Zinsen": kinds.INCOME,
    "Erhaltene Zinsen aus Kreditrückkauf": kinds.INCOME,
    "Zinseinnahmen aus Kreditrückkauf": kinds.INCOME,
    "Zinseinnahmen aus ausstehenden Zahlungen": kinds.INCOME,
    "Übertragungsabgleich der Verzugszinseinnahmen": kinds.INCOME,
    "Steuereinbehalt": kinds.FOREIGN_TAX,
    "Einzahlungen": kinds.skip("deposit"),
    "Abhebung": kinds.skip("withdrawal"),
    "Investition": kinds.skip("buy"),
    "Investitionen in Darlehen": kinds.skip("buy"),
    "Tilgungszahlungen": kinds.skip("transfer"),
    "Erhaltene Tilgung": kinds.skip("transfer"),
    "Erhaltene Tilgung aus Kreditrückkauf": kinds.skip("transfer"),
    "Erhaltene Tilgung aus Rückkauf kleiner Kreditteile": kinds.skip("transfer"),
    "Zweitmarkt-Transaktion": kinds.skip("transfer"),
    "Zweitmarkt-Transaktion – Ab- oder Aufschlag": kinds.skip("not_income"),
    "Zweitmarktgebühr": kinds.skip("fee"),
    "Antrag auf Beitrag/Spende": kinds.skip("not_income"),
}


def _loan_group(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """The note's ISIN in ``Details`` (else the loan ID) ties a tax row to its interest."""
    details = row.get("details", "")
    match = _ISIN.search(details) or _LOAN.search(details)
    values["group"] = match[1] if match else ""


def _options(columns: dict[str, str]) -> Options:
    return Options(
        columns=columns,
        guess=False,
        types=_TYPES,
        tax_sign="negative",
        source_fallback="Mintos",
    )


PRESETS = (
    Preset(
        key="mintos",
        name="Mintos",
        signature=("Date", "Transaction ID:", "Details", "Turnover", "Balance", "Currency",
                   "Payment Type"),
        options=_options({
            "date": "Date", "external_id": "Transaction ID:", "note": "Details",
            "gross": "Turnover", "currency": "Currency",
            "type": "Payment Type",
        }),
        category="p2p-interest",
        description=gettext_noop("Mintos account statement"),
        row_rule=_loan_group,
    ),
    Preset(
        key="mintos_de",
        name="Mintos (Deutsch)",
        signature=("Datum", "Details", "Umsatz", "Währung", "Zahlungsart"),
        options=_options({
            "date": "Datum", "note": "Details", "gross": "Umsatz",
            "currency": "Währung", "type": "Zahlungsart",
        }),
        category="p2p-interest",
        description=gettext_noop("Mintos account statement (German)"),
        row_rule=_loan_group,
    ),
)  # fmt: skip
