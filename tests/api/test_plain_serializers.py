"""``PlainReadSerializer`` writes out exactly what DRF's generic loop does: the figures of
every source of the demo (capital, rental, subscription, a loss, no payback) and the
concentration shares, read from objects and from the stored JSON; ``BuiltFieldsOnce``
writes and describes a source as DRF's own model serializer does, in every language."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from rest_framework import serializers

from finance.figures import Payback
from income.api.serializers.figures import ShareSerializer, SourceFiguresSerializer
from income.api.serializers.records import SourceSerializer
from income.demo import demo_create
from income.models import IncomeSource
from income.reporting import overview
from reports.snapshots import concentration_json

TODAY = date(2025, 6, 30)


@pytest.mark.django_db
def test_the_figures_per_source_are_written_as_drf_writes_them() -> None:
    result = demo_create(username="demo", password="demo-pass-12345", today=TODAY)
    view = overview(owner=result.user, as_of=TODAY)
    plain = SourceFiguresSerializer()
    view.sources[0].payback = Payback(month=None, projected=True)
    assert len(view.sources) > 5
    for figures_of in view.sources:
        generic = serializers.Serializer.to_representation(plain, figures_of)
        assert plain.to_representation(figures_of) == generic
    nulls = {
        key
        for f in view.sources
        for key, value in plain.to_representation(f).items()
        if value is None
    }
    assert {"payback_month", "mrr", "ltv", "yield_on_cost"} <= nulls


@pytest.mark.django_db
def test_the_shares_are_written_as_drf_writes_them_from_objects_and_json() -> None:
    result = demo_create(username="demo", password="demo-pass-12345", today=TODAY)
    view = overview(owner=result.user, as_of=TODAY)
    plain = ShareSerializer()
    shares = [share for shares in view.concentration.values() for share in shares]
    stored = [share for shares in concentration_json(view).values() for share in shares]
    assert shares
    assert len(stored) == len(shares)
    for item in [*shares, *stored]:
        assert plain.to_representation(item) == serializers.Serializer.to_representation(
            plain, item
        )


def test_a_missing_attribute_is_an_error_unless_the_field_allows_null() -> None:
    class Missing:
        source = None

    with pytest.raises(AttributeError):
        SourceFiguresSerializer().to_representation(Missing())


class _SourceAsDrfBuildsIt(serializers.ModelSerializer):  # type: ignore[type-arg]
    """``SourceSerializer`` without ``BuiltFieldsOnce``: DRF's fields, built per call."""

    class Meta:
        model = SourceSerializer.Meta.model
        fields = SourceSerializer.Meta.fields
        read_only_fields = SourceSerializer.Meta.read_only_fields


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_source_is_written_and_described_as_drf_builds_it(language: str) -> None:
    result = demo_create(username="demo", password="demo-pass-12345", today=TODAY)
    sources = IncomeSource.objects.filter(owner=result.user).select_related(
        "category", "tax_profile"
    )
    assert sources.count() > 5
    with translation.override(language):
        assert SourceSerializer(sources, many=True).data == (
            _SourceAsDrfBuildsIt(sources, many=True).data
        )
        built, generic = SourceSerializer().fields, _SourceAsDrfBuildsIt().fields
        assert list(built) == list(generic)
        assert [field.label for field in built.values()] == [
            field.label for field in generic.values()
        ]


@pytest.mark.django_db
def test_each_serializer_gets_fields_of_its_own() -> None:
    first, second = SourceSerializer(), SourceSerializer()
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    invalid = SourceSerializer(data={"name": ""})
    assert not invalid.is_valid()
    assert "name" in invalid.errors
