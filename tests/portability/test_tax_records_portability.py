"""Costs and fund years go out with the account's export and come back with its import
(issue 22), and an export written before they existed still imports."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from finance.errors import DomainError
from income import services
from income.models import Cost, FundYear, IncomeSource
from portability.document import VERSION
from portability.services.export import account_document, account_export
from portability.services.importing import account_import
from tests.factories import SourceFactory, UserFactory, category

D = Decimal


@pytest.fixture
def owner(alice: User) -> User:
    """A flat with a cost and a refund of one (in another currency), and a fund with two
    years, one of them bought during the year."""
    flat = SourceFactory.create(owner=alice, name="Flat", category=category("rent"))
    services.cost_create(
        owner=alice, source=flat, date=date(2025, 3, 1), kind="maintenance",
        amount=D("1200.00"), note="Boiler",
    )  # fmt: skip
    services.cost_create(
        owner=alice, source=flat, date=date(2025, 4, 1), kind="running", amount=D("-45.10"),
        currency="CHF",
    )  # fmt: skip
    etf = SourceFactory.create(owner=alice, name="World ETF", category=category("etf-dividends"))
    IncomeSource.objects.filter(pk=etf.pk).update(fund_type="equity")
    etf.refresh_from_db()
    services.fund_year_create(
        owner=alice, source=etf, year=2024, units=D("10.123456"), start_price=D("90.1234"),
        end_price=D("95.5"), bought_on=date(2024, 5, 2), note="Sparplan",
    )  # fmt: skip
    services.fund_year_create(
        owner=alice, source=etf, year=2025, units=D("12"), start_price=D("95.5"),
        end_price=D("101"),
    )  # fmt: skip
    return alice


def costs_of(user: User) -> list[tuple[Any, ...]]:
    return sorted(
        Cost.objects.filter(source__owner=user).values_list(
            "source__name", "date", "kind", "amount", "currency", "note"
        )
    )


def fund_years_of(user: User) -> list[tuple[Any, ...]]:
    return sorted(
        FundYear.objects.filter(source__owner=user).values_list(
            "source__name", "year", "units", "start_price", "end_price", "bought_on", "note"
        )
    )


def test_costs_and_fund_years_come_back_with_the_import(owner: User) -> None:
    document = json.loads(json.dumps(account_document(user=owner)))  # through real JSON
    assert document["version"] == VERSION
    assert len(document["costs"]) == 2
    assert len(document["fund_years"]) == 2
    assert isinstance(document["costs"][0]["amount"], str)
    fresh = UserFactory.create(username="neu")
    summary = account_import(user=fresh, document=document)
    assert (summary.counts["costs"], summary.counts["fund_years"]) == (2, 2)
    assert costs_of(fresh) == costs_of(owner)
    assert fund_years_of(fresh) == fund_years_of(owner)
    assert IncomeSource.objects.get(owner=fresh, name="World ETF").fund_type == "equity"


def test_an_export_from_before_costs_and_fund_years_still_imports(owner: User) -> None:
    document = account_document(user=owner)
    del document["costs"], document["fund_years"]
    fresh = UserFactory.create(username="neu")
    summary = account_import(user=fresh, document=document)
    assert (summary.counts["costs"], summary.counts["fund_years"]) == (0, 0)
    assert summary.counts["sources"] == 2


def test_a_bad_fund_year_imports_nothing_and_says_which(owner: User) -> None:
    document = account_document(user=owner)
    document["fund_years"][1] = {**document["fund_years"][1], "bought_on": "2020-01-01"}
    fresh = UserFactory.create(username="neu")
    with pytest.raises(DomainError) as refused:
        account_import(user=fresh, document=document)
    assert refused.value.field_errors["file"][0].startswith("fund_years, row 2")
    assert not IncomeSource.objects.filter(owner=fresh).exists()


def test_the_zip_has_a_csv_of_costs_and_of_fund_years(owner: User) -> None:
    archive = zipfile.ZipFile(io.BytesIO(account_export(user=owner)))
    costs = archive.read("costs.csv").decode("utf-8-sig")
    assert "Boiler" in costs
    assert "-45.10" in costs
    assert "Sparplan" in archive.read("fund_years.csv").decode("utf-8-sig")
