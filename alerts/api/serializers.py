"""Alerts over the API: channels, rules and the delivery log, as the alerts page has them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alerts.models import MAX_GRACE_DAYS, AlertChannel, AlertDelivery, AlertEvent, AlertRule
from config.api.serializers import ModelSerializer, Serializer


class AlertChannelSerializer(ModelSerializer):  # type: ignore[type-arg]
    """Where alerts go. ``url`` is the ntfy or Gotify server or the webhook's address,
    ``topic`` ntfy's topic; ``token`` (write-only) ntfy's access token or Gotify's app
    token. A webhook's ``secret`` signs its deliveries (``Ertrag-Signature``). A channel
    whose deliveries failed ``ALERT_CHANNEL_MAX_FAILURES`` times in a row is switched
    off (``enabled`` false, ``disabled_at`` set); ``enabled: true`` switches it on again."""

    token = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200,
        help_text=_("ntfy's access token or Gotify's application token; never read back."),
    )  # fmt: skip
    has_token = serializers.SerializerMethodField(help_text=_("Whether a token is set."))
    # Text, not DRF's URL field: which address a channel needs turns on its kind (none for
    # e-mail, http:// or https:// for the others), which the service checks in one place.
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text=_(
            "ntfy's or Gotify's server, or the webhook's address: http:// or https://. "
            "Not used for e-mail."
        ),
    )  # fmt: skip

    class Meta:
        model = AlertChannel
        fields = (
            "id", "kind", "name", "url", "topic", "token", "has_token", "secret", "enabled",
            "failures", "disabled_at", "created_at",
        )  # fmt: skip
        read_only_fields = ("id", "secret", "failures", "disabled_at", "created_at")
        validators: list[Any] = []  # a name used once per owner: the service's rule
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}

    def get_has_token(self, channel: AlertChannel) -> bool:
        return bool(channel.token)


class ChannelIdsField(serializers.ManyRelatedField):
    """The rule's channels: a list of the caller's channel ids.

    DRF's many-related field takes any iterable, so ``{}`` (a dict's keys) passed as an
    empty list and cleared the channels, while the schema says array (as
    ``scenarios.api.serializers.SourceIdsField``).
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class AlertRuleSerializer(ModelSerializer):  # type: ignore[type-arg]
    """One kind of alert: on or off, its channels, and for ``overdue`` the days of grace
    after the month the payout was expected in."""

    channels = ChannelIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=AlertChannel.objects.none()),
        help_text=_("The channels' ids."),  # type: ignore[arg-type]  # DRF takes a lazy text
    )
    days = serializers.IntegerField(min_value=0, max_value=MAX_GRACE_DAYS, required=False)

    class Meta:
        model = AlertRule
        fields = ("kind", "enabled", "days", "channels")
        read_only_fields = ("kind",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            field = self.fields["channels"]
            assert isinstance(field, serializers.ManyRelatedField)  # noqa: S101 - many=True
            relation: Any = field.child_relation
            relation.queryset = AlertChannel.objects.filter(owner=request.user)


class AlertEventSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AlertEvent
        fields = ("id", "kind", "key", "title", "message", "link", "data", "created_at")
        read_only_fields = fields


class AlertDeliverySerializer(ModelSerializer):  # type: ignore[type-arg]
    """One alert sent through one channel, with what the other side answered."""

    event = AlertEventSerializer(read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = AlertDelivery
        fields = (
            "id", "event", "channel", "channel_name", "status", "attempts", "response_status",
            "response_body", "error", "created_at", "attempted_at", "sent_at",
        )  # fmt: skip
        read_only_fields = fields


class AlertQueuedSerializer(Serializer):  # type: ignore[type-arg]
    """The work was handed to the worker; its outcome shows in the delivery log."""

    detail = serializers.CharField()
