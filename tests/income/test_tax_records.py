"""The rules of costs and fund years (issue 22): which source takes which record, the
source's currency for a cost, one fund year per source and year with its day of purchase
in it, the owner's own sources only, and every write marking the figures stale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from finance.errors import DomainError
from income import selectors, services
from income.models import Cost, CostKind, FundYear, IncomeSource, Profile
from tests.factories import SourceFactory, category

D = Decimal


def fund(owner: User, *, fund_type: str = "equity", currency: str = "EUR") -> IncomeSource:
    """A capital source with a fund type (set directly: the source form's field is not
    this feature's)."""
    source = SourceFactory.create(
        owner=owner, category=category("etf-dividends"), currency=currency
    )
    IncomeSource.objects.filter(pk=source.pk).update(fund_type=fund_type)
    source.refresh_from_db()
    return source


@pytest.fixture
def flat(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="Flat", category=category("rent"), currency="EUR")


def stale_reset(user: User) -> None:
    Profile.objects.filter(user=user).update(data_changed_at=None)


def is_stale(user: User) -> bool:
    return Profile.objects.get(user=user).data_changed_at is not None


# ----------------------------------------------------------------------------- costs


def test_a_cost_is_recorded_in_the_sources_currency_and_marks_the_figures_stale(
    alice: User,
) -> None:
    flat = SourceFactory.create(owner=alice, category=category("rent"), currency="CHF")
    stale_reset(alice)
    cost = services.cost_create(
        owner=alice, source=flat, date=date(2025, 3, 1), kind=CostKind.MAINTENANCE,
        amount=D("1200.00"), note="Boiler",
    )  # fmt: skip
    assert (cost.currency, cost.amount, cost.kind) == ("CHF", D("1200.00"), "maintenance")
    assert is_stale(alice)


def test_a_cost_in_another_currency_keeps_it(alice: User, flat: IncomeSource) -> None:
    cost = services.cost_create(
        owner=alice, source=flat, date=date(2025, 3, 1), kind=CostKind.OTHER,
        amount=D("80.00"), currency="USD",
    )  # fmt: skip
    assert cost.currency == "USD"


def test_a_refund_of_a_cost_is_a_negative_amount(alice: User, flat: IncomeSource) -> None:
    refund = services.cost_create(
        owner=alice, source=flat, date=date(2025, 4, 1), kind=CostKind.RUNNING,
        amount=D("-45.10"),
    )  # fmt: skip
    assert refund.amount == D("-45.10")


@pytest.mark.parametrize("slug", ["rent", "licences", "online-courses", "freelance"])
def test_rental_and_business_sources_take_costs(alice: User, slug: str) -> None:
    source = SourceFactory.create(owner=alice, category=category(slug))
    assert services.source_takes_costs(source)
    services.cost_create(
        owner=alice, source=source, date=date(2025, 1, 2), kind="other", amount=D("10.00")
    )
    assert Cost.objects.filter(source=source).count() == 1


@pytest.mark.parametrize("slug", ["etf-dividends", "p2p-interest", "salary"])
def test_capital_and_employment_sources_take_no_cost(alice: User, slug: str) -> None:
    source = SourceFactory.create(owner=alice, category=category(slug))
    stale_reset(alice)
    with pytest.raises(DomainError) as refused:
        services.cost_create(
            owner=alice, source=source, date=date(2025, 1, 2), kind="other", amount=D("10.00")
        )
    assert list(refused.value.field_errors) == ["source"]
    assert not Cost.objects.exists()
    assert not is_stale(alice)


def test_a_rental_category_takes_costs_whatever_its_tax_treatment(alice: User) -> None:
    rent = category("rent")
    rent.tax_treatment = "none"
    rent.save(update_fields=["tax_treatment"])
    source = SourceFactory.create(owner=alice, category=rent)
    assert services.source_takes_costs(source)


def test_an_unknown_kind_is_refused(alice: User, flat: IncomeSource) -> None:
    with pytest.raises(ValidationError) as refused:
        services.cost_create(
            owner=alice, source=flat, date=date(2025, 1, 2), kind="bribes", amount=D("10.00")
        )
    assert "kind" in refused.value.message_dict
    assert not Cost.objects.exists()


def test_another_users_source_takes_no_cost(alice: User, bob: User, flat: IncomeSource) -> None:
    with pytest.raises(DomainError) as refused:
        services.cost_create(
            owner=bob, source=flat, date=date(2025, 1, 2), kind="other", amount=D("10.00")
        )
    assert list(refused.value.field_errors) == ["source"]
    assert not Cost.objects.exists()


def test_a_cost_is_updated_and_deleted_by_its_owner_only(
    alice: User, bob: User, flat: IncomeSource
) -> None:
    cost = services.cost_create(
        owner=alice, source=flat, date=date(2025, 1, 2), kind="other", amount=D("10.00")
    )
    with pytest.raises(DomainError):
        services.cost_update(owner=bob, cost=cost, amount=D("99.00"))
    with pytest.raises(DomainError):
        services.cost_delete(owner=bob, cost=cost)
    cost.refresh_from_db()
    assert cost.amount == D("10.00")
    stale_reset(alice)
    updated = services.cost_update(owner=alice, cost=cost, amount=D("12.50"), kind="management")
    assert (updated.amount, updated.kind) == (D("12.50"), "management")
    assert is_stale(alice)
    services.cost_delete(owner=alice, cost=cost)
    assert not Cost.objects.exists()


def test_a_cost_cannot_move_to_a_source_that_takes_none(alice: User, flat: IncomeSource) -> None:
    cost = services.cost_create(
        owner=alice, source=flat, date=date(2025, 1, 2), kind="other", amount=D("10.00")
    )
    etf = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    with pytest.raises(DomainError) as refused:
        services.cost_update(owner=alice, cost=cost, source=etf)
    assert list(refused.value.field_errors) == ["source"]
    assert Cost.objects.get().source == flat


def test_unknown_fields_are_a_programming_error(alice: User, flat: IncomeSource) -> None:
    with pytest.raises(TypeError):
        services.cost_create(
            owner=alice, source=flat, date=date(2025, 1, 2), kind="other", amount=D(1), owner_id=1
        )


def test_costs_sum_per_year_and_currency_refunds_included(alice: User, flat: IncomeSource) -> None:
    for day, amount, currency in [
        (date(2024, 12, 31), "100.10", "EUR"),
        (date(2025, 1, 1), "200.20", "EUR"),
        (date(2025, 6, 1), "-50.05", "EUR"),
        (date(2025, 7, 1), "30.00", "USD"),
    ]:
        services.cost_create(
            owner=alice, source=flat, date=day, kind="other", amount=D(amount), currency=currency
        )
    totals = selectors.cost_totals_by_year(source=flat)
    assert [(t["year"], t["currency"], t["count"], t["total"]) for t in totals] == [
        (2025, "EUR", 2, D("150.15")),
        (2025, "USD", 1, D("30.00")),
        (2024, "EUR", 1, D("100.10")),
    ]


def test_the_cost_list_holds_the_owners_costs_only(
    alice: User, bob: User, flat: IncomeSource
) -> None:
    services.cost_create(
        owner=alice, source=flat, date=date(2025, 1, 2), kind="other", amount=D("10.00")
    )
    assert selectors.cost_list(owner=alice).count() == 1
    assert not selectors.cost_list(owner=bob).exists()


# ----------------------------------------------------------------------------- fund years


def fund_year(owner: User, source: IncomeSource, **fields: object) -> FundYear:
    values: dict[str, object] = {
        "year": 2025, "units": D("120.5"), "start_price": D("98.1234"), "end_price": D("105.50"),
        **fields,
    }  # fmt: skip
    return services.fund_year_create(owner=owner, source=source, **values)


def test_a_fund_year_is_recorded_for_a_fund_and_marks_the_figures_stale(alice: User) -> None:
    source = fund(alice)
    stale_reset(alice)
    recorded = fund_year(alice, source, bought_on=date(2025, 3, 15), note="Sparplan")
    recorded.refresh_from_db()
    assert (recorded.year, recorded.units, recorded.start_price, recorded.bought_on) == (
        2025, D("120.500000"), D("98.1234"), date(2025, 3, 15)
    )  # fmt: skip
    assert is_stale(alice)


def test_a_source_without_a_fund_type_takes_no_fund_year_and_says_to_set_it(
    alice: User,
) -> None:
    source = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    stale_reset(alice)
    assert not services.source_takes_fund_years(source)
    with pytest.raises(DomainError) as refused:
        fund_year(alice, source)
    assert list(refused.value.field_errors) == ["fund_type"]
    assert "fund type" in refused.value.field_errors["fund_type"][0]
    assert not FundYear.objects.exists()
    assert not is_stale(alice)


@pytest.mark.parametrize("bought_on", [date(2024, 12, 31), date(2026, 1, 1)])
def test_a_day_of_purchase_outside_the_year_is_a_field_error(alice: User, bought_on: date) -> None:
    with pytest.raises(DomainError) as refused:
        fund_year(alice, fund(alice), bought_on=bought_on)
    assert list(refused.value.field_errors) == ["bought_on"]
    assert not FundYear.objects.exists()


def test_the_database_refuses_a_day_of_purchase_outside_the_year(alice: User) -> None:
    """The constraint is the backstop for a write that bypasses the service."""
    source = fund(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundYear.objects.create(
            source=source, year=2025, units=D(1), start_price=D(1), end_price=D(1),
            bought_on=date(2024, 6, 1),
        )  # fmt: skip


def test_a_second_row_for_a_year_is_refused_on_the_year(alice: User) -> None:
    source = fund(alice)
    fund_year(alice, source)
    with pytest.raises(DomainError) as refused:
        fund_year(alice, source, units=D(1))
    assert list(refused.value.field_errors) == ["year"]
    assert FundYear.objects.count() == 1


def test_the_same_year_of_two_funds_is_fine(alice: User) -> None:
    fund_year(alice, fund(alice))
    fund_year(alice, fund(alice, fund_type="mixed"))
    assert FundYear.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("units", D("-1")), ("start_price", D("-0.01")), ("end_price", D("-5")), ("year", 1989)],
)
def test_negative_amounts_and_odd_years_are_refused(alice: User, field: str, value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        fund_year(alice, fund(alice), **{field: value})
    assert field in refused.value.message_dict
    assert not FundYear.objects.exists()


def test_a_fund_year_is_updated_and_deleted_by_its_owner_only(alice: User, bob: User) -> None:
    recorded = fund_year(alice, fund(alice))
    with pytest.raises(DomainError):
        services.fund_year_update(owner=bob, fund_year=recorded, units=D(1))
    with pytest.raises(DomainError):
        services.fund_year_delete(owner=bob, fund_year=recorded)
    updated = services.fund_year_update(
        owner=alice, fund_year=recorded, end_price=D("110"), bought_on=date(2025, 12, 1)
    )
    assert (updated.end_price, updated.bought_on) == (D("110"), date(2025, 12, 1))
    with pytest.raises(DomainError) as refused:
        services.fund_year_update(owner=alice, fund_year=recorded, year=2024)
    assert list(refused.value.field_errors) == ["bought_on"]
    recorded.refresh_from_db()
    assert recorded.year == 2025
    services.fund_year_delete(owner=alice, fund_year=recorded)
    assert not FundYear.objects.exists()


def test_another_users_fund_takes_no_fund_year(alice: User, bob: User) -> None:
    with pytest.raises(DomainError) as refused:
        fund_year(bob, fund(alice))
    assert list(refused.value.field_errors) == ["source"]


def test_deleting_a_source_counts_its_costs_and_fund_years(alice: User) -> None:
    source = fund(alice)
    fund_year(alice, source)
    contents = selectors.source_contents(source=source)
    assert (contents["costs"], contents["fund_years"]) == (0, 1)
