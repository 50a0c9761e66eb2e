"""The answers every operation can give besides its own, written into the schema.

PRODUCT.md §5: 400 with field errors, 401 without credentials, 404 for anything not
owned by the caller, 415 for a body the parsers do not take (DRF's answer to, say, a
multipart part without a media type), 429 when throttled. drf-spectacular documents
what a view declares; these come from the platform (authentication, parsers,
throttling, the exception handler), so one hook adds them to every operation that can
meet them: a client generated from the schema, and the fuzzer, then know them.
"""

from __future__ import annotations

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or non_field_errors) to its messages.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}
WRITES = {"post", "put", "patch"}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("429", _response("Too many requests: throttled.", DETAIL))
            if operation.get("security") != [{}] and {} not in operation.get("security", [{}]):
                responses.setdefault("401", _response("No or invalid credentials.", DETAIL))
            if "{" in path:
                responses.setdefault("404", _response("Not found, or not yours.", DETAIL))
            if method in WRITES or operation.get("parameters"):
                responses.setdefault("400", _response("Invalid input.", FIELD_ERRORS))
            if "requestBody" in operation:
                responses.setdefault(
                    "415", _response("A body in a media type the operation does not take.", DETAIL)
                )
    return result
