"""Concentration parts carry a stable ``code`` and a ``label`` (issue 20).

The key of a part used to be its display name: a category's changed with the language,
a source's with a rename, and two sources of one name were one part. Now ``code`` is
the source's id, the category's slug, the currency's or country's code, and ``label``
the name in the answer's language; ``key`` stays the label for older clients.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from finance.schedule import add_months
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.factories import PaymentFactory, SourceFactory, category

AS_OF = date(2025, 6, 30)
FIRST = date(2025, 1, 1)


def _portfolio(owner: User) -> dict[str, int]:
    """Two passive sources both called "ETF" (one in USD, on a platform, abroad) and a
    rental, paid each month of 2025 up to June."""
    one = SourceFactory.create(owner=owner, name="ETF", start_date=FIRST)
    two = SourceFactory.create(
        owner=owner, name="ETF", start_date=FIRST, platform="Broker", country="us"
    )
    flat = SourceFactory.create(
        owner=owner, name="Flat", category=category("rent"), start_date=FIRST
    )
    for n in range(6):
        day = add_months(FIRST, n).replace(day=10)
        PaymentFactory.create(source=one, date=day, gross=Decimal("100.00"))
        PaymentFactory.create(source=two, date=day, gross=Decimal("50.00"))
        PaymentFactory.create(source=flat, date=day, gross=Decimal("850.00"))
    return {"one": one.pk, "two": two.pk, "flat": flat.pk}


def _parts(body: dict[str, Any], dimension: str) -> list[tuple[Any, str, str, str]]:
    entries = body["concentration"][dimension]
    for entry in entries:
        assert entry["key"] == entry["label"]  # the old field keeps its meaning
    return [(e["code"], e["label"], e["amount"], e["share"]) for e in entries]


def test_dashboard_parts_have_codes_that_no_language_changes(
    alice_api: APIClient, alice: User
) -> None:
    _portfolio(alice)
    english = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat()}).json()
    german = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat(), "lang": "de"}).json()
    rent, etf = category("rent"), category("etf-dividends")
    assert _parts(english, "category") == [
        ("rent", rent.name_en, "5100.00", "0.8500"),
        ("etf-dividends", etf.name_en, "900.00", "0.1500"),
    ]
    assert _parts(german, "category") == [
        ("rent", rent.name_de, "5100.00", "0.8500"),
        ("etf-dividends", etf.name_de, "900.00", "0.1500"),
    ]
    assert english["concentration_warnings"]["category"]["code"] == "rent"
    assert german["concentration_warnings"]["category"]["label"] == rent.name_de


def test_two_sources_of_one_name_are_two_parts_told_apart_by_id(
    alice_api: APIClient, alice: User
) -> None:
    ids = _portfolio(alice)
    body = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat()}).json()
    assert _parts(body, "source") == [
        (str(ids["flat"]), "Flat", "5100.00", "0.8500"),
        (str(ids["one"]), "ETF", "600.00", "0.1000"),
        (str(ids["two"]), "ETF", "300.00", "0.0500"),
    ]


def test_an_unrecorded_platform_or_country_has_no_code(alice_api: APIClient, alice: User) -> None:
    _portfolio(alice)
    body = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat()}).json()
    assert _parts(body, "platform") == [
        (None, "—", "5700.00", "0.9500"),
        ("Broker", "Broker", "300.00", "0.0500"),
    ]
    assert _parts(body, "country") == [
        (None, "—", "5700.00", "0.9500"),
        ("US", "US", "300.00", "0.0500"),
    ]
    assert _parts(body, "currency") == [("EUR", "EUR", "6000.00", "1.0000")]


def test_the_latest_report_has_the_same_codes_and_labels_in_the_callers_language(
    alice_api: APIClient, alice: User
) -> None:
    ids = _portfolio(alice)
    report_recompute(owner=alice, today=AS_OF, force=True)
    english = alice_api.get("/api/v1/reports/latest/").json()
    german = alice_api.get("/api/v1/reports/latest/", {"lang": "de"}).json()
    rent = category("rent")
    assert _parts(english, "category")[0] == ("rent", rent.name_en, "5100.00", "0.8500")
    assert _parts(german, "category")[0] == ("rent", rent.name_de, "5100.00", "0.8500")
    assert [part[0] for part in _parts(german, "source")] == [
        str(ids["flat"]), str(ids["one"]), str(ids["two"])
    ]  # fmt: skip
    live = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat()}).json()
    assert english["concentration"] == live["concentration"]


def test_a_report_stored_before_codes_gets_them_when_read(
    alice_api: APIClient, alice: User
) -> None:
    """Snapshots written before issue 20 named each part only, a category in the
    language of the recompute: read, they answer codes as new ones do, without a
    recompute. A source name two sources share gives no code (it was one part then)."""
    ids = _portfolio(alice)
    report_recompute(owner=alice, today=AS_OF, force=True)
    snapshot = ReportSnapshot.objects.get(owner=alice, month=date(2025, 6, 1))
    rent = category("rent")
    snapshot.concentration = {
        "source": [
            {"key": "Flat", "amount": "5100.00", "share": "0.8500"},
            {"key": "ETF", "amount": "900.00", "share": "0.1500"},
        ],
        "category": [{"key": rent.name_de, "amount": "5100.00", "share": "0.8500"}],
        "platform": [{"key": "—", "amount": "6000.00", "share": "1.0000"}],
    }
    snapshot.sources = [
        {k: v for k, v in row.items() if k != "category_id"} for row in snapshot.sources
    ]
    snapshot.save(update_fields=["concentration", "sources"])

    body = alice_api.get("/api/v1/reports/latest/").json()

    assert _parts(body, "source") == [
        (str(ids["flat"]), "Flat", "5100.00", "0.8500"),
        (None, "ETF", "900.00", "0.1500"),
    ]
    assert _parts(body, "category") == [("rent", rent.name_en, "5100.00", "0.8500")]
    assert _parts(body, "platform") == [(None, "—", "6000.00", "1.0000")]
    assert {row["name"]: row["category_id"] for row in body["sources"]} == {
        "ETF": category("etf-dividends").pk,
        "Flat": rent.pk,
    }


def test_snapshot_sources_carry_the_category_id_in_every_month(
    alice_api: APIClient, alice: User
) -> None:
    ids = _portfolio(alice)
    report_recompute(owner=alice, today=AS_OF, force=True)
    rent = category("rent")
    for snapshot in ReportSnapshot.objects.filter(owner=alice):
        by_id = {row["id"]: row for row in snapshot.sources}
        assert by_id[ids["flat"]]["category"] == "rent"
        assert by_id[ids["flat"]]["category_id"] == rent.pk
    body = alice_api.get("/api/v1/reports/latest/").json()
    flat = next(row for row in body["sources"] if row["id"] == ids["flat"])
    assert (flat["category"], flat["category_id"]) == ("rent", rent.pk)
