"""Allowance orders (Freistellungsaufträge, issue 22): one order per bank and year, the warning
when they exceed the allowance, and the expected taxable income the suggestion splits by."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from finance.errors import DomainError
from income import selectors, services
from income.allowance_orders import (
    allowance_expectation,
    allowance_expected_by_bank,
    allowance_summary,
)
from income.models import AllowanceOrder, ExchangeRate, FundType, SourceStatus
from tests.factories import SourceFactory, category

D = Decimal


def _order(owner: User, bank: str, amount: str, year: int = 2026) -> AllowanceOrder:
    return services.allowance_order_set(owner=owner, year=year, bank=bank, amount=D(amount))


def _capital(owner: User, **fields: Any) -> None:
    SourceFactory.create(owner=owner, start_date=date(2024, 1, 1), **fields)


# ----------------------------------------------------------------------------- services


def test_setting_an_order_twice_changes_the_one_order(alice: User) -> None:
    first = _order(alice, "Musterbank", "500")
    second = _order(alice, " Musterbank ", "700")
    assert second.pk == first.pk
    assert list(selectors.allowance_order_list(owner=alice).values_list("bank", "amount")) == [
        ("Musterbank", D("700.00"))
    ]


def test_an_order_is_per_year(alice: User) -> None:
    _order(alice, "Musterbank", "500", year=2025)
    _order(alice, "Musterbank", "800", year=2026)
    assert [o.year for o in selectors.allowance_order_list(owner=alice)] == [2026, 2025]
    assert [o.amount for o in selectors.allowance_order_list(owner=alice, year=2025)] == [
        D("500.00")
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"bank": "Musterbank", "amount": D("-1"), "year": 2026}, "amount"),
        ({"bank": "", "amount": D("1"), "year": 2026}, "bank"),
        ({"bank": "Musterbank", "amount": D("1"), "year": 1800}, "year"),
    ],
)
def test_a_bad_order_is_refused_and_nothing_is_saved(
    alice: User, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.allowance_order_set(owner=alice, **fields)
    assert field in refused.value.message_dict
    assert not AllowanceOrder.objects.exists()


def test_an_order_moved_onto_a_bank_with_one_is_refused(alice: User) -> None:
    _order(alice, "Musterbank", "500")
    other = _order(alice, "Neobroker", "300")
    with pytest.raises(DomainError) as refused:
        services.allowance_order_update(order=other, bank="Musterbank")
    assert list(refused.value.field_errors) == ["bank"]
    other.refresh_from_db()
    assert other.bank == "Neobroker"


def test_setting_a_year_at_once_sets_and_takes_back(alice: User) -> None:
    _order(alice, "Musterbank", "500")
    _order(alice, "Neobroker", "300")
    services.allowance_orders_set_year(
        owner=alice, year=2026, amounts={"Musterbank": None, "Neobroker": D("400"), "Bank C": D(0)}
    )
    orders = selectors.allowance_order_list(owner=alice, year=2026)
    assert sorted(orders.values_list("bank", "amount")) == [
        ("Bank C", D("0.00")),
        ("Neobroker", D("400.00")),
    ]


def test_a_year_with_one_bad_order_changes_nothing(alice: User) -> None:
    _order(alice, "Musterbank", "500")
    with pytest.raises(DomainError):
        services.allowance_orders_set_year(
            owner=alice, year=2026, amounts={"Musterbank": D("100"), "Neobroker": D("-5")}
        )
    orders = selectors.allowance_order_list(owner=alice)
    assert list(orders.values_list("bank", "amount")) == [("Musterbank", D("500.00"))]


def test_the_list_has_only_the_owners_orders(alice: User, bob: User) -> None:
    _order(alice, "Musterbank", "500")
    _order(bob, "Musterbank", "900")
    assert [o.amount for o in selectors.allowance_order_list(owner=bob)] == [D("900.00")]


# ----------------------------------------------------------------------------- the warning


def test_orders_above_the_allowance_warn_with_the_excess(alice: User) -> None:
    """The issue's case: 801 € + 400 € against 1,000 € single."""
    _order(alice, "Musterbank", "801")
    _order(alice, "Neobroker", "400")
    summary = allowance_summary(owner=alice, year=2026)
    assert summary.allowance == D("1000.00")
    assert summary.total == D("1201.00")
    assert summary.excess is not None
    assert summary.excess.excess == D("201.00")


def test_joint_filers_have_twice_the_allowance(alice: User) -> None:
    services.profile_update(user=alice, filing_status="joint")
    _order(alice, "Musterbank", "801")
    _order(alice, "Neobroker", "400")
    summary = allowance_summary(owner=alice, year=2026)
    assert summary.allowance == D("2000.00")
    assert summary.excess is None


def test_a_year_without_tax_facts_is_an_error_on_the_year(alice: User) -> None:
    with pytest.raises(DomainError) as refused:
        allowance_summary(owner=alice, year=2031)
    assert list(refused.value.field_errors) == ["year"]


# ----------------------------------------------------------------------------- expected income


def test_expected_income_is_capital_times_yield_by_bank(alice: User) -> None:
    _capital(alice, platform="Musterbank", invested_capital=D("20000"), expected_yield=D("0.03"))
    _capital(alice, platform="Musterbank", invested_capital=D("1000"), expected_yield=D("0.05"))
    _capital(alice, platform="Neobroker", invested_capital=D("5000"), expected_yield=D("0.02"))
    assert allowance_expected_by_bank(owner=alice, year=2026) == {
        "Musterbank": D("650.00"),
        "Neobroker": D("100.00"),
    }


def test_a_fund_counts_after_its_partial_exemption(alice: User) -> None:
    _capital(
        alice,
        platform="Neobroker",
        invested_capital=D("10000"),
        expected_yield=D("0.02"),
        fund_type=FundType.EQUITY,
    )
    _capital(
        alice,
        platform="Neobroker",
        invested_capital=D("10000"),
        expected_yield=D("0.02"),
        fund_type=FundType.OTHER,
    )
    # 200 × (1 − 30 %) + 200 × (1 − 0)
    assert allowance_expected_by_bank(owner=alice, year=2026) == {"Neobroker": D("340.00")}


def test_a_foreign_currency_source_counts_in_euros(alice: User) -> None:
    ExchangeRate.objects.create(date=date(2026, 1, 15), currency="USD", rate=D("1.25"))
    _capital(
        alice,
        platform="US Broker",
        currency="USD",
        invested_capital=D("10000"),
        expected_yield=D("0.10"),
    )
    assert allowance_expected_by_bank(owner=alice, year=2026) == {"US Broker": D("800.00")}


def test_a_currency_without_a_rate_is_left_out_and_named(alice: User) -> None:
    _capital(
        alice,
        platform="Tokyo",
        currency="JPY",
        invested_capital=D("100000"),
        expected_yield=D("0.01"),
    )
    expectation = allowance_expectation(owner=alice, year=2026)
    assert expectation.by_bank == {}
    assert expectation.missing_rates == ["JPY"]


def test_only_active_capital_sources_count_for_the_months_they_run(alice: User) -> None:
    SourceFactory.create(
        owner=alice,
        platform="Musterbank",
        invested_capital=D("12000"),
        expected_yield=D("0.05"),
        start_date=date(2026, 7, 1),  # July to December: half the year's 600
    )
    SourceFactory.create(
        owner=alice,
        platform="Musterbank",
        invested_capital=D("12000"),
        expected_yield=D("0.05"),
        status=SourceStatus.PAUSED,
    )
    SourceFactory.create(
        owner=alice,
        platform="Musterbank",
        category=category("rent"),
        monthly_rent=D("900"),
    )
    assert allowance_expected_by_bank(owner=alice, year=2026) == {"Musterbank": D("300.00")}


def test_capital_income_is_told_by_the_tax_treatment_not_the_model(alice: User) -> None:
    """Trading gains (a flat source, taxed as other capital income) use the broker's
    allowance, as the report and the projections count them: 12 × 150 € expected, from
    April on 9 × 150 €; a royalty (flat, business income) uses none."""
    SourceFactory.create(
        owner=alice, platform="Neobroker", category=category("day-trading"),
        expected_monthly_amount=D("150"), start_date=date(2026, 4, 1),
    )  # fmt: skip
    SourceFactory.create(
        owner=alice, platform="Verlag", category=category("licences"),
        expected_monthly_amount=D("500"), start_date=date(2024, 1, 1),
    )  # fmt: skip
    assert allowance_expected_by_bank(owner=alice, year=2026) == {"Neobroker": D("1350.00")}


def test_a_bank_expecting_a_loss_needs_no_allowance(alice: User) -> None:
    _capital(alice, platform="Musterbank", invested_capital=D("1000"), expected_yield=D("-0.1"))
    assert allowance_expected_by_bank(owner=alice, year=2026) == {"Musterbank": D(0)}


def test_the_suggestion_splits_the_allowance_over_the_named_banks(alice: User) -> None:
    _capital(alice, platform="Musterbank", invested_capital=D("20000"), expected_yield=D("0.03"))
    _capital(alice, platform="Neobroker", invested_capital=D("47000"), expected_yield=D("0.02"))
    _capital(alice, platform="", invested_capital=D("5000"), expected_yield=D("0.02"))
    summary = allowance_summary(owner=alice, year=2026)
    assert summary.banks == ["Musterbank", "Neobroker", ""]
    assert summary.expected == {
        "Musterbank": D("600.00"),
        "Neobroker": D("940.00"),
        "": D("100.00"),
    }
    # 1,000 € by 600 : 940, whole euros by the largest remainder
    assert dict(summary.suggestion.orders) == {"Musterbank": D(390), "Neobroker": D(610)}
    assert summary.suggestion.unassigned == D(0)


def test_the_summary_lists_the_banks_of_orders_without_a_source(alice: User) -> None:
    _capital(alice, platform="Musterbank", invested_capital=D("1000"), expected_yield=D("0.01"))
    _order(alice, "Old bank", "100")
    summary = allowance_summary(owner=alice, year=2026)
    assert summary.banks == ["Musterbank", "Old bank"]
    assert summary.orders == {"Old bank": D("100.00")}
    assert dict(summary.suggestion.orders) == {"Musterbank": D(10)}
    assert summary.suggestion.unassigned == D(990)
