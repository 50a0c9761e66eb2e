"""Currency conversion with the ECB's reference rates (PRODUCT.md §2 "Exchange rate", §3).

A rate is units of the currency per 1 EUR, as the ECB publishes it: USD 1.0850 means
1 EUR = 1.0850 USD, so USD 108.50 / 1.0850 = EUR 100. The euro itself has rate 1
(``EUR_RATE``). The ECB publishes no cross rates, so USD to GBP goes through the euro:
amount / from_rate × to_rate, rounded once, at the end.

§3 converts "per payment date": ``rate_on`` picks the rate of a date, which by §2 is
"the latest rate on or before it" (no rates on weekends and TARGET holidays).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, localcontext
from functools import cached_property

from finance.rounding import EXACT, to_cents

EUR_RATE = Decimal(1)
ZERO = Decimal(0)


def payment_net(*, gross: Decimal, tax_withheld: Decimal, fees: Decimal) -> Decimal:
    """Net = gross − tax withheld − fees (PRODUCT.md §2): exact, amounts are cents."""
    return gross - tax_withheld - fees


def gettext_noop(message: str) -> str:
    """Mark a message for translation (``makemessages`` finds it); the caller translates."""
    return message


RECEIPT_NEGATIVE_TAX = gettext_noop(
    "Tax withheld can only be negative on a reversal (a negative gross)."
)
RECEIPT_NEGATIVE_FEES = gettext_noop("Fees can only be negative on a reversal (a negative gross).")
RECEIPT_DEDUCTIONS = gettext_noop("Tax withheld and fees together cannot exceed the gross amount.")
REVERSAL_TAX = gettext_noop(
    "The tax withheld of a reversal must be between the (negative) gross and zero."
)
REVERSAL_FEES = gettext_noop("A returned fee may not exceed the amount reversed.")
FOREIGN_TAX_WITHIN_TAX = gettext_noop(
    "The foreign tax is part of the tax withheld: between zero and the tax withheld, with its sign."
)
REVERSAL_NET = gettext_noop(
    "A reversal cannot give back more than it reverses: its net must not be positive."
)


def payment_amount_errors(
    *, gross: Decimal, tax_withheld: Decimal, fees: Decimal, foreign_tax: Decimal = ZERO
) -> dict[str, str]:
    """The amount rules of a payment, field → message (empty when the amounts are fine).

    The one definition the model's check constraints, the services and the statement
    import share. A receipt (gross ≥ 0) has no negative part and its deductions fit in
    its gross. A refund, chargeback or reversal (gross < 0) takes its withholding tax
    back with it (gross ≤ tax withheld ≤ 0); its fees are charged (positive) or returned
    (negative), a returned fee is no larger than the amount reversed (fees ≥ gross), and
    all of it together never turns into money received (net ≤ 0). The ``foreign_tax``
    is the part of the tax withheld the source country took: between zero and the tax
    withheld, with its sign (a reversal takes it back too).
    """
    errors: dict[str, str] = {}
    if not min(ZERO, tax_withheld) <= foreign_tax <= max(ZERO, tax_withheld):
        errors["foreign_tax"] = FOREIGN_TAX_WITHIN_TAX
    if gross >= 0:
        if tax_withheld < 0:
            errors["tax_withheld"] = RECEIPT_NEGATIVE_TAX
        if fees < 0:
            errors["fees"] = RECEIPT_NEGATIVE_FEES
        if not errors and tax_withheld + fees > gross:
            errors["tax_withheld"] = RECEIPT_DEDUCTIONS
        return errors
    if not gross <= tax_withheld <= 0:
        errors["tax_withheld"] = REVERSAL_TAX
    if fees < gross:
        errors["fees"] = REVERSAL_FEES
    if not errors and payment_net(gross=gross, tax_withheld=tax_withheld, fees=fees) > 0:
        errors["fees"] = REVERSAL_NET
    return errors


def _check_rate(name: str, rate: Decimal) -> None:
    """A rate is a positive, finite number; anything else is a broken rate feed."""
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"{name} must be a positive number, not {rate}.")


def to_eur(*, amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` in a currency with ECB ``rate``, in euros: amount / rate.

    Exact (to ``EXACT``'s 1,200 digits), not rounded: it is an intermediate, and the
    caller rounds once when it has the figure it shows. Raises ``ValueError`` for a
    rate that is not positive.
    """
    _check_rate("rate", rate)
    with localcontext(EXACT):
        return amount / rate


def convert(*, amount: Decimal, from_rate: Decimal, to_rate: Decimal) -> Decimal:
    """``amount`` from the currency of ``from_rate`` to that of ``to_rate``, in cents.

    amount / from_rate × to_rate, through the euro, rounded once, half up
    (``rounding.to_cents``); computed as amount × to_rate / from_rate so that the
    one division is the only inexact step. Raises ``ValueError`` for a rate that is
    not positive.
    """
    _check_rate("from_rate", from_rate)
    _check_rate("to_rate", to_rate)
    return to_cents(EXACT.divide(EXACT.multiply(amount, to_rate), from_rate))


class RateBook:
    """ECB rates of several currencies, sorted once, looked up by bisection.

    ``rows`` are (currency, date, rate) in any order; of two rates with one date the
    later in ``rows`` wins (the sort is stable), as a re-import would overwrite.
    """

    def __init__(self, rows: Iterable[tuple[str, date, Decimal]]) -> None:
        by_currency: dict[str, list[tuple[date, Decimal]]] = {}
        for currency, day, rate in rows:
            by_currency.setdefault(currency, []).append((day, rate))
        self._dates: dict[str, list[date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        self._digests_before: dict[date, str] = {}
        for currency, pairs in by_currency.items():
            for _day, rate in pairs:
                _check_rate(currency, rate)
            pairs.sort(key=lambda pair: pair[0])
            self._dates[currency] = [day for day, _rate in pairs]
            self._rates[currency] = [rate for _day, rate in pairs]

    @cached_property
    def digest(self) -> str:
        """A hash of every rate held: equal digests, equal conversions. Computed once, as
        one book serves every user of a report batch with the same currencies."""
        return self.digest_before(date.max)  # no rate is dated that late: all of them

    def digest_before(self, day: date) -> str:
        """``digest`` of the rates dated before ``day`` only: what converts the payments of
        the months before ``day``'s (a new day's rate leaves it as it is)."""
        if day not in self._digests_before:
            rows = []
            for currency in sorted(self._dates):
                count = bisect_left(self._dates[currency], day)
                rows.append(
                    (currency, self._dates[currency][:count], self._rates[currency][:count])
                )
            self._digests_before[day] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return self._digests_before[day]

    def rate(self, currency: str, day: date) -> Decimal | None:
        """The latest rate on or before ``day`` (the euro is 1); None when none is that old."""
        if currency == "EUR":
            return EUR_RATE
        dates = self._dates.get(currency)
        if not dates:
            return None
        index = bisect_right(dates, day)
        return self._rates[currency][index - 1] if index else None

    def convert(self, amount: Decimal, *, currency: str, to: str, day: date) -> Decimal | None:
        """``amount`` in ``to`` at the rates of ``day``; None without a rate (zero needs none)."""
        if currency == to or not amount:
            return amount
        pair = self.pair(currency, to, day)
        return None if pair is None else self.at(amount, pair)

    def pair(self, currency: str, to: str, day: date) -> tuple[Decimal, Decimal] | None:
        """The rates of ``currency`` and ``to`` on ``day``, for several amounts of one day
        (a payment's gross and net); None when either has no rate that old."""
        from_rate, to_rate = self.rate(currency, day), self.rate(to, day)
        if from_rate is None or to_rate is None:
            return None
        return from_rate, to_rate

    @staticmethod
    def at(amount: Decimal, pair: tuple[Decimal, Decimal]) -> Decimal:
        """``convert`` at a ``pair`` of this book: its rates were checked when it was built."""
        return to_cents(EXACT.divide(EXACT.multiply(amount, pair[1]), pair[0]))


def rate_on(rates: Sequence[tuple[date, Decimal]], day: date) -> Decimal | None:
    """The rate of ``day`` in one currency's (date, rate) pairs: the latest on or before it (§2).

    None when every rate is newer than ``day``: converting with a rate from the future
    would be a guess, and the caller must say so rather than show it.
    """
    return RateBook(("XXX", when, rate) for when, rate in rates).rate("XXX", day)
