"""Stripe: the Dashboard's subscriptions export (Billing → Subscriptions → Export).

The person picks the columns, and each metadata key adds one (``plan (metadata)``), so
columns are read by name and only ``id``, ``Customer ID``, ``Status``, ``Amount`` and
``Interval`` are required. Dates are UTC timestamps (``2024-03-05 13:52``), amounts are
the plan's price in major units (``19.00``), currencies lower case (``usd``), statuses
and intervals Stripe's API words. Older exports call the start ``Start (UTC)``, newer
ones ``Start Date (UTC)``; the customer's name is ``Customer Name`` or, in older ones,
``Customer Description``.

The statuses, as ChartMogul and Baremetrics count them:

- ``incomplete`` and ``incomplete_expired``: the first payment never succeeded; no
  subscription (skipped).
- ``trialing``: a trial until ``Trial End``; it pays from then on.
- ``active``, ``past_due`` and ``unpaid``: running (a failed renewal is retried and is
  no churn until Stripe cancels the subscription). With ``Cancel At Period End`` it
  ends when its current period does.
- ``canceled``: ended on ``Ended At`` (else when it was cancelled).
- ``paused``: paid nothing since its trial ended (or its current period began).

A coupon is exported by its name only, so its discount cannot be known from the file;
the price is imported before discounts.
"""

from __future__ import annotations

from datetime import date

from imports.parsing import messages
from imports.parsing.billing.cells import RowCells
from imports.parsing.billing.intervals import interval_of
from imports.parsing.billing.presets import BillingPreset, Skip
from imports.parsing.billing.rows import BillingRow
from imports.parsing.drafts import CellError

NEVER_PAID = frozenset({"incomplete", "incomplete_expired"})


def _read(cells: RowCells, line: int) -> BillingRow | Skip:
    status = cells.text("Status").casefold()
    if status in NEVER_PAID:
        return Skip("never_paid", status)
    started = cells.date("Start Date (UTC)", "Start (UTC)", "Created (UTC)", field="started")
    if started is None:
        raise CellError("started", messages.DATE_REQUIRED)
    amount = cells.amount("Amount", field="amount")
    if amount is None:
        raise CellError("amount", messages.GROSS_REQUIRED)
    unit, count = interval_of(
        cells.text("Interval"),
        count=cells.integer("Interval Count", field="interval_count", default=1),
    )
    trial_ends = cells.date("Trial End (UTC)", field="trial_ends")
    cancelled_on = cells.date("Canceled At (UTC)", field="cancelled_on")
    ended = cells.date("Ended At (UTC)", field="ended")
    if status == "canceled" and ended is None:
        ended = cancelled_on or cells.date("Current Period End (UTC)", field="ended")
    elif ended is None and cells.flag("Cancel At Period End"):
        ended = cells.date("Current Period End (UTC)", field="ended")
    pauses: tuple[tuple[date, date | None], ...] = ()
    if status == "paused":
        since = trial_ends or cells.date("Current Period Start (UTC)", field="pauses") or started
        pauses = ((since, None),)
    if trial_ends is not None and trial_ends <= started:
        trial_ends = None  # a trial that ended on the day it began is none
    return BillingRow(
        line=line,
        customer=cells.text("Customer ID"),
        customer_name=cells.text("Customer Name", "Customer Description", "Customer Email"),
        subscription=cells.text("id"),
        plan=cells.text("Product", "Plan"),
        amount=amount,
        currency=cells.text("Currency"),
        interval=unit,
        interval_count=count,
        quantity=cells.integer("Quantity", field="quantity", default=1),
        started=started,
        trial_ends=trial_ends,
        cancelled_on=cancelled_on,
        ended=ended,
        pauses=pauses,
        status=status,
    )


PRESETS = (
    BillingPreset(
        key="stripe_subscriptions",
        name="Stripe (subscriptions)",
        signature=("id", "Customer ID", "Status", "Amount", "Interval"),
        read=_read,
        category="saas",
        description=messages.gettext_noop(
            "Stripe subscriptions export (Billing → Subscriptions → Export)"
        ),
        amount_columns=("Amount",),
    ),
)
