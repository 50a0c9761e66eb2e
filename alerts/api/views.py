"""``/api/v1/alerts/``: the caller's channels, rules, delivery log, and "check now"."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from alerts import services
from alerts.api.serializers import (
    AlertChannelSerializer,
    AlertDeliverySerializer,
    AlertQueuedSerializer,
    AlertRuleSerializer,
)
from alerts.models import AlertChannel, AlertDelivery, AlertRule
from alerts.selectors import alert_channels_of, alert_deliveries_of
from finance.errors import DomainError


class AlertChannelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """The caller's alert channels; another user's is a 404. A new channel is added to
    every rule; its kind cannot change afterwards."""

    queryset = AlertChannel.objects.none()
    serializer_class = AlertChannelSerializer
    ordering = ("name",)

    def owner(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self) -> QuerySet[AlertChannel]:
        return alert_channels_of(owner=self.owner())

    def perform_create(self, serializer: AlertChannelSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        enabled = data.pop("enabled", True)
        channel = services.alert_channel_create(owner=self.owner(), **data)
        if not enabled:
            services.alert_channel_enable(channel=channel, enabled=False)
        serializer.instance = channel

    def perform_update(self, serializer: AlertChannelSerializer) -> None:  # type: ignore[override]
        channel = cast(AlertChannel, serializer.instance)
        data = dict(serializer.validated_data)
        if "kind" in data and data.pop("kind") != channel.kind:
            raise DomainError({"kind": [_("A channel's kind cannot change; add a new one.")]})
        enabled = data.pop("enabled", None)
        if data:
            services.alert_channel_update(channel=channel, **data)
        if enabled is not None:
            services.alert_channel_enable(channel=channel, enabled=enabled)

    def perform_destroy(self, instance: AlertChannel) -> None:
        services.alert_channel_delete(channel=instance)

    @extend_schema(request=None, responses={202: AlertQueuedSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a test message through this channel alone; see the delivery log."""
        services.alert_channel_test(channel=self.get_object())
        return Response({"detail": "queued"}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: AlertChannelSerializer})
    @action(detail=True, methods=["post"])
    def secret(self, request: Request, pk: str | None = None) -> Response:
        """A webhook's new signing secret; the old one signs nothing from now on."""
        channel = services.alert_channel_secret_rotate(channel=self.get_object())
        return Response(AlertChannelSerializer(channel, context={"request": request}).data)


class AlertRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """The caller's rules, one per kind (``/alerts/rules/overdue/``)."""

    queryset = AlertRule.objects.none()
    serializer_class = AlertRuleSerializer
    lookup_field = "kind"
    pagination_class = None
    # Not ``channels``: sorting by a many-to-many lists a rule once per channel.
    ordering_fields = ("kind", "enabled", "days")

    def get_queryset(self) -> QuerySet[AlertRule]:
        owner = cast(User, self.request.user)
        services.alert_rules_of(owner=owner)
        return AlertRule.objects.filter(owner=owner).prefetch_related("channels")

    def perform_update(self, serializer: AlertRuleSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = services.alert_rule_update(
            rule=cast(AlertRule, serializer.instance),
            enabled=data.get("enabled"),
            days=data.get("days"),
            channels=data.get("channels"),
        )


class AlertDeliveryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The caller's delivery log, newest first, with each answer."""

    queryset = AlertDelivery.objects.none()
    serializer_class = AlertDeliverySerializer

    def get_queryset(self) -> QuerySet[AlertDelivery]:
        return alert_deliveries_of(owner=cast(User, self.request.user))


class AlertCheckView(GenericAPIView):  # type: ignore[type-arg]
    """Check the caller's rules now, on the worker (they are checked every morning too)."""

    serializer_class = AlertQueuedSerializer

    @extend_schema(request=None, responses={202: AlertQueuedSerializer})
    def post(self, request: Request) -> Response:
        services.alerts_check_queue(owner=cast(User, request.user))
        return Response({"detail": "queued"}, status=status.HTTP_202_ACCEPTED)
