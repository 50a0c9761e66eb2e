"""Alerts in the admin: channels (an admin may switch one on or off for a user whose
push server went away), rules, and the events and deliveries read-only, with the
answers the other side gave."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts.models import AlertChannel, AlertDelivery, AlertEvent, AlertRule
from alerts.services import alert_channel_enable
from reports.admin import ReadOnlyAdmin


@admin.action(description=_("Switch on again (forgive the failures)"), permissions=["change"])
def channels_enable(
    modeladmin: admin.ModelAdmin[AlertChannel],
    request: HttpRequest,
    queryset: QuerySet[AlertChannel],
) -> None:
    channels = list(queryset)
    for channel in channels:
        alert_channel_enable(channel=channel)
    modeladmin.message_user(
        request,
        ngettext("%(count)d channel switched on.", "%(count)d channels switched on.", len(channels))
        % {"count": len(channels)},
    )


@admin.register(AlertChannel)
class AlertChannelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only but for the actions: a channel's fields are checked by its kind in
    ``alerts.services``, which the admin's form would bypass, and its token and secret
    are its owner's credentials, shown to nobody here."""

    list_display = ("name", "owner", "kind", "enabled", "failures", "disabled_at", "created_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "owner__username", "url")
    list_select_related = ("owner",)
    fields = ("owner", "kind", "name", "url", "topic", "has_token", "enabled", "failures",
              "disabled_at", "created_at")  # fmt: skip
    readonly_fields = fields
    actions = (channels_enable,)

    @admin.display(boolean=True, description=_("access token set"))
    def has_token(self, channel: AlertChannel) -> bool:
        return bool(channel.token)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a channel is its owner's: made on the alerts page or by the API


@admin.register(AlertRule)
class AlertRuleAdmin(ReadOnlyAdmin):
    list_display = ("owner", "kind", "enabled", "days")
    list_filter = ("kind", "enabled")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AlertDelivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "response_status", "error", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(AlertEvent)
class AlertEventAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "owner__username", "key")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    inlines = (DeliveryInline,)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event", "channel", "status", "attempts", "response_status", "attempted_at")
    list_filter = ("status", "channel__kind")
    search_fields = ("event__title", "channel__name", "event__owner__username")
    list_select_related = ("event", "channel")
    date_hierarchy = "created_at"
