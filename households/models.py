"""A household, its members, the invitations to it, and what its members share.

A person is in at most one household (``Membership.user`` is unique), so "the
household" of a person is never a choice to make. A source or scenario is shared with
its owner's household only, once (``source``/``scenario`` are unique), with a role:
``view`` shows it to the others, ``edit`` lets them record its payments and change it.
Everything not shared stays its owner's alone, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: How many people one household can have: a family, not a company.
MAX_MEMBERS = 8


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class ShareRole(models.TextChoices):
    VIEW = "view", _("can view")
    EDIT = "edit", _("can edit")


class Household(models.Model):
    name = models.CharField(_("name"), max_length=100)
    joint_assessment = models.BooleanField(
        _("jointly assessed couple"),
        default=False,
        help_text=_(
            "Two members who are married and assessed jointly: the saver's allowance of "
            "2,000 € is theirs together. Each has 1,000 €, and what one does not use goes "
            "to the other (§20 (9) EStG)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="household_membership",
    )
    role = models.CharField(
        _("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ("joined_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation by e-mail. The link's token is kept only as its SHA-256, so a
    database dump gives nobody a way in; it is good once, until ``expires_at``."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.email


class Share(models.Model):
    """What a shared source and a shared scenario have alike: the household it is
    shared with (``related_name`` ``sources`` or ``scenarios``), the role, since when."""

    role = models.CharField(_("role"), max_length=4, choices=ShareRole.choices)
    shared_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.shared} ({self.get_role_display()})"

    @property
    def shared(self) -> models.Model:
        raise NotImplementedError


def _role_known(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(role__in=ShareRole.values), name=name)


class SharedSource(Share):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="sources"
    )
    source = models.OneToOneField(
        "income.IncomeSource",
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="household_share",
    )

    class Meta:
        verbose_name = _("shared source")
        verbose_name_plural = _("shared sources")
        constraints = [_role_known("shared_source_role_known")]

    @property
    def shared(self) -> models.Model:
        return self.source


class SharedScenario(Share):
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="scenarios",
    )
    scenario = models.OneToOneField(
        "scenarios.Scenario",
        verbose_name=_("scenario"),
        on_delete=models.CASCADE,
        related_name="household_share",
    )

    class Meta:
        verbose_name = _("shared scenario")
        verbose_name_plural = _("shared scenarios")
        constraints = [_role_known("shared_scenario_role_known")]

    @property
    def shared(self) -> models.Model:
        return self.scenario
