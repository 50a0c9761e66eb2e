"""The households' rules, through their services (issue 24): one household per person,
invitations by e-mail that are good once, for the invited address, for 14 days; leaving
and removing; sharing only one's own rows; what "can edit" allows that "can view" does
not; and the joint assessment of a couple of two."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone, translation

from finance.errors import DomainError
from households import services
from households.models import (
    MAX_MEMBERS,
    Household,
    Invitation,
    MemberRole,
    Membership,
    SharedScenario,
    SharedSource,
    ShareRole,
)
from households.selectors import household_of, shared_scenarios_for, shared_sources_for
from income.models import IncomeSource, Payment
from income.partners import joint_partner_of
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, UserFactory
from tests.households.members import (
    household_with,
    invitation_token,
    join,
    shared_scenario,
    shared_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol() -> User:
    return UserFactory.create(username="carol", email="carol@example.com")


def _errors(raised: pytest.ExceptionInfo[DomainError]) -> set[str]:
    return set(raised.value.field_errors)


def _role(user: User) -> str:
    return Membership.objects.get(user=user).role


# ----------------------------------------------------------------------------- making one


def test_the_maker_is_the_owner_and_only_member(alice: User) -> None:
    household = services.household_create(owner=alice, name="  Home ")
    assert household.name == "Home"
    assert [(m.user, m.role) for m in household.members.all()] == [(alice, MemberRole.OWNER)]


def test_a_person_is_in_one_household_at_most(alice: User) -> None:
    services.household_create(owner=alice, name="Home")
    with pytest.raises(DomainError) as raised:
        services.household_create(owner=alice, name="Second")
    assert _errors(raised) == {"household"}
    assert Household.objects.count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_household_needs_a_name_of_at_most_100_characters(alice: User, name: str) -> None:
    with pytest.raises(DomainError) as raised:
        services.household_create(owner=alice, name=name)
    assert _errors(raised) == {"name"}
    assert not Household.objects.exists()


# ----------------------------------------------------------------------------- inviting


def test_an_invitation_mails_a_link_with_a_token_stored_hashed(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    household = household_with(alice, name="Home")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitation_send(household=household, by=alice, email=" Dora@Example.com ")
    link = re.fullmatch(re.escape(settings.SITE_URL) + r"/household/join/([\w-]{40,})/", sent.url)
    assert link is not None, sent.url
    token = link.group(1)
    (message,) = mail.outbox
    assert message.to == ["Dora@Example.com"]
    assert "alice" in message.subject
    assert "Home" in message.subject
    assert sent.url in message.body
    invitation = Invitation.objects.get()
    assert invitation.email == "Dora@Example.com"
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - timedelta(days=services.INVITATION_DAYS)) < timedelta(seconds=5)


def test_the_mail_is_written_in_the_inviters_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The invitee has no language here yet, the inviter has: the mail is rendered in
    theirs, and the language of the request that sent it is left as it was."""
    anna = UserFactory.create(username="anna", language="de")
    household = household_with(anna)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitation_send(household=household, by=anna, email="dora@example.com")
    assert translation.get_language() == settings.LANGUAGE_CODE
    (message,) = mail.outbox
    assert sent.url in message.body
    assert str(services.INVITATION_DAYS) in message.body


def test_a_second_invitation_to_an_address_replaces_the_first(alice: User, carol: User) -> None:
    household = household_with(alice)
    first = invitation_token(household=household, by=alice, email="carol@example.com")
    second = invitation_token(household=household, by=alice, email="CAROL@example.com")
    assert Invitation.objects.count() == 1
    with pytest.raises(DomainError):
        services.invitation_accept(token=first, user=carol)
    services.invitation_accept(token=second, user=carol)
    assert household_of(user=carol) == household


def test_only_the_owner_invites(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    with pytest.raises(DomainError) as raised:
        services.invitation_send(household=household, by=bob, email="dora@example.com")
    assert _errors(raised) == {"household"}


@pytest.mark.parametrize("email", ["no-at-sign", "", "a" * 250 + "@example.com"])
def test_an_invitation_needs_an_address(alice: User, email: str) -> None:
    household = household_with(alice)
    with pytest.raises(DomainError) as raised:
        services.invitation_send(household=household, by=alice, email=email)
    assert _errors(raised) == {"email"}
    assert not Invitation.objects.exists()


def test_a_member_is_not_invited_again(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    with pytest.raises(DomainError) as raised:
        services.invitation_send(household=household, by=alice, email="BOB@example.com")
    assert _errors(raised) == {"email"}


def test_a_full_household_invites_nobody(alice: User) -> None:
    others = [UserFactory.create() for _ in range(MAX_MEMBERS - 1)]
    household = household_with(alice, *others)
    with pytest.raises(DomainError) as raised:
        services.invitation_send(household=household, by=alice, email="dora@example.com")
    assert _errors(raised) == {"email"}


# ----------------------------------------------------------------------------- accepting


def test_the_invited_address_joins_whatever_its_case(alice: User) -> None:
    dora = UserFactory.create(username="dora", email="Dora@Example.com")
    household = household_with(alice)
    token = invitation_token(household=household, by=alice, email="dora@example.com")
    assert services.invitation_accept(token=token, user=dora) == household
    assert _role(dora) == MemberRole.MEMBER
    assert Invitation.objects.get().accepted_at is not None


def test_another_address_cannot_use_the_link(alice: User, carol: User) -> None:
    household = household_with(alice)
    token = invitation_token(household=household, by=alice, email="dora@example.com")
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=carol)
    assert _errors(raised) == {"token"}
    assert household_of(user=carol) is None
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_invitation_is_not_valid(alice: User, carol: User) -> None:
    household = household_with(alice)
    token = invitation_token(household=household, by=alice, email=carol.email)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=carol)
    assert _errors(raised) == {"token"}
    assert household_of(user=carol) is None


def test_an_invitation_is_good_once(alice: User, carol: User) -> None:
    household = household_with(alice)
    token = invitation_token(household=household, by=alice, email=carol.email)
    services.invitation_accept(token=token, user=carol)
    services.member_remove(household=household, by=carol, user=carol)
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=carol)
    assert _errors(raised) == {"token"}
    assert household_of(user=carol) is None


@pytest.mark.parametrize("token", ["", "x", "x" * 43, "x" * 101])
def test_an_unknown_token_is_not_valid(carol: User, token: str) -> None:
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=carol)
    assert _errors(raised) == {"token"}


def test_a_member_of_another_household_must_leave_it_first(
    alice: User, bob: User, carol: User
) -> None:
    household = household_with(alice)
    household_with(carol, bob, name="Elsewhere")
    token = invitation_token(household=household, by=alice, email=bob.email)
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=bob)
    assert _errors(raised) == {"token"}
    assert household_of(user=bob).name == "Elsewhere"  # type: ignore[union-attr]
    assert Invitation.objects.filter(household=household).get().accepted_at is None


def test_a_household_that_filled_up_takes_nobody_more(alice: User, carol: User) -> None:
    others = [UserFactory.create() for _ in range(MAX_MEMBERS - 2)]
    household = household_with(alice, *others)
    token = invitation_token(household=household, by=alice, email=carol.email)
    join(household, UserFactory.create())  # the last place goes before carol comes
    with pytest.raises(DomainError) as raised:
        services.invitation_accept(token=token, user=carol)
    assert _errors(raised) == {"token"}
    assert household.members.count() == MAX_MEMBERS


def test_a_revoked_invitation_is_not_valid(alice: User, bob: User, carol: User) -> None:
    household = household_with(alice, bob)
    token = invitation_token(household=household, by=alice, email=carol.email)
    invitation = Invitation.objects.get(email=carol.email)
    with pytest.raises(DomainError):
        services.invitation_revoke(invitation=invitation, by=bob)
    services.invitation_revoke(invitation=invitation, by=alice)
    with pytest.raises(DomainError):
        services.invitation_accept(token=token, user=carol)


# ----------------------------------------------------------------------------- leaving


def test_an_owner_who_leaves_hands_the_household_to_the_longest_member(
    alice: User, bob: User, carol: User
) -> None:
    household = household_with(alice, bob, carol)
    services.member_remove(household=household, by=alice, user=alice)
    assert (_role(bob), _role(carol)) == (MemberRole.OWNER, MemberRole.MEMBER)
    assert household_of(user=alice) is None


def test_the_last_one_to_leave_ends_the_household(alice: User) -> None:
    household = household_with(alice)
    shared_source(SourceFactory.create(owner=alice))
    services.member_remove(household=household, by=alice, user=alice)
    assert not Household.objects.exists()
    assert not SharedSource.objects.exists()
    assert IncomeSource.objects.filter(owner=alice).exists()  # the source stays hers


def test_shares_leave_with_the_member(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    alices = shared_source(SourceFactory.create(owner=alice))
    shared_source(SourceFactory.create(owner=bob))
    shared_scenario(ScenarioFactory.create(owner=bob))
    services.member_remove(household=household, by=alice, user=bob)
    assert list(SharedSource.objects.all()) == [alices]
    assert not SharedScenario.objects.exists()
    assert not shared_sources_for(user=bob).exists()


def test_a_couple_of_which_one_leaves_is_no_longer_jointly_assessed(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    services.household_update(household=household, by=alice, joint_assessment=True)
    services.member_remove(household=household, by=bob, user=bob)
    household.refresh_from_db()
    assert household.joint_assessment is False


def test_only_the_owner_removes_others(alice: User, bob: User, carol: User) -> None:
    household = household_with(alice, bob, carol)
    with pytest.raises(DomainError) as raised:
        services.member_remove(household=household, by=bob, user=carol)
    assert _errors(raised) == {"household"}
    services.member_remove(household=household, by=alice, user=carol)
    assert household_of(user=carol) is None


def test_removing_a_stranger_is_refused(alice: User, carol: User) -> None:
    household = household_with(alice)
    with pytest.raises(DomainError) as raised:
        services.member_remove(household=household, by=alice, user=carol)
    assert _errors(raised) == {"member"}


# ----------------------------------------------------------------------------- sharing


def test_a_member_shares_only_their_own_rows(alice: User, bob: User) -> None:
    household_with(alice, bob)
    source = SourceFactory.create(owner=alice)
    scenario = ScenarioFactory.create(owner=alice)
    with pytest.raises(IncomeSource.DoesNotExist):
        services.source_share(source=source, by=bob, role=ShareRole.EDIT)
    with pytest.raises(Scenario.DoesNotExist):
        services.scenario_share(scenario=scenario, by=bob, role=ShareRole.EDIT)
    assert not SharedSource.objects.exists()
    assert not SharedScenario.objects.exists()
    shared_source(source)
    shared_scenario(scenario)
    with pytest.raises(IncomeSource.DoesNotExist):
        services.source_unshare(source=source, by=bob)
    with pytest.raises(Scenario.DoesNotExist):
        services.scenario_unshare(scenario=scenario, by=bob)
    assert SharedSource.objects.count() == SharedScenario.objects.count() == 1


def test_sharing_needs_a_household(alice: User) -> None:
    with pytest.raises(DomainError) as raised:
        services.source_share(source=SourceFactory.create(owner=alice), by=alice, role="view")
    assert _errors(raised) == {"household"}


def test_a_share_has_a_known_role_and_can_change_it(alice: User) -> None:
    household_with(alice)
    source = SourceFactory.create(owner=alice)
    with pytest.raises(DomainError) as raised:
        services.source_share(source=source, by=alice, role="own")
    assert _errors(raised) == {"role"}
    shared_source(source, ShareRole.VIEW)
    shared_source(source, ShareRole.EDIT)
    assert list(SharedSource.objects.values_list("role", flat=True)) == [ShareRole.EDIT]


def test_unsharing_takes_a_row_from_the_others(alice: User, bob: User) -> None:
    household_with(alice, bob)
    source = SourceFactory.create(owner=alice)
    shared_source(source)
    assert list(shared_sources_for(user=bob)) == [source]
    services.source_unshare(source=source, by=alice)
    assert not shared_sources_for(user=bob).exists()


# ----------------------------------------------------------------------------- edit and view


def test_edit_lets_a_member_record_and_delete_the_owners_payments(alice: User, bob: User) -> None:
    household_with(alice, bob)
    source = SourceFactory.create(owner=alice)
    shared_source(source, ShareRole.EDIT)
    payment = services.shared_payment_create(
        user=bob, source=source, date=date(2026, 1, 5), gross=Decimal("12.50")
    )
    assert (payment.source.owner, payment.currency, payment.net) == (
        alice,
        source.currency,
        Decimal("12.50"),
    )
    services.shared_payment_delete(user=bob, payment=payment)
    assert not Payment.objects.exists()


def test_view_lets_a_member_change_nothing(alice: User, bob: User) -> None:
    household_with(alice, bob)
    source = SourceFactory.create(owner=alice)
    shared_source(source, ShareRole.VIEW)
    payment = PaymentFactory.create(source=source)
    with pytest.raises(IncomeSource.DoesNotExist):
        services.shared_payment_create(
            user=bob, source=source, date=date(2026, 1, 5), gross=Decimal("1.00")
        )
    with pytest.raises(IncomeSource.DoesNotExist):
        services.shared_payment_delete(user=bob, payment=payment)
    assert list(Payment.objects.all()) == [payment]


def test_a_stranger_writes_nothing_even_to_an_edit_share(
    alice: User, bob: User, carol: User
) -> None:
    household_with(alice, bob)
    household_with(carol, name="Elsewhere")
    source = SourceFactory.create(owner=alice)
    scenario = ScenarioFactory.create(owner=alice)
    shared_source(source, ShareRole.EDIT)
    shared_scenario(scenario, ShareRole.EDIT)
    payment = PaymentFactory.create(source=source)
    with pytest.raises(IncomeSource.DoesNotExist):
        services.shared_payment_create(
            user=carol, source=source, date=date(2026, 1, 5), gross=Decimal("1.00")
        )
    with pytest.raises(IncomeSource.DoesNotExist):
        services.shared_payment_delete(user=carol, payment=payment)
    with pytest.raises(Scenario.DoesNotExist):
        services.shared_scenario_update(user=carol, scenario=scenario, name="Mine")
    assert Payment.objects.count() == 1
    assert Scenario.objects.get(pk=scenario.pk).name != "Mine"


def test_edit_lets_a_member_change_a_scenario_but_not_its_sources(alice: User, bob: User) -> None:
    household_with(alice, bob)
    depot = SourceFactory.create(owner=alice)
    scenario = ScenarioFactory.create(owner=alice, sources=[depot])
    shared_scenario(scenario, ShareRole.EDIT)
    changed = services.shared_scenario_update(
        user=bob, scenario=scenario, monthly_contribution=Decimal("400")
    )
    assert changed.monthly_contribution == Decimal("400")
    with pytest.raises(DomainError) as raised:
        services.shared_scenario_update(user=bob, scenario=scenario, sources=[])
    assert _errors(raised) == {"sources"}
    assert list(Scenario.objects.get(pk=scenario.pk).sources.all()) == [depot]


def test_view_keeps_a_scenario_as_its_owner_left_it(alice: User, bob: User) -> None:
    household_with(alice, bob)
    scenario = ScenarioFactory.create(owner=alice, name="Plan")
    shared_scenario(scenario, ShareRole.VIEW)
    assert list(shared_scenarios_for(user=bob)) == [scenario]
    with pytest.raises(Scenario.DoesNotExist):
        services.shared_scenario_update(user=bob, scenario=scenario, name="Mine")
    assert Scenario.objects.get(pk=scenario.pk).name == "Plan"


# ----------------------------------------------------------------------------- joint assessment


def test_joint_assessment_is_for_a_household_of_two(alice: User, bob: User, carol: User) -> None:
    household = household_with(alice)
    with pytest.raises(DomainError) as raised:
        services.household_update(household=household, by=alice, joint_assessment=True)
    assert _errors(raised) == {"joint_assessment"}
    join(household, bob)
    services.household_update(household=household, by=alice, joint_assessment=True)
    assert joint_partner_of(alice) == bob
    assert joint_partner_of(bob) == alice
    join(household, carol)  # a third member: no longer a couple
    household.refresh_from_db()
    assert household.joint_assessment is False
    assert joint_partner_of(alice) is None
    with pytest.raises(DomainError) as raised:
        services.household_update(household=household, by=alice, joint_assessment=True)
    assert _errors(raised) == {"joint_assessment"}


def test_only_the_owner_sets_joint_assessment(alice: User, bob: User) -> None:
    household = household_with(alice, bob)
    with pytest.raises(DomainError) as raised:
        services.household_update(household=household, by=bob, joint_assessment=True)
    assert _errors(raised) == {"household"}
    household.refresh_from_db()
    assert household.joint_assessment is False


def test_nobody_has_a_partner_without_joint_assessment(alice: User, bob: User, carol: User) -> None:
    household_with(alice, bob)
    assert joint_partner_of(alice) is None
    assert joint_partner_of(carol) is None  # in no household at all
