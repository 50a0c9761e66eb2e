"""Subscription analytics by hand (issue 23): MRR, its five movements, the rates and the
cohorts of eight customers over January to June 2026, each case of the issue among them.

The customers' MRR at each month's end (June: on the 15th, month to date), in euros:

    ana   10  10  25  25  25  25   upgraded on 10 March (expansion)
    ben   25  25  25  20  20  20   one of two subscriptions ended on 2 April (contraction)
    cem   30  12  12   0   0   0   downgraded on 15 February (contraction), cancelled
                                   from 20 April (churn)
    dora   8   0   0   0   8   8   left on 10 February, back on 6 May (reactivation)
    eve    0  10  10  10  10  10   a yearly plan of 120.00 from February (new business)
    fay    0   0   0   0   0   0   a trial in March that never paid
    gus   15  15   0   0  15  15   paused in March and April (churn, then reactivation)
    hal    0   0   0   9   9   9   10.00 USD a month at 0.90 € from 10 April
    total 88  72  72  64  87  87
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance.subscriptions.movements import MonthMovements, mrr_movements
from finance.subscriptions.mrr import CustomerMrr, customer_mrr, subscription_mrr
from finance.subscriptions.records import Interval, Pause, Subscription
from finance.subscriptions.retention import (
    arpa,
    cohorts,
    customer_churn_rate,
    gross_mrr_churn,
    lifetime_value,
    measured_model,
    net_mrr_churn,
    net_revenue_retention,
    quick_ratio,
    trailing_churn_fraction,
)

D = Decimal
AS_OF = date(2026, 6, 15)
RATES = {"USD": D("0.90")}


def _subscriptions() -> list[Subscription]:
    return [
        Subscription("ana", D(10), date(2026, 1, 5), ended=date(2026, 3, 10)),
        Subscription("ana", D(25), date(2026, 3, 10)),
        Subscription("ben", D(20), date(2026, 1, 20)),
        Subscription("ben", D(5), date(2026, 1, 20), ended=date(2026, 4, 2)),
        Subscription("cem", D(30), date(2026, 1, 10), ended=date(2026, 2, 15)),
        Subscription(
            "cem", D(12), date(2026, 2, 15), ended=date(2026, 4, 20), cancelled_on=date(2026, 4, 1)
        ),
        Subscription("dora", D(8), date(2026, 1, 3), ended=date(2026, 2, 10)),
        Subscription("dora", D(8), date(2026, 5, 6)),
        Subscription("eve", D(120), date(2026, 2, 1), interval=Interval.YEAR),
        Subscription(
            "fay", D(9), date(2026, 3, 1), trial_ends=date(2026, 3, 15), ended=date(2026, 3, 15)
        ),
        Subscription(
            "gus", D(15), date(2026, 1, 15), pauses=(Pause(date(2026, 3, 1), date(2026, 5, 1)),)
        ),
        Subscription("hal", D(10), date(2026, 4, 10), currency="USD"),
    ]


def _row(*amounts: int) -> list[Decimal]:
    return [D(amount) for amount in amounts]


def _euros(*rows: tuple[int, ...]) -> list[tuple[Decimal, ...]]:
    return [tuple(D(amount) for amount in row) for row in rows]


@pytest.fixture
def mrr() -> CustomerMrr:
    return customer_mrr(_subscriptions(), as_of=AS_OF, base_currency="EUR", rates=RATES)


@pytest.fixture
def months(mrr: CustomerMrr) -> list[MonthMovements]:
    return mrr_movements(mrr)


@pytest.mark.parametrize(
    ("subscription", "expected"),
    [
        (Subscription("a", D(120), date(2026, 1, 1), interval=Interval.YEAR), D("10.00")),
        (Subscription("a", D(30), date(2026, 1, 1), interval_count=3), D("10.00")),
        # 10.00 a week × 52 / 12 = 43.333… → 43.33
        (Subscription("a", D(10), date(2026, 1, 1), interval=Interval.WEEK), D("43.33")),
        # 1.00 a day × 365 / 12 = 30.4166… → 30.42
        (Subscription("a", D(1), date(2026, 1, 1), interval=Interval.DAY), D("30.42")),
        # 3 seats × 10.00 − 20 % = 24.00, then 5.00 off = 19.00
        (Subscription("a", D(10), date(2026, 1, 1), quantity=3, percent_off=D("0.2")), D(24)),
        (
            Subscription(
                "a", D(10), date(2026, 1, 1), quantity=3, percent_off=D("0.2"), amount_off=D(5)
            ),
            D(19),
        ),
        (Subscription("a", D(4), date(2026, 1, 1), amount_off=D(5)), D(0)),  # never below 0
    ],
)
def test_a_subscriptions_mrr_is_its_price_normalised_to_a_month(
    subscription: Subscription, expected: Decimal
) -> None:
    assert subscription_mrr(subscription) == expected


def test_each_customers_mrr_is_read_at_each_months_end(mrr: CustomerMrr) -> None:
    assert mrr.months == tuple(date(2026, month, 1) for month in range(1, 7))
    assert {name: list(series) for name, series in mrr.by_customer.items()} == {
        "ana": _row(10, 10, 25, 25, 25, 25),
        "ben": _row(25, 25, 25, 20, 20, 20),
        "cem": _row(30, 12, 12, 0, 0, 0),
        "dora": _row(8, 0, 0, 0, 8, 8),
        "eve": _row(0, 10, 10, 10, 10, 10),
        "fay": _row(0, 0, 0, 0, 0, 0),
        "gus": _row(15, 15, 0, 0, 15, 15),
        "hal": _row(0, 0, 0, 9, 9, 9),  # 10.00 USD × 0.90
    }
    assert mrr.missing_rates == ()


def test_a_currency_without_a_rate_is_left_out_and_named() -> None:
    found = customer_mrr(_subscriptions(), as_of=AS_OF, base_currency="EUR", rates={})
    assert "hal" not in found.by_customer
    assert found.missing_rates == ("USD",)


def test_the_five_movements_explain_every_month(months: list[MonthMovements]) -> None:
    rows = [
        (m.mrr_start, m.new, m.expansion, m.contraction, m.churn, m.reactivation, m.mrr_end)
        for m in months
    ]
    assert rows == _euros(
        # January: five customers pay for the first time: 10 + 25 + 30 + 8 + 15 = 88.
        (0, 88, 0, 0, 0, 0, 88),
        # February: eve's yearly plan is new (10); cem downgrades 30 → 12 (contraction 18),
        # dora leaves (churn 8): 88 + 10 − 18 − 8 = 72.
        (88, 10, 0, 18, 8, 0, 72),
        # March: ana upgrades 10 → 25 (expansion 15), gus pauses (churn 15): 72.
        (72, 0, 15, 0, 15, 0, 72),
        # April: ben ends one of two (contraction 5), cem cancels (churn 12), hal is new
        # (9): 72 − 5 − 12 + 9 = 64.
        (72, 9, 0, 5, 12, 0, 64),
        # May: dora returns after three months, gus resumes: reactivation 8 + 15 = 23.
        (64, 0, 0, 0, 0, 23, 87),
        (87, 0, 0, 0, 0, 0, 87),
    )
    assert all(m.mrr_start + m.net_new == m.mrr_end for m in months)
    # fay's trial never paid: no movement, and no customer of any month.
    assert [(m.customers_start, m.customers_end) for m in months] == [
        (0, 5), (5, 5), (5, 4), (4, 4), (4, 6), (6, 6)
    ]  # fmt: skip
    counts = [(m.new_customers, m.churned_customers, m.reactivated_customers) for m in months]
    assert counts == [(5, 0, 0), (1, 1, 0), (0, 1, 0), (1, 1, 0), (0, 0, 2), (0, 0, 0)]


def test_the_rates_of_each_month(months: list[MonthMovements]) -> None:
    feb, mar, apr, may = months[1:5]
    # February: 1 of 5 churned = 20 %; (8 + 18) / 88 = 29.545… % gross and net; quick
    # ratio (10 + 0) / (18 + 8) = 0.3846.
    assert customer_churn_rate(feb) == D("0.2")
    assert gross_mrr_churn(feb) == net_mrr_churn(feb) == D("0.2955")
    assert quick_ratio(feb) == D("0.3846")
    # March: the upgrade offsets the pause: gross 15 / 72 = 20.83 %, net 0, quick ratio 1.
    assert (gross_mrr_churn(mar), net_mrr_churn(mar), quick_ratio(mar)) == (
        D("0.2083"),
        D(0),
        D(1),
    )
    # April: 1 of 4 = 25 %; (12 + 5) / 72 = 23.61 %; quick ratio 9 / 17 = 0.5294.
    assert customer_churn_rate(apr) == D("0.25")
    assert gross_mrr_churn(apr) == D("0.2361")
    assert quick_ratio(apr) == D("0.5294")
    # May: no loss; reactivations make net MRR churn negative: −23 / 64 = −35.94 %; a
    # quick ratio without losses is undefined.
    assert (customer_churn_rate(may), gross_mrr_churn(may)) == (D(0), D(0))
    assert net_mrr_churn(may) == D("-0.3594")
    assert quick_ratio(may) is None
    # January began with nothing: every rate against its start is undefined.
    assert customer_churn_rate(months[0]) is None
    assert gross_mrr_churn(months[0]) is None


def test_arpa_and_lifetime_value_from_the_pooled_churn(months: list[MonthMovements]) -> None:
    # June: 87.00 from 6 paying customers: ARPA 14.50.
    assert arpa(months[5]) == D("14.50")
    # Churned 0 + 1 + 1 + 1 + 0 + 0 = 3 of 0 + 5 + 5 + 4 + 4 + 6 = 24 at the months'
    # starts: 12.5 %; LTV = 14.50 / 0.125 = 116.00.
    assert trailing_churn_fraction(months, index=5) == D("0.125")
    assert lifetime_value(months, index=5) == D("116.00")
    # Over May and June alone nobody churned: LTV is undefined, not a division error.
    assert lifetime_value(months, index=5, span=2) is None


def test_net_revenue_retention_follows_the_customers_of_a_year_before(mrr: CustomerMrr) -> None:
    # Not 12 months of history yet: undefined.
    assert net_revenue_retention(mrr, index=5) is None
    # Over three months: March's payers ana 25, ben 25, cem 12, eve 10 = 72 pay 25 + 20 +
    # 0 + 10 = 55 in June: 76.39 %. dora and gus, back in May, were not paying in March.
    assert net_revenue_retention(mrr, index=5, span=3) == D("0.7639")


def test_cohorts_by_first_paying_month(mrr: CustomerMrr) -> None:
    january, february, april = cohorts(mrr)
    assert january.month == date(2026, 1, 1)
    # ana, ben, cem, dora and gus; dora gone in February to April, gus in March and
    # April, cem from April; dora and gus back in May.
    assert january.customers == (5, 4, 3, 2, 4, 4)
    assert january.mrr == (D(88), D(62), D(62), D(45), D(68), D(68))
    assert january.customers_retained(4) == D("0.8")  # 4 / 5
    assert january.mrr_retained(4) == D("0.7727")  # 68 / 88
    assert (february.month, february.customers, february.mrr) == (
        date(2026, 2, 1),
        (1, 1, 1, 1, 1),
        (D(10),) * 5,
    )
    assert (april.customers, april.mrr) == ((1, 1, 1), (D(9),) * 3)  # fay has no cohort


def test_mrr_retained_exceeds_a_hundred_percent_with_expansion() -> None:
    upgraded = customer_mrr(
        [
            Subscription("a", D(10), date(2026, 1, 1), ended=date(2026, 2, 1)),
            Subscription("a", D(30), date(2026, 2, 1)),
            Subscription("b", D(10), date(2026, 1, 1)),
        ],
        as_of=date(2026, 2, 28),
        base_currency="EUR",
        rates={},
    )
    (cohort,) = cohorts(upgraded)
    # 20 in January, 40 in February: 200 % of the MRR kept by all of the customers.
    assert (cohort.customers_retained(1), cohort.mrr_retained(1)) == (D(1), D(2))


def test_the_subscription_model_measured_from_the_history(months: list[MonthMovements]) -> None:
    model = measured_model(months, index=5)
    assert model is not None
    # 6 paying now; 5 + 1 + 0 + 1 + 0 + 0 new and 2 returning in 6 months: 1.5 a month;
    # churn 12.5 % (above); ARPA 14.50 as the price.
    assert (model.subscribers, model.new_per_month, model.churn_rate, model.price) == (
        6,
        D("1.5"),
        D("0.125"),
        D("14.50"),
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"amount": D(-1)},
        {"amount_off": D(-1)},
        {"percent_off": D("1.5")},
        {"interval_count": 0},
        {"ended": date(2025, 12, 31)},
    ],
)
def test_a_subscription_outside_the_rules_is_refused(arguments: dict[str, object]) -> None:
    values: dict[str, object] = {"customer": "a", "amount": D(10), "started": date(2026, 1, 1)}
    with pytest.raises(ValueError, match=r"."):
        Subscription(**{**values, **arguments})  # type: ignore[arg-type]
