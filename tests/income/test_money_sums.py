"""The database adds money exactly: SUM over 10,000 payments equals Python's Decimal sum.

Runs on whichever database the suite uses (.ci/run: SQLite, then PostgreSQL). A plain
``Sum("gross")`` fails this on SQLite (it adds REALs: …446.7199 for …446.72), which is
why money is summed through ``income.aggregates.cents_sum``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User

from income import selectors
from income.aggregates import cents_sum, from_cents
from income.models import Payment
from tests.factories import SourceFactory

CENT = Decimal("0.01")


def test_ten_thousand_payments_sum_to_the_cent(alice: User) -> None:
    rng = random.Random(20251231)
    sources = [SourceFactory.create(owner=alice) for _ in range(5)]
    rows = []
    for n in range(10_000):
        # amounts from 0.01 to 9,999,999.99, many with awkward cents
        gross = Decimal(rng.randint(1, 999_999_999)) * CENT
        tax = (gross * Decimal(rng.choice(["0", "0.15", "0.26375"]))).quantize(CENT)
        rows.append(
            Payment(
                source=sources[n % 5], date=date(2020, 1, 1) + timedelta(days=n % 2000),
                gross=gross, tax_withheld=tax, fees=Decimal(0), currency="EUR",
            )
        )  # fmt: skip
    Payment.objects.bulk_create(rows, batch_size=1000)
    expected_gross = sum((row.gross for row in rows), Decimal(0))
    expected_net = sum((row.net for row in rows), Decimal(0))
    stored = Payment.objects.filter(source__owner=alice)
    assert from_cents(stored.aggregate(total=cents_sum("gross"))["total"]) == expected_gross
    assert sum(stored.values_list("gross", flat=True), Decimal(0)) == expected_gross
    totals = selectors.payment_totals_by_currency(payments=stored)
    assert [(t["currency"], t["count"], t["gross"], t["net"]) for t in totals] == [
        ("EUR", 10_000, expected_gross, expected_net)
    ]
