"""Baremetrics' CSV import template: the layout Baremetrics documents for bringing
subscriptions from any billing system, and so a way in for a platform no other preset
knows (a spreadsheet filled in by hand, a script's output).

One row per subscription: ``plan_amount`` in cents per ``plan_interval`` (``day``,
``week``, ``month``, ``year``) × ``plan_interval_count``, ``plan_currency``, the
customer's ``customer_oid`` and ``customer_name``, the ``subscription_oid``, its
``subscription_started_at`` and ``subscription_canceled_at`` (the day it ended; blank
while it runs) and ``subscription_quantity``; dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

from imports.parsing import messages
from imports.parsing.billing.cells import RowCells
from imports.parsing.billing.intervals import interval_of
from imports.parsing.billing.presets import BillingPreset
from imports.parsing.billing.rows import BillingRow
from imports.parsing.drafts import CellError


def _read(cells: RowCells, line: int) -> BillingRow:
    started = cells.date("subscription_started_at", field="started")
    if started is None:
        raise CellError("started", messages.DATE_REQUIRED)
    amount = cells.amount("plan_amount", field="amount", cents=True)
    if amount is None:
        raise CellError("amount", messages.GROSS_REQUIRED)
    unit, count = interval_of(
        cells.text("plan_interval") or "month",
        count=cells.integer("plan_interval_count", field="interval_count", default=1),
    )
    ended = cells.date("subscription_canceled_at", field="ended")
    return BillingRow(
        line=line,
        customer=cells.text("customer_oid"),
        customer_name=cells.text("customer_name", "customer_email"),
        subscription=cells.text("subscription_oid"),
        plan=cells.text("plan_name", "plan_oid"),
        amount=amount,
        currency=cells.text("plan_currency"),
        interval=unit,
        interval_count=count,
        quantity=cells.integer("subscription_quantity", field="quantity", default=1),
        started=started,
        cancelled_on=ended,
        ended=ended,
        status="canceled" if ended else "active",
    )


PRESETS = (
    BillingPreset(
        key="baremetrics_template",
        name="Baremetrics (CSV import template)",
        signature=(
            "plan_amount", "plan_interval", "customer_oid", "subscription_oid",
            "subscription_started_at",
        ),
        read=_read,
        category="saas",
        description=messages.gettext_noop(
            "Baremetrics' CSV import template, for subscriptions from any other platform"
        ),
        amount_columns=("plan_amount",),
    ),
)  # fmt: skip
