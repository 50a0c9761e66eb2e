"""The recorded months of a subscription source: its MRR beside the money that came in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from finance.money import RateBook
from finance.rounding import to_cents
from finance.schedule import (
    add_months,
)
from income.models import (
    Payment,
    SubscriptionPeriod,
)
from income.selectors import exchange_rates
from income.source_figures import ZERO, month_of, period_mrr


@dataclass(frozen=True)
class SubscriptionMonth:
    """A recorded month of a subscription source, with what it brought in.

    ``mrr`` is ``period_mrr``; ``received`` the gross of the source's payments dated in
    the month, in the source's currency (None when one of them has no exchange rate that
    old), so the recorded MRR and the money that actually came in stand side by side.
    """

    period: SubscriptionPeriod
    mrr: Decimal
    received: Decimal | None


def subscription_months(
    *, owner: User, periods: Sequence[SubscriptionPeriod]
) -> list[SubscriptionMonth]:
    """``periods`` (with their source loaded) as ``SubscriptionMonth``, in their order.

    Two queries whatever the number of periods (the payments of their sources and months,
    and the exchange rates only when a payment is in another currency than its source).
    A payment counts in its source's currency, converted at its day's rate like every
    payment of the figures; a month with a payment that cannot be converted shows no
    amount rather than a wrong one. Only ``owner``'s payments are read.
    """
    if not periods:
        return []
    sources = {period.source_id: period.source for period in periods}
    first = min(period.month for period in periods)
    end = add_months(max(period.month for period in periods), 1)
    rows = list(
        Payment.objects.filter(
            source__owner=owner, source_id__in=sources, date__gte=first, date__lt=end
        ).values_list("source_id", "date", "gross", "currency")
    )
    foreign = {
        currency
        for source_id, _day, _gross, currency in rows
        if currency != sources[source_id].currency
    }
    book = RateBook(
        exchange_rates(
            currencies=foreign | {source.currency for source in sources.values()},
            as_of=max(day for _source_id, day, _gross, _currency in rows),
        )
        if foreign
        else []
    )
    received: dict[tuple[int, date], Decimal | None] = {}
    for source_id, day, gross, currency in rows:
        key = (source_id, month_of(day))
        so_far = received.get(key, ZERO)
        if so_far is None:  # a payment of the month could not be converted
            continue
        amount = book.convert(gross, currency=currency, to=sources[source_id].currency, day=day)
        received[key] = None if amount is None else so_far + amount
    result = []
    for period in periods:
        amount = received.get((period.source_id, period.month), ZERO)
        result.append(
            SubscriptionMonth(
                period=period,
                mrr=period_mrr(period, price=period.source.price_per_subscriber),
                received=None if amount is None else to_cents(amount),
            )
        )
    return result
