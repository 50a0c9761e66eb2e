"""The billing analytics on a subscription source's page (issue 23): headline figures, the
MRR movements chart and table, and the cohort heat maps, from ``income.billing``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finance.subscriptions.retention import Cohort
from income.billing import (
    MonthFigures,
    SubscriptionMetrics,
    source_has_billing,
    subscription_metrics,
)
from income.formatting import format_month
from income.models import IncomeSource

#: The cohorts and months after the first that the heat maps show: a year of each.
COHORTS_SHOWN = 12
OFFSETS_SHOWN = 12
#: Shades of the heat map: a share is drawn in the shade of its tenth (100 % and more:
#: the darkest), by class, as the content security policy allows no inline style.
SHADES = 10


@dataclass(frozen=True)
class HeatCell:
    """One cell: the share (None: not reached yet, or undefined) and its shade class."""

    share: Decimal | None
    shade: int


@dataclass(frozen=True)
class HeatRow:
    cohort: Cohort
    cells: tuple[HeatCell, ...]


def _shade(share: Decimal | None) -> int:
    if share is None:
        return -1
    return max(0, min(SHADES, int(share * SHADES)))


def _heat_rows(cohorts: tuple[Cohort, ...], *, by_mrr: bool) -> list[HeatRow]:
    """The last ``COHORTS_SHOWN`` cohorts, newest first, each with its first
    ``OFFSETS_SHOWN`` months (a cell per month reached so far)."""
    rows = []
    for cohort in reversed(cohorts[-COHORTS_SHOWN:]):
        reached = min(len(cohort.customers), OFFSETS_SHOWN)
        shares = [
            cohort.mrr_retained(offset) if by_mrr else cohort.customers_retained(offset)
            for offset in range(reached)
        ]
        rows.append(
            HeatRow(
                cohort=cohort,
                cells=tuple(HeatCell(share=share, shade=_shade(share)) for share in shares),
            )
        )
    return rows


def _movements_chart(metrics: SubscriptionMetrics, today: date) -> dict[str, object]:
    """The months' movements as stacked bars (gains up, losses down) with the net new MRR
    as a line, in the base currency, oldest first, for Chart.js."""
    months = metrics.months
    running = today.replace(day=1)

    def series(pick: Any, *, negative: bool = False) -> list[str]:
        return [str(-pick(row.movements) if negative else pick(row.movements)) for row in months]

    return {
        "type": "bar",
        "stacked": True,
        "currency": metrics.currency,
        "partial_last": bool(months) and months[-1].movements.month == running,
        "labels": [
            format_month(row.movements.month, to_date=row.movements.month == running)
            for row in months
        ],
        "datasets": [
            {"label": _("New business"), "data": series(lambda m: m.new)},
            {"label": _("Expansion"), "data": series(lambda m: m.expansion), "color": 5},
            {"label": _("Reactivation"), "data": series(lambda m: m.reactivation), "color": 2},
            {
                "label": _("Contraction"),
                "data": series(lambda m: m.contraction, negative=True),
                "color": 1,
            },
            {
                "label": pgettext("MRR movement", "Churn"),
                "data": series(lambda m: m.churn, negative=True),
                "color": 3,
            },
            {
                "label": _("Net new MRR"),
                "data": series(lambda m: m.net_new),
                "line": True,
                "color": 9,
            },
        ],
    }


def billing_section(*, source: IncomeSource, currency: str, today: date) -> dict[str, Any]:
    """The page's billing context: ``has_billing`` alone when the source has no customers
    (its figures then come from the hand-typed months)."""
    if not source_has_billing(source):
        return {"has_billing": False}
    metrics = subscription_metrics(source=source, base=currency, as_of=today)
    months: list[MonthFigures] = list(reversed(metrics.months))
    return {
        "has_billing": True,
        "billing": metrics,
        "billing_months": months[: OFFSETS_SHOWN + 1],
        "billing_chart": _movements_chart(metrics, today),
        "retention_tables": [
            (
                _("Customers kept"),
                _heat_rows(metrics.cohorts, by_mrr=False),
                "retention-customers",
            ),
            (_("MRR kept"), _heat_rows(metrics.cohorts, by_mrr=True), "retention-mrr"),
        ],
        "retention_offsets": range(OFFSETS_SHOWN),
        # The subscription model's steady state from the measured rates (§4: new / churn).
        "billing_steady_state": metrics.steady_state,
    }
