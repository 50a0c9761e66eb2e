"""``/api/v1/household/``: the caller's household for an app, as its pages have it (issue 24).

A person is in one household at most, so "the household" takes no id: every route here
answers 404 to a caller who is in none, except making one (``POST household/``) and
joining one (``POST household/join/``). A shared row is found through
``households.selectors`` alone: a source, payment or scenario that is not shared with the
caller's household is a 404, as another person's row that was never shared. Writes go
through ``households.services``; what their rules refuse (a member who is not the owner,
a second household, joint assessment for three) is a 400 with field errors.

Sharing is set whole, in one call: ``PUT household/shares/`` names every source and
scenario the caller shares, with its role, and what it leaves out is not shared; its
answer, and ``GET``'s, is the same shape. One request for the whole sharing page, and no
resource per share to keep in step with the row it shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from households import services
from households.api.serializers import (
    HouseholdCreateSerializer,
    HouseholdDashboardSerializer,
    HouseholdInvitationCreateSerializer,
    HouseholdInvitationSerializer,
    HouseholdJoinSerializer,
    HouseholdPaymentSerializer,
    HouseholdScenarioSerializer,
    HouseholdSerializer,
    HouseholdSharesSerializer,
    HouseholdSourceSerializer,
    HouseholdUpdateSerializer,
)
from households.figures import SharedSourceLine, household_figures
from households.models import Household, Invitation, Membership
from households.selectors import (
    invitations_open,
    members_of,
    membership_of,
    shared_scenarios_for,
    shared_sources_for,
)
from income.models import IncomeSource, Payment
from scenarios.models import Scenario

NOT_IN = "You are in no household."
NOT_SHARED = "Not shared with your household, or you are in none."
NOT_EDITABLE = "Not shared with your household to edit, or you are in none."
NO_INVITATION = "No open invitation has this token: unknown, used, withdrawn or expired."


def _caller(request: Request) -> User:
    return cast(User, request.user)


def _membership(request: Request) -> Membership:
    """The caller's membership; 404 for a caller in no household."""
    membership = membership_of(user=_caller(request))
    if membership is None:
        raise Http404
    return membership


def _household_answer(membership: Membership) -> dict[str, Any]:
    household = membership.household
    return HouseholdSerializer(
        {
            "id": household.pk,
            "name": household.name,
            "joint_assessment": household.joint_assessment,
            "role": membership.role,
            "members": members_of(household=household),
            "created_at": household.created_at,
        }
    ).data


def _current_household(request: Request) -> Response:
    return Response(_household_answer(_membership(request)))


class HouseholdView(APIView):
    """The caller's household: read it, make one, or (its owner) rename it and mark it as a
    jointly assessed couple."""

    @extend_schema(responses={200: HouseholdSerializer, 404: OpenApiResponse(description=NOT_IN)})
    def get(self, request: Request) -> Response:
        return _current_household(request)

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def post(self, request: Request) -> Response:
        """Make a household with the caller as its owner and only member; a caller in a
        household already gets a 400 under ``household``."""
        serializer = HouseholdCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.household_create(owner=_caller(request), name=serializer.validated_data["name"])
        return Response(_household_answer(_membership(request)), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=HouseholdUpdateSerializer,
        responses={200: HouseholdSerializer, 404: OpenApiResponse(description=NOT_IN)},
    )
    def patch(self, request: Request) -> Response:
        """The owner's changes; a member's are a 400 under ``household``."""
        membership = _membership(request)
        serializer = HouseholdUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.household_update(
            household=membership.household, by=_caller(request), **serializer.validated_data
        )
        return _current_household(request)


class HouseholdLeaveView(APIView):
    @extend_schema(
        request=None,
        responses={204: None, 404: OpenApiResponse(description=NOT_IN)},
    )
    def post(self, request: Request) -> Response:
        """Leave the household; the caller's shared sources and scenarios leave with them.
        An owner who leaves hands the household to the longest member; the last one to
        leave ends it."""
        membership = _membership(request)
        caller = _caller(request)
        services.member_remove(household=membership.household, by=caller, user=caller)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HouseholdMemberRemoveView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: HouseholdSerializer,
            204: OpenApiResponse(description="The caller's own id: they left, as leave/."),
            404: OpenApiResponse(description="Not a member of the caller's household."),
        },
    )
    def post(self, request: Request, user_id: int) -> Response:
        """The owner removes a member (a member's request is a 400 under ``household``);
        what the member shared leaves with them. The answer is the household after."""
        membership = _membership(request)
        member = get_object_or_404(members_of(household=membership.household), user_id=user_id)
        caller = _caller(request)
        services.member_remove(household=membership.household, by=caller, user=member.user)
        if member.user_id == caller.pk:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _current_household(request)


class HouseholdInvitationsView(generics.ListAPIView):  # type: ignore[type-arg]
    """The household's open invitations, newest first; the owner invites by e-mail."""

    serializer_class = HouseholdInvitationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Invitation]:
        household = _membership(self.request).household
        return invitations_open(household=household).select_related("invited_by")

    @extend_schema(
        responses={
            200: HouseholdInvitationSerializer(many=True),
            404: OpenApiResponse(description=NOT_IN),
        }
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=HouseholdInvitationCreateSerializer,
        responses={201: HouseholdInvitationSerializer, 404: OpenApiResponse(description=NOT_IN)},
    )
    def post(self, request: Request) -> Response:
        """Mail an invitation (in the caller's language) with a link good for 14 days; the
        answer never holds its token. Only the owner invites (400 under ``household``)."""
        membership = _membership(request)
        serializer = HouseholdInvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sent = services.invitation_send(
            household=membership.household,
            by=_caller(request),
            email=serializer.validated_data["email"],
        )
        return Response(
            HouseholdInvitationSerializer(sent.invitation).data, status=status.HTTP_201_CREATED
        )


class HouseholdInvitationView(generics.RetrieveDestroyAPIView):  # type: ignore[type-arg]
    """One open invitation of the caller's household; the owner withdraws it (its link
    answers "not valid" from then on)."""

    serializer_class = HouseholdInvitationSerializer
    queryset = Invitation.objects.none()  # the schema's model; rows: get_queryset

    def get_queryset(self) -> QuerySet[Invitation]:
        household = _membership(self.request).household
        return invitations_open(household=household).select_related("invited_by")

    def perform_destroy(self, instance: Invitation) -> None:
        services.invitation_revoke(invitation=instance, by=_caller(self.request))


class HouseholdJoinView(APIView):
    @extend_schema(
        request=HouseholdJoinSerializer,
        responses={200: HouseholdSerializer, 404: OpenApiResponse(description=NO_INVITATION)},
    )
    def post(self, request: Request) -> Response:
        """Accept an invitation: the caller's account must have the invited address and
        be in no household (a 400 under ``token`` otherwise). A token that is unknown,
        used, withdrawn or expired is a 404, as the invitation's page answers it: the
        token is the credential, and a wrong one finds nothing."""
        serializer = HouseholdJoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = serializer.validated_data["token"]
        if services.invitation_find(token=token) is None:
            raise Http404
        services.invitation_accept(token=token, user=_caller(request))
        return _current_household(request)


# ----------------------------------------------------------------------------- sharing


def _shares_answer(user: User) -> dict[str, Any]:
    data = {
        "sources": [
            {"id": source, "role": source.household_share.role}
            for source in shared_sources_for(user=user).filter(owner=user).order_by("name", "pk")
        ],
        "scenarios": [
            {"id": scenario, "role": scenario.household_share.role}
            for scenario in shared_scenarios_for(user=user)
            .filter(owner=user)
            .order_by("name", "pk")
        ],
    }
    return HouseholdSharesSerializer(data).data


def _shares_set(
    *, user: User, sources: Iterable[Mapping[str, Any]], scenarios: Iterable[Mapping[str, Any]]
) -> None:
    """The caller's sharing as listed: each listed row with its role, each of theirs
    not listed no longer shared (``services.shares_set``, all or nothing)."""
    sources, scenarios = list(sources), list(scenarios)
    listed_sources = {row["id"].pk for row in sources}
    listed_scenarios = {row["id"].pk for row in scenarios}
    services.shares_set(
        by=user,
        sources=[
            *((s, None) for s in shared_sources_for(user=user).filter(owner=user)
              if s.pk not in listed_sources),
            *((row["id"], row["role"]) for row in sources),
        ],
        scenarios=[
            *((s, None) for s in shared_scenarios_for(user=user).filter(owner=user)
              if s.pk not in listed_scenarios),
            *((row["id"], row["role"]) for row in scenarios),
        ],
    )  # fmt: skip


class HouseholdSharesView(APIView):
    """What the caller shares with their household: their own sources and scenarios,
    each with its role."""

    @extend_schema(
        responses={200: HouseholdSharesSerializer, 404: OpenApiResponse(description=NOT_IN)}
    )
    def get(self, request: Request) -> Response:
        _membership(request)
        return Response(_shares_answer(_caller(request)))

    @extend_schema(
        request=HouseholdSharesSerializer,
        responses={200: HouseholdSharesSerializer, 404: OpenApiResponse(description=NOT_IN)},
    )
    def put(self, request: Request) -> Response:
        """Share exactly these: a source or scenario of the caller's that is left out is
        no longer shared; an id that is not the caller's is a 400, and nothing changes."""
        _membership(request)
        serializer = HouseholdSharesSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        _shares_set(user=_caller(request), **serializer.validated_data)
        return Response(_shares_answer(_caller(request)))


# ----------------------------------------------------------------------------- shared rows


def _lines(request: Request) -> list[SharedSourceLine]:
    household: Household = _membership(request).household
    return household_figures(household=household, today=timezone.localdate()).lines


class HouseholdSourcesView(APIView):
    @extend_schema(
        responses={
            200: HouseholdSourceSerializer(many=True),
            404: OpenApiResponse(description=NOT_IN),
        }
    )
    def get(self, request: Request) -> Response:
        """The sources shared with the household (the caller's own shared ones too), by
        name, with the figures their owners' dashboards show for them."""
        return Response(HouseholdSourceSerializer(_lines(request), many=True).data)


class HouseholdSourceView(APIView):
    @extend_schema(
        responses={200: HouseholdSourceSerializer, 404: OpenApiResponse(description=NOT_SHARED)}
    )
    def get(self, request: Request, pk: int) -> Response:
        """One source shared with the household, with its figures."""
        source = get_object_or_404(shared_sources_for(user=_caller(request)), pk=pk)
        line = next((line for line in _lines(request) if line.source.pk == source.pk), None)
        if line is None:
            raise Http404
        return Response(HouseholdSourceSerializer(line).data)


class HouseholdSourcePaymentsView(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """The payments of a shared source, newest first. An "edit" share takes new ones
    (they are its owner's payments); for a "view" share a new one is a 404, as for a
    source not shared at all."""

    serializer_class = HouseholdPaymentSerializer
    queryset = Payment.objects.none()  # the schema's model; rows: get_queryset
    filter_backends: list[Any] = []

    def _source(self, *, edit: bool) -> IncomeSource:
        rows = shared_sources_for(user=_caller(self.request), edit=edit)
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Payment]:
        source = self._source(edit=False)
        return source.payments.order_by("-date", "-pk")

    @extend_schema(
        responses={201: HouseholdPaymentSerializer, 404: OpenApiResponse(description=NOT_EDITABLE)}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a payment of a source shared to edit: its owner's payment, as if they
        had typed it (their figures change)."""
        source = self._source(edit=True)  # a "view" share is a 404 before the body counts
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.shared_payment_create(
            user=_caller(request), source=source, **serializer.validated_data
        )
        return Response(self.get_serializer(payment).data, status=status.HTTP_201_CREATED)


class HouseholdPaymentView(generics.RetrieveDestroyAPIView):  # type: ignore[type-arg]
    """One payment of a source shared with the household; one of an "edit" share can be
    deleted (for a "view" share that is a 404)."""

    serializer_class = HouseholdPaymentSerializer
    queryset = Payment.objects.none()  # the schema's model; rows: get_queryset

    def get_queryset(self) -> QuerySet[Payment]:
        edit = self.request.method == "DELETE"
        sources = shared_sources_for(user=_caller(self.request), edit=edit)
        return Payment.objects.filter(source__in=sources)

    def perform_destroy(self, instance: Payment) -> None:
        services.shared_payment_delete(user=_caller(self.request), payment=instance)


class HouseholdScenariosView(APIView):
    @extend_schema(
        responses={
            200: HouseholdScenarioSerializer(many=True),
            404: OpenApiResponse(description=NOT_IN),
        }
    )
    def get(self, request: Request) -> Response:
        """The scenarios shared with the household (the caller's own shared ones too)."""
        _membership(request)
        scenarios = shared_scenarios_for(user=_caller(request)).order_by("name", "pk")
        return Response(HouseholdScenarioSerializer(scenarios, many=True).data)


class HouseholdScenarioView(generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    """A scenario shared with the household. An "edit" share takes changes to its inputs
    (PATCH; its stored result is cleared, as the owner's change clears it); for a "view"
    share a change is a 404."""

    serializer_class = HouseholdScenarioSerializer
    queryset = Scenario.objects.none()  # the schema's model; rows: get_queryset
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Scenario]:
        edit = self.request.method == "PATCH"
        return shared_scenarios_for(user=_caller(self.request), edit=edit)

    def perform_update(self, serializer: BaseSerializer[Scenario]) -> None:
        scenario = services.shared_scenario_update(
            user=_caller(self.request),
            scenario=cast(Scenario, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=scenario.pk)


class HouseholdDashboardView(APIView):
    @extend_schema(
        responses={200: HouseholdDashboardSerializer, 404: OpenApiResponse(description=NOT_IN)}
    )
    def get(self, request: Request) -> Response:
        """The household's shared income as of today: totals per currency and each shared
        source (the household view of the dashboard)."""
        household = _membership(request).household
        figures = household_figures(household=household, today=timezone.localdate())
        return Response(HouseholdDashboardSerializer(figures).data)
