"""PayPal: the activity of an account, in German or English, both downloads PayPal offers.

Evidence (see ``tests/imports/fixtures/paypal_*.expected.json``): replikativ/kontor (a real
German activity export of 2025), simonmichael/hledger (English headers and rows),
nils-werner/beancount-paypal (both languages), several parsers quoting the statement
download. UTF-8 with BOM (older files Windows-1252), ``,``, every field quoted.

- The activity report (``paypal_de``/``paypal_en``; business accounts, "Aktivitäten
  herunterladen"): 41 columns by default, a column set the user may choose, so columns
  are found by name; ``Typ``/``Type`` and ``Status`` per row, the fee in
  ``Gebühr``/``Fee``.
- The statement (``paypal_de_statement``/``paypal_en_statement``; personal accounts,
  "Kontoauszug"/"Statements"): 18 columns, the type in ``Beschreibung``/``Description``,
  the fee in ``Entgelt``/``Fee``, no status (every row is booked).

German files write German numbers (``"1.250,00"``) and ``DD.MM.YYYY``. English files
write ``MM/DD/YYYY`` and ``1,250.00`` for a US account but ``DD/MM/YYYY`` (and, for a
German account, German numbers) for others, under the same header: the date order and
the number format are decided per file, from its own cells.

The rules:

- PayPal's payment types run both ways: a ``Website-Zahlung``/``General Payment`` is
  income when the amount is positive and the account holder's own purchase when it is
  negative (``negative="skip"``: an outgoing payment, skipped as debit).
- ``Rückzahlung``/``Payment Refund`` (and a chargeback or reversal) with a negative amount
  is a refund to a buyer and reduces income on its own day; with a positive amount it
  is a refund of one's own purchase, not income (the reader's rule for refunds in an
  account whose signs are its money flow).
- A charged fee is negative in the file (``-1,86``); a fee PayPal gives back on a refund
  is positive there and a returned (negative) fee here.
- Pending, denied or removed rows are skipped; so are holds and their releases, bank
  top-ups, withdrawals, and both rows of a currency conversion (the payment stays in the
  currency it was received in).
- The payer is ``Name``; the transaction code is the payment's id.
"""

from __future__ import annotations

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

PLATFORM = "PayPal"

_INCOME = kinds.INCOME
_REFUND = kinds.REFUND
_HOLD = kinds.skip("not_income")

_TYPES_DE = {
    "Website-Zahlung": _INCOME,
    "Allgemeine Zahlung": _INCOME,
    "Handyzahlung": _INCOME,
    "PayPal Express-Zahlung": _INCOME,
    "Express-Zahlung": _INCOME,
    "Zahlung erhalten": _INCOME,
    "Spendenzahlung": _INCOME,
    "Rechnungszahlung": _INCOME,
    "Abonnementzahlung": _INCOME,
    "Zahlung im Einzugsverfahren mit Zahlungsrechnung": _INCOME,
    "Zahlung im Einzugsverfahren": _INCOME,
    "Sammelzahlung": _INCOME,
    "Rückzahlung": _REFUND,
    "Rückbuchung": _REFUND,
    "Zahlungsrückbuchung": _REFUND,
    "Allgemeine Währungsumrechnung": kinds.skip("transfer"),
    "Vom Nutzer eingeleitete Währungsumrechnung": kinds.skip("transfer"),
    "Allgemeine interne Kontobewegung": kinds.skip("transfer"),
    "Bankgutschrift auf PayPal-Konto": kinds.skip("deposit"),
    "Allgemeine Gutschrift auf Kreditkarte": kinds.skip("deposit"),
    "Von Nutzer eingeleitete Abbuchung": kinds.skip("withdrawal"),
    "Allgemeine Abbuchung": kinds.skip("withdrawal"),
    "Allgemeine Kreditkartenabbuchung": kinds.skip("withdrawal"),
    "Einbehaltung für offene Autorisierung": _HOLD,
    "Rückbuchung allgemeiner Einbehaltung": _HOLD,
    "Allgemeine Autorisierung": _HOLD,
    "Einbehaltung von Guthaben für Konfliktklärung": _HOLD,
    "Stornierung der Einbehaltung für Konfliktklärung": _HOLD,
    "Rechnung gesendet": _HOLD,
}

_TYPES_EN = {
    "Website Payment": _INCOME,
    "General Payment": _INCOME,
    "Mobile Payment": _INCOME,
    "Express Checkout Payment": _INCOME,
    "Invoice Payment": _INCOME,
    "Donation Payment": _INCOME,
    "eBay Auction Payment": _INCOME,
    "Direct Credit Card Payment": _INCOME,
    "Subscription Payment": _INCOME,
    "PreApproved Payment Bill User Payment": _INCOME,
    "Pre-approved Payment Bill User Payment": _INCOME,
    "Mass Pay Payment": _INCOME,
    "Payment Received": _INCOME,
    "Chargeback Reversal": _INCOME,
    "Payment Refund": _REFUND,
    "Payment Reversal": _REFUND,
    "Chargeback": _REFUND,
    "General Currency Conversion": kinds.skip("transfer"),
    "User Initiated Currency Conversion": kinds.skip("transfer"),
    "Bank Deposit to PP Account": kinds.skip("deposit"),
    "General Card Deposit": kinds.skip("deposit"),
    "General Credit Card Deposit": kinds.skip("deposit"),
    "General Withdrawal": kinds.skip("withdrawal"),
    "General Withdrawal - Bank Account": kinds.skip("withdrawal"),
    "User Initiated Withdrawal": kinds.skip("withdrawal"),
    "General Card Withdrawal": kinds.skip("withdrawal"),
    "Auto-sweep": kinds.skip("withdrawal"),
    "Chargeback Fee": kinds.skip("fee"),
    "Dispute Fee": kinds.skip("fee"),
    "Payment Fee": kinds.skip("fee"),
    "Partner Fee": kinds.skip("fee"),
    "Fee Reversal": kinds.skip("fee"),
    "Account Hold for Open Authorization": _HOLD,
    "Account Hold for Open Authorisation": _HOLD,
    "Reversal of General Account Hold": _HOLD,
    "General Authorization": _HOLD,
    "General Authorisation": _HOLD,
    "General Authorization - Pending": _HOLD,
    "General Authorization - Completed": _HOLD,
    "Hold on Balance for Dispute Investigation": _HOLD,
    "Cancellation of Hold for Dispute Resolution": _HOLD,
    "Hold on Available Balance": _HOLD,
    "Payment Review Hold": _HOLD,
    "Payment Review Release": _HOLD,
    "Reserve Hold": _HOLD,
    "Reserve Release": _HOLD,
    "General Hold": _HOLD,
    "General Hold Release": _HOLD,
    "Tax Hold": _HOLD,
    "Tax Release": _HOLD,
    "General Account Correction": _HOLD,
    "Payout for PayPal Buyer Protection": _HOLD,
}

#: Statuses of rows that were never booked (besides the reader's pending/cancelled words).
_SKIP_STATUSES = ("Entfernt", "Removed", "Unclaimed", "Nicht abgeholt")

_COMMON = {"net": None, "tax_withheld": None, "refunded": None, "group": None,
           "source_label": None}  # fmt: skip


def _options(
    columns: dict[str, str | None], types: dict[str, str], number_format: str | None
) -> Options:
    return Options(
        columns={**_COMMON, **columns},
        number_format=number_format,
        types=types,
        skip_statuses=_SKIP_STATUSES,
        negative="skip",
        fee_sign="negative",
        source_fallback=PLATFORM,
    )


PRESETS = (
    Preset(
        key="paypal_de",
        name="PayPal (Aktivitäten, Deutsch)",
        signature=("Datum", "Name", "Typ", "Status", "Währung", "Brutto", "Gebühr",
                   "Transaktionscode"),
        options=_options(
            {"date": "Datum", "gross": "Brutto", "fees": "Gebühr", "currency": "Währung",
             "type": "Typ", "status": "Status", "source": "Name",
             "external_id": "Transaktionscode"},
            _TYPES_DE, "de",
        ),
        category="other-passive",
        description=gettext_noop("PayPal activity report (German)"),
    ),
    Preset(
        key="paypal_en",
        name="PayPal (activity, English)",
        signature=("Date", "Name", "Type", "Status", "Currency", "Gross", "Fee",
                   "Transaction ID"),
        options=_options(
            {"date": "Date", "gross": "Gross", "fees": "Fee", "currency": "Currency",
             "type": "Type", "status": "Status", "source": "Name",
             "external_id": "Transaction ID"},
            _TYPES_EN, None,
        ),
        category="other-passive",
        description=gettext_noop("PayPal activity report (English)"),
    ),
    Preset(
        key="paypal_de_statement",
        name="PayPal (Kontoauszug, Deutsch)",
        signature=("Datum", "Beschreibung", "Währung", "Brutto", "Entgelt", "Name",
                   "Transaktionscode"),
        options=_options(
            {"date": "Datum", "gross": "Brutto", "fees": "Entgelt", "currency": "Währung",
             "type": "Beschreibung", "status": None, "source": "Name",
             "external_id": "Transaktionscode", "note": None},
            _TYPES_DE, "de",
        ),
        category="other-passive",
        description=gettext_noop("PayPal statement (German)"),
    ),
    Preset(
        key="paypal_en_statement",
        name="PayPal (statement, English)",
        signature=("Date", "Description", "Currency", "Gross", "Fee", "Name",
                   "Transaction ID"),
        options=_options(
            {"date": "Date", "gross": "Gross", "fees": "Fee", "currency": "Currency",
             "type": "Description", "status": None, "source": "Name",
             "external_id": "Transaction ID", "note": None},
            _TYPES_EN, None,
        ),
        category="other-passive",
        description=gettext_noop("PayPal statement (English)"),
    ),
)  # fmt: skip
