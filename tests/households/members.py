"""Households for tests, made as people make them: the owner creates one and invites by
e-mail, each member accepts the token of their mail's link."""

from __future__ import annotations

from django.contrib.auth.models import User

from households.models import Household, SharedScenario, SharedSource, ShareRole
from households.services import (
    household_create,
    invitation_accept,
    invitation_send,
    scenario_share,
    source_share,
)
from income.models import IncomeSource
from scenarios.models import Scenario


def invitation_token(*, household: Household, by: User, email: str) -> str:
    """The token of a new invitation's link, as its mail carries it (the link's last part)."""
    sent = invitation_send(household=household, by=by, email=email)
    return sent.url.rstrip("/").rsplit("/", 1)[1]


def household_with(owner: User, *members: User, name: str = "Home") -> Household:
    """``owner``'s new household, which each of ``members`` joins through an invitation."""
    household = household_create(owner=owner, name=name)
    for member in members:
        join(household, member)
    return household


def join(household: Household, member: User) -> None:
    owner = household.members.get(role="owner").user
    token = invitation_token(household=household, by=owner, email=member.email)
    invitation_accept(token=token, user=member)


def shared_source(source: IncomeSource, role: str = ShareRole.VIEW) -> SharedSource:
    return source_share(source=source, by=source.owner, role=role)


def shared_scenario(scenario: Scenario, role: str = ShareRole.VIEW) -> SharedScenario:
    return scenario_share(scenario=scenario, by=scenario.owner, role=role)
