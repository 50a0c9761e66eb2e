"""The serializers' shared parts: model fields built once, plain read-only output, a
source id that must be the caller's."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from config.api.serializers import Serializer
from income.models import IncomeSource


class BuiltFieldsOnce:
    """A serializer whose fields are built once per class and language.

    DRF builds a serializer's fields for every serializer it makes, each request: it
    deep-copies every declared field and, for a model serializer, inspects every model
    field and translates its verbose name and help text, which for a source's forty-odd
    fields (or a report's thirty per source) cost more than reading the rows. Here they
    are built once per class and language:

    - a serializer that validates gets copies (``deepcopy`` makes a field anew from its
      arguments, unbound), as DRF does with declared fields;
    - writing an instance out goes through the fields of one serializer kept per class
      and language, in DRF's own order and with its own steps (``get_attribute``, a
      skipped field, ``None``, ``to_representation``): plain fields read the instance
      and nothing else (no request, no context), so they serve every request alike. A
      ``SerializerMethodField`` calls the method of the serializer at hand, so what a
      method keeps (``_categories`` of a report) stays with one answer.
    """

    _built: dict[tuple[type, str | None], dict[str, serializers.Field]] = {}  # type: ignore[type-arg]
    _plans: dict[tuple[type, str | None], list[tuple[str, Any, str | None, str | None]]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        key = (type(self), get_language())
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().get_fields()  # type: ignore[misc]
        return copy.deepcopy(built)

    def _output_plan(self) -> list[tuple[str, Any, str | None, str | None]]:
        """(name, field, method name of a method field, the one key or attribute a plain
        field reads) of each readable field."""
        key = (type(self), get_language())
        plan = self._plans.get(key)
        if plan is None:
            writer: Any = type(self)()
            plan = self._plans[key] = [
                (str(field.field_name), field, _method_name(field), _plain_source(field))
                for field in writer._readable_fields
            ]
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        mapping = isinstance(instance, Mapping)
        for name, field, method, source in self._output_plan():
            if method is not None:
                result[name] = getattr(self, method)(instance)
                continue
            attribute: Any = _MISSING
            if source is not None:  # DRF's ``get_attribute`` of one key or attribute
                if mapping:
                    attribute = instance.get(source, _MISSING)
                else:
                    attribute = getattr(instance, source, _MISSING)
                if callable(attribute):
                    attribute = _MISSING
            if attribute is _MISSING:  # anything else takes DRF's own steps
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            result[name] = None if check is None else field.to_representation(attribute)
        return result


_MISSING = object()


def _method_name(field: serializers.Field) -> str | None:  # type: ignore[type-arg]
    if isinstance(field, serializers.SerializerMethodField):
        return str(field.method_name)
    return None


def _plain_source(field: serializers.Field) -> str | None:  # type: ignore[type-arg]
    """The key or attribute a field reads as DRF's ``Field.get_attribute`` does, when it
    reads just one and does nothing else (a related field reads the id: not plain)."""
    if type(field).get_attribute is not serializers.Field.get_attribute:
        return None
    if len(field.source_attrs) != 1:
        return None
    return str(field.source_attrs[0])


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
