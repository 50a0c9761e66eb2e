"""Plan vs actual (PRODUCT.md §3): is a source keeping up with what its plan expected?

Pure: months are ``date``s on day 1, amounts Decimal. A month is *behind* when the net
actually received is more than ``BEHIND_BY`` (20 %) below the plan's expected net; a
source is *flagged* when its last ``FLAG_AFTER`` (3) complete months were all behind.
The current month is never judged: its payments may still come.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.schedule import add_months

BEHIND_BY = Decimal("0.2")
FLAG_AFTER = 3
ZERO = Decimal(0)


@dataclass(frozen=True)
class TrackedMonth:
    month: date
    expected: Decimal
    actual: Decimal
    behind: bool


@dataclass(frozen=True)
class SourceTracking:
    name: str
    months: tuple[TrackedMonth, ...]
    flagged: bool

    @property
    def shortfall(self) -> Decimal:
        """Expected minus actual over the tracked months (negative when ahead)."""
        return sum((m.expected - m.actual for m in self.months), ZERO)


def track(
    *,
    name: str,
    expected: Sequence[Decimal],
    actual: Mapping[date, Decimal],
    start: date,
    behind_by: Decimal = BEHIND_BY,
    flag_after: int = FLAG_AFTER,
) -> SourceTracking:
    """Compare ``expected[i]`` (the plan's net of month ``start`` + i) with ``actual``.

    Only months with a positive expectation can be behind: a plan that expected nothing
    (or a loss) cannot be missed by 20 %.
    """
    months = []
    for index, planned in enumerate(expected):
        month = add_months(start, index)
        received = actual.get(month, ZERO)
        behind = planned > ZERO and received < planned * (1 - behind_by)
        months.append(TrackedMonth(month=month, expected=planned, actual=received, behind=behind))
    recent = months[-flag_after:]
    flagged = len(recent) == flag_after and all(m.behind for m in recent)
    return SourceTracking(name=name, months=tuple(months), flagged=flagged)
