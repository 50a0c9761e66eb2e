"""Scenario serializers: shapes only; the rules are in ``scenarios.services``."""

from __future__ import annotations

from rest_framework import serializers

from income.api.serializers import OwnedSourceField
from scenarios.models import Scenario
from scenarios.services import SCENARIO_FIELDS


class ScenarioSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sources = OwnedSourceField(many=True, required=False)

    class Meta:
        model = Scenario
        fields = (
            "id",
            *SCENARIO_FIELDS,
            "sources",
            "result",
            "result_computed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "result", "result_computed_at", "created_at", "updated_at")
