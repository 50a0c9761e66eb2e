"""The alerts page: channels, rules, the delivery log (thin: ``alerts.services`` decides)."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import services
from alerts.forms import ChannelEditForm, ChannelForm, RulesForm
from alerts.models import AlertChannel
from alerts.selectors import RECENT_DELIVERIES, alert_channels_of, alert_deliveries_of
from finance.errors import DomainError
from income.forms.base import add_service_errors


def _page(
    request: HttpRequest,
    *,
    channel_form: ChannelForm | None = None,
    rules_form: RulesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = cast(User, request.user)
    rules = services.alert_rules_of(owner=user)
    channels = list(alert_channels_of(owner=user))
    context = {
        "channels": channels,
        "channel_form": channel_form or ChannelForm(),
        "rules_form": rules_form or RulesForm(rules=rules, channels=channels),
        "deliveries": alert_deliveries_of(owner=user)[:RECENT_DELIVERIES],
        "max_failures": settings.ALERT_CHANNEL_MAX_FAILURES,
    }
    return render(request, "alerts/settings.html", context, status=status)


@login_required
def alert_settings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def alert_channel_add(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            channel = services.alert_channel_create(
                owner=cast(User, request.user), **form.cleaned_data
            )
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
            return redirect("alert_settings")
    return _page(request, channel_form=form, status=400)


def _own_channel(request: HttpRequest, pk: int | str) -> AlertChannel:
    return get_object_or_404(alert_channels_of(owner=cast(User, request.user)), pk=pk)


@login_required
def alert_channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _own_channel(request, pk)
    initial = {name: getattr(channel, name) for name in services.CHANNEL_FIELDS if name != "token"}
    form = ChannelEditForm(request.POST or None, initial=initial, kind=channel.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_channel_update(channel=channel, **form.changes())
        except DomainError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Channel “%(name)s” saved.") % {"name": channel.name})
            return redirect("alert_settings")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "alerts/channel_edit.html", {"channel": channel, "form": form}, status=status
    )


@login_required
@require_POST
def alert_channel_action(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    """Test, switch on, switch off, rotate the secret or delete one channel."""
    channel = _own_channel(request, pk)
    name = {"name": channel.name}
    try:
        if action == "test":
            services.alert_channel_test(channel=channel)
            messages.success(request, _("A test message is on its way to “%(name)s”.") % name)
        elif action == "on":
            services.alert_channel_enable(channel=channel)
            messages.success(request, _("“%(name)s” is on.") % name)
        elif action == "off":
            services.alert_channel_enable(channel=channel, enabled=False)
            messages.success(request, _("“%(name)s” is off.") % name)
        elif action == "secret":
            services.alert_channel_secret_rotate(channel=channel)
            messages.success(request, _("“%(name)s” has a new signing secret.") % name)
        elif action == "delete":
            services.alert_channel_delete(channel=channel)
            messages.success(request, _("“%(name)s” deleted.") % name)
    except DomainError as error:
        for field_messages in error.field_errors.values():
            for message in field_messages:
                messages.error(request, message)
    return redirect("alert_settings")


@login_required
@require_POST
def alert_rules_save(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    rules = services.alert_rules_of(owner=user)
    channels = list(alert_channels_of(owner=user))
    form = RulesForm(request.POST, rules=rules, channels=channels)
    if not form.is_valid():
        return _page(request, rules_form=form, status=400)
    by_pk = {str(c.pk): c for c in channels}
    data = form.cleaned_data
    for rule in rules:
        services.alert_rule_update(
            rule=rule,
            enabled=data[f"{rule.kind}-enabled"],
            days=data.get(f"{rule.kind}-days"),
            channels=[by_pk[pk] for pk in data[f"{rule.kind}-channels"]],
        )
    messages.success(request, _("Alert rules saved."))
    return redirect("alert_settings")


@login_required
@require_POST
def alerts_check(request: HttpRequest) -> HttpResponse:
    services.alerts_check_queue(owner=cast(User, request.user))
    messages.success(request, _("Your rules are being checked; alerts arrive in a moment."))
    return redirect("alert_settings")
