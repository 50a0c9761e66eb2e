"""Scenario API: CRUD and clone; every write goes through ``scenarios.services``."""

from __future__ import annotations

import re
from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from income.ids import object_ids
from scenarios import plan_actual, selectors, services
from scenarios.api.serializers import (
    CompareSerializer,
    ProjectionSerializer,
    ScenarioSerializer,
    ShocksSerializer,
    SourceTrackingSerializer,
    StressResultSerializer,
)
from scenarios.comparison import differences_to_first
from scenarios.models import Scenario


class ScenarioViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Scenario.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = ScenarioSerializer
    ordering_fields = ("name", "created_at", "updated_at")
    ordering = ("name",)
    filterset_fields = ("compounding", "payout", "tax_timing")

    def owner(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self) -> QuerySet[Scenario]:
        return selectors.scenario_list(owner=self.owner())

    def perform_create(self, serializer: ScenarioSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.scenario_create(
            owner=self.owner(), sources=data.pop("sources", []), **data
        )

    def perform_update(self, serializer: ScenarioSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.scenario_update(
            scenario=cast(Scenario, serializer.instance), sources=data.pop("sources", None), **data
        )

    def perform_destroy(self, instance: Scenario) -> None:
        services.scenario_delete(scenario=instance)

    @extend_schema(request=None, responses={201: ScenarioSerializer})
    @action(detail=True, methods=["post"])
    def clone(self, request: Request, pk: str | None = None) -> Response:
        """A copy with the same inputs and links, to vary one thing."""
        copy = services.scenario_clone(scenario=self.get_object())
        return Response(
            self.get_serializer(selectors.scenario_list(owner=self.owner()).get(pk=copy.pk)).data,
            status=status.HTTP_201_CREATED,
        )


MAX_COMPARED = 4
#: ``?ids=`` of the comparison: one to ``MAX_COMPARED`` ids, commas between, nothing else.
_ID = "[1-9][0-9]{0,17}"
COMPARE_IDS_PATTERN = rf"^{_ID}(?:,{_ID}){{0,{MAX_COMPARED - 1}}}$"


class ScenarioAnalysisViewSet(ScenarioViewSet):
    """Adds the projection, the comparison and the stress test to the scenario resource."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "months",
                OpenApiTypes.BOOL,
                required=False,
                description="true: with the monthly rows (1 too); false or left out: without.",
            )
        ],
        responses={200: ProjectionSerializer},
    )
    @action(detail=True, methods=["get"])
    def projection(self, request: Request, pk: str | None = None) -> Response:
        """The projection by year (and month), the independence month, and the fan; for a
        saved calculation (tax_timing "at_end") also the calculator's figures."""
        outcome = services.scenario_run(scenario=self.get_object(), today=timezone.localdate())
        data = ProjectionSerializer(outcome).data
        months = request.query_params.get("months", "false")
        if months not in ("true", "false", "1", "0"):
            raise ValidationError({"months": [_("Enter true or false.")]})
        if months in ("false", "0"):
            data.pop("months", None)
        return Response(data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ids",
                # As ``object_ids`` reads it: one to MAX_COMPARED ids, separated by commas.
                {"type": "string", "pattern": COMPARE_IDS_PATTERN},
                required=True,
                description=f"One to {MAX_COMPARED} of your scenario ids, e.g. 1,2,3",
            )
        ],
        # The ids are in the query, so the schema hook's 404 for a path id does not reach it.
        responses={
            200: CompareSerializer,
            404: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="An id that is not one of your scenarios.",
            ),
        },
    )
    @action(detail=False, methods=["get"])
    def compare(self, request: Request) -> Response:
        """Up to four of the caller's scenarios side by side, each after the first with its
        ``difference`` to the first (the compare page's column, from the same function);
        another user's id is a 404."""
        raw = request.query_params.get("ids", "")
        try:
            ids = object_ids([raw])
        except ValueError:
            raise ValidationError({"ids": [_("Give scenario ids separated by commas.")]}) from None
        if not re.fullmatch(COMPARE_IDS_PATTERN, raw) and 1 <= len(ids) <= MAX_COMPARED:
            # Empty parts or spaces ("1,,2", "1, 2"): refused, as the schema's pattern does.
            raise ValidationError({"ids": [_("Give scenario ids separated by commas.")]})
        if not 1 <= len(ids) <= MAX_COMPARED:
            raise ValidationError(
                {"ids": [_("Compare one to %(max)s scenarios.") % {"max": MAX_COMPARED}]}
            )
        found = {s.pk: s for s in self.get_queryset().filter(pk__in=ids)}
        if len(found) != len(ids):
            raise NotFound
        today = timezone.localdate()
        outcomes = [services.scenario_run(scenario=found[pk], today=today) for pk in ids]
        differences = differences_to_first([(o.scenario, o.projection) for o in outcomes])
        compared = [
            {**vars(outcome), "difference": change}
            for outcome, change in zip(outcomes, differences, strict=True)
        ]
        data = CompareSerializer({"scenarios": compared}).data
        for row in data["scenarios"]:
            row.pop("months", None)
        return Response(data)

    @extend_schema(responses={200: SourceTrackingSerializer(many=True)})
    # One list per scenario, never long: neither paginated nor filtered, as its schema says.
    @action(
        detail=True,
        methods=["get"],
        url_path="plan-vs-actual",
        pagination_class=None,
        filter_backends=[],
    )
    def plan_vs_actual(self, request: Request, pk: str | None = None) -> Response:
        """Each linked source's expected net beside what was received, month by month."""
        trackings = plan_actual.plan_vs_actual(
            scenario=self.get_object(), today=timezone.localdate()
        )
        return Response(SourceTrackingSerializer(trackings, many=True).data)

    @extend_schema(request=ShocksSerializer, responses={200: StressResultSerializer})
    @action(detail=False, methods=["post"], url_path="stress-test")
    def stress_test(self, request: Request) -> Response:
        """Shocks applied to the caller's active sources: monthly income, its path over 36
        months and independence, before and after."""
        shocks = ShocksSerializer(data=request.data)
        shocks.is_valid(raise_exception=True)
        result = services.stress_run(
            owner=self.owner(), today=timezone.localdate(), **shocks.validated_data
        )
        return Response(StressResultSerializer(result).data)
