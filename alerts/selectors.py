"""Reading a user's alerts: channels, recent deliveries (always owner-scoped)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from alerts.models import AlertChannel, AlertDelivery, AlertEvent

RECENT_DELIVERIES = 30


def alert_channels_of(*, owner: User) -> QuerySet[AlertChannel]:
    return AlertChannel.objects.filter(owner=owner)


def alert_deliveries_of(*, owner: User) -> QuerySet[AlertDelivery]:
    return AlertDelivery.objects.filter(event__owner=owner).select_related("event", "channel")


def alert_events_of(*, owner: User) -> QuerySet[AlertEvent]:
    return AlertEvent.objects.filter(owner=owner)
