"""Reading households: a person's household, and what is shared with them.

The one rule for access to another person's row: it is shared with the household the
reader is a member of. Every shared-row query goes through ``shared_sources_for`` or
``shared_scenarios_for``; a row that is not shared with the reader is not found (404),
exactly like another person's row that was never shared.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from households.models import (
    Household,
    Invitation,
    Membership,
    SharedScenario,
    SharedSource,
    ShareRole,
)
from income.models import IncomeSource
from scenarios.models import Scenario


def membership_of(*, user: User) -> Membership | None:
    return Membership.objects.select_related("household").filter(user=user).first()


def household_of(*, user: User) -> Household | None:
    membership = membership_of(user=user)
    return membership.household if membership else None


def members_of(*, household: Household) -> QuerySet[Membership]:
    return household.members.select_related("user").order_by("joined_at", "pk")


def invitations_open(*, household: Household) -> QuerySet[Invitation]:
    return household.invitations.filter(accepted_at__isnull=True)


def shared_sources_for(*, user: User, edit: bool = False) -> QuerySet[IncomeSource]:
    """Every source shared with ``user``'s household (their own shared ones too); with
    ``edit`` only those shared to edit."""
    rows = IncomeSource.objects.filter(household_share__household__members__user=user)
    if edit:
        rows = rows.filter(household_share__role=ShareRole.EDIT)
    return rows.select_related("owner", "category", "household_share")


def shared_scenarios_for(*, user: User, edit: bool = False) -> QuerySet[Scenario]:
    rows = Scenario.objects.filter(household_share__household__members__user=user)
    if edit:
        rows = rows.filter(household_share__role=ShareRole.EDIT)
    return rows.select_related("owner", "household_share")


def source_shares_of(*, household: Household) -> QuerySet[SharedSource]:
    return household.sources.select_related("source", "source__owner", "source__category")


def scenario_shares_of(*, household: Household) -> QuerySet[SharedScenario]:
    return household.scenarios.select_related("scenario", "scenario__owner")


def joint_partner_of(owner: User) -> User | None:
    """The other member of a jointly assessed household of exactly two."""
    membership = membership_of(user=owner)
    if membership is None or not membership.household.joint_assessment:
        return None
    others = list(
        Membership.objects.filter(household=membership.household)
        .exclude(user=owner)
        .select_related("user")[:2]
    )
    return others[0].user if len(others) == 1 else None
