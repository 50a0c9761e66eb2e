"""``seed_demo`` builds a complete, valid demo account through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from income import reporting
from income.demo import demo_create
from income.models import EffortLog, IncomeSource, Payment, SubscriptionPeriod


def test_the_demo_has_every_kind_of_source_with_three_years_of_data(db: None) -> None:
    result = demo_create(username="demo", password="demo-pass-12345", today=date(2025, 6, 30))
    sources = IncomeSource.objects.filter(owner=result.user).select_related("category")
    assert {s.category.model for s in sources} == {"capital", "rental", "subscription", "flat"}
    assert any(not s.category.is_passive for s in sources)
    payments = Payment.objects.filter(source__owner=result.user)
    assert payments.count() == result.payments > 200
    assert payments.filter(currency="USD", tax_withheld__gt=0).exists()  # US withholding
    assert SubscriptionPeriod.objects.filter(source__owner=result.user).count() >= 24
    assert EffortLog.objects.filter(source__owner=result.user).exists()
    view = reporting.overview(owner=result.user, as_of=date(2025, 6, 30))
    assert view.missing_rates == []
    assert view.passive_net_ttm > Decimal(0)
    assert view.passive_share is not None
    assert Decimal(0) < view.passive_share < Decimal(1)


def test_the_same_day_gives_the_same_demo(db: None) -> None:
    first = demo_create(username="one", password="demo-pass-12345", today=date(2025, 6, 30))
    second = demo_create(username="two", password="demo-pass-12345", today=date(2025, 6, 30))
    amounts = [
        list(
            Payment.objects.filter(source__owner=user)
            .order_by("date", "source__name")
            .values_list("gross", flat=True)
        )
        for user in (first.user, second.user)
    ]
    assert amounts[0] == amounts[1]


def test_the_command_prints_the_login_once(db: None) -> None:
    out = StringIO()
    call_command("seed_demo", "--password", "demo-pass-12345", stdout=out)
    assert "username: demo  password: demo-pass-12345" in out.getvalue()
    again = StringIO()
    call_command("seed_demo", "--if-missing", stdout=again)
    assert "exists" in again.getvalue()
    with pytest.raises(SystemExit):
        call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
