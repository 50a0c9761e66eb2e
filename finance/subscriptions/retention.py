"""The rates of a subscription business and its cohorts, from its MRR movements.

Each rate by the definition the SaaS-metrics tools publish (ChartMogul's help centre,
Baremetrics), computed unrounded and rounded once (``figures.to_ratio``); a rate whose
base is zero is None ("undefined", never a division error):

- customer churn rate = customers churned in the month / paying customers at its start
  (``figures.churn_rate``);
- gross MRR churn = (churn + contraction) / MRR at the start;
- net MRR churn = (churn + contraction − expansion − reactivation) / MRR at the start,
  negative when expansion outgrows the losses ("negative churn");
- quick ratio = (new + expansion) / (contraction + churn);
- net revenue retention (NRR) = the MRR at a month's end of the customers who paid 12
  months before / their MRR then; above 100 % when they expanded;
- ARPA = MRR / paying customers (``figures.arpu``);
- LTV = ARPA / customer churn rate (``figures.ltv``), the churn rate pooled over the last
  12 months (churned / paying customers at the months' starts, summed), as one month of a
  small business is too few customers to divide by; undefined at zero churn.

Cohorts group the customers by their first paying month; each month after it counts the
customers of the cohort still paying and their MRR, against the cohort's first month
(MRR retained can exceed 100 %: expansion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.figures import arpu, churn_rate, ltv, ratio_of
from finance.rounding import EXACT
from finance.subscriptions.movements import MonthMovements
from finance.subscriptions.mrr import CustomerMrr
from finance.subscriptions.records import ZERO

#: The months that LTV's churn rate and NRR look back over.
TRAILING_MONTHS = 12


def customer_churn_rate(month: MonthMovements) -> Decimal | None:
    """Churned customers / paying customers at the month's start."""
    return churn_rate(churned=month.churned_customers, subscribers_at_start=month.customers_start)


def gross_mrr_churn(month: MonthMovements) -> Decimal | None:
    """(churn + contraction) / MRR at the start."""
    return ratio_of(month.churn + month.contraction, month.mrr_start)


def net_mrr_churn(month: MonthMovements) -> Decimal | None:
    """(churn + contraction − expansion − reactivation) / MRR at the start."""
    lost = month.churn + month.contraction - month.expansion - month.reactivation
    return ratio_of(lost, month.mrr_start)


def quick_ratio(month: MonthMovements) -> Decimal | None:
    """(new + expansion) / (contraction + churn); None without losses."""
    return ratio_of(month.new + month.expansion, month.contraction + month.churn)


def arpa(month: MonthMovements) -> Decimal | None:
    """MRR / paying customers at the month's end, in cents."""
    return arpu(mrr=month.mrr_end, subscribers=month.customers_end)


def trailing_churn_fraction(
    months: Sequence[MonthMovements], *, index: int, span: int = TRAILING_MONTHS
) -> Decimal | None:
    """The customer churn rate pooled over the ``span`` months up to ``index``: Σ churned /
    Σ paying customers at the months' starts, exact; None without any customer to
    lose."""
    window = months[max(0, index - span + 1) : index + 1]
    base = sum(month.customers_start for month in window)
    if base <= 0:
        return None
    return EXACT.divide(Decimal(sum(month.churned_customers for month in window)), Decimal(base))


def lifetime_value(
    months: Sequence[MonthMovements], *, index: int, span: int = TRAILING_MONTHS
) -> Decimal | None:
    """ARPA at the end of month ``index`` / the churn rate of the ``span`` months up to it."""
    month = months[index]
    churn = trailing_churn_fraction(months, index=index, span=span)
    return ltv(mrr=month.mrr_end, subscribers=month.customers_end, churn=churn)


def net_revenue_retention(
    mrr: CustomerMrr, *, index: int, span: int = TRAILING_MONTHS
) -> Decimal | None:
    """The MRR at the end of month ``index`` of the customers paying ``span`` months
    before, over their MRR then; None before there is such a month or such a customer."""
    if index < span:
        return None
    then = index - span
    base = ZERO
    kept = ZERO
    for series in mrr.by_customer.values():
        if series[then] > ZERO:
            base += series[then]
            kept += series[index]
    return ratio_of(kept, base)


@dataclass(frozen=True)
class Cohort:
    """The customers whose first paying month is ``month``: how many of them pay and their
    MRR in each month from it (index 0 is the first month itself)."""

    month: date
    customers: tuple[int, ...]
    mrr: tuple[Decimal, ...]

    def customers_retained(self, offset: int) -> Decimal | None:
        """The share of the cohort's customers still paying ``offset`` months on."""
        return ratio_of(Decimal(self.customers[offset]), Decimal(self.customers[0]))

    def mrr_retained(self, offset: int) -> Decimal | None:
        """The cohort's MRR ``offset`` months on over its first month's (can exceed 1)."""
        return ratio_of(self.mrr[offset], self.mrr[0])


def cohorts(mrr: CustomerMrr) -> list[Cohort]:
    """One cohort per month in which any customer first paid, oldest first; each runs
    to the last month of the history."""
    count = len(mrr.months)
    customers: dict[int, list[int]] = {}
    amounts: dict[int, list[Decimal]] = {}
    for series in mrr.by_customer.values():
        first = next((index for index, amount in enumerate(series) if amount > ZERO), None)
        if first is None:
            continue  # never paid: a trial that did not convert
        counted = customers.setdefault(first, [0] * (count - first))
        summed = amounts.setdefault(first, [ZERO] * (count - first))
        for offset, amount in enumerate(series[first:]):
            if amount > ZERO:
                counted[offset] += 1
                summed[offset] += amount
    return [
        Cohort(
            month=mrr.months[first], customers=tuple(customers[first]), mrr=tuple(amounts[first])
        )
        for first in sorted(customers)
    ]


@dataclass(frozen=True)
class MeasuredModel:
    """The subscription model's inputs as measured (PRODUCT.md §4: next = subscribers × (1
    − churn) + new): the paying customers now, the new and returning customers a month
    and the churn rate, both over the last ``TRAILING_MONTHS``, and ARPA as the price."""

    subscribers: int
    new_per_month: Decimal
    churn_rate: Decimal
    price: Decimal


def measured_model(
    months: Sequence[MonthMovements], *, index: int, span: int = TRAILING_MONTHS
) -> MeasuredModel | None:
    """The model measured up to month ``index``; None without paying customers or without
    a churn rate (no customer at any month's start)."""
    month = months[index]
    churn = trailing_churn_fraction(months, index=index, span=span)
    price = arpa(month)
    if churn is None or price is None:
        return None
    window = months[max(0, index - span + 1) : index + 1]
    joined = sum(item.new_customers + item.reactivated_customers for item in window)
    return MeasuredModel(
        subscribers=month.customers_end,
        new_per_month=EXACT.divide(Decimal(joined), Decimal(len(window))),
        churn_rate=churn,
        price=price,
    )
