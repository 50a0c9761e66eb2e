"""``GET /api/v1/reports/latest/`` and ``/api/v1/sources/`` answer what DRF's own steps
answer (issue 21 made both cheaper): every month of the demo, with its stored sources
(the current month's full figures, a past month's few), in both languages and in the
same key order; a stored figure as DRF's decimal field writes it; the sources page by
page, with the count of every row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from rest_framework import serializers
from rest_framework.test import APIClient

from income.api.fields import FigureField
from income.demo import demo_create
from income.models import IncomeSource
from reports.api.serializers import (
    ReportDetailSerializer,
    ReportSnapshotSerializer,
    SnapshotSourceSerializer,
)
from reports.dashboard import stored_sources
from reports.models import ReportSnapshot
from reports.services import report_recompute
from tests.api.test_plain_serializers import _SourceAsDrfBuildsIt
from tests.conftest import token_client
from tests.factories import SourceFactory

TODAY = date(2025, 6, 30)


@pytest.fixture
def demo_user(db: None) -> User:
    user = demo_create(username="demo", password="demo-pass-12345", today=TODAY).user
    report_recompute(owner=user, today=TODAY, force=True)
    return user


def drf_writes(serializer: serializers.Serializer[Any], instance: Any) -> list[tuple[str, Any]]:
    """DRF's generic loop over the serializer's own fields, as (key, value) in order."""
    return list(serializers.Serializer.to_representation(serializer, instance).items())


def drf_writes_dict(serializer: serializers.Serializer[Any], instance: Any) -> dict[str, Any]:
    return dict(drf_writes(serializer, instance))


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_month_and_its_sources_are_written_as_drf_writes_them(
    demo_user: User, language: str
) -> None:
    snapshots = list(ReportSnapshot.objects.filter(owner=demo_user).order_by("month"))
    assert len(snapshots) > 12
    source = SnapshotSourceSerializer()
    keys_per_row = set()
    with translation.override(language):
        for snapshot in snapshots:
            detail = ReportDetailSerializer(snapshot)
            assert list(detail.data.items()) == drf_writes(detail, snapshot)
            for row in stored_sources(snapshot.sources or []):
                written = source.to_representation(row)
                assert list(written.items()) == drf_writes(source, row)
                keys_per_row.add(len(written))
    assert len(keys_per_row) > 1  # full figures and a past month's few: fields left out


def test_the_latest_answer_is_the_newest_month_as_drf_writes_it(demo_user: User) -> None:
    newest = ReportSnapshot.objects.filter(owner=demo_user).order_by("-month").first()
    assert newest is not None
    assert len(newest.sources) > 5
    body = token_client(demo_user).get("/api/v1/reports/latest/").json()
    expected = drf_writes(ReportDetailSerializer(newest), newest)
    assert list(body) == [key for key, _value in expected]
    assert body["sources"] == [
        drf_writes_dict(SnapshotSourceSerializer(), row) for row in stored_sources(newest.sources)
    ]
    assert body["passive_net_ttm"] == dict(expected)["passive_net_ttm"]


def test_a_method_field_asks_the_serializer_at_hand(demo_user: User) -> None:
    """Fields are built once; what a method keeps (the categories) stays with one answer."""

    class Marked(ReportSnapshotSerializer):
        def get_closed(self, snapshot: ReportSnapshot) -> bool:
            return bool(self.context["closed"])

    snapshot = ReportSnapshot.objects.filter(owner=demo_user).first()
    assert Marked(snapshot, context={"closed": True}).data["closed"] is True
    assert Marked(snapshot, context={"closed": False}).data["closed"] is False
    first, second = ReportDetailSerializer(snapshot), ReportDetailSerializer(snapshot)
    first.data, second.data  # noqa: B018 (each answer reads the categories it needs)
    assert first._categories is not second._categories


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_sources_list_is_written_as_drf_builds_it(demo_user: User, language: str) -> None:
    sources = IncomeSource.objects.filter(owner=demo_user).order_by("name")
    assert sources.count() > 5
    client = token_client(demo_user)
    with translation.override(language):
        expected = [list(row.items()) for row in _SourceAsDrfBuildsIt(sources, many=True).data]
    body = client.get("/api/v1/sources/", HTTP_ACCEPT_LANGUAGE=language).json()
    assert body["count"] == len(expected)
    assert [list(row.items()) for row in body["results"]] == expected


@pytest.mark.parametrize(
    ("query", "names", "count"),
    [
        ({}, ["s0", "s1", "s2", "s3", "s4"], 5),
        ({"limit": 2}, ["s0", "s1"], 5),
        ({"limit": 2, "offset": 4}, ["s4"], 5),
        ({"limit": 5}, ["s0", "s1", "s2", "s3", "s4"], 5),
        ({"limit": 2, "offset": 9}, [], 5),
        ({"status": "ended"}, [], 0),
        ({"status": "active", "limit": 3, "offset": 3}, ["s3", "s4"], 5),
    ],
)
def test_the_count_is_every_row_whatever_the_page(
    alice: User, alice_api: APIClient, query: dict[str, Any], names: list[str], count: int
) -> None:
    for i in range(5):
        SourceFactory.create(owner=alice, name=f"s{i}", status="active")
    SourceFactory.create(name="someone else's")
    body = alice_api.get("/api/v1/sources/", query).json()
    assert [row["name"] for row in body["results"]] == names
    assert body["count"] == count


@pytest.mark.parametrize("places", [2, 4])
@pytest.mark.parametrize(
    "value",
    ["1234.5", " 12.345 ", "-0.00", "0", "1E+3", "99999999999999999999999999999.995", "7"],
)
def test_a_stored_figure_is_written_as_drfs_decimal_field_writes_it(
    places: int, value: str
) -> None:
    field = FigureField(decimal_places=places)
    given: Any
    for given in (value, Decimal(value.strip())):
        assert field.to_representation(given) == serializers.DecimalField.to_representation(
            field, given
        )
