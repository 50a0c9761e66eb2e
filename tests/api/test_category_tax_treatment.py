"""Each category says where its income goes in the yearly tax report (issue 22): read-only
in the categories API, set by an administrator in the admin."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import category


def test_the_categories_api_shows_the_tax_treatment(alice_api: APIClient) -> None:
    rows = alice_api.get("/api/v1/categories/", {"limit": 100}).json()["results"]
    by_slug = {row["slug"]: row["tax_treatment"] for row in rows}
    assert by_slug["etf-dividends"] == "dividend"
    assert by_slug["rent"] == "rent"
    assert by_slug["salary"] == "employment"


def test_the_tax_treatment_cannot_be_written_through_the_api(alice_api: APIClient) -> None:
    pk = category("rent").pk
    response = alice_api.patch(f"/api/v1/categories/{pk}/", {"tax_treatment": "none"})
    assert response.status_code == 405
    assert category("rent").tax_treatment == "rent"


def test_the_admin_edits_the_tax_treatment(client: Client, db: None) -> None:
    staff = User.objects.create_user("support", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:income_incomecategory_change", args=[category("rent").pk])
    assert b'name="tax_treatment"' in client.get(url).content
    listing = client.get(reverse("admin:income_incomecategory_changelist")).content
    assert b"Rent (Anlage V)" in listing
