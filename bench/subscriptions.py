"""subscriptions: a subscription source's analytics (issue 23), 10,000 customers × 36 months.

Ours is ``finance.subscriptions.metrics.subscription_metrics_of``, what the source page,
``/api/v1/sources/{id}/subscription-metrics/`` and the admin compute from a billing
history once its rows are loaded (two queries, whatever the count:
``income.billing.billing_records``, held constant by ``tests/income/test_billing.py``):
every customer's MRR at each month's end (``customer_mrr``), the five movements of every
month, the rates of the last complete month, LTV, NRR, the measured model and the
cohorts. The history is drawn with a fixed seed: upgrades,
downgrades, cancellations, returns, yearly plans, trials, pauses and a second currency.

The baseline is the least an MRR chart needs: each subscription's monthly amount added
to every month it runs, once, in Decimal. Goal: ours ≤ 8 × the baseline — ours reads
the same months at their ends (a pause or trial can start inside one), then walks every
customer's months twice more (movements, cohorts); 5.4 on the machine it was written on,
4.9 to 7.5 on a later one, where ours took 0.30 s every run and the baseline's 0.04 to
0.07 s made the spread.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import finish, median_seconds, print_line, ratio_line
from finance.schedule import add_months, month_start, months_between
from finance.subscriptions.metrics import subscription_metrics_of
from finance.subscriptions.mrr import subscription_mrr
from finance.subscriptions.records import Interval, Pause, Subscription

CUSTOMERS = 10_000
MONTHS = 36
GOAL = 8.0
AS_OF = date(2026, 12, 15)
FIRST = add_months(month_start(AS_OF), -(MONTHS - 1))
RATES = {"USD": Decimal("0.92")}


def _history(seed: int = 20261207) -> list[Subscription]:
    rng = random.Random(seed)
    records: list[Subscription] = []
    for number in range(CUSTOMERS):
        customer = f"cus_{number:05d}"
        started = FIRST + timedelta(days=rng.randrange(MONTHS * 30))
        yearly = rng.random() < 0.15
        currency = "USD" if rng.random() < 0.05 else "EUR"
        amount = Decimal(150 if yearly else rng.choice((9, 15, 25)))
        interval = Interval.YEAR if yearly else Interval.MONTH
        trial = started + timedelta(days=14) if rng.random() < 0.05 else None
        ended = started + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.4 else None
        if ended is not None and ended > AS_OF:
            ended = None
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.03:
            pause = started + timedelta(days=rng.randrange(30, 300))
            pauses = (Pause(starts=pause, ends=pause + timedelta(days=60)),)
        changed = ended is None and not yearly and rng.random() < 0.1
        switch = started + timedelta(days=rng.randrange(20, 400)) if changed else None
        if switch is not None and switch >= AS_OF:
            switch = None
        records.append(
            Subscription(
                customer=customer, amount=amount, started=started, currency=currency,
                interval=interval, trial_ends=trial, ended=switch or ended, pauses=pauses,
            )
        )  # fmt: skip
        if switch is not None:  # an upgrade or a downgrade from that day
            records.append(
                Subscription(
                    customer=customer, amount=amount + rng.choice((-5, 10)), started=switch,
                    currency=currency,
                )
            )  # fmt: skip
        if ended is not None and rng.random() < 0.15:  # back after some months
            back = add_months(ended, rng.randrange(2, 6))
            if back <= AS_OF:
                records.append(
                    Subscription(customer=customer, amount=amount, started=back, currency=currency)
                )
    return records


HISTORY = _history()


def baseline() -> None:
    """Each subscription's monthly amount added to every month it runs."""
    totals = [Decimal(0)] * MONTHS
    for record in HISTORY:
        amount = subscription_mrr(record, rate=RATES.get(record.currency, Decimal(1)))
        first = max(months_between(FIRST, record.started), 0)
        last = MONTHS - 1 if record.ended is None else months_between(FIRST, record.ended)
        for index in range(first, min(last, MONTHS - 1) + 1):
            totals[index] += amount


def ours() -> None:
    """What the source page, the API and the source figures run: the one composition."""
    subscription_metrics_of(HISTORY, base="EUR", as_of=AS_OF, rates=RATES)


def main() -> None:
    base = median_seconds(baseline)
    mine = median_seconds(ours)
    note = f"{CUSTOMERS:,} customers, {len(HISTORY):,} subscriptions, {MONTHS} months"
    line = print_line(ratio_line("subscriptions", baseline=base, ours=mine, goal=GOAL, note=note))
    finish([line])


if __name__ == "__main__":
    main()
