"""The cheaper read paths of issue 21 answer what DRF's own steps answer: a field of DRF's
own kind written by ``BuiltFieldsOnce`` writes the same as its ``to_representation`` for
every kind of value (in any time zone), a stored figure already written as
``FigureField`` writes it is written again unchanged, a stored row that lacks a key is
answered as DRF answers it, and a page that is the last one is counted without a
``COUNT(*)``."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone as django_timezone
from rest_framework import serializers

from income.api.fields import FigureField
from income.api.serializers.base import BuiltFieldsOnce, _writer
from income.api.serializers.records import SourceSerializer
from income.models import IncomeSource
from tests.api.test_plain_serializers import _SourceAsDrfBuildsIt
from tests.factories import SourceFactory

DECIMALS: list[Any] = [
    Decimal("1234.5"),
    Decimal("1234.56"),
    Decimal("1234.565"),
    Decimal("1234.575"),
    Decimal("-0.005"),
    Decimal("-0"),
    Decimal("0E-7"),
    Decimal("1E+3"),
    Decimal("9999999999999.99"),
    Decimal("12.3456789"),
    "12.5",
    " 7 ",
    12,
    12.25,
]
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DATETIMES: list[Any] = [
    datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
    datetime(2025, 3, 30, 1, 30, 15, 123456, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2025, 6, 1, 12, 0, tzinfo=BERLIN),
    datetime(2025, 6, 1, 12, 0),  # noqa: DTZ001 (a naive one, which DRF makes aware)
    "2025-06-01T12:00:00Z",
]


@pytest.mark.parametrize(
    "field",
    [
        serializers.DecimalField(max_digits=15, decimal_places=2),
        serializers.DecimalField(max_digits=20, decimal_places=4),
        serializers.DecimalField(max_digits=15, decimal_places=2, coerce_to_string=False),
        serializers.DecimalField(max_digits=15, decimal_places=2, normalize_output=True),
        serializers.DecimalField(max_digits=None, decimal_places=2),
    ],
    ids=["money", "ratio", "number", "normalized", "unbounded"],
)
@pytest.mark.parametrize("value", DECIMALS, ids=repr)
def test_a_decimal_is_written_as_drfs_decimal_field_writes_it(field: Any, value: Any) -> None:
    assert _writer(field)(value) == field.to_representation(value)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize("value", DATETIMES, ids=repr)
def test_a_datetime_is_written_in_the_current_time_zone_as_drf_writes_it(
    zone: str, value: Any
) -> None:
    field = serializers.DateTimeField()
    with django_timezone.override(zoneinfo.ZoneInfo(zone)):
        assert _writer(field)(value) == field.to_representation(value)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.DateField(), [date(2025, 1, 5), "2025-01-05"]),
        (serializers.DateField(format="%d.%m.%Y"), [date(2025, 1, 5)]),
        (serializers.CharField(), ["text", 7, Decimal("1.50")]),
        (serializers.IntegerField(), [7, "7", 7.9, True]),
        (serializers.BooleanField(), [True, False, 1, 0, "true", "off"]),
        (serializers.BooleanField(allow_null=True), ["null", "", True]),
        (serializers.ChoiceField(choices=["EUR", "USD"]), ["EUR", "CHF"]),
    ],
    ids=["date", "date-format", "char", "integer", "boolean", "nullable-boolean", "choice"],
)
def test_a_plain_value_is_written_as_its_field_writes_it(field: Any, values: list[Any]) -> None:
    for value in values:
        assert _writer(field)(value) == field.to_representation(value)


@pytest.mark.parametrize("places", [0, 2, 4])
@pytest.mark.parametrize(
    "value",
    ["12.50", "12.5000", "0.05", "-12.3456", "-0.0000", "7", "-0", "0", "007.50", "12.50 ",
     "+12.50", "1.2E+1", "١٢.٥٠", "12.", ".50", "123456789012345678901234567890.0000"],
)  # fmt: skip
def test_a_stored_figure_in_any_form_is_written_as_drfs_decimal_field_writes_it(
    places: int, value: str
) -> None:
    field = FigureField(decimal_places=places)
    try:
        expected = serializers.DecimalField.to_representation(field, value)  # type: ignore[arg-type]
    except Exception as error:  # whatever DRF raises, this raises too
        with pytest.raises(type(error)):
            field.to_representation(value)
    else:
        assert field.to_representation(value) == expected


class _Row(BuiltFieldsOnce, serializers.Serializer):  # type: ignore[type-arg]
    """Every way a stored row's key can be absent, as DRF answers it."""

    # The metaclass takes declared fields off the class: ``Field.required`` stays intact.
    required = serializers.CharField()  # type: ignore[assignment]
    optional = serializers.CharField(required=False)
    nullable = serializers.CharField(required=False, allow_null=True)
    with_default = serializers.CharField(required=False, default="fallback")
    amount = FigureField(decimal_places=2, required=False)


@pytest.mark.parametrize(
    "row",
    [
        {"required": "a", "optional": "b", "nullable": "c", "with_default": "d", "amount": "1"},
        {"required": "a"},
        {"required": "a", "nullable": None, "amount": None},
        {"required": 5, "optional": Decimal("1.5"), "amount": "3.456"},
    ],
)
def test_a_stored_row_is_written_as_drfs_generic_loop_writes_it(row: dict[str, Any]) -> None:
    ours = _Row().to_representation(row)
    assert list(ours.items()) == list(serializers.Serializer.to_representation(_Row(), row).items())


def test_a_row_without_a_required_key_fails_as_drf_fails() -> None:
    with pytest.raises(KeyError):
        _Row().to_representation({"optional": "b"})


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_a_source_with_every_field_set_is_written_as_drf_builds_it(alice: User, zone: str) -> None:
    SourceFactory.create(
        owner=alice,
        invested_capital=Decimal("1234.50"),
        tax_rate=Decimal("0.2638"),
        end_date=date(2026, 1, 1),
    )
    SourceFactory.create(owner=alice)
    sources = list(IncomeSource.objects.filter(owner=alice).order_by("name"))
    with django_timezone.override(zoneinfo.ZoneInfo(zone)):
        expected = [list(row.items()) for row in _SourceAsDrfBuildsIt(sources, many=True).data]
        ours = [list(row.items()) for row in SourceSerializer(sources, many=True).data]
    assert ours == expected
    assert any(value is None for row in ours for _key, value in row)
