"""A user's report history, made as the app makes it: payments, then a recompute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from finance.schedule import add_months
from income import services
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, category

FIRST_MONTH = date(2025, 1, 1)

#: Builds ``months`` months of reports for a user, from January 2025 on.
History = Callable[..., date]


@pytest.fixture
def report_history(db: None) -> History:
    """Each month: an ETF pays 1,234.50 gross (234.50 withheld), a salary 3,000.00 net.

    Monthly expenses are 2,000.00, so after twelve months the passive net (12,000.00) is
    a quarter of all net income (48,000.00) and covers half the expenses. Returns the
    day the reports were computed on (the last month's 28th).
    """

    def build(owner: User, months: int, *, expenses: Decimal = Decimal("2000.00")) -> date:
        services.profile_update(user=owner, monthly_expenses=expenses)
        etf = SourceFactory.create(owner=owner, name="ETF", start_date=FIRST_MONTH)
        salary = SourceFactory.create(
            owner=owner, name="Salary", category=category("salary"), start_date=FIRST_MONTH
        )
        for n in range(months):
            month = add_months(FIRST_MONTH, n)
            PaymentFactory.create(
                source=etf,
                date=month.replace(day=15),
                gross=Decimal("1234.50"),
                tax_withheld=Decimal("234.50"),
            )
            PaymentFactory.create(
                source=salary, date=month.replace(day=25), gross=Decimal("3000.00")
            )
        today = add_months(FIRST_MONTH, months - 1).replace(day=28)
        report_recompute(owner=owner, today=today, force=True)
        return today

    return build
