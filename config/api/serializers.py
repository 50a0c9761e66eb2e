"""The base classes of every API serializer: input of the JSON type the schema names.

``Serializer`` and ``ModelSerializer`` are DRF's, with ``config.api.fields.type_errors``
run before DRF validates a body: ``"note": 0`` answers ``{"note": ["Not a valid
string."]}`` instead of saving ``"0"``, ``"weekly_digest": 1`` answers ``{"weekly_digest":
["Must be a valid boolean."]}`` (issue 20). The messages are DRF's own, in the caller's
language. One class for declared fields and for fields built from a model alike, so a
field added tomorrow is as strict as the others; ``tests/api/test_strict_request_fields.py``
checks that every API serializer is one of these.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from rest_framework import serializers

from config.api.fields import type_errors


class StrictInput:
    """Refuse a value of the wrong JSON type before DRF coerces it.

    The other fields are still validated, so a body with a wrong type and a missing
    field answers both at once, as DRF answers several field errors.
    """

    def to_internal_value(self, data: Any) -> Any:
        errors = type_errors(list(self._writable_fields), data)  # type: ignore[attr-defined]
        if not errors:
            return super().to_internal_value(data)  # type: ignore[misc]
        try:
            super().to_internal_value(data)  # type: ignore[misc]
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                errors = {**exc.detail, **errors}
        raise serializers.ValidationError(errors)


_IN = TypeVar("_IN")
_MT = TypeVar("_MT", bound=Model)


class Serializer(StrictInput, serializers.Serializer[_IN]):
    """DRF's ``Serializer``, taking only the JSON types the schema names."""


class ModelSerializer(StrictInput, serializers.ModelSerializer[_MT]):
    """DRF's ``ModelSerializer``, taking only the JSON types the schema names."""
