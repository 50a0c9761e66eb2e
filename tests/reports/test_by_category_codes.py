"""A month's passive net by category is keyed by the category's slug, shown by its name in
the reader's language (issue 20).

It used to be keyed by the category's name in the language of the recompute: an app could
not branch on it, and a month computed in German read as German in English. Now the
snapshot stores slugs, the API answers ``{code, label, passive_net}`` per category (as a
part of the concentration does) and the dashboard chart labels each series in the
reader's language; months stored with names (before migration ``reports.0009``, or a
name no category has any more) still read.
"""

from __future__ import annotations

import importlib
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from finance.schedule import add_months, month_start
from income.models import IncomeCategory
from reports.dashboard import dashboard_data
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, category

FIRST = date(2025, 1, 1)
AS_OF = date(2025, 3, 28)
CURRENT = date(2025, 3, 1)

migration = importlib.import_module("reports.migrations.0009_by_category_codes")


@pytest.fixture
def alice_with_two_categories(alice: User) -> User:
    """An ETF paying 100.00 and a flat 850.00 a month, January to March 2025; a salary."""
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=FIRST)
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), start_date=FIRST
    )
    salary = SourceFactory.create(
        owner=alice, name="Salary", category=category("salary"), start_date=FIRST
    )
    for n in range(3):
        day = add_months(FIRST, n).replace(day=10)
        PaymentFactory.create(source=etf, date=day, gross=Decimal("100.00"))
        PaymentFactory.create(source=flat, date=day, gross=Decimal("850.00"))
        PaymentFactory.create(source=salary, date=day, gross=Decimal("3000.00"))
    return alice


def _expected(language: str) -> list[dict[str, Any]]:
    amounts = {"etf-dividends": "100.00", "rent": "850.00"}
    return [
        {
            "code": item.slug,
            "label": item.name_de if language == "de" else item.name_en,
            "passive_net": amounts[item.slug],
        }
        for item in IncomeCategory.objects.filter(slug__in=amounts).order_by("slug")
    ]


def test_the_api_answers_codes_with_labels_in_the_callers_language(
    alice_api: APIClient, alice_with_two_categories: User
) -> None:
    report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    rent = category("rent")
    assert rent.name_de != rent.name_en
    for language in ("en", "de"):
        listed = alice_api.get("/api/v1/reports/", {"lang": language}).json()["results"]
        assert [row["by_category"] for row in listed] == [_expected(language)] * 3
        latest = alice_api.get("/api/v1/reports/latest/", {"lang": language}).json()
        assert latest["by_category"] == _expected(language)


def test_the_snapshot_stores_slugs_whatever_the_recompute_language(
    alice_with_two_categories: User,
) -> None:
    with translation.override("de"):
        report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    stored = ReportSnapshot.objects.filter(owner=alice_with_two_categories).order_by("month")
    assert [row.by_category for row in stored] == [_stored()] * 3


def test_a_month_computed_in_german_is_read_in_english(
    alice_api: APIClient, client: Client, alice_with_two_categories: User
) -> None:
    with translation.override("de"):
        report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    latest = alice_api.get("/api/v1/reports/latest/", {"lang": "en"}).json()
    assert latest["by_category"] == _expected("en")
    with translation.override("en"):
        data = dashboard_data(owner=alice_with_two_categories)
    assert data is not None
    etf, rent = category("etf-dividends"), category("rent")
    assert set(data.passive_net_by_category) == {etf.name_en, rent.name_en}
    assert data.passive_net_by_category[rent.name_en][-3:] == [Decimal("850.00")] * 3


def test_a_recompute_in_the_other_language_rewrites_no_past_month(
    alice_with_two_categories: User,
) -> None:
    """The months before the current one hold no name any more, so a forced recompute
    in German after one in English finds them as they are and writes the current one."""
    with translation.override("en"):
        report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    with translation.override("de"):
        outcome = report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    assert outcome.months_written == 1


def _chart(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="by-category-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    chart: dict[str, Any] = json.loads(found.group(1))
    return chart


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_dashboard_chart_labels_the_categories_in_the_readers_language(
    client: Client, alice: User, language: str
) -> None:
    """Computed in the other language this month (the page reads it as it is: it
    computes only without a month of today), shown in the reader's."""
    this_month = month_start(timezone.localdate())
    etf = SourceFactory.create(owner=alice, name="ETF", start_date=add_months(this_month, -2))
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), start_date=add_months(this_month, -2)
    )
    for back in (2, 1, 0):
        PaymentFactory.create(source=etf, date=add_months(this_month, -back), gross=Decimal("100"))
        PaymentFactory.create(source=flat, date=add_months(this_month, -back), gross=Decimal("850"))
    with translation.override("de" if language == "en" else "en"):
        report_recompute(owner=alice, today=timezone.localdate(), force=True)
    client.force_login(alice)
    client.cookies["ertrag_language"] = language
    html = client.get("/dashboard/").content.decode()
    etf_category, rent = category("etf-dividends"), category("rent")
    names = {
        etf_category.slug: etf_category.name_de if language == "de" else etf_category.name_en,
        rent.slug: rent.name_de if language == "de" else rent.name_en,
    }
    datasets = {dataset["label"]: dataset["data"] for dataset in _chart(html)["datasets"]}
    assert set(datasets) == set(names.values())
    assert datasets[names["rent"]][-3:] == ["850.00"] * 3
    assert datasets[names["etf-dividends"]][-3:] == ["100.00"] * 3


def test_a_month_stored_with_names_reads_as_codes(
    alice_api: APIClient, alice_with_two_categories: User
) -> None:
    """A month written before slugs, by a German recompute; and a name that no category
    has any more, which keeps its name and gets no code."""
    report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    etf, rent = category("etf-dividends"), category("rent")
    ReportSnapshot.objects.filter(owner=alice_with_two_categories, month=CURRENT).update(
        by_category={etf.name_de: "100.00", rent.name_en: "850.00", "Old kind": "5.00"}
    )
    latest = alice_api.get("/api/v1/reports/latest/", {"lang": "en"}).json()
    assert latest["by_category"] == [
        *_expected("en"),
        {"code": None, "label": "Old kind", "passive_net": "5.00"},
    ]
    with translation.override("de"):
        data = dashboard_data(owner=alice_with_two_categories)
    assert data is not None
    assert data.passive_net_by_category[etf.name_de][-1] == Decimal("100.00")
    assert data.passive_net_by_category["Old kind"][-1] == Decimal("5.00")


def test_the_schema_documents_a_list_of_code_label_and_amount(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    field = components["ReportSnapshot"]["properties"]["by_category"]
    assert field["type"] == "array"
    assert field["items"]["$ref"] == "#/components/schemas/CategoryNet"
    part = components["CategoryNet"]
    assert set(part["properties"]) == {"code", "label", "passive_net"}
    assert part["properties"]["code"]["nullable"] is True
    detail = components["ReportDetail"]["properties"]["by_category"]
    assert detail["items"]["$ref"] == "#/components/schemas/CategoryNet"


def _stored() -> dict[str, dict[str, str]]:
    """What a month of the fixture stores: each amount under the slug, with both names."""
    etf, rent = category("etf-dividends"), category("rent")
    return {
        "etf-dividends": {
            "passive_net": "100.00", "label_en": etf.name_en, "label_de": etf.name_de
        },
        "rent": {"passive_net": "850.00", "label_en": rent.name_en, "label_de": rent.name_de},
    }  # fmt: skip


def test_the_migration_keys_stored_names_by_slug_in_either_language(
    alice_with_two_categories: User,
) -> None:
    report_recompute(owner=alice_with_two_categories, today=AS_OF, force=True)
    etf, rent = category("etf-dividends"), category("rent")
    months = ReportSnapshot.objects.filter(owner=alice_with_two_categories).order_by("month")
    january, february, march = (row.pk for row in months)
    stored = {
        january: {etf.name_en: "100.00", rent.name_en: "850.00"},
        february: {etf.name_de: "100.00", rent.name_de: "850.00", "Old kind": "5.00"},
        march: {},
    }
    for pk, by_category in stored.items():
        ReportSnapshot.objects.filter(pk=pk).update(by_category=by_category)

    migration.names_to_codes(apps, None)

    after = dict(ReportSnapshot.objects.values_list("pk", "by_category"))
    assert after[january] == _stored()
    assert after[february] == {**_stored(), "Old kind": "5.00"}
    assert after[march] == {}

    migration.codes_to_names(apps, None)

    back = dict(ReportSnapshot.objects.values_list("pk", "by_category"))
    assert back[january] == {etf.name_en: "100.00", rent.name_en: "850.00"}
    assert back[february] == {etf.name_en: "100.00", rent.name_en: "850.00", "Old kind": "5.00"}


def test_the_migration_adds_two_names_of_one_category_and_never_moves_a_slug() -> None:
    categories = [("rent", "Rent", "Miete"), ("licences", "Licences", "rent")]  # "rent" twice
    rent = {"label_en": "Rent", "label_de": "Miete"}
    assert migration.by_codes({"Rent": "10.10", "Miete": "0.25", "rent": "1.00"}, categories) == {
        "rent": {"passive_net": "11.35", **rent}
    }
    assert migration.by_codes({"Unknown": "3.00"}, categories) == {"Unknown": "3.00"}
    written = {"rent": {"passive_net": "2.00", **rent}}
    assert migration.by_codes(written, categories) == written  # converted already
    assert migration.by_names({**written, "Old": "1.00"}) == {"Rent": "2.00", "Old": "1.00"}
