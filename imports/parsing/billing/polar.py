"""Polar: the subscriptions export (Sales → Subscriptions → Export).

The person picks the columns; the default ones (``Email``, ``Started At``, ``Product``,
``Amount``, ``Currency``, ``Status``, ``Billing Interval``) are required, the others
(``Customer Name``, ``Net Amount``, ``Current Period End``, ``Cancels At Period End``,
``Canceled At``, ``Ends At``, ``Ended At``, ``Trial End`` …) are read when present.
Dates are ISO 8601 timestamps with an offset (their day as written), amounts major
units (``9.0``), currencies lower case, the interval ``month``, ``year`` or counted
(``3 months``).

The export has no ids: a customer is known by their e-mail address, and a
subscription by its product and the moment it started (one customer cannot start the
same product twice in the same second). ``Amount`` is what the subscription bills per
period, seats included; ``Net Amount`` is after its discount, and the difference is
kept as the discount. The statuses are Stripe's (Polar bills through it):
``incomplete`` and ``incomplete_expired`` never paid (skipped), ``trialing`` pays from
``Trial End``, ``canceled`` ended on ``Ended At`` (else ``Ends At``, else when it was
cancelled), and one cancelled at its period's end ends on ``Ends At`` (else
``Current Period End``).
"""

from __future__ import annotations

from decimal import Decimal

from imports.parsing import messages
from imports.parsing.billing.cells import RowCells
from imports.parsing.billing.intervals import interval_of
from imports.parsing.billing.presets import BillingPreset, Skip
from imports.parsing.billing.rows import BillingRow
from imports.parsing.drafts import CellError

ZERO = Decimal("0.00")
NEVER_PAID = frozenset({"incomplete", "incomplete_expired"})


def _read(cells: RowCells, line: int) -> BillingRow | Skip:
    status = cells.text("Status").casefold()
    if status in NEVER_PAID:
        return Skip("never_paid", status)
    started = cells.date("Started At", field="started")
    if started is None:
        raise CellError("started", messages.DATE_REQUIRED)
    amount = cells.amount("Amount", field="amount")
    if amount is None:
        raise CellError("amount", messages.GROSS_REQUIRED)
    net = cells.amount("Net Amount", field="amount_off")
    amount_off = max(amount - net, ZERO) if net is not None else ZERO
    unit, count = interval_of(cells.text("Billing Interval"))
    cancelled_on = cells.date("Canceled At", field="cancelled_on")
    ended = cells.date("Ended At", field="ended")
    if ended is None and status == "canceled":
        ended = cells.date("Ends At", field="ended") or cancelled_on
    elif ended is None and cells.flag("Cancels At Period End"):
        ended = cells.date("Ends At", "Current Period End", field="ended")
    trial_ends = cells.date("Trial End", field="trial_ends")
    product = cells.text("Product")
    return BillingRow(
        line=line,
        customer=cells.text("Email"),
        customer_name=cells.text("Customer Name", "Billing Name"),
        subscription=f"{product} {cells.text('Started At')}".strip(),
        plan=product,
        amount=amount,
        amount_off=amount_off,
        currency=cells.text("Currency"),
        interval=unit,
        interval_count=count,
        started=started,
        trial_ends=trial_ends if trial_ends and trial_ends > started else None,
        cancelled_on=cancelled_on,
        ended=ended,
        status=status,
    )


PRESETS = (
    BillingPreset(
        key="polar_subscriptions",
        name="Polar (subscriptions)",
        signature=(
            "Email", "Started At", "Product", "Amount", "Currency", "Status", "Billing Interval",
        ),
        read=_read,
        category="saas",
        description=messages.gettext_noop("Polar subscriptions export"),
        amount_columns=("Amount", "Net Amount"),
    ),
)  # fmt: skip
