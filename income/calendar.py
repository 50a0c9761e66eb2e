"""The income calendar: each source's expected and received payouts by month, with the
month totals, for the calendar page, the dashboard's next months and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from django.contrib.auth.models import User

from finance.rounding import EXACT
from finance.schedule import (
    CalendarEntry,
    add_months,
    calendar,
    expected_payout_amount,
    expected_payout_months,
    month_start,
)
from income.models import (
    IncomeSource,
    Payment,
)
from income.reporting import ZERO, overview


@dataclass(frozen=True)
class CalendarRow:
    source: IncomeSource
    entries: list[CalendarEntry]


@dataclass(frozen=True)
class CalendarCell:
    """A month of a source on the calendar page: its status and the figures beside it."""

    entry: CalendarEntry
    expected_amount: Decimal | None  # set in a month a payout is expected
    received_net: Decimal | None  # set when something arrived (net, base currency)


@dataclass(frozen=True)
class CalendarMonthTotal:
    """All sources of one month, net, in the base currency: what the expected payouts
    should bring beside what arrived (None for a month still to come)."""

    month: date
    expected: Decimal
    received: Decimal | None

    @property
    def received_share(self) -> Decimal | None:
        """Received ÷ expected, for "95 % of expected"; None with nothing to compare."""
        if self.received is None or self.expected <= 0:
            return None
        with localcontext(EXACT):
            return self.received / self.expected


@dataclass(frozen=True)
class CalendarPage:
    currency: str
    months: list[date]
    rows: list[tuple[IncomeSource, list[CalendarCell]]]
    totals: list[CalendarMonthTotal]


def calendar_page(
    *, owner: User, today: date, past_months: int = 3, months: int = 15
) -> CalendarPage:
    """``income_calendar`` with amounts, for the calendar page (issue 18) and, over a
    wider window (``past_months``, ``months`` as there), the calendar feed (issue 24).

    Each expected payout carries ``expected_payout_amount`` of its source (its average
    complete month of the last year × the months the payout covers), received amounts
    are the sources' monthly net; both in the base currency, as the dashboard's are, so
    a column adds up to the month's totals.
    """
    rows = income_calendar(owner=owner, today=today, past_months=past_months, months=months)
    view = overview(owner=owner, as_of=today)
    net_of = {item.source.pk: item.monthly_net for item in view.sources}
    current = month_start(today)
    page_rows: list[tuple[IncomeSource, list[CalendarCell]]] = []
    expected_total: dict[date, Decimal] = defaultdict(lambda: ZERO)
    received_total: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        monthly_net = net_of.get(row.source.pk, {})
        amount = expected_payout_amount(
            monthly_net=monthly_net,
            started=row.source.start_date,
            rhythm=row.source.payout_rhythm,
            today=today,
        )
        cells = []
        for entry in row.entries:
            received = monthly_net.get(entry.month)
            if entry.expected and amount is not None:
                expected_total[entry.month] += amount
            if received is not None:
                received_total[entry.month] += received
            cells.append(
                CalendarCell(
                    entry=entry,
                    expected_amount=amount if entry.expected else None,
                    received_net=received if received else None,
                )
            )
        page_rows.append((row.source, cells))
    columns = [entry.month for entry in rows[0].entries] if rows else []
    return CalendarPage(
        currency=view.currency,
        months=columns,
        rows=page_rows,
        totals=[
            CalendarMonthTotal(
                month=month,
                expected=expected_total[month],
                received=received_total[month] if month <= current else None,
            )
            for month in columns
        ],
    )


def income_calendar(
    *, owner: User, today: date, past_months: int = 3, months: int = 15
) -> list[CalendarRow]:
    """Per source, the months around today: expected payouts beside what was received (§3).

    The window starts ``past_months`` before this month, so overdue payouts show, and
    runs ``months`` months. Amounts are in each source's own currency.
    """
    first = add_months(month_start(today), -past_months)
    end = add_months(first, months)
    sources = list(
        IncomeSource.objects.filter(owner=owner)
        .exclude(status="ended")
        .select_related("category")
        .order_by("name", "pk")
    )
    received: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for source_id, day, gross in Payment.objects.filter(
        source__owner=owner, date__gte=first, date__lt=end
    ).values_list("source_id", "date", "gross"):
        received[source_id][month_start(day)] += gross
    rows = []
    for source in sources:
        expected = expected_payout_months(
            rhythm=source.payout_rhythm,
            next_payout=source.next_payout_date,
            start=source.start_date,
            months=months,
            from_month=first,
        )
        rows.append(
            CalendarRow(
                source=source,
                entries=calendar(
                    expected_months=expected,
                    received=dict(received.get(source.pk, {})),
                    from_month=first,
                    months=months,
                    today=today,
                ),
            )
        )
    return rows
