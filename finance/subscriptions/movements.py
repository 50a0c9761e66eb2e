"""The five MRR movements of a month, from each customer's MRR at the end of it and of the
month before (ChartMogul's definitions, help centre "MRR movements"):

- new business: a customer's first MRR (none in any month before);
- expansion: a paying customer's MRR rises (an upgrade, more seats);
- contraction: a paying customer's MRR falls but stays above zero (a downgrade, one of
  two subscriptions cancelled);
- churn: a paying customer's MRR falls to zero (the last subscription ended, or paused);
- reactivation: a customer who had MRR before, and none at the end of last month, pays
  again.

Read at month ends, a customer who comes and goes within one month makes no movement.
new + expansion + reactivation − contraction − churn = MRR at the end − MRR at the start,
exactly: the movements explain every cent of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.subscriptions.mrr import CustomerMrr
from finance.subscriptions.records import ZERO


@dataclass(frozen=True)
class MonthMovements:
    """One month: MRR and paying customers at its start (the end of the month before) and
    its end, each movement as a positive amount, and the customers behind each."""

    month: date
    mrr_start: Decimal
    mrr_end: Decimal
    customers_start: int
    customers_end: int
    new: Decimal
    expansion: Decimal
    contraction: Decimal
    churn: Decimal
    reactivation: Decimal
    new_customers: int
    churned_customers: int
    reactivated_customers: int

    @property
    def net_new(self) -> Decimal:
        """new + expansion + reactivation − contraction − churn."""
        return self.new + self.expansion + self.reactivation - self.contraction - self.churn


def mrr_movements(mrr: CustomerMrr) -> list[MonthMovements]:
    """Every month of ``mrr``'s history with its movements, oldest first."""
    count = len(mrr.months)
    new, expansion, contraction, churn, reactivation = ([ZERO] * count for _ in range(5))
    start, end = [ZERO] * count, [ZERO] * count
    paying_start, paying_end = [0] * count, [0] * count
    new_count, churned_count, reactivated_count = [0] * count, [0] * count, [0] * count
    for series in mrr.by_customer.values():
        before = ZERO
        has_paid = False
        for index, now in enumerate(series):
            start[index] += before
            end[index] += now
            if before > ZERO:
                paying_start[index] += 1
            if now > ZERO:
                paying_end[index] += 1
            if before == ZERO and now > ZERO:
                if has_paid:
                    reactivation[index] += now
                    reactivated_count[index] += 1
                else:
                    new[index] += now
                    new_count[index] += 1
            elif before > ZERO and now == ZERO:
                churn[index] += before
                churned_count[index] += 1
            elif now > before:
                expansion[index] += now - before
            elif now < before:
                contraction[index] += before - now
            has_paid = has_paid or now > ZERO
            before = now
    return [
        MonthMovements(
            month=month,
            mrr_start=start[index],
            mrr_end=end[index],
            customers_start=paying_start[index],
            customers_end=paying_end[index],
            new=new[index],
            expansion=expansion[index],
            contraction=contraction[index],
            churn=churn[index],
            reactivation=reactivation[index],
            new_customers=new_count[index],
            churned_customers=churned_count[index],
            reactivated_customers=reactivated_count[index],
        )
        for index, month in enumerate(mrr.months)
    ]
