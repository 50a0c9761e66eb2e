"""The dashboard reads its snapshot: its query count does not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months, month_start
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, UserFactory, category

# Session, user, the latest snapshot, the months of the charts, the change stamp, the
# categories: the same six for one payment or thousands.
DASHBOARD_QUERIES = 6


def _payments(owner: User, *, sources: int, months: int, today: date) -> None:
    slugs = ["etf-dividends", "rent", "licences", "affiliate", "salary"]
    first = add_months(month_start(today), -(months - 1))
    for n in range(sources):
        source = SourceFactory.create(
            owner=owner, category=category(slugs[n % len(slugs)]), start_date=first
        )
        for m in range(months):
            PaymentFactory.create(
                source=source, date=add_months(first, m).replace(day=5), gross=Decimal("120.00")
            )


def _dashboard_queries(client: Client, owner: User, assert_max: Any) -> int:
    client.force_login(owner)
    with assert_max(DASHBOARD_QUERIES) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert 'data-testid="passive-net-ttm"' in response.content.decode()
    return len(queries)


def test_the_query_count_does_not_grow_with_payments_or_months(
    client: Client, db: None, django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    small, large = UserFactory.create(), UserFactory.create()
    _payments(small, sources=1, months=3, today=today)
    _payments(large, sources=5, months=36, today=today)
    for owner in (small, large):
        report_recompute(owner=owner, today=today, force=True)

    counts = [
        _dashboard_queries(client, owner, django_assert_max_num_queries) for owner in (small, large)
    ]

    assert counts[0] == counts[1]
