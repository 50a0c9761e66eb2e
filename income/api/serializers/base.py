"""The serializers' shared parts: model fields built once, plain read-only output, a
source id that must be the caller's."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import Serializer
from income.models import IncomeSource


class BuiltFieldsOnce:
    """A ``ModelSerializer`` whose fields are built from the model once per language.

    DRF builds a model serializer's fields for every serializer it makes, each request:
    it inspects every model field and translates its verbose name and help text, which
    for a source's forty-odd fields cost more than reading the rows. Here they are built
    once per class and language:

    - a serializer that validates gets copies (``deepcopy`` makes a field anew from its
      arguments, unbound), as DRF does with declared fields;
    - writing an instance out goes through the fields of one serializer kept per class
      and language, by DRF's own loop: plain model fields read the instance and nothing
      else (no request, no context), so they serve every request alike.
    """

    _built: dict[tuple[type, str | None], dict[str, serializers.Field]] = {}  # type: ignore[type-arg]
    _writers: dict[tuple[type, str | None], Any] = {}  # one serializer per class and language

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        key = (type(self), get_language())
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().get_fields()  # type: ignore[misc]
        return copy.deepcopy(built)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        key = (type(self), get_language())
        writer = self._writers.get(key)
        if writer is None:
            writer = self._writers[key] = type(self)()
        return super(BuiltFieldsOnce, writer).to_representation(instance)  # type: ignore[misc,no-any-return]


class PlainReadSerializer(Serializer):  # type: ignore[type-arg]
    """A read-only serializer of attributes, written out without DRF's generic field loop.

    The reports store the per-source figures of every user's current month through
    ``SourceFiguresSerializer``, and DRF's loop (a field lookup, ``get_attribute`` with
    its error handling, a ``None`` check) cost more than the figures themselves. This
    one walks each field's ``source_attrs`` directly (keys of a dict, as DRF reads
    stored JSON): the same output for attributes that exist; a missing one in a dotted
    path (``payback.month`` of no payback) is ``None``, as DRF answers for a field with
    ``allow_null``, and an error otherwise.
    """

    @cached_property
    def _plan(self) -> list[tuple[str, list[str], bool, Callable[[Any], Any]]]:
        return [
            (str(field.field_name), field.source_attrs, field.allow_null, field.to_representation)
            for field in self._readable_fields
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, attrs, allow_null, write in self._plan:
            value = instance
            for attr in attrs:
                if value is None:
                    if not allow_null:
                        raise AttributeError(f"{name}: {'.'.join(attrs)} is missing")
                    break
                value = value[attr] if isinstance(value, dict) else getattr(value, attr)
            result[name] = None if value is None else write(value)
        return result


@extend_schema_field(OpenApiTypes.INT)
class OwnedSourceField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A source id that must belong to the caller; another user's id is "does not exist"."""

    def get_queryset(self) -> QuerySet[IncomeSource]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return IncomeSource.objects.none()
        return IncomeSource.objects.filter(owner=request.user).select_related("category")
