"""The alerts page's forms: a channel's fields, and the rules' switches. The rules a
service enforces (an address, a topic, a name used once) are checked there and shown
here with ``add_service_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import MAX_GRACE_DAYS, AlertChannel, AlertRule, ChannelKind, RuleKind


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("e.g. “Phone”"))
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        help_text=_(
            "ntfy: the server, e.g. https://ntfy.sh. Gotify: your server. Webhook: the "
            "address that receives the POST. Not needed for e-mail."
        ),
    )
    topic = forms.CharField(
        label=_("Topic"), max_length=64, required=False, help_text=_("ntfy only.")
    )
    token = forms.CharField(
        label=_("Access token"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("ntfy: an access token, if your topic is protected. Gotify: the app token."),
    )


#: The fields each kind of channel has, besides its name.
KIND_FIELDS = {
    ChannelKind.EMAIL: (),
    ChannelKind.WEBHOOK: ("url",),
    ChannelKind.NTFY: ("url", "topic", "token"),
    ChannelKind.GOTIFY: ("url", "token"),
}


class ChannelEditForm(ChannelForm):
    """A channel's own fields, without the kind, which a channel keeps.

    The stored token is never written into the page: the field is empty, and left empty
    it keeps the token (ntfy's optional one can be removed with ``clear_token``)."""

    clear_token = forms.BooleanField(label=_("Remove the access token"), required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"name", *KIND_FIELDS[ChannelKind(kind)]}
        if kind == ChannelKind.NTFY:
            keep.add("clear_token")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "token" in self.fields:
            self.fields["token"].widget = forms.PasswordInput(render_value=False)
            self.fields["token"].help_text = _("Leave it empty to keep the stored token.")

    def changes(self) -> dict[str, str]:
        """What to hand to ``alert_channel_update``: the token only when one was typed
        (or removed)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "clear_token"}
        if self.cleaned_data.get("clear_token"):
            data["token"] = ""
        elif not data.get("token"):
            data.pop("token", None)
        return data


class RulesForm(forms.Form):
    """Per rule: on or off, its channels, and for overdue payouts the days of grace."""

    def __init__(
        self, *args: Any, rules: list[AlertRule], channels: list[AlertChannel], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        choices = [(str(c.pk), c.name) for c in channels]
        for rule in rules:
            self.fields[f"{rule.kind}-enabled"] = forms.BooleanField(
                label=rule.get_kind_display(), required=False, initial=rule.enabled
            )
            if rule.kind == RuleKind.OVERDUE:
                self.fields[f"{rule.kind}-days"] = forms.IntegerField(
                    label=_("Days of grace"),
                    min_value=0,
                    max_value=MAX_GRACE_DAYS,
                    initial=rule.days,
                    help_text=rule._meta.get_field("days").help_text,
                )
            self.fields[f"{rule.kind}-channels"] = forms.MultipleChoiceField(
                label=_("Channels"),
                choices=choices,
                required=False,
                initial=[str(c.pk) for c in rule.channels.all()],
                widget=forms.CheckboxSelectMultiple,
            )

    def rows(self) -> list[dict[str, Any]]:
        """The bound fields of each rule, for the template's table."""
        return [
            {
                "rule": rule,
                "enabled": self[f"{rule.kind}-enabled"],
                "days": self[f"{rule.kind}-days"] if rule.kind == RuleKind.OVERDUE else None,
                "channels": self[f"{rule.kind}-channels"],
            }
            for rule in self.rules
        ]
