"""Export, import and deletion of an account's data (PRODUCT.md §7 "Data")."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from finance.errors import DomainError
from income import reporting, services
from income.demo import demo_create
from income.models import IncomeSource, Payment
from portability.services.deletion import account_delete
from portability.services.export import account_document, account_export
from portability.services.importing import account_import
from reports.services import report_recompute
from scenarios import selectors as scenario_selectors
from scenarios.models import Scenario
from scenarios.services import scenario_create
from tests.factories import PASSWORD, SourceFactory, UserFactory

pytestmark = pytest.mark.usefixtures("shipped_content")
TODAY = date(2026, 11, 22)


@pytest.fixture
def demo() -> User:
    user = demo_create(username="quelle", password=PASSWORD, today=TODAY).user
    scenario_create(
        owner=user,
        name="Plan",
        starting_capital=Decimal("5000.00"),
        sources=list(IncomeSource.objects.filter(owner=user)[:2]),
    )
    return user


def figures(user: User) -> dict[str, Any]:
    overview = reporting.overview(owner=user, as_of=TODAY)
    return {
        "passive_net_ttm": overview.passive_net_ttm,
        "total_net_ttm": overview.total_net_ttm,
        "passive_share": overview.passive_share,
        "by_month": overview.passive_net_by_month,
        # every figure of every source, by name (ids differ between the two accounts)
        "sources": {
            s.source.name: {k: v for k, v in vars(s).items() if k != "source"}
            for s in overview.sources
        },
        "scenarios": sorted(
            (s.name, s.starting_capital, sorted(x.name for x in s.sources.all()))
            for s in scenario_selectors.scenario_list(owner=user)
        ),
    }


def owned_rows(user: User | int) -> dict[str, int]:
    """Rows per table that belong to ``user`` (or a deleted user's id), found through
    any path to the owner."""
    user_id = user if isinstance(user, int) else user.pk
    paths = ("owner_id", "user_id", "source__owner_id", "scenario__owner_id")
    counts: dict[str, int] = {}
    for model in apps.get_models():
        for path in paths:
            try:
                field = model._meta.get_field(path.split("__")[0].removesuffix("_id"))
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.ForeignKey | models.OneToOneField):
                n = model._default_manager.filter(**{path: user_id}).count()
                counts[model._meta.label] = counts.get(model._meta.label, 0) + n
                break
    return counts


def test_an_export_imported_into_a_new_account_gives_every_figure_again(demo: User) -> None:
    document = json.loads(json.dumps(account_document(user=demo)))  # through real JSON
    fresh = UserFactory.create(username="neu")
    summary = account_import(user=fresh, document=document)

    assert summary.counts["sources"] == IncomeSource.objects.filter(owner=demo).count()
    assert summary.counts["payments"] > 100
    assert figures(fresh) == figures(demo)
    assert fresh.profile.monthly_expenses == demo.profile.monthly_expenses
    # the report snapshots follow from the rows, to the same figures
    report_recompute(owner=fresh, today=TODAY, force=True)
    report_recompute(owner=demo, today=TODAY, force=True)
    mine = fresh.report_snapshots.order_by("month").values_list("month", "passive_net")
    theirs = demo.report_snapshots.order_by("month").values_list("month", "passive_net")
    assert list(mine) == list(theirs)


def test_the_document_holds_amounts_as_strings_and_only_the_users_rows(
    demo: User, bob: User
) -> None:
    SourceFactory.create(owner=bob, name="Bobs Depot")
    document = account_document(user=demo)
    names = [source["name"] for source in document["sources"]]
    assert "Bobs Depot" not in names
    payment = document["payments"][0]
    assert isinstance(payment["gross"], str)
    assert Decimal(payment["gross"]) > 0
    assert {p["source"] for p in document["payments"]} <= {s["ref"] for s in document["sources"]}


def test_the_zip_has_the_document_and_a_csv_per_table_with_formulas_escaped(
    alice: User,
) -> None:
    SourceFactory.create(owner=alice, name="=HYPERLINK(1)")
    archive = zipfile.ZipFile(io.BytesIO(account_export(user=alice)))
    assert set(archive.namelist()) == {
        "ertrag.json", "profile.csv", "sources.csv", "payments.csv",
        "subscription_periods.csv", "effort_logs.csv", "asset_values.csv", "costs.csv",
        "fund_years.csv", "customers.csv", "billing_subscriptions.csv",
        "subscription_pauses.csv", "scenarios.csv", "allowance_orders.csv",
    }  # fmt: skip
    assert "'=HYPERLINK(1)" in archive.read("sources.csv").decode("utf-8-sig")
    assert json.loads(archive.read("ertrag.json"))["format"] == "ertrag-export"


def broken(document: dict[str, Any], table: str, index: int, **change: Any) -> dict[str, Any]:
    rows = [dict(row) for row in document[table]]
    rows[index].update(change)
    return {**document, table: rows}


@pytest.mark.parametrize(
    ("table", "change", "problem"),
    [
        ("payments", {"gross": "-1.00", "tax_withheld": "0.50"}, "payments, row 6"),
        ("payments", {"gross": "NaN"}, "payments, row 6"),
        ("payments", {"source": 99999999}, "payments, row 6"),
        ("sources", {"category": "no-such-category"}, "sources, row 6"),
        ("scenarios", {"horizon_years": 1000}, "scenarios, row 1"),
    ],
)
def test_one_bad_row_imports_nothing_and_says_which(
    demo: User, table: str, change: dict[str, Any], problem: str
) -> None:
    document = account_document(user=demo)
    index = 5 if table != "scenarios" else 0
    fresh = UserFactory.create(username="neu")
    before = owned_rows(fresh)
    with pytest.raises(DomainError) as refused:
        account_import(user=fresh, document=broken(document, table, index, **change))
    assert problem in refused.value.field_errors["file"][0]
    assert owned_rows(fresh) == before


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"format": "something"},
        {"format": "ertrag-export", "version": 99},
        {"format": "ertrag-export", "version": 1, "payments": {}},
    ],
)
def test_what_is_not_an_export_is_refused(alice: User, document: Any) -> None:
    with pytest.raises(DomainError):
        account_import(user=alice, document=document)


def test_an_account_with_data_takes_no_import(demo: User, alice: User) -> None:
    SourceFactory.create(owner=alice)
    with pytest.raises(DomainError, match="without sources or scenarios"):
        account_import(user=alice, document=account_document(user=demo))


def test_deleting_the_account_removes_every_row_of_it_and_nothing_else(
    demo: User, bob: User
) -> None:
    SourceFactory.create(owner=bob)
    services.api_token_create(user=demo)
    report_recompute(owner=demo, today=TODAY, force=True)
    mine, bobs = owned_rows(demo), owned_rows(bob)
    assert mine["income.Payment"] > 100
    assert mine["reports.ReportSnapshot"] > 0
    assert mine["knox.AuthToken"] == 1
    assert mine["scenarios.Scenario"] == 1

    demo_id = demo.pk
    account_delete(user=demo)

    assert not User.objects.filter(username="quelle").exists()
    assert not any(owned_rows(demo_id).values())
    assert owned_rows(bob) == bobs
    assert Scenario.sources.through.objects.filter(scenario__owner_id=demo.pk).count() == 0


def test_the_helpers_find_rows(alice: User) -> None:
    """``owned_rows`` sees rows through every path it claims to (so its zeros mean something)."""
    source: Callable[..., IncomeSource] = SourceFactory.create
    made = source(owner=alice)
    services.payment_create(owner=alice, source=made, date=date(2025, 1, 1), gross=Decimal(1))
    counts = owned_rows(alice)
    assert counts["income.IncomeSource"] == 1
    assert counts["income.Payment"] == 1
    assert counts["income.Profile"] == 1


def test_a_refund_survives_the_round_trip_exactly(alice: User) -> None:
    source = SourceFactory.create(owner=alice, name="ETF", start_date=date(2025, 1, 1))
    services.payment_create(
        owner=alice, source=source, date=date(2025, 3, 10), gross=Decimal("100.00"),
        tax_withheld=Decimal("10.00"),
    )  # fmt: skip
    services.payment_create(
        owner=alice, source=source, date=date(2025, 4, 20), gross=Decimal("-12.34"),
        tax_withheld=Decimal("-1.23"), fees=Decimal("-0.50"), note="chargeback",
    )  # fmt: skip
    document = json.loads(json.dumps(account_document(user=alice)))
    refund = document["payments"][1]
    assert (refund["gross"], refund["tax_withheld"], refund["fees"]) == ("-12.34", "-1.23", "-0.50")
    fresh = UserFactory.create(username="neu")
    account_import(user=fresh, document=document)
    rows = Payment.objects.filter(source__owner=fresh).order_by("date")
    assert [(p.date, p.gross, p.tax_withheld, p.fees, p.note) for p in rows] == [
        (date(2025, 3, 10), Decimal("100.00"), Decimal("10.00"), Decimal("0.00"), ""),
        (date(2025, 4, 20), Decimal("-12.34"), Decimal("-1.23"), Decimal("-0.50"), "chargeback"),
    ]
    view = reporting.overview(owner=fresh, as_of=date(2025, 6, 30))
    # 90.00 + (−12.34 + 1.23 + 0.50 = −10.61) = 79.39
    assert view.passive_net_ttm == Decimal("79.39")
    assert (
        view.passive_net_ttm
        == reporting.overview(owner=alice, as_of=date(2025, 6, 30)).passive_net_ttm
    )


@pytest.mark.parametrize(
    ("language", "line"),
    [
        # source, currency, date, external_id, fees, foreign_tax, gross, note, tax_withheld
        ("en", ",EUR,2025-04-20,,-0.50,-1.00,-12.34,,-1.23\r\n"),
        ("de", ";EUR;20.04.2025;;-0,50;-1,00;-12,34;;-1,23\r\n"),
    ],
)
def test_the_zip_writes_a_refund_as_a_number_the_formula_guard_leaves_alone(
    alice: User, language: str, line: str
) -> None:
    services.profile_update(user=alice, language=language)
    source = SourceFactory.create(owner=alice, name="ETF", start_date=date(2025, 1, 1))
    services.payment_create(
        owner=alice, source=source, date=date(2025, 4, 20), gross=Decimal("-12.34"),
        tax_withheld=Decimal("-1.23"), foreign_tax=Decimal("-1.00"), fees=Decimal("-0.50"),
    )  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(account_export(user=alice)))
    payments = archive.read("payments.csv").decode("utf-8-sig")
    assert line in payments
    assert "'-" not in payments
    assert json.loads(archive.read("ertrag.json"))["payments"][0]["gross"] == "-12.34"
