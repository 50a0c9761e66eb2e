"""Households in the admin (issue 24): every page loads, with the members, shares and
invitations of a household, and an invitation's token hash never shows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from households import services
from households.models import Invitation
from tests.factories import ScenarioFactory, SourceFactory


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_every_household_admin_page_loads(admin_client: Client, alice: User, bob: User) -> None:
    household = services.household_create(owner=alice, name="Sonnenweg 5")
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    source = SourceFactory.create(owner=alice, name="World ETF")
    services.source_share(source=source, by=alice, role="view")
    services.scenario_share(
        scenario=ScenarioFactory.create(owner=alice, name="Early retirement"), by=alice, role="edit"
    )
    filters = {
        "/admin/households/household/": "?joint_assessment__exact=1",
        "/admin/households/invitation/": "?accepted_at__isempty=1",
    }
    for path, list_filter in filters.items():
        for query in ("", "?q=a", "?q=alice", list_filter):
            response = admin_client.get(path + query)
            assert response.status_code == 200, path + query
            assert "?e=1" not in response.get("Location", ""), path + query

    page = admin_client.get(f"/admin/households/household/{household.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ("alice", "World ETF", "Early retirement", "bob@example.com"):
        assert shown in text, shown

    invitation = Invitation.objects.get(pk=sent.invitation.pk)
    page = admin_client.get(f"/admin/households/invitation/{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.content.decode()
    assert admin_client.get("/admin/households/household/add/").status_code == 403


def test_an_admin_may_delete_a_household(admin_client: Client, alice: User) -> None:
    household = services.household_create(owner=alice, name="Sonnenweg 5")
    page = admin_client.get(f"/admin/households/household/{household.pk}/delete/")
    assert page.status_code == 200
