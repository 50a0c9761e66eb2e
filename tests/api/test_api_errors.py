"""Every answer under /api/ is JSON, errors included: ``{"detail": ..., "code": ...}``.

Field errors stay ``{"field": ["message"]}``; everything else, whether DRF, Django's URL
resolver, the body-size limit or an unhandled bug raised it, has a message and a stable
code. Pages outside /api/ keep their HTML.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import SourceFactory

BIG = 3 * 2**20  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MiB)


def _error(response: object, status: int) -> dict[str, str]:
    assert response.status_code == status, response.content[:300]  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    body = json.loads(response.content)  # type: ignore[attr-defined]
    assert set(body) == {"detail", "code"}, body
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def test_an_unknown_api_route_is_a_json_404(alice_api: APIClient) -> None:
    assert _error(alice_api.get("/api/v1/no-such-thing/"), 404)["code"] == "not_found"
    assert _error(alice_api.get("/api/nothing/"), 404)["code"] == "not_found"


def test_a_malformed_id_is_a_json_404(alice_api: APIClient) -> None:
    for url in ("/api/v1/payments/abc/", "/api/v1/sources/1.5/", "/api/v1/payments/1e3/"):
        assert _error(alice_api.get(url), 404)["code"] == "not_found"


def test_another_users_object_is_the_same_json_404(alice_api: APIClient, bob: User) -> None:
    theirs = SourceFactory.create(owner=bob, name="Bobs Depot")
    body = _error(alice_api.get(f"/api/v1/sources/{theirs.pk}/"), 404)
    assert body == {"detail": "Not found.", "code": "not_found"}


def test_a_method_the_route_does_not_take_is_a_json_405(alice_api: APIClient) -> None:
    assert _error(alice_api.delete("/api/v1/dashboard/"), 405)["code"] == "method_not_allowed"


def test_no_credentials_is_a_json_401_with_its_code(api_client: APIClient, db: None) -> None:
    assert _error(api_client.get("/api/v1/sources/"), 401)["code"] == "not_authenticated"


def test_a_body_over_the_limit_is_a_json_413(alice_api: APIClient) -> None:
    body = b'{"name": "' + b"x" * BIG + b'"}'
    response = alice_api.post("/api/v1/sources/", body, content_type="application/json")
    assert _error(response, 413) == {
        "detail": "The request body is larger than 2048 KB.",
        "code": "request_too_large",
    }


def test_a_form_body_over_the_limit_is_a_json_413(alice_api: APIClient) -> None:
    response = alice_api.post(
        "/api/v1/sources/", "name=" + "x" * BIG, content_type="application/x-www-form-urlencoded"
    )
    assert _error(response, 413)["code"] == "request_too_large"


def test_field_errors_keep_their_shape(alice_api: APIClient) -> None:
    response = alice_api.post("/api/v1/sources/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["This field is required."]
    assert "code" not in response.json()


@pytest.mark.urls("tests.api.error_urls")
def test_an_unhandled_error_in_an_api_view_is_a_json_500(alice: User) -> None:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)
    body = _error(client.get("/api/v1/failing/"), 500)
    assert body == {"detail": "Server error.", "code": "server_error"}


@pytest.mark.urls("tests.api.error_urls")
def test_an_oversize_upload_under_the_api_is_a_json_413(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    response = client.post("/api/v1/upload/", {"file": ("x" * 4096).encode()})
    assert _error(response, 413)["code"] == "request_too_large"


@pytest.mark.urls("tests.api.error_urls")
def test_the_browser_keeps_its_html_error_pages(alice: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    failing = client.get("/failing/")
    assert failing.status_code == 500
    assert failing["Content-Type"].startswith("text/html")
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert not_found["Content-Type"].startswith("text/html")
    too_big = client.post(
        "/sources/new/", "name=" + "x" * BIG, content_type="application/x-www-form-urlencoded"
    )
    assert too_big.status_code == 400
    assert too_big["Content-Type"].startswith("text/html")
