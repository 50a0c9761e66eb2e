"""The inputs schemathesis' all-checks run found on the two sides of the schema's words
(issue 20): each test reads the schema, then sends a value the schema allows and one it
forbids, and the server answers as the schema says.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import PaymentFactory, SourceFactory, UserFactory


@pytest.fixture(scope="module")
def schema(schema_document: dict[str, Any]) -> dict[str, Any]:
    return schema_document


def parameters(schema: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p["schema"] for p in schema["paths"][path]["get"].get("parameters", [])}


def component(schema: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = schema["components"]["schemas"][name]
    return found


@pytest.mark.parametrize(
    "month",
    ["2025-01", "0001-01", "9999-12", "0000-00", "0000-01", "2025-00", "2025-13", "2025-1", ""],
)
def test_a_report_month_is_taken_exactly_when_the_schema_pattern_matches(
    schema: dict[str, Any], alice_api: APIClient, month: str
) -> None:
    pattern = parameters(schema, "/api/v1/reports/")["from"]["pattern"]
    for name in ("from", "to"):
        response = alice_api.get(f"/api/v1/reports/?{name}={month}")
        expected = 200 if re.search(pattern, month) else 400
        assert response.status_code == expected, (name, month, response.content)


def test_the_import_presets_offer_no_filter_they_would_ignore(schema: dict[str, Any]) -> None:
    assert parameters(schema, "/api/v1/imports/presets/") == {}
    assert "status" in parameters(schema, "/api/v1/imports/")


def test_the_sign_up_schema_states_the_password_and_username_rules(
    schema: dict[str, Any],
) -> None:
    fields = component(schema, "RegisterRequest")["properties"]
    assert fields["password"]["minLength"] == 8
    assert re.search(fields["password"]["pattern"], "12345678") is None
    assert re.search(fields["username"]["pattern"], "a b") is None
    assert fields["email"]["maxLength"] == 254


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "abc-12"),
        ("password", "1234567890"),
        ("username", "a b"),
        ("username", " spaced"),
        ("email", " new@example.com"),
    ],
)
def test_a_sign_up_the_schema_forbids_is_refused_at_its_field(
    api_client: APIClient, db: None, field: str, value: str
) -> None:
    body = {"username": "newcomer", "email": "new@example.com", "password": "a-long-secret-9"}
    response = api_client.post("/api/v1/auth/register/", {**body, field: value}, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {field}
    assert not User.objects.filter(username__in=["newcomer", value]).exists()


def test_a_password_is_taken_as_typed_with_its_spaces(api_client: APIClient, db: None) -> None:
    UserFactory.create(username="spacey", password=" a secret with spaces ")
    typed = {"username": "spacey", "password": " a secret with spaces "}
    assert api_client.post("/api/v1/auth/login/", typed, format="json").status_code == 200
    trimmed = {"username": "spacey", "password": "a secret with spaces"}
    assert api_client.post("/api/v1/auth/login/", trimmed, format="json").status_code == 400


def test_a_bulk_action_states_the_field_it_needs(
    schema: dict[str, Any], alice: User, alice_api: APIClient
) -> None:
    body = component(schema, "PaymentBulkRequest")
    assert body["discriminator"]["propertyName"] == "action"
    required = {
        action: set(component(schema, ref.rpartition("/")[2])["required"])
        for action, ref in body["discriminator"]["mapping"].items()
    }
    assert required == {
        "delete": {"action", "ids"},
        "move": {"action", "ids", "source"},
        "set_date": {"action", "ids", "date"},
        "set_currency": {"action", "ids", "currency"},
    }
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    response = alice_api.post(
        "/api/v1/payments/bulk/", {"action": "move", "ids": [payment.pk]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"source"}


def test_a_search_with_a_null_character_is_refused_as_the_schema_says(
    schema: dict[str, Any], alice_api: APIClient
) -> None:
    pattern = parameters(schema, "/api/v1/payments/")["search"]["pattern"]
    assert re.search(pattern, "rent\x00") is None
    assert alice_api.get("/api/v1/payments/?search=rent%00").status_code == 400
    assert alice_api.get("/api/v1/payments/?search=rent").status_code == 200


def test_an_import_upload_states_a_source_is_an_id_and_the_file_not_empty(
    schema: dict[str, Any],
) -> None:
    for name in ("PaymentImportCreateRequest", "ImportPreviewRequestRequest"):
        fields = component(schema, name)["properties"]
        assert "nullable" not in fields["source"], name
        assert fields["file"]["minLength"] == 1, name


def _non_negative_source_fields() -> list[str]:
    """The source fields the database holds at zero or more (``source_amounts_non_negative``)."""
    from django.db.models import CheckConstraint, Q

    from income.models import IncomeSource

    (condition,) = [
        c.condition
        for c in IncomeSource._meta.constraints
        if isinstance(c, CheckConstraint) and c.name == "source_amounts_non_negative"
    ]
    assert isinstance(condition, Q)
    return [str(lookup[0]).removesuffix("__gte") for lookup in condition.children]  # type: ignore[index]


@pytest.mark.parametrize("field", _non_negative_source_fields())
def test_a_source_amount_the_database_keeps_non_negative_is_refused_negative_by_its_field(
    schema: dict[str, Any], alice: User, alice_api: APIClient, field: str
) -> None:
    """The schema says so (no minus in the text form, a minimum of 0 for the number), and
    the server refuses ``-0.7`` under the field's name, not as a broken constraint: the
    all-checks run sent ``"setup_hours": "-.7"``, which the schema allowed."""
    branches = component(schema, "PatchedSourceRequest")["properties"][field]["oneOf"]
    text = next(branch for branch in branches if branch["type"] == "string")
    number = next(branch for branch in branches if branch["type"] == "number")
    assert re.search(text["pattern"], "-.7") is None
    assert number["minimum"] >= 0
    source = SourceFactory.create(owner=alice)
    response = alice_api.patch(f"/api/v1/sources/{source.pk}/", {field: "-.7"}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
