"""Patreon: the members export (Audience / Relationship manager → Export CSV).

One row per member, one membership each: the member is known by ``User ID`` and the
membership is theirs (its id is ``membership``). ``Pledge Amount`` is what a member is
charged each ``Charge Frequency`` (``monthly``, ``annual``) in ``Currency`` (upper
case), and dates are timestamps (``2024-08-10 13:37:12``, sometimes with
microseconds). Exports before 2022 had a ``Twitter`` column and none of ``Free Member``,
``Free Trial`` and the last columns; the oldest wrote ``Pledge $`` and ``Lifetime $``
with dollar amounts (``$12.00``), read as US dollars.

The statuses, as Patreon counts its paying members:

- ``Active patron``: paying since ``Patronage Since Date``; on a free trial
  (``Free Trial`` = Yes) it pays from ``Next Charge Date``.
- ``Declined patron``: the last charge was declined; Patreon retries it and the member
  keeps access, so it stays in MRR until Patreon ends the membership, as a past-due
  subscription does at Stripe.
- ``Former patron``: ended on ``Access Expiration``, else when the period of its last
  charge ran out.
- A free member or a follower (``Free Member`` = Yes, no status, or nothing pledged)
  pays nothing and is no customer (skipped).
"""

from __future__ import annotations

from imports.parsing import messages
from imports.parsing.billing.cells import RowCells
from imports.parsing.billing.intervals import interval_of, period_after
from imports.parsing.billing.presets import BillingPreset, Skip
from imports.parsing.billing.rows import BillingRow
from imports.parsing.drafts import CellError

MEMBERSHIP = "membership"
_PAYING = frozenset({"active patron", "declined patron", "former patron"})


def _read(cells: RowCells, line: int) -> BillingRow | Skip:
    status = cells.text("Patron Status")
    amount = cells.amount("Pledge Amount", "Pledge $", field="amount")
    if status.casefold() not in _PAYING or cells.flag("Free Member") or not amount:
        return Skip("free", status)
    started = cells.date("Patronage Since Date", field="started")
    if started is None:
        raise CellError("started", messages.DATE_REQUIRED)
    unit, count = interval_of(cells.text("Charge Frequency") or "monthly")
    trial_ends = None
    if cells.flag("Free Trial"):
        trial_ends = cells.date("Next Charge Date", field="trial_ends")
    ended = None
    if status.casefold() == "former patron":
        ended = cells.date("Access Expiration", field="ended")
        if ended is None:
            last = cells.date("Last Charge Date", field="ended")
            ended = period_after(last, interval=unit, count=count) if last else started
        ended = max(ended, started)
    currency = cells.text("Currency") or ("USD" if cells.has("Pledge $") else "")
    return BillingRow(
        line=line,
        customer=cells.text("User ID", "Email"),
        customer_name=cells.text("Name"),
        subscription=MEMBERSHIP,
        plan=cells.text("Tier"),
        amount=amount,
        currency=currency,
        interval=unit,
        interval_count=count,
        started=started,
        trial_ends=trial_ends if trial_ends and trial_ends > started else None,
        ended=ended,
        status=status,
    )


PRESETS = (
    BillingPreset(
        key="patreon_members",
        name="Patreon (members)",
        signature=("Patron Status", "Pledge Amount", "Patronage Since Date", "User ID"),
        read=_read,
        category="membership",
        description=messages.gettext_noop("Patreon members export (Audience → Export CSV)"),
        amount_columns=("Pledge Amount",),
    ),
    BillingPreset(
        key="patreon_members_dollars",
        name="Patreon (members, before 2019)",
        signature=("Patron Status", "Pledge $", "Patronage Since Date", "User ID"),
        read=_read,
        category="membership",
        description=messages.gettext_noop(
            "Patreon members export of the years with amounts in dollars (Pledge $)"
        ),
        amount_columns=("Pledge $",),
    ),
)
