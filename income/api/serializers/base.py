"""The serializers' shared parts: model fields built once, plain read-only output, a
source id that must be the caller's."""

from __future__ import annotations

import copy
import datetime
import decimal
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField, empty
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.settings import api_settings

from config.api.serializers import Serializer
from income.models import IncomeSource

Write = Callable[[Any], Any]


class _Output(NamedTuple):
    """How one readable field is written out (``BuiltFieldsOnce._output_plan``)."""

    name: str
    field: Any
    #: The serializer's method a ``SerializerMethodField`` calls, else None.
    method: str | None
    #: The one key of a mapping, and the one attribute of an object, the field reads as
    #: DRF's ``get_attribute`` would; None: DRF's own ``get_attribute``.
    key: str | None
    attribute: str | None
    #: The field's ``to_representation`` of a value that is not None, or a writer that
    #: answers the same for the values a row holds.
    write: Write
    #: What DRF's ``get_attribute`` answers for a key a mapping lacks: None for a field
    #: that allows it, ``_SKIP`` for one not required, else ``_MISSING``: DRF's own steps
    #: (a default, or the error).
    absent: Any


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
      method keeps (``_categories`` of a report) stays with one answer;
    - a field of DRF's own decimal, date, time, text, number or id kind is written by
      ``_writer``: the same text as its ``to_representation``, without the per-value
      settings look-ups, decimal context copies and ``PKOnlyObject`` of DRF's generic
      path, which cost a source list more than reading its rows (issue 21).
    """

    _built: dict[tuple[type, str | None], dict[str, serializers.Field]] = {}  # type: ignore[type-arg]
    _plans: dict[type, list[_Output]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        key = (type(self), get_language())
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().get_fields()  # type: ignore[misc]
        return copy.deepcopy(built)

    def _output_plan(self) -> list[_Output]:
        """How each readable field is written, in DRF's order.

        Kept per class, not per language as the fields are: what a field writes of a
        value depends on no language (labels and help texts are the schema's), and
        asking for the language per row cost as much as writing a small row.
        """
        plan = self._plans.get(type(self))
        if plan is None:
            writer: Any = type(self)()
            model = getattr(getattr(writer, "Meta", None), "model", None)
            plan = self._plans[type(self)] = [
                _output(field, model) for field in writer._readable_fields
            ]
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        mapping = type(instance) is dict or isinstance(instance, Mapping)
        for name, field, method, key, attribute_name, write, absent in self._output_plan():
            if method is not None:
                result[name] = getattr(self, method)(instance)
                continue
            attribute: Any = _MISSING
            if mapping:
                if key is not None:
                    attribute = instance.get(key, _MISSING)
                    if attribute is _MISSING and absent is not _MISSING:
                        if absent is _SKIP:
                            continue
                        attribute = absent
            elif attribute_name is not None:
                attribute = getattr(instance, attribute_name, _MISSING)
            if attribute is None:
                result[name] = None
                continue
            if attribute is not _MISSING and not callable(attribute):
                result[name] = write(attribute)
                continue
            try:  # anything else takes DRF's own steps
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            result[name] = None if check is None else field.to_representation(attribute)
        return result


_MISSING = object()
#: A field left out of the answer (DRF's ``SkipField``).
_SKIP = object()


def _output(field: serializers.Field, model: type[models.Model] | None) -> _Output:  # type: ignore[type-arg]
    name = str(field.field_name)
    if isinstance(field, serializers.SerializerMethodField):
        method = str(field.method_name)
        return _Output(name, field, method, None, None, field.to_representation, _MISSING)
    source = _plain_source(field)
    if source is not None:
        return _Output(name, field, None, source, source, _writer(field), _absent(field))
    foreign_key = _foreign_key_column(field, model)
    if foreign_key is not None:  # the id the row holds, as DRF's ``PKOnlyObject`` answers
        return _Output(name, field, None, None, foreign_key, _as_is, _MISSING)
    return _Output(name, field, None, None, None, field.to_representation, _MISSING)


def _absent(field: serializers.Field) -> Any:  # type: ignore[type-arg]
    """DRF's ``Field.get_attribute`` on a ``KeyError``, in its order."""
    if field.default is not empty:
        return _MISSING
    if field.allow_null:
        return None
    if not field.required:
        return _SKIP
    return _MISSING


def _plain_source(field: serializers.Field) -> str | None:  # type: ignore[type-arg]
    """The key or attribute a field reads as DRF's ``Field.get_attribute`` does, when it
    reads just one and does nothing else (a related field reads the id: not plain)."""
    if type(field).get_attribute is not serializers.Field.get_attribute:
        return None
    if len(field.source_attrs) != 1:
        return None
    return str(field.source_attrs[0])


def _foreign_key_column(field: serializers.Field, model: type[models.Model] | None) -> str | None:  # type: ignore[type-arg]
    """The column (``category_id``) of a model's foreign key that a plain
    ``PrimaryKeyRelatedField`` writes: DRF reads it through ``serializable_value`` and
    writes the id as it is."""
    if model is None or not isinstance(field, serializers.PrimaryKeyRelatedField):
        return None
    kind = type(field)
    if (
        kind.get_attribute is not RelatedField.get_attribute
        or kind.use_pk_only_optimization
        is not serializers.PrimaryKeyRelatedField.use_pk_only_optimization
        or kind.to_representation is not serializers.PrimaryKeyRelatedField.to_representation
        or field.pk_field is not None
        or len(field.source_attrs) != 1
    ):
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not isinstance(model_field, models.ForeignKey):
        return None
    return str(model_field.attname)


def _as_is(value: Any) -> Any:
    return value


def _writer(field: serializers.Field) -> Write:  # type: ignore[type-arg]
    """A writer that answers what ``field.to_representation`` answers for any value
    that is not None: the fast step for the values rows hold (``Decimal``, ``date``,
    aware ``datetime``, text, numbers), DRF's own method for anything else."""
    kind = type(field)
    drf = field.to_representation
    if kind.to_representation is serializers.CharField.to_representation:
        return str
    if kind.to_representation is serializers.IntegerField.to_representation:
        return int
    if kind.to_representation is serializers.BooleanField.to_representation:
        return _boolean_writer(drf)
    if kind.to_representation is serializers.DecimalField.to_representation:
        return _decimal_writer(field, drf)  # type: ignore[arg-type]
    if kind.to_representation is serializers.DateField.to_representation:
        return _date_writer(field, drf)  # type: ignore[arg-type]
    if kind.to_representation is serializers.DateTimeField.to_representation:
        return _datetime_writer(field, drf)  # type: ignore[arg-type]
    return drf


def _boolean_writer(drf: Write) -> Write:
    def write(value: Any) -> Any:
        return value if type(value) is bool else drf(value)

    return write


def _decimal_writer(field: serializers.DecimalField, drf: Write) -> Write:
    """DRF quantizes a copy of the thread's context with ``prec`` set to ``max_digits``
    (the request's context is Python's default: nothing here sets it), then writes
    ``{:f}``."""
    if (
        type(field).quantize is not serializers.DecimalField.quantize
        or field.decimal_places is None
        or field.max_digits is None
        or field.localize
        or field.normalize_output
        or not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    ):
        return drf
    places = decimal.Decimal(".1") ** field.decimal_places
    context = decimal.Context(prec=field.max_digits)
    rounding = field.rounding

    def write(value: Any) -> Any:
        if type(value) is not decimal.Decimal:
            return drf(value)
        return format(value.quantize(places, rounding=rounding, context=context), "f")

    return write


def _date_writer(field: serializers.DateField, drf: Write) -> Write:
    if not _iso(getattr(field, "format", api_settings.DATE_FORMAT)):
        return drf

    def write(value: Any) -> Any:
        return value.isoformat() if type(value) is datetime.date else drf(value)

    return write


def _datetime_writer(field: serializers.DateTimeField, drf: Write) -> Write:
    """An aware ``datetime`` in the current time zone, ISO 8601 with ``Z`` for UTC."""
    kind = type(field)
    if (
        not settings.USE_TZ
        or hasattr(field, "timezone")
        or kind.enforce_timezone is not serializers.DateTimeField.enforce_timezone
        or kind.default_timezone is not serializers.DateTimeField.default_timezone
        or not _iso(getattr(field, "format", api_settings.DATETIME_FORMAT))
    ):
        return drf

    def write(value: Any) -> Any:
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return drf(value)
        try:
            text = value.astimezone(timezone.get_current_timezone()).isoformat()
        except OverflowError:
            return drf(value)  # DRF's own error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def _iso(output_format: Any) -> bool:
    """DRF's test of a date's or datetime's output format."""
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


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
