"""The household over the API: its members and invitations, what a member shares, and the
shared sources, payments and scenarios as the household's pages show them. Shapes only;
the rules are ``households.services``'."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from households.models import MemberRole, Membership, ShareRole
from income.api.fields import FigureField
from income.api.serializers.base import OwnedSourceField
from income.api.serializers.payments import PaymentSerializer
from income.models import CURRENCY_CHOICES, Payment
from scenarios.api.serializers import ScenarioSerializer
from scenarios.models import Scenario
from scenarios.services import SCENARIO_FIELDS

#: The most sources (or scenarios) one ``PUT /household/shares/`` names: more than a
#: person has, few enough to read at once.
MAX_SHARES = 1000


class HouseholdMemberSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A member: the owner invites and removes, a member shares and leaves."""

    id = serializers.IntegerField(
        source="user_id",
        read_only=True,
        help_text=_("The member's user id: what members/{id}/remove/ takes."),
    )
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "role", "joined_at")
        read_only_fields = fields


class HouseholdSerializer(Serializer):  # type: ignore[type-arg]
    """The caller's household: its members (the owner first, then by joining) and the
    caller's own role in it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    joint_assessment = serializers.BooleanField(
        help_text=_(
            "A jointly assessed couple (a household of exactly two): the saver's allowance "
            "of 2,000 € is theirs together, shared out in their tax reports."
        )
    )
    role = serializers.ChoiceField(
        choices=MemberRole.choices, help_text=_("The caller's role in the household.")
    )
    members = HouseholdMemberSerializer(many=True)
    created_at = serializers.DateTimeField()


class HouseholdCreateSerializer(Serializer):  # type: ignore[type-arg]
    """A new household, with the caller as its owner and only member."""

    name = serializers.CharField(max_length=100)


class HouseholdUpdateSerializer(Serializer):  # type: ignore[type-arg]
    """The owner's changes; a member's are refused (400 under ``household``)."""

    name = serializers.CharField(max_length=100, required=False)
    joint_assessment = serializers.BooleanField(
        required=False,
        help_text=_(
            "true only for a household of exactly two (400 otherwise); a third member who "
            "joins, or one who leaves, turns it off."
        ),
    )


class HouseholdInvitationSerializer(Serializer):  # type: ignore[type-arg]
    """An open invitation. Its link is only in the mail: the token is stored hashed and
    never answered."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    invited_by = serializers.CharField(source="invited_by.username")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class HouseholdInvitationCreateSerializer(Serializer):  # type: ignore[type-arg]
    """Whom to invite."""

    email = serializers.EmailField(
        max_length=254,
        help_text=_(
            "The address the invitation is mailed to; only an account with this address can "
            "accept it. Inviting the same address again replaces the earlier invitation."
        ),
    )


class HouseholdJoinSerializer(Serializer):  # type: ignore[type-arg]
    """An invitation's token, to join its household."""

    token = serializers.CharField(
        max_length=100,
        help_text=_(
            "The token of the invitation's link (its last part). Good once, for the invited "
            "address, until it expires."
        ),
    )


# ----------------------------------------------------------------------------- sharing


@extend_schema_field(OpenApiTypes.INT)
class OwnedScenarioField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A scenario id that must be the caller's; another user's is "does not exist", as
    ``OwnedSourceField`` answers for a source."""

    def get_queryset(self) -> QuerySet[Scenario]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Scenario.objects.none()
        return Scenario.objects.filter(owner=request.user)


class HouseholdSourceShareSerializer(Serializer):  # type: ignore[type-arg]
    """One of the caller's sources, shared with their household."""

    id = OwnedSourceField(help_text=_("One of the caller's own sources."))
    role = serializers.ChoiceField(
        choices=ShareRole.choices,
        help_text=_("view: the others see it; edit: they also record and delete its payments."),
    )


class HouseholdScenarioShareSerializer(Serializer):  # type: ignore[type-arg]
    """One of the caller's scenarios, shared with their household."""

    id = OwnedScenarioField(help_text=_("One of the caller's own scenarios."))
    role = serializers.ChoiceField(
        choices=ShareRole.choices,
        help_text=_("view: the others see it; edit: they also change its inputs."),
    )


def _each_once(rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    ids = [row["id"].pk for row in rows]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(_("Name each one once."))
    return rows


def _bounded_list(child: Serializer) -> serializers.ListSerializer[Any]:  # type: ignore[type-arg]
    """At most ``MAX_SHARES`` rows. ``max_length`` refuses more with DRF's message for a
    list; the validator, which never sees a longer list, writes ``maxItems`` into the
    schema (drf-spectacular reads a list's bound from its validators only), so the
    schema refuses what the server does."""
    return serializers.ListSerializer(
        child=child, max_length=MAX_SHARES, validators=[MaxLengthValidator(MAX_SHARES)]
    )


class HouseholdSharesSerializer(Serializer):  # type: ignore[type-arg]
    """What the caller shares with their household, all of it: a source or scenario of
    theirs that is not listed is not shared (a PUT stops sharing it)."""

    sources = _bounded_list(HouseholdSourceShareSerializer())
    scenarios = _bounded_list(HouseholdScenarioShareSerializer())

    def validate_sources(self, rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return _each_once(rows)

    def validate_scenarios(self, rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return _each_once(rows)


# ----------------------------------------------------------------------------- shared rows


def _figure(help_text: Any) -> FigureField:
    return FigureField(decimal_places=2, help_text=help_text)


class HouseholdSourceSerializer(Serializer):  # type: ignore[type-arg]
    """A source shared with the household, with the figures its owner's dashboard shows
    for it, in its owner's base currency (``households.figures``)."""

    id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    category = serializers.CharField(source="source.category.slug")
    owner = serializers.CharField(source="owner.username", help_text=_("Whose source it is."))
    role = serializers.ChoiceField(
        choices=ShareRole.choices,
        help_text=_("edit: members record and delete its payments here; view: they see it."),
    )
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, help_text=_("The owner's base currency, of the figures.")
    )
    net_ttm = _figure(_("Net of the trailing twelve months."))
    average_month = _figure(_("The average of the last twelve complete months."))
    last_month = _figure(_("Net of the last complete month."))


class HouseholdTotalSerializer(Serializer):  # type: ignore[type-arg]
    """The shared sources of the members who keep their books in one currency."""

    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    net_ttm = _figure(_("The shared sources' net of the trailing twelve months."))
    average_month = _figure(_("Their average month."))
    last_month = _figure(_("Their net of the last complete month."))


class HouseholdDashboardSerializer(Serializer):  # type: ignore[type-arg]
    """The household's shared income: totals per currency (members who keep their books
    in one currency share one total; nothing is converted), and each shared source."""

    name = serializers.CharField(source="household.name")
    last_month = serializers.DateField(help_text=_("The last complete month, as its first day."))
    totals = HouseholdTotalSerializer(many=True)
    lines = HouseholdSourceSerializer(many=True)


class HouseholdPaymentSerializer(PaymentSerializer):
    """A payment of a shared source. Recorded here, it is the source owner's payment, as
    if they had typed it; one like a recorded payment (same day and gross) is refused
    under ``confirm_duplicate``, which only the owner can confirm on their own account."""

    source: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    confirm_duplicate = None  # type: ignore[assignment]

    class Meta:
        model = Payment
        fields = (
            "id", "source", "date", "gross", "tax_withheld", "foreign_tax", "fees", "net",
            "currency", "note", "external_id", "created_at",
        )  # fmt: skip
        read_only_fields = ("id", "source", "net", "created_at")
        validators: list[Any] = []  # uniqueness is checked by the service (full_clean)


class HouseholdScenarioSerializer(ScenarioSerializer):
    """A scenario shared with the household. An "edit" share lets members change its
    inputs (PATCH); which sources it counts is its owner's to choose, so they are not
    part of this resource."""

    sources = None  # type: ignore[assignment]
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.ChoiceField(
        choices=ShareRole.choices, source="household_share.role", read_only=True
    )

    class Meta:
        model = Scenario
        fields = (
            "id", *SCENARIO_FIELDS, "result", "result_computed_at", "created_at", "updated_at",
            "owner", "role",
        )  # fmt: skip
        read_only_fields = (
            "id", "result", "result_computed_at", "created_at", "updated_at", "owner", "role",
        )  # fmt: skip
