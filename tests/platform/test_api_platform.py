"""The API platform: schema and docs, pagination clamp, error shapes, CSRF for sessions."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from config.api.exceptions import exception_handler
from config.api.pagination import ClampedLimitOffsetPagination
from finance.errors import DomainError


def test_the_openapi_schema_describes_the_contract(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/calculator/",
        "/api/v1/auth/login/",
        "/api/v1/auth/register/",
        "/api/v1/auth/logout/",
        "/api/v1/auth/logoutall/",
        "/api/v1/me/",
    ):
        assert path in schema["paths"], path
    calculator = schema["components"]["schemas"]["CalculatorResult"]["properties"]
    assert calculator["gross_income"]["type"] == "string"
    assert calculator["gross_income"]["format"] == "decimal"


def test_swagger_ui_loads_its_assets_from_this_server(client: Client) -> None:
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in asset for asset in assets)
    assert all(not asset.startswith(("http://", "https://", "//")) for asset in assets), assets


def test_a_huge_limit_is_clamped_to_the_maximum() -> None:
    paginator = ClampedLimitOffsetPagination()
    request = Request(APIRequestFactory().get("/", {"limit": "100000"}))
    assert paginator.get_limit(request) == 100


def test_domain_and_model_errors_become_400_field_errors() -> None:
    response = exception_handler(DomainError({"amount": ["Too large."]}), {})
    assert response is not None
    assert (response.status_code, response.data) == (400, {"amount": ["Too large."]})
    response = exception_handler(DjangoValidationError({"currency": ["Unknown."]}), {})
    assert response is not None
    assert (response.status_code, response.data) == (400, {"currency": ["Unknown."]})
    response = exception_handler(DjangoValidationError("Broken."), {})
    assert response is not None
    assert response.data == {"non_field_errors": ["Broken."]}


def test_a_session_without_a_csrf_token_cannot_write(alice: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.patch("/api/v1/me/", {"language": "de"}, format="json")
    assert response.status_code == 403
    alice.profile.refresh_from_db()
    assert alice.profile.language == "en"


def test_browser_forms_are_csrf_protected(alice: User, password: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 403
