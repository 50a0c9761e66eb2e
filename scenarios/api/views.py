"""Scenario API: CRUD and clone; every write goes through ``scenarios.services``."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scenarios import selectors, services
from scenarios.api.serializers import ScenarioSerializer
from scenarios.models import Scenario


class ScenarioViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    serializer_class = ScenarioSerializer
    ordering_fields = ("name", "created_at", "updated_at")
    ordering = ("name",)
    filterset_fields = ("compounding", "payout")

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
