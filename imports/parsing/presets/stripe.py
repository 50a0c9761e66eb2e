"""Stripe: the balance history of an account (both downloads Stripe has offered).

- "Balance change from activity, itemized" (Reports; today's download): lower-case
  column names, ``reporting_category`` as the type, ``gross``/``fee``/``net``.
- "All transactions" (the older Balance export, still in many archives): ``id``,
  ``Type``, ``Amount``, ``Fee``, ``Net``, ``Created (UTC)``.

Charges and payments are income; refunds, disputes and chargebacks (``adjustment``)
reduce it on their own day; payouts and transfers go to the bank and are skipped, as are
Stripe's own account fees. A fee is positive when charged and negative when Stripe gives
it back (a won dispute). Descriptions name a charge, not a product (a refund reads
"REFUND FOR CHARGE (…)"), so every row goes to one source, "Stripe", and the
description is kept as the note; the mapping can choose another column.
"""

from __future__ import annotations

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_TYPES = {
    "charge": kinds.INCOME,
    "payment": kinds.INCOME,
    "dispute_reversal": kinds.INCOME,
    "refund_failure": kinds.INCOME,
    "refund": kinds.REFUND,
    "payment_refund": kinds.REFUND,
    "partial_capture_reversal": kinds.REFUND,
    "dispute": kinds.REFUND,
    "charge_failure": kinds.REFUND,
    "adjustment": kinds.INCOME,  # signed as written: a chargeback is negative
    "payout": kinds.skip("transfer"),
    "payout_reversal": kinds.skip("transfer"),
    "payout_failure": kinds.skip("transfer"),
    "transfer": kinds.skip("transfer"),
    "transfer_reversal": kinds.skip("transfer"),
    "stripe_fee": kinds.skip("fee"),
    "application_fee": kinds.skip("fee"),
    "fee": kinds.skip("fee"),
    "tax": kinds.skip("tax"),
    "other_adjustment": kinds.skip("not_income"),
    "topup": kinds.skip("deposit"),
    "topup_reversal": kinds.skip("withdrawal"),
    "connect_reserved_funds": kinds.skip("not_income"),
    "risk_reserved_funds": kinds.skip("not_income"),
}

PRESETS = (
    Preset(
        key="stripe_itemized",
        name="Stripe (balance change from activity)",
        signature=("balance_transaction_id", "created_utc", "gross", "fee", "net",
                   "reporting_category"),
        options=Options(
            columns={
                "date": "created_utc", "gross": "gross", "net": "net", "fees": "fee",
                "currency": "currency", "type": "reporting_category",
                "external_id": "balance_transaction_id", "note": "description",
            },
            guess=False,
            number_format="en",
            types=_TYPES,
            fee_sign="positive",
            source_fallback="Stripe",
        ),
        category="saas",
        description=gettext_noop("Stripe report: balance change from activity, itemized"),
    ),
    Preset(
        key="stripe",
        name="Stripe (all transactions)",
        signature=("id", "Type", "Source", "Amount", "Fee", "Net", "Currency", "Created (UTC)"),
        options=Options(
            columns={
                "date": "Created (UTC)", "gross": "Amount", "net": "Net", "fees": "Fee",
                "currency": "Currency", "type": "Type", "external_id": "id",
                "note": "Description",
            },
            guess=False,
            number_format="en",
            types=_TYPES,
            fee_sign="positive",
            source_fallback="Stripe",
        ),
        category="saas",
        description=gettext_noop("Stripe balance export: all transactions"),
    ),
)  # fmt: skip
