"""Alert channels, rules, the events the rules raised and their deliveries.

An event is stored once per ``key`` and owner (the unique constraint is what makes "one
message per overdue payout" hold when two evaluations race), and gets one delivery per
channel its rule sends to. A delivery keeps what the other side answered, so the person
and the admin can see why a push did not arrive. A channel whose deliveries keep failing
is switched off (``disabled_at``) until its owner turns it on again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    NTFY = "ntfy", _("ntfy")
    GOTIFY = "gotify", _("Gotify")
    WEBHOOK = "webhook", _("Webhook")


class RuleKind(models.TextChoices):
    OVERDUE = "overdue", _("Payout overdue")
    BEHIND_PLAN = "behind_plan", _("Source behind plan")
    TARGET = "target", _("Scenario target reached or lost")
    INDEPENDENCE = "independence", _("Independence reached or lost")
    IMPORT_DONE = "import_done", _("Import finished")
    IMPORT_FAILED = "import_failed", _("Import failed")


class EventKind(models.TextChoices):
    """What an event is: a rule's kind, or the test message a person sends themselves."""

    OVERDUE = RuleKind.OVERDUE.value, RuleKind.OVERDUE.label
    BEHIND_PLAN = RuleKind.BEHIND_PLAN.value, RuleKind.BEHIND_PLAN.label
    TARGET = RuleKind.TARGET.value, RuleKind.TARGET.label
    INDEPENDENCE = RuleKind.INDEPENDENCE.value, RuleKind.INDEPENDENCE.label
    IMPORT_DONE = RuleKind.IMPORT_DONE.value, RuleKind.IMPORT_DONE.label
    IMPORT_FAILED = RuleKind.IMPORT_FAILED.value, RuleKind.IMPORT_FAILED.label
    TEST = "test", _("Test message")


#: The most days of grace an overdue payout can have: the calendar's window (three past
#: months) must still hold the month that became overdue (``alerts.rules``).
MAX_GRACE_DAYS = 60


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class AlertChannel(models.Model):
    """Where alerts go. ``url`` is the ntfy or Gotify server or the webhook's address,
    ``topic`` ntfy's topic, ``token`` ntfy's access token or Gotify's application token,
    ``secret`` the webhook's signing key (made by us, shown to the owner)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="alert_channels",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("address"), max_length=500, blank=True)
    topic = models.CharField(_("topic"), max_length=64, blank=True)
    token = models.CharField(_("access token"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=80, blank=True)
    enabled = models.BooleanField(_("on"), default=True)
    failures = models.PositiveIntegerField(
        _("failures in a row"),
        default=0,
        help_text=_("Deliveries that failed for good since the last one that arrived."),
    )
    disabled_at = models.DateTimeField(_("switched off"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert channel")
        verbose_name_plural = _("alert channels")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=("owner", "name"), name="alert_channel_name_once"),
            models.CheckConstraint(
                condition=Q(kind__in=ChannelKind.values), name="alert_channel_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class AlertRule(models.Model):
    """One kind of alert of one user: on or off, its channels, and for an overdue payout
    the days of grace after the expected day."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="alert_rules",
    )
    kind = models.CharField(_("alert"), max_length=16, choices=RuleKind.choices)
    enabled = models.BooleanField(_("on"), default=True)
    days = models.PositiveSmallIntegerField(
        _("days of grace"),
        default=7,
        help_text=_(
            "For an overdue payout: the days after the month it was expected in, before "
            "you are told."
        ),
    )
    channels = models.ManyToManyField(
        AlertChannel, verbose_name=_("channels"), related_name="rules", blank=True
    )

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ("owner", "kind")
        constraints = [
            models.UniqueConstraint(fields=("owner", "kind"), name="alert_rule_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=RuleKind.values), name="alert_rule_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(days__lte=MAX_GRACE_DAYS), name="alert_rule_days_within_bound"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class AlertState(models.Model):
    """The last seen state of something that is reached or lost (independence, a
    scenario's target, a source behind plan): an alert is raised when it changes."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_states"
    )
    subject = models.CharField(max_length=120)
    on = models.BooleanField()
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert state")
        verbose_name_plural = _("alert states")
        constraints = [
            models.UniqueConstraint(fields=("owner", "subject"), name="alert_state_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {'on' if self.on else 'off'}"


class AlertEvent(models.Model):
    """Something a rule found, once per ``key``: its text in the owner's language as it
    was when raised, and what a webhook receives as ``data``."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="alert_events",
    )
    kind = models.CharField(_("alert"), max_length=16, choices=EventKind.choices)
    key = models.CharField(_("key"), max_length=160)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("owner", "key"), name="alert_event_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.title


class AlertDelivery(models.Model):
    """One event sent through one channel: every attempt's outcome, the last response."""

    event = models.ForeignKey(
        AlertEvent, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        AlertChannel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("event", "channel"), name="alert_delivery_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.channel}"
