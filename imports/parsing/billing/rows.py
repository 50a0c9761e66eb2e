"""What reading a billing export gives: one row per subscription, the skipped rows, the
errors, and what was detected. Pure data, as ``imports.parsing.result`` is for payments;
the errors, the header and the rejected cells have the same shape there, so the
rejected lines of either kind of file are written by one function
(``imports.parsing.result.rejected_lines_csv``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from imports.parsing.result import RowError, SkippedRow

__all__ = ["BillingResult", "BillingRow", "RowError", "SkippedRow"]


@dataclass(frozen=True, slots=True)
class BillingRow:
    """One subscription of one customer, as ``income.models.BillingSubscription`` holds it.

    ``customer`` is the platform's id of the customer (Stripe's ``cus_…``, Patreon's user
    id, an e-mail address where the export has nothing better) and ``subscription`` the
    id of the subscription, derived from the customer where the export has none (a
    Patreon membership is one per member): an import recognises both again.
    """

    line: int
    customer: str
    subscription: str
    amount: Decimal
    started: date
    customer_name: str = ""
    plan: str = ""
    #: "" until the reader gives it the file's or the default currency.
    currency: str = ""
    interval: str = "month"
    interval_count: int = 1
    quantity: int = 1
    percent_off: Decimal = Decimal(0)
    amount_off: Decimal = Decimal("0.00")
    trial_ends: date | None = None
    cancelled_on: date | None = None
    ended: date | None = None
    #: (paused from, resumes on or None) of the pauses the export states.
    pauses: tuple[tuple[date, date | None], ...] = ()
    #: The status as the export wrote it (shown in the preview).
    status: str = ""


@dataclass(frozen=True)
class BillingResult:
    """Everything the preview shows and the import writes."""

    preset: str
    rows: tuple[BillingRow, ...]
    skipped: tuple[SkippedRow, ...]
    errors: tuple[RowError, ...]
    file_errors: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    header_line: int | None = None
    header: tuple[str, ...] = ()
    delimiter: str = ""
    #: The cells of each row with an error, for the list of rejected lines.
    rejected: tuple[tuple[int, tuple[str, ...]], ...] = ()
    #: Data rows in the file (everything below the header that is not empty).
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    @property
    def customers(self) -> int:
        return len({row.customer for row in self.rows})
