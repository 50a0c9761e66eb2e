"""The answers every operation can give besides its own, written into the schema.

PRODUCT.md §5: 400 with field errors, 401 without credentials, 404 for anything not
owned by the caller, 413 for a body over the size limit, 415 for a body the parsers do
not take (DRF's answer to, say, a multipart part without a media type), 429 when
throttled. drf-spectacular documents what a view declares; these come from the platform
(authentication, parsers, throttling, the exception handler), so one hook adds them to
every operation that can meet them: a client generated from the schema, and the fuzzer,
then know them. Every error answer refers to one of two shared components (``Error``,
``ValidationError``), so a generated client has one error type instead of one per
operation (issue 20). The decimal patterns, ``?ordering=`` and ``?limit=`` are written
by ``AutoSchema`` below, as strictly as the server parses them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from config.api.fields import decimal_bounds, field_decimal_pattern
from config.api.filtering import StrictOrderingFilter, ordering_pattern

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"
COMPONENTS: dict[str, dict[str, Any]] = {
    ERROR: {
        "type": "object",
        "description": "Every error but invalid input: a message, and a machine-readable code.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": (
            "Invalid input: field name (or `non_field_errors`) to its messages; a body "
            "that cannot be parsed at all answers `detail` instead."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {},
    },
}
PLATFORM_ERRORS = {
    "400": "Invalid input.",
    "401": "No or invalid credentials.",
    "403": "Not allowed.",
    "404": "Not found, or not yours.",
    "409": "In conflict with the current state.",
    "412": "The object changed since it was read.",
    "413": "The body is too large.",
    "415": "A body in a media type the operation does not take.",
    "429": "Too many requests: throttled.",
}
WRITES = {"post", "put", "patch"}
#: Text as Django's form fields and DRF's text fields take it (no null character).
NO_NULL_CHARACTER = r"^[^\u0000]*$"
NONEMPTY_NO_NULL = r"^[^\u0000]+$"
JSON = "application/json"


def _error(code: str, description: str | None = None) -> dict[str, Any]:
    component = VALIDATION_ERROR if code == "400" else ERROR
    return {
        "description": description or PLATFORM_ERRORS[code],
        "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _json_only(operation: dict[str, Any]) -> None:
    """Offer a body as JSON alone when JSON is among its media types.

    drf-spectacular lists every parser (JSON, form, multipart) with one schema; a
    generator builds a body type per media type and its output does not import, and a
    form field cannot carry ``null``. The server still parses forms; the contract is
    JSON, and multipart stays only where a file is sent (those offer nothing else).
    """
    content = operation.get("requestBody", {}).get("content", {})
    if JSON in content and len(content) > 1:
        operation["requestBody"]["content"] = {JSON: content[JSON]}


def _one_of_body_required(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A JSON body that is one of several objects (``PolymorphicProxySerializer``, e.g.
    the payments' bulk action) is required when each of them has required fields.

    drf-spectacular reads ``required`` off the proxy's own component, which has none, so
    it offered no body at all, which the server refuses (issue 20).
    """
    body = operation.get("requestBody")
    schema = (body or {}).get("content", {}).get(JSON, {}).get("schema", {})
    ref = schema.get("$ref", "").rpartition("/")[2]
    variants = schemas.get(ref, {}).get("oneOf", [])
    if body is None or not variants:
        return
    if all(schemas.get(v.get("$ref", "").rpartition("/")[2], {}).get("required") for v in variants):
        body["required"] = True


def _shared_errors(operation: dict[str, Any]) -> None:
    """Point every error answer at one of the two components instead of an inline copy.

    A specific error body a view declares as a component (``MfaRequired``) is kept.
    """
    for code, response in operation.get("responses", {}).items():
        if not code.startswith("4"):
            continue
        schema = response.get("content", {}).get(JSON, {}).get("schema", {})
        ref = schema.get("$ref", "")
        if ref and not ref.endswith(("/" + ERROR, "/" + VALIDATION_ERROR)):
            continue
        operation["responses"][code] = _error(
            code if code in PLATFORM_ERRORS else "404", response.get("description") or None
        )


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            _json_only(operation)
            _one_of_body_required(operation, result["components"]["schemas"])
            responses = operation.setdefault("responses", {})
            responses.setdefault("429", _error("429"))
            if operation.get("security") != [{}] and {} not in operation.get("security", [{}]):
                responses.setdefault("401", _error("401"))
            if "{" in path:
                responses.setdefault("404", _error("404"))
            if method in WRITES or operation.get("parameters"):
                responses.setdefault("400", _error("400"))
            if "requestBody" in operation:
                responses.setdefault("413", _error("413"))
                responses.setdefault("415", _error("415"))
            _shared_errors(operation)
    return result


def _string_or_number(field: serializers.DecimalField, string: dict[str, Any]) -> dict[str, Any]:
    """A decimal in a request: a string of its pattern, or a JSON number in its range
    with at most its places (PRODUCT.md §5: "decimal strings or numbers"), as
    ``config.api.fields`` checks them. Answers keep the string alone (two places)."""
    low, high = decimal_bounds(field)
    number: dict[str, Any] = {
        "type": "number",
        "minimum": float(low),
        "maximum": float(high),
        "multipleOf": float(Decimal(1).scaleb(-(field.decimal_places or 0))),
    }
    branches = {"type", "format", "pattern", "minimum", "maximum"}
    schema = {key: value for key, value in string.items() if key not in branches}
    string = {key: string[key] for key in ("type", "format", "pattern") if key in string}
    return {"oneOf": [string, number], **schema}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, with decimal strings described as strictly as they are parsed."""

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]
            field, direction, bypass_extensions
        )
        if isinstance(field, serializers.FileField) and not field.allow_empty_file:
            schema["minLength"] = 1  # an empty upload is refused (issue 20)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # DRF's text fields refuse a null character (ProhibitNullCharactersValidator).
            # A field that takes a blank gets drf-spectacular's ``oneOf`` of this pattern
            # and an empty string: the pattern then asks for a character, or "" would
            # match both branches, which ``oneOf`` forbids.
            schema["pattern"] = NONEMPTY_NO_NULL if field.allow_blank else NO_NULL_CHARACTER
        # A request's pattern holds the range too; an answer's stays the plain one.
        pattern = (
            field_decimal_pattern(field, bounded=direction == "request")
            if isinstance(field, serializers.DecimalField)
            else None
        )
        if pattern is None or schema.get("type") != "string":
            return schema
        minimum, maximum = field.min_value, field.max_value
        schema["pattern"] = pattern
        if direction == "request":
            return _string_or_number(field, schema)
        # On a string, JSON Schema validators skip these; they tell a client the range.
        if minimum is not None:
            schema["minimum"] = float(minimum)
        if maximum is not None:
            schema["maximum"] = float(maximum)
        return schema

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """``?ordering=`` as the server parses it: a comma-separated list of the view's sort
        keys, each optionally prefixed with ``-`` (``StrictOrderingFilter``).

        A string with a pattern rather than an array with ``explode: false``: generators
        send an array as repeated parameters, of which the server reads one; a string is
        sent as written (``"-gross,date"``), and the pattern refuses what the server does.
        """
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()  # type: ignore[no-untyped-call]
        ordering = next(
            (
                backend()
                for backend in getattr(self.view, "filter_backends", ())
                if isinstance(backend, type) and issubclass(backend, StrictOrderingFilter)
            ),
            None,
        )
        for parameter in parameters:
            keys = ordering.ordering_keys(self.view) if ordering is not None else []
            if parameter["name"] == "ordering" and keys:
                parameter["schema"] = {"type": "string", "pattern": ordering_pattern(keys)}
                parameter["description"] = (
                    "Sort keys separated by commas (no spaces), each one of "
                    + ", ".join(keys)
                    + "; a leading '-' sorts by it descending. Example: "
                    + f"'-{keys[0]}'"
                    + (f" or '{keys[1]},-{keys[0]}'." if len(keys) > 1 else ".")
                )
            elif parameter["schema"] == {"type": "string"}:
                # Free text (``?search=``): Django's form fields refuse a null character.
                parameter["schema"] = {"type": "string", "pattern": NO_NULL_CHARACTER}
        return parameters

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        """``?limit=`` above the maximum page answers the maximum page, not an error; below
        1, like a negative ``?offset=``, is a 400 (``ClampedLimitOffsetPagination``)."""
        parameters: list[dict[str, Any]] = super()._get_pagination_parameters()  # type: ignore[no-untyped-call]
        paginator = self._get_paginator()  # type: ignore[no-untyped-call]
        maximum = getattr(paginator, "max_limit", None)
        for parameter in parameters:
            if parameter["name"] == "limit" and maximum:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = (
                    f"Results per page, at most {maximum}: a larger limit answers {maximum}; "
                    "below 1 or not a whole number is a 400."
                )
            elif parameter["name"] == "offset":
                parameter["schema"] = {**parameter["schema"], "minimum": 0}
                parameter["description"] = (
                    "Rows to skip before the page; below 0 or not a whole number is a 400."
                )
        return parameters
