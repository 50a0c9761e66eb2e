"""No form shows Django's raw "---------" as the empty choice of a select (issue 18)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import SourceFactory

PAGES = (
    "source_create",
    "payment_list",
    "income_calendar",
    "scenario_create",
    "settings",
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_form_pages_show_no_raw_empty_choice(client: Client, alice: User, name: str) -> None:
    SourceFactory(owner=alice)
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "---------" not in response.content.decode()
