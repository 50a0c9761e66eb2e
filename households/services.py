"""Households: making one, inviting by e-mail, joining, leaving, and sharing.

Rules every entry point shares (the pages, the API, the admin's actions):

- a person is in one household at most; its first member is its owner, who invites
  and removes; anyone may leave (an owner who leaves last ends the household, an owner
  who leaves others behind hands it to the longest member);
- an invitation is by e-mail address, good once for ``INVITATION_DAYS`` days, and only
  for a signed-in person whose account has that address (compared without case);
- only a source's or scenario's owner shares it, with their own household, and can
  stop sharing it; a member who leaves takes their shared rows with them;
- a jointly assessed couple is a household of exactly two.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finance.errors import DomainError
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
from households.selectors import shared_scenarios_for, shared_sources_for
from income.changes import owner_data_changed
from income.models import IncomeSource, Payment
from income.services.users import email_send, profile_get_or_create
from scenarios.models import Scenario

INVITATION_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_owner(*, household: Household, user: User) -> None:
    if not Membership.objects.filter(
        household=household, user=user, role=MemberRole.OWNER
    ).exists():
        raise DomainError({"household": [_("Only the household's owner can do this.")]})


def household_create(*, owner: User, name: str) -> Household:
    """A new household with ``owner`` as its owner and only member."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError({"name": [_("Give the household a name of at most 100 characters.")]})
    if Membership.objects.filter(user=owner).exists():
        raise DomainError({"household": [_("You are in a household already; leave it first.")]})
    with transaction.atomic():
        household = Household.objects.create(name=name)
        Membership.objects.create(household=household, user=owner, role=MemberRole.OWNER)
    return household


def household_update(
    *, household: Household, by: User, name: str | None = None, joint_assessment: bool | None = None
) -> Household:
    """Rename, or mark the household as a jointly assessed couple (two members only).

    The joint allowance changes both members' tax figures, so both are marked changed.
    """
    _require_owner(household=household, user=by)
    if name is not None:
        name = name.strip()
        if not name or len(name) > 100:
            raise DomainError({"name": [_("Give the household a name of at most 100 characters.")]})
        household.name = name
    if joint_assessment is not None:
        if joint_assessment and household.members.count() != 2:
            raise DomainError(
                {"joint_assessment": [_("Joint assessment is for a household of two.")]}
            )
        household.joint_assessment = joint_assessment
    with transaction.atomic():
        household.save()
        for member_id in household.members.values_list("user_id", flat=True):
            owner_data_changed(owner_id=member_id)
    return household


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    url: str  # the link, with the token that is stored only hashed


def invitation_send(*, household: Household, by: User, email: str) -> InvitationSent:
    """Invite ``email``: a mail with a link good for ``INVITATION_DAYS`` days, in the
    inviter's language (the invitee has no language here yet). A second invitation to
    the same address replaces the first."""
    _require_owner(household=household, user=by)
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise DomainError({"email": [_("Enter a valid e-mail address.")]})
    if household.members.filter(user__email__iexact=email).exists():
        raise DomainError({"email": [_("This person is a member already.")]})
    if household.members.count() >= MAX_MEMBERS:
        raise DomainError(
            {"email": [_("A household has at most %(max)d members.") % {"max": MAX_MEMBERS}]}
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        household.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            household=household, email=email, token_hash=_token_hash(token), invited_by=by,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )  # fmt: skip
        url = f"{settings.SITE_URL}{reverse('household_join', args=[token])}"
        language = profile_get_or_create(user=by).language
        with translation.override(language):
            context = {"household": household, "by": by, "url": url, "days": INVITATION_DAYS}
            subject = _("%(name)s invites you to the household “%(household)s” on Ertrag") % {
                "name": by.get_username(),
                "household": household.name,
            }
            body = render_to_string("households/email/invitation.txt", context)
        email_send(subject=subject, body=body, to=[email])
    return InvitationSent(invitation=invitation, url=url)


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    _require_owner(household=invitation.household, user=by)
    invitation.delete()


def invitation_find(*, token: str) -> Invitation | None:
    """The open, unexpired invitation of ``token``; None for any other token."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("household", "invited_by")
        .filter(token_hash=_token_hash(token), accepted_at__isnull=True,
                expires_at__gt=timezone.now())
        .first()
    )  # fmt: skip


def invitation_accept(*, token: str, user: User) -> Household:
    """Join the household of ``token`` as ``user``, whose address must be the invited one."""
    invitation = invitation_find(token=token)
    if invitation is None:
        raise DomainError({"token": [_("This invitation is not valid any more.")]})
    if not user.email or user.email.lower() != invitation.email.lower():
        raise DomainError(
            {"token": [_("This invitation is for another e-mail address than your account's.")]}
        )
    household = invitation.household
    with transaction.atomic():
        Household.objects.select_for_update().get(pk=household.pk)
        if Membership.objects.filter(user=user).exists():
            raise DomainError({"token": [_("You are in a household already; leave it first.")]})
        if household.members.count() >= MAX_MEMBERS:
            raise DomainError(
                {"token": [_("A household has at most %(max)d members.") % {"max": MAX_MEMBERS}]}
            )
        Membership.objects.create(household=household, user=user, role=MemberRole.MEMBER)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        if household.joint_assessment:  # a third member: no longer a couple
            household.joint_assessment = False
            household.save(update_fields=["joint_assessment"])
    return household


def member_remove(*, household: Household, by: User, user: User) -> None:
    """``by`` leaves (``user`` is ``by``), or the owner removes ``user``.

    The member's shares leave with them. A couple of which one leaves is no longer
    jointly assessed; an owner who leaves hands the household to the longest member;
    the last one to leave ends it.
    """
    if user.pk != by.pk:
        _require_owner(household=household, user=by)
    membership = Membership.objects.filter(household=household, user=user).first()
    if membership is None:
        raise DomainError({"member": [_("Not a member of this household.")]})
    with transaction.atomic():
        SharedSource.objects.filter(household=household, source__owner=user).delete()
        SharedScenario.objects.filter(household=household, scenario__owner=user).delete()
        rest = list(household.members.exclude(user=user).values_list("user_id", flat=True))
        membership.delete()  # ``household_settle`` runs on its post_delete
        for member_id in [user.pk, *rest]:
            owner_data_changed(owner_id=member_id)


def household_settle(*, household_id: int) -> None:
    """Put a household right after a member left by any way (``member_remove``, an
    account deleted, the admin): the last one out ends it; without an owner the
    longest member becomes it; a couple that is no longer two is no longer jointly
    assessed. Called on every ``Membership`` deletion (``households.receivers``)."""
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return
    members = list(household.members.order_by("joined_at", "pk"))
    if not members:
        household.delete()
        return
    if not any(m.role == MemberRole.OWNER for m in members):
        Membership.objects.filter(pk=members[0].pk).update(role=MemberRole.OWNER)
    if household.joint_assessment and len(members) != 2:
        household.joint_assessment = False
        household.save(update_fields=["joint_assessment"])


def _household_for_sharing(owner: User) -> Household:
    membership = Membership.objects.select_related("household").filter(user=owner).first()
    if membership is None:
        raise DomainError({"household": [_("Make or join a household first.")]})
    return membership.household


def _role(role: str) -> str:
    if role not in ShareRole.values:
        raise DomainError({"role": [_("Choose “can view” or “can edit”.")]})
    return role


def source_share(*, source: IncomeSource, by: User, role: str) -> SharedSource:
    """Share ``by``'s own ``source`` with their household (or change its role)."""
    if source.owner_id != by.pk:
        raise IncomeSource.DoesNotExist
    household = _household_for_sharing(by)
    share, _created = SharedSource.objects.update_or_create(
        source=source, defaults={"household": household, "role": _role(role)}
    )
    return share


def source_unshare(*, source: IncomeSource, by: User) -> None:
    if source.owner_id != by.pk:
        raise IncomeSource.DoesNotExist
    SharedSource.objects.filter(source=source).delete()


def scenario_share(*, scenario: Scenario, by: User, role: str) -> SharedScenario:
    if scenario.owner_id != by.pk:
        raise Scenario.DoesNotExist
    household = _household_for_sharing(by)
    share, _created = SharedScenario.objects.update_or_create(
        scenario=scenario, defaults={"household": household, "role": _role(role)}
    )
    return share


def scenario_unshare(*, scenario: Scenario, by: User) -> None:
    if scenario.owner_id != by.pk:
        raise Scenario.DoesNotExist
    SharedScenario.objects.filter(scenario=scenario).delete()


def shares_set(
    *,
    by: User,
    sources: Iterable[tuple[IncomeSource, str | None]] = (),
    scenarios: Iterable[tuple[Scenario, str | None]] = (),
) -> None:
    """Set several of ``by``'s shares at once, all or none: a role shares the row (or
    changes its role), None stops sharing it. The household page's form and the API's
    ``PUT /household/shares/`` both save through here."""
    with transaction.atomic():
        for source, role in sources:
            if role is None:
                source_unshare(source=source, by=by)
            else:
                source_share(source=source, by=by, role=role)
        for scenario, role in scenarios:
            if role is None:
                scenario_unshare(scenario=scenario, by=by)
            else:
                scenario_share(scenario=scenario, by=by, role=role)


# What an "edit" share lets the others do ------------------------------------------------


def shared_payment_create(*, user: User, source: IncomeSource, **fields: Any) -> Payment:
    """Record a payment of a source shared with ``user`` to edit; it is the source
    owner's payment, as if they had typed it (their figures change, not ``user``'s)."""
    from income.services import payment_create

    if not shared_sources_for(user=user, edit=True).filter(pk=source.pk).exists():
        raise IncomeSource.DoesNotExist
    return payment_create(owner=source.owner, source=source, allow_duplicate=False, **fields)


def shared_payment_delete(*, user: User, payment: Payment) -> None:
    from income.services import payment_delete

    if not shared_sources_for(user=user, edit=True).filter(pk=payment.source_id).exists():
        raise IncomeSource.DoesNotExist
    payment_delete(payment=payment)


def shared_scenario_update(*, user: User, scenario: Scenario, **fields: Any) -> Scenario:
    """Change a scenario shared with ``user`` to edit (its inputs, not its sources,
    which are its owner's to choose)."""
    from scenarios.services import scenario_update

    if not shared_scenarios_for(user=user, edit=True).filter(pk=scenario.pk).exists():
        raise Scenario.DoesNotExist
    if "sources" in fields:
        raise DomainError({"sources": [_("Only the scenario's owner chooses its sources.")]})
    return scenario_update(scenario=scenario, **fields)
