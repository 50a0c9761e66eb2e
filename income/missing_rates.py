"""Which of a user's payments wait for an exchange rate, for "3 USD payments wait for a rate".

The dashboard's ``missing_rates`` names the currencies left out of the figures; an app
wants to say which payments that is, and since when. A payment is left out when it is in
another currency than the base one and the rate book has no rate of its currency (or of
the base currency) on or before its day, exactly the rule of
``income.source_figures._sum_by_month`` (the one place a payment becomes part of a month):
the same ``RateBook.pair`` decides, and a payment of zero needs no rate there or here.

Rates are global ECB reference rates loaded by the admin (``exchange_rates_import``), so
on a fresh install every payment in a foreign currency waits until rates are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import F

from finance.money import RateBook
from income.models import Payment
from income.selectors import exchange_rates


@dataclass
class RateGap:
    """The payments of one currency and month that no rate converts yet."""

    currency: str
    month: date
    payment_ids: list[int] = field(default_factory=list)

    @property
    def payments(self) -> int:
        return len(self.payment_ids)


def payments_without_rate(*, owner: User, base_currency: str, as_of: date) -> list[RateGap]:
    """The owner's payments up to ``as_of`` left out of the figures for want of a rate,
    by currency and month (oldest first), each with its payment ids."""
    rows = list(
        Payment.objects.filter(source__owner=owner, date__lte=as_of)
        .exclude(currency=base_currency)
        .exclude(gross=0, tax_withheld=0, fees=0)
        .annotate(net_amount=F("gross") - F("tax_withheld") - F("fees"))
        .order_by("currency", "date", "pk")
        .values_list("pk", "currency", "date", "gross", "net_amount")
    )
    if not rows:
        return []
    currencies = {row[1] for row in rows} | {base_currency}
    book = RateBook(exchange_rates(currencies=currencies, as_of=as_of))
    gaps: dict[tuple[str, date], RateGap] = {}
    for pk, currency, day, gross, net in rows:
        if not (gross or net) or book.pair(currency, base_currency, day) is not None:
            continue
        month = day.replace(day=1)
        gap = gaps.setdefault((currency, month), RateGap(currency=currency, month=month))
        gap.payment_ids.append(pk)
    return sorted(gaps.values(), key=lambda gap: (gap.currency, gap.month))
