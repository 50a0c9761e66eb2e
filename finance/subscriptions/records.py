"""A subscription as a billing platform's export describes it (Stripe, Paddle, Lemon
Squeezy, Gumroad, Patreon, Steady): the input of the analytics, plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)


class Interval(StrEnum):
    """The unit a plan bills in; ``Subscription.interval_count`` of them make one period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Pause:
    """Billing paused from ``starts`` (included) to ``ends`` (excluded, the day it
    resumes); ``ends`` None: paused until further notice."""

    starts: date
    ends: date | None = None

    def covers(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day < self.ends)


@dataclass(frozen=True)
class Subscription:
    """One subscription of one customer.

    ``amount`` is the plan's price of one unit for one billing period (``interval_count``
    × ``interval``) in ``currency``, before discounts; ``quantity`` units (seats);
    ``percent_off`` (a fraction, 0.2 for 20 %) and then ``amount_off`` (per period, in
    ``currency``) discount it, never below zero. It pays from ``started``, or from
    ``trial_ends`` when it began with a trial, up to ``ended`` (excluded: the day the
    cancellation took effect; None while it runs), except while a pause covers the day.
    ``cancelled_on`` is the day the customer cancelled, which may be before ``ended``
    (cancelled at the period's end): it changes no figure.
    """

    customer: str
    amount: Decimal
    started: date
    currency: str = "EUR"
    interval: Interval = Interval.MONTH
    interval_count: int = 1
    quantity: int = 1
    percent_off: Decimal = ZERO
    amount_off: Decimal = ZERO
    ended: date | None = None
    cancelled_on: date | None = None
    trial_ends: date | None = None
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self) -> None:
        if self.amount < ZERO or self.amount_off < ZERO:
            raise ValueError("A plan amount and an amount off cannot be negative.")
        if self.quantity < 0 or self.interval_count < 1:
            raise ValueError("The quantity cannot be negative; a period is at least one unit.")
        if not ZERO <= self.percent_off <= ONE:
            raise ValueError("A percentage off is a fraction between 0 and 1.")
        if self.ended is not None and self.ended < self.started:
            raise ValueError("A subscription cannot end before it starts.")

    def pays_on(self, day: date) -> bool:
        """Whether the subscription is billed for ``day``: started, past its trial, not
        ended and not paused."""
        if day < self.started or (self.ended is not None and day >= self.ended):
            return False
        if self.trial_ends is not None and day < self.trial_ends:
            return False
        return not any(pause.covers(day) for pause in self.pauses)
