"""The export document's rows are typed in the schema, as the export writes them and the
import takes them (issue 20): a real export of a populated account validates against
the schema, strictly (no column the schema does not name), and imports."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator

from income.demo import demo_create
from income.models import IncomeSource
from portability.document import TABLES
from tests.conftest import token_client
from tests.factories import ScenarioFactory, UserFactory

TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The schema ``/api/schema/`` serves (made once: it takes seconds)."""
    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, cls=DjangoJSONEncoder))


@pytest.fixture
def demo(db: None) -> User:
    """The demo account (every source kind, payments, periods, effort, asset values),
    with a scenario linked to two of its sources and one with every optional figure."""
    user = demo_create(username="demo", password="demo-pass-12345", today=TODAY).user
    linked = list(IncomeSource.objects.filter(owner=user).order_by("pk")[:2])
    ScenarioFactory.create(owner=user, name="Linked", sources=linked)
    ScenarioFactory.create(
        owner=user,
        name="Everything",
        description="A plan with\nlines",
        tax_rate=Decimal("0.25"),
        volatility=Decimal("0.15"),
    )
    return user


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's dialect as JSON Schema: ``nullable`` as a null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _json_schema(value) for key, value in node.items()}
    if result.pop("nullable", False):
        result = {"anyOf": [result, {"type": "null"}]}
    return result


def _validator(schema: dict[str, Any], name: str, *, strict: set[str]) -> Any:
    """A validator of component ``name``; the ``strict`` components are closed to
    properties they do not name."""
    components = copy.deepcopy(schema["components"]["schemas"])
    for component in strict:
        components[component]["additionalProperties"] = False
    document = {
        "$ref": f"#/components/schemas/{name}",
        "components": {"schemas": _json_schema(components)},
    }
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.FormatChecker())


def _rows_of(schema: dict[str, Any], document_component: str) -> set[str]:
    """The components of the document and of each of its tables' rows."""
    properties = schema["components"]["schemas"][document_component]["properties"]
    names = {document_component}
    for table in (*TABLES, "profile"):
        part = properties[table]
        ref = part.get("items", part).get("$ref") or part["allOf"][0]["$ref"]
        names.add(ref.rsplit("/", 1)[-1])
    return names


def test_every_table_has_a_typed_row(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for name in ("ExportDocument", "ImportDocumentRequest"):
        rows = _rows_of(schema, name) - {name}
        assert len(rows) == len(TABLES) + 1  # and the profile
        for row in rows:
            assert components[row]["properties"], row
    source = components["ExportSource"]["properties"]
    assert source["ref"]["type"] == "integer"
    assert source["category"]["type"] == "string"  # a slug: ids differ between databases
    assert source["start_date"] == {**source["start_date"], "type": "string", "format": "date"}
    assert source["upfront_investment"]["type"] == "string"  # a decimal string
    assert "pattern" in source["upfront_investment"]
    payment = components["ExportPayment"]
    assert set(payment["required"]) == set(payment["properties"])  # the export writes all
    assert components["ImportPaymentRequest"]["required"] == ["source"]


def test_a_real_export_matches_the_schema_exactly(schema: dict[str, Any], demo: User) -> None:
    document = token_client(demo).get("/api/v1/me/export/").json()
    for table in TABLES:
        assert document[table], f"the demo has no {table}: the test would prove nothing"
    strict = _rows_of(schema, "ExportDocument")
    errors = list(_validator(schema, "ExportDocument", strict=strict).iter_errors(document))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_the_import_schema_takes_a_real_export_and_so_does_the_import(
    schema: dict[str, Any], demo: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = token_client(demo).get("/api/v1/me/export/").json()
    strict = _rows_of(schema, "ImportDocumentRequest")
    validator = _validator(schema, "ImportDocumentRequest", strict=strict)
    assert list(validator.iter_errors(document)) == []
    fresh = token_client(UserFactory.create(username="fresh"))
    with django_capture_on_commit_callbacks(execute=True):
        response = fresh.post("/api/v1/me/import/", document, format="json")
    assert response.status_code == 202, response.content
    job = fresh.get(response["Location"]).json()
    assert job["status"] == "done", job
    assert job["counts"]["payments"] == len(document["payments"])


def test_the_schema_refuses_what_the_import_refuses(schema: dict[str, Any]) -> None:
    strict = _rows_of(schema, "ImportDocumentRequest")
    validator = _validator(schema, "ImportDocumentRequest", strict=strict)
    base = {"format": "ertrag-export", "version": 1}
    assert list(validator.iter_errors(base)) == []
    for bad in (
        {**base, "payments": [{"gross": "10.00"}]},  # no source
        {**base, "payments": [{"source": 1, "gross": "ten"}]},
        {**base, "payments": [{"source": 1, "date": "yesterday"}]},
        {**base, "sources": [{"ref": 1, "currency": "XXX"}]},
        {**base, "format": "other"},
    ):
        assert list(validator.iter_errors(bad)), bad
