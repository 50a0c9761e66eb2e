"""Reads of scenarios, scoped to their owner."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from scenarios.models import Scenario


def scenario_list(*, owner: User) -> QuerySet[Scenario]:
    return (
        Scenario.objects.filter(owner=owner)
        .select_related("tax_profile")
        .prefetch_related("sources")
    )
