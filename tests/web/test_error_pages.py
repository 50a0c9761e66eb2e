"""The error pages: in the reader's language, in the site's look, and telling nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import SourceFactory


def test_an_unknown_address_answers_with_the_404_page(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'data-testid="not-found"' in html
    assert "Go to the start page" in html


def test_another_users_source_is_the_same_404_page_in_german(
    client: Client, alice: User, bob: User
) -> None:
    secret = SourceFactory.create(owner=alice, name="Alices Depot")
    client.force_login(bob)
    client.cookies["ertrag_language"] = "de"
    response = client.get(f"/sources/{secret.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Seite nicht gefunden" in html
    assert "Zum Dashboard" in html
    assert "Alices Depot" not in html


def test_the_500_page_renders_without_a_request_context(rf: RequestFactory) -> None:
    with translation.override("de"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Etwas ist schiefgegangen" in html
    assert "<form" not in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_expired_form_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert "Nothing was saved" in html


def test_an_api_address_no_route_matches_answers_json(client: Client, db: None) -> None:
    response = client.get("/api/v1/sources/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_api_server_error_answers_json(rf: RequestFactory) -> None:
    from config.errors import server_error as api_server_error

    response = api_server_error(rf.get("/api/v1/sources/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "Server error.", "code": "server_error"}
