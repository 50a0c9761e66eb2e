"""Households in the browser (issue 24): making one, inviting by e-mail and joining by
the link, leaving and removing, what each member shares and with which role, the
household's dashboard, and the pages of a shared source and scenario.

alice owns the household and three sources; bob is invited and joins; carol is never
in it. What is not shared with bob's household is a 404 for him, as a stranger's row
always is; a "can view" share refuses every change with the same 404.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from households import services
from households.models import Household, Invitation, MemberRole, Membership, SharedSource
from income.models import IncomeSource, Payment
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, UserFactory

PAGE = "/household/"
JOIN = re.compile(r"https?://[^/\s]+(/household/join/[A-Za-z0-9_-]+/)")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def carol(db: None) -> User:
    return UserFactory.create(username="carol", email="carol@example.com")


@pytest.fixture
def household(alice: User) -> Household:
    return services.household_create(owner=alice, name="Sonnenweg 5")


@pytest.fixture
def with_bob(household: Household, alice: User, bob: User) -> Household:
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    services.invitation_accept(token=sent.url.rstrip("/").rsplit("/", 1)[1], user=bob)
    return household


@pytest.fixture
def sources(alice: User) -> dict[str, IncomeSource]:
    return {
        name: SourceFactory.create(owner=alice, name=name)
        for name in ("World ETF", "Flat rent", "Secret bonds")
    }


@pytest.fixture
def shared(
    with_bob: Household, alice: User, sources: dict[str, IncomeSource]
) -> dict[str, IncomeSource]:
    """World ETF shared to view, Flat rent to edit; Secret bonds stays alice's alone."""
    services.source_share(source=sources["World ETF"], by=alice, role="view")
    services.source_share(source=sources["Flat rent"], by=alice, role="edit")
    return sources


def _token(sent: services.InvitationSent) -> str:
    return sent.url.rstrip("/").rsplit("/", 1)[1]


# ----------------------------------------------------------------------------- access


def test_the_pages_require_a_log_in(db: None) -> None:
    for path in (PAGE, "/household/dashboard/", "/household/sources/1/", "/household/scenarios/1/"):
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_the_join_link_sends_a_stranger_to_the_log_in_and_back(db: None) -> None:
    response = Client().get("/household/join/some-token/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/household/join/some-token/"


# ----------------------------------------------------------------------------- the page


def test_without_a_household_the_page_offers_to_make_one_and_explains_joining(
    alice: User,
) -> None:
    response = _client(alice).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="household-create"' in page
    assert "by the link in an invitation e-mail" in page
    assert "alice@example.com" in page


def test_making_a_household_makes_its_maker_the_owner(alice: User) -> None:
    response = _client(alice).post("/household/new/", {"name": "  Sonnenweg 5 "}, follow=True)
    assert response.status_code == 200
    membership = Membership.objects.get(user=alice)
    assert membership.household.name == "Sonnenweg 5"
    assert membership.role == MemberRole.OWNER
    assert 'data-testid="household-invite"' in response.content.decode()


def test_a_household_without_a_name_is_refused_and_nothing_is_made(alice: User) -> None:
    response = _client(alice).post("/household/new/", {"name": "   "})
    assert response.status_code == 400
    assert Household.objects.count() == 0
    assert 'class="error"' in response.content.decode()


def test_a_second_household_is_refused(household: Household, alice: User) -> None:
    response = _client(alice).post("/household/new/", {"name": "Another"})
    # A member sees the household page, not the form; the POST answers with the page.
    assert response.status_code == 400
    assert list(Household.objects.values_list("name", flat=True)) == ["Sonnenweg 5"]


def test_the_owner_sees_the_members_the_invite_form_and_the_joint_switch(
    with_bob: Household, alice: User
) -> None:
    page = _client(alice).get(PAGE).content.decode()
    assert page.count('data-testid="household-member"') == 2
    assert 'data-testid="household-invite"' in page
    assert 'data-testid="member-remove"' in page
    assert 'data-testid="household-joint"' in page
    assert "§20 (9) EStG" in page


def test_a_member_sees_the_members_but_neither_invites_nor_removes(
    with_bob: Household, bob: User
) -> None:
    page = _client(bob).get(PAGE).content.decode()
    assert page.count('data-testid="household-member"') == 2
    assert 'data-testid="household-invite"' not in page
    assert 'data-testid="member-remove"' not in page
    assert 'data-testid="household-joint"' not in page
    assert "alice, the household's owner, invites new members" in page
    assert 'data-testid="household-leave"' in page


# ----------------------------------------------------------------------------- inviting


def test_an_invitation_mails_a_link_that_lets_the_invited_person_join(
    household: Household,
    alice: User,
    bob: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(alice).post("/household/invite/", {"email": "Bob@Example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["Bob@Example.com"]
    assert "Sonnenweg 5" in message.subject
    found = JOIN.search(str(message.body))
    assert found, message.body
    link = found.group(1)

    bob_client = _client(bob)
    invitation_page = bob_client.get(link)
    assert invitation_page.status_code == 200
    assert "alice invites you to the household “Sonnenweg 5”" in invitation_page.content.decode()
    assert not Membership.objects.filter(user=bob).exists()  # a GET joins nobody

    response = bob_client.post(link)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert Membership.objects.get(user=bob).household == household
    assert bob_client.get(link).status_code == 404  # good once


def test_the_open_invitation_is_listed_and_can_be_revoked(
    household: Household, alice: User, bob: User
) -> None:
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    client = _client(alice)
    assert 'data-testid="household-invitation"' in client.get(PAGE).content.decode()
    response = client.post(
        "/household/invitations/revoke/", {"invitation": str(sent.invitation.pk)}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert _client(bob).get(f"/household/join/{_token(sent)}/").status_code == 404


def test_a_bad_address_is_refused_and_nothing_is_sent(
    household: Household, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(alice).post("/household/invite/", {"email": "not an address"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_member_cannot_invite(with_bob: Household, bob: User) -> None:
    response = _client(bob).post("/household/invite/", {"email": "carol@example.com"})
    assert response.status_code == 400
    assert "Only the household&#x27;s owner can do this." in response.content.decode()
    assert not Invitation.objects.filter(email="carol@example.com").exists()


def test_without_a_household_the_actions_find_nothing(alice: User) -> None:
    client = _client(alice)
    for path in ("/household/invite/", "/household/leave/", "/household/shares/"):
        assert client.post(path, {"email": "bob@example.com"}).status_code == 404, path


# ----------------------------------------------------------------------------- joining


def test_the_wrong_account_is_told_so_and_nothing_changes(
    household: Household, alice: User, carol: User
) -> None:
    sent = services.invitation_send(household=household, by=alice, email="bob@example.com")
    client = _client(carol)
    page = client.get(f"/household/join/{_token(sent)}/")
    assert page.status_code == 400
    text = page.content.decode()
    assert "for another e-mail address than your account" in text
    assert "Sonnenweg 5" not in text  # the household is not shown to someone else
    assert 'data-testid="household-join"' not in text

    response = client.post(f"/household/join/{_token(sent)}/")
    assert response.status_code == 400
    assert not Membership.objects.filter(user=carol).exists()
    assert Invitation.objects.get(pk=sent.invitation.pk).accepted_at is None


def test_an_expired_invitation_is_a_404(household: Household, alice: User, bob: User) -> None:
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    Invitation.objects.filter(pk=sent.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = _client(bob)
    page = client.get(f"/household/join/{_token(sent)}/")
    assert page.status_code == 404
    assert "not valid any more" in page.content.decode()
    assert client.post(f"/household/join/{_token(sent)}/").status_code == 404
    assert not Membership.objects.filter(user=bob).exists()


def test_an_unknown_or_overlong_token_is_a_404(alice: User) -> None:
    client = _client(alice)
    assert client.get("/household/join/not-a-token/").status_code == 404
    assert client.get(f"/household/join/{'x' * 500}/").status_code == 404


def test_someone_in_a_household_already_is_told_to_leave_it_first(
    household: Household, alice: User, bob: User
) -> None:
    services.household_create(owner=bob, name="Bob's")
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    response = _client(bob).post(f"/household/join/{_token(sent)}/")
    assert response.status_code == 400
    assert "leave it first" in response.content.decode()
    assert Membership.objects.get(user=bob).household.name == "Bob's"


# ----------------------------------------------------------------------------- leaving


def test_a_member_leaves_and_takes_their_shares(with_bob: Household, bob: User) -> None:
    own = SourceFactory.create(owner=bob)
    services.source_share(source=own, by=bob, role="view")
    response = _client(bob).post("/household/leave/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=bob).exists()
    assert not SharedSource.objects.filter(source=own).exists()
    assert 'data-testid="household-create"' in _client(bob).get(PAGE).content.decode()


def test_the_owner_removes_a_member(with_bob: Household, alice: User, bob: User) -> None:
    response = _client(alice).post("/household/members/remove/", {"member": str(bob.pk)})
    assert response.status_code == 302
    assert list(with_bob.members.values_list("user__username", flat=True)) == ["alice"]


def test_a_member_cannot_remove_the_owner(with_bob: Household, alice: User, bob: User) -> None:
    response = _client(bob).post(
        "/household/members/remove/", {"member": str(alice.pk)}, follow=True
    )
    assert "Only the household&#x27;s owner can do this." in response.content.decode()
    assert with_bob.members.count() == 2


def test_removing_someone_outside_the_household_finds_nothing(
    with_bob: Household, alice: User, carol: User
) -> None:
    client = _client(alice)
    assert client.post("/household/members/remove/", {"member": str(carol.pk)}).status_code == 404
    assert client.post("/household/members/remove/", {"member": "x"}).status_code == 404


# ----------------------------------------------------------------------------- the joint allowance


def test_the_joint_switch_needs_exactly_two_members(household: Household, alice: User) -> None:
    client = _client(alice)
    page = client.get(PAGE).content.decode()
    assert 'data-testid="household-joint"' not in page
    assert "Only a household of exactly two members" in page
    response = client.post("/household/joint/", {"joint_assessment": "on"})
    assert response.status_code == 400
    assert "Joint assessment is for a household of two." in response.content.decode()
    assert _joint(household) is False


def _joint(household: Household) -> bool:
    household.refresh_from_db()
    return household.joint_assessment


def test_the_owner_of_a_couple_switches_the_joint_allowance(
    with_bob: Household, alice: User, bob: User
) -> None:
    assert _client(bob).post("/household/joint/", {"joint_assessment": "on"}).status_code == 400
    assert _joint(with_bob) is False
    assert _client(alice).post("/household/joint/", {"joint_assessment": "on"}).status_code == 302
    assert _joint(with_bob) is True
    assert _client(alice).post("/household/joint/", {}).status_code == 302
    assert _joint(with_bob) is False


# ----------------------------------------------------------------------------- sharing


def test_the_roles_are_saved_in_one_form(
    with_bob: Household, alice: User, sources: dict[str, IncomeSource]
) -> None:
    plan = ScenarioFactory.create(owner=alice, name="Early retirement")
    etf, flat, bonds = sources["World ETF"], sources["Flat rent"], sources["Secret bonds"]
    client = _client(alice)
    page = client.get(PAGE).content.decode()
    assert page.count('data-testid="share-row"') == 4
    response = client.post(
        "/household/shares/",
        {
            f"share-source-{etf.pk}": "view",
            f"share-source-{flat.pk}": "edit",
            f"share-source-{bonds.pk}": "",
            f"share-scenario-{plan.pk}": "edit",
        },
    )
    assert response.status_code == 302
    roles = dict(SharedSource.objects.values_list("source__name", "role"))
    assert roles == {"World ETF": "view", "Flat rent": "edit"}
    assert plan.household_share.role == "edit"

    client.post("/household/shares/", {f"share-source-{flat.pk}": "view"})
    roles = dict(SharedSource.objects.values_list("source__name", "role"))
    assert roles == {"Flat rent": "view"}
    assert not Scenario.objects.filter(household_share__isnull=False).exists()


def test_an_unknown_role_is_refused_and_nothing_changes(
    shared: dict[str, IncomeSource], alice: User
) -> None:
    etf, flat = shared["World ETF"], shared["Flat rent"]
    response = _client(alice).post(
        "/household/shares/",
        {f"share-source-{etf.pk}": "edit", f"share-source-{flat.pk}": "owner"},
    )
    assert response.status_code == 400
    roles = dict(SharedSource.objects.values_list("source__name", "role"))
    assert roles == {"World ETF": "view", "Flat rent": "edit"}


def test_another_persons_source_cannot_be_shared_by_its_id(
    with_bob: Household, bob: User, sources: dict[str, IncomeSource]
) -> None:
    response = _client(bob).post(
        "/household/shares/", {f"share-source-{sources['Secret bonds'].pk}": "edit"}
    )
    assert response.status_code == 302  # an unknown field: bob has no such row to share
    assert not SharedSource.objects.exists()


def test_a_member_sees_exactly_the_shared_sources(
    shared: dict[str, IncomeSource], bob: User, alice: User
) -> None:
    PaymentFactory.create(
        source=shared["Flat rent"], date=timezone.localdate().replace(day=1) - timedelta(days=3),
        gross=Decimal("900.00"),
    )  # fmt: skip
    client = _client(bob)
    page = client.get(PAGE).content.decode()
    assert page.count('data-testid="shared-source"') == 2
    assert "World ETF" in page
    assert "Flat rent" in page
    assert "Secret bonds" not in page

    board = client.get("/household/dashboard/").content.decode()
    assert board.count('data-testid="household-source"') == 2
    assert "World ETF" in board
    assert "Flat rent" in board
    assert "Secret bonds" not in board
    assert "900,00" in board or "900.00" in board
    assert 'data-testid="dashboard-switch"' in board


def test_the_main_dashboard_always_offers_the_switch_to_the_household(
    household: Household, alice: User, carol: User
) -> None:
    # A member goes to the household's figures; someone in none is led to make one.
    for person in (alice, carol):
        page = _client(person).get("/dashboard/").content.decode()
        assert 'data-testid="dashboard-switch"' in page
        assert 'href="/household/dashboard/"' in page


def test_the_household_dashboard_without_a_household_leads_to_the_household_page(
    carol: User,
) -> None:
    response = _client(carol).get("/household/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_what_is_not_shared_is_a_404_for_a_member_and_everything_for_a_stranger(
    shared: dict[str, IncomeSource], alice: User, bob: User, carol: User
) -> None:
    plan = ScenarioFactory.create(owner=alice)
    services.scenario_share(scenario=plan, by=alice, role="view")
    hidden = ScenarioFactory.create(owner=alice)
    bob_client, carol_client = _client(bob), _client(carol)
    assert bob_client.get(f"/household/sources/{shared['World ETF'].pk}/").status_code == 200
    assert bob_client.get(f"/household/scenarios/{plan.pk}/").status_code == 200
    assert bob_client.get(f"/household/sources/{shared['Secret bonds'].pk}/").status_code == 404
    assert bob_client.get(f"/household/scenarios/{hidden.pk}/").status_code == 404
    for source in shared.values():
        assert carol_client.get(f"/household/sources/{source.pk}/").status_code == 404
    assert carol_client.get(f"/household/scenarios/{plan.pk}/").status_code == 404


# ----------------------------------------------------------------------------- shared source


def test_a_view_share_refuses_a_payment_with_a_404(
    shared: dict[str, IncomeSource], bob: User
) -> None:
    etf = shared["World ETF"]
    page = _client(bob).get(f"/household/sources/{etf.pk}/").content.decode()
    assert 'data-testid="shared-payment-add"' not in page
    response = _client(bob).post(
        f"/household/sources/{etf.pk}/", {"date": "2025-03-01", "gross": "100"}
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_an_edit_share_records_the_owners_payment(
    shared: dict[str, IncomeSource], alice: User, bob: User
) -> None:
    flat = shared["Flat rent"]
    client = _client(bob)
    assert (
        'data-testid="shared-payment-add"'
        in client.get(f"/household/sources/{flat.pk}/").content.decode()
    )
    response = client.post(
        f"/household/sources/{flat.pk}/",
        {"action": "add", "date": "2025-03-01", "gross": "850.00", "tax_withheld": "",
         "note": "March rent"},
    )  # fmt: skip
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.source == flat
    assert payment.source.owner == alice
    assert payment.gross == Decimal("850.00")
    assert payment.currency == "EUR"
    # alice sees it on her own page of the source
    assert "March rent" in _client(alice).get(f"/sources/{flat.pk}/").content.decode()
    # and bob on the shared one
    assert "March rent" in client.get(f"/household/sources/{flat.pk}/").content.decode()


def test_a_bad_payment_is_refused_and_nothing_is_recorded(
    shared: dict[str, IncomeSource], bob: User
) -> None:
    flat = shared["Flat rent"]
    response = _client(bob).post(
        f"/household/sources/{flat.pk}/", {"action": "add", "date": "2025-02-30", "gross": "NaN"}
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Payment.objects.exists()


def test_an_edit_share_deletes_a_payment_of_its_source_only(
    shared: dict[str, IncomeSource], bob: User
) -> None:
    flat, etf = shared["Flat rent"], shared["World ETF"]
    rent = PaymentFactory.create(source=flat, date=date(2025, 3, 1), gross=Decimal("850"))
    dividend = PaymentFactory.create(source=etf, date=date(2025, 3, 1), gross=Decimal("10"))
    client = _client(bob)
    # a payment of another source, posted to the editable one's page, is not found
    response = client.post(
        f"/household/sources/{flat.pk}/", {"action": "delete", "payment": str(dividend.pk)}
    )
    assert response.status_code == 404
    # nor through the view-only source's page
    response = client.post(
        f"/household/sources/{etf.pk}/", {"action": "delete", "payment": str(dividend.pk)}
    )
    assert response.status_code == 404
    response = client.post(
        f"/household/sources/{flat.pk}/", {"action": "delete", "payment": str(rent.pk)}
    )
    assert response.status_code == 302
    assert list(Payment.objects.all()) == [dividend]


# ----------------------------------------------------------------------------- shared scenario


def test_a_shared_scenario_shows_its_inputs_and_only_its_shared_sources(
    shared: dict[str, IncomeSource], alice: User, bob: User
) -> None:
    plan = ScenarioFactory.create(
        owner=alice, name="Early retirement", target_monthly_income=Decimal("2000"),
        sources=[shared["World ETF"], shared["Secret bonds"]],
    )  # fmt: skip
    services.scenario_share(scenario=plan, by=alice, role="view")
    page = _client(bob).get(f"/household/scenarios/{plan.pk}/").content.decode()
    assert "Early retirement" in page
    assert 'data-testid="scenario-inputs"' in page
    assert "World ETF" in page
    assert "Secret bonds" not in page
    assert "1 source not shared with the household" in page
    assert 'data-testid="shared-scenario-edit"' not in page
    assert (
        _client(bob).post(f"/household/scenarios/{plan.pk}/", {"horizon_years": "5"}).status_code
        == 404
    )


def _scenario_numbers(**change: str) -> dict[str, str]:
    return {
        "starting_capital": "10000",
        "monthly_contribution": "250",
        "annual_return": "5",
        "inflation": "2",
        "horizon_years": "20",
        "additional_yearly_income": "0",
        "target_monthly_income": "1500",
        **change,
    }


def test_an_edit_share_changes_a_scenarios_numbers(
    with_bob: Household, alice: User, bob: User
) -> None:
    plan = ScenarioFactory.create(owner=alice, name="Early retirement")
    services.scenario_share(scenario=plan, by=alice, role="edit")
    response = _client(bob).post(
        f"/household/scenarios/{plan.pk}/", _scenario_numbers(annual_return="6.5")
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.annual_return == Decimal("0.065")
    assert plan.target_monthly_income == Decimal("1500")
    assert plan.name == "Early retirement"


def test_a_bad_scenario_number_is_refused_and_nothing_changes(
    with_bob: Household, alice: User, bob: User
) -> None:
    plan = ScenarioFactory.create(owner=alice)
    services.scenario_share(scenario=plan, by=alice, role="edit")
    response = _client(bob).post(
        f"/household/scenarios/{plan.pk}/", _scenario_numbers(horizon_years="500")
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.horizon_years == 20
