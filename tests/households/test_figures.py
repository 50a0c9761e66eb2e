"""The household's income (``households.figures``): each shared source with the numbers its
owner's own dashboard shows, and totals per currency, never converted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from finance import figures
from finance.schedule import add_months, month_start
from households.figures import household_figures
from households.models import ShareRole
from income.reporting import overview
from tests.factories import PaymentFactory, SourceFactory, UserFactory
from tests.households.members import household_with, shared_source

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


def _month(n: int) -> date:
    """The 15th of the month ``n`` months before ``TODAY``'s."""
    return add_months(month_start(TODAY), -n).replace(day=15)


def test_a_member_sees_the_owners_figures_of_a_shared_source(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    depot = SourceFactory.create(owner=alice, name="Depot")
    for months, gross, tax in ((0, "40.00", "0"), (1, "100.00", "26.38"), (5, "80.00", "0"),
                               (12, "60.00", "0"), (14, "999.00", "0")):  # fmt: skip
        PaymentFactory.create(
            source=depot, date=_month(months), gross=Decimal(gross), tax_withheld=Decimal(tax)
        )
    shared_source(depot, ShareRole.EDIT)

    (line,) = household_figures(household=household, today=TODAY).lines
    (own,) = [item for item in overview(owner=alice, as_of=TODAY).sources if item.source == depot]
    assert (line.source, line.owner, line.role, line.currency) == (depot, alice, "edit", "EUR")
    assert line.net_ttm == own.net_ttm
    assert line.average_month == figures.complete_months_average(own.monthly_net, today=TODAY)
    assert line.last_month == own.monthly_net[add_months(month_start(TODAY), -1)]
    assert line.editable
    # Written out: the last twelve complete months hold 73.62, 80.00 and 60.00.
    assert (line.last_month, line.average_month) == (Decimal("73.62"), Decimal("17.80"))


def test_only_shared_sources_of_this_household_count(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    shared = SourceFactory.create(owner=alice, name="Shared")
    SourceFactory.create(owner=alice, name="Private")
    carol = UserFactory.create(username="carol")
    household_with(carol, name="Elsewhere")
    shared_source(SourceFactory.create(owner=carol, name="Theirs"))
    shared_source(shared)
    result = household_figures(household=household, today=TODAY)
    assert [line.source for line in result.lines] == [shared]
    assert result.last_month == date(2026, 4, 1)


def test_totals_are_per_currency_and_never_converted(alice: User) -> None:
    franc = UserFactory.create(username="franc", base_currency="CHF")
    household = household_with(alice, franc)
    for owner, name, gross in ((alice, "Depot", "120.00"), (alice, "Flat", "240.00"),
                               (franc, "Chalet", "600.00")):  # fmt: skip
        source = SourceFactory.create(owner=owner, name=name, currency=owner.profile.base_currency)
        PaymentFactory.create(source=source, date=_month(1), gross=Decimal(gross))
        shared_source(source)
    result = household_figures(household=household, today=TODAY)
    assert [line.source.name for line in result.lines] == ["Chalet", "Depot", "Flat"]
    assert [(t.currency, t.net_ttm, t.average_month, t.last_month) for t in result.totals] == [
        ("CHF", Decimal("600.00"), Decimal("50.00"), Decimal("600.00")),
        ("EUR", Decimal("360.00"), Decimal("30.00"), Decimal("360.00")),
    ]


def test_a_household_without_shares_has_no_lines(alice: User, bob: User) -> None:
    result = household_figures(household=household_with(alice, bob), today=TODAY)
    assert (result.lines, result.totals) == ([], [])
