"""Alert channels and rules of a user, raising events and delivering them.

Raising is all-or-nothing per event: the event row (unique per owner and key), one
delivery per channel of its rule, and the deliveries queued once the transaction
commits. A second evaluation, a second worker or a retried task finds the key taken
and raises nothing, which is what makes "one message per overdue payout" hold.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts import rules as alert_rules
from alerts.models import (
    MAX_GRACE_DAYS,
    AlertChannel,
    AlertDelivery,
    AlertEvent,
    AlertRule,
    AlertState,
    ChannelKind,
    DeliveryStatus,
    EventKind,
    RuleKind,
)
from alerts.signing import signing_secret_new
from alerts.transports import DeliveryFailed, deliver
from finance.errors import DomainError
from income.dispatch import task_send_on_commit
from income.services.users import profile_get_or_create
from reports.selectors import passive_net_by_month

logger = logging.getLogger(__name__)

#: Rules a new user starts with switched off: an import they just watched finish.
OFF_BY_DEFAULT = frozenset({RuleKind.IMPORT_DONE})
NTFY_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,64}")
CHANNEL_FIELDS = ("name", "url", "topic", "token")


# Rules ---------------------------------------------------------------------------------


def alert_rules_of(*, owner: User) -> list[AlertRule]:
    """Every kind's rule of ``owner``, in the order of ``RuleKind``; made on first use
    with the defaults (on, except an import finished; every channel)."""
    rules = {rule.kind: rule for rule in AlertRule.objects.filter(owner=owner)}
    missing = [kind for kind in RuleKind.values if kind not in rules]
    if missing:
        with transaction.atomic():
            AlertRule.objects.bulk_create(
                [AlertRule(owner=owner, kind=k, enabled=k not in OFF_BY_DEFAULT) for k in missing],
                ignore_conflicts=True,
            )
            channels = list(AlertChannel.objects.filter(owner=owner))
            for rule in AlertRule.objects.filter(owner=owner, kind__in=missing):
                rule.channels.add(*channels)
        rules = {rule.kind: rule for rule in AlertRule.objects.filter(owner=owner)}
    return [rules[kind] for kind in RuleKind.values]


def alert_rule_update(
    *,
    rule: AlertRule,
    enabled: bool | None = None,
    days: int | None = None,
    channels: list[AlertChannel] | None = None,
) -> AlertRule:
    """Switch ``rule`` on or off, set its days of grace, choose its channels (the
    owner's own only: another's is refused as unknown)."""
    if days is not None and not 0 <= days <= MAX_GRACE_DAYS:
        raise DomainError(
            {"days": [_("Enter a number of days from 0 to %(max)d.") % {"max": MAX_GRACE_DAYS}]}
        )
    if channels is not None and any(c.owner_id != rule.owner_id for c in channels):
        raise DomainError({"channels": [_("Unknown channel.")]})
    with transaction.atomic():
        if enabled is not None:
            rule.enabled = enabled
        if days is not None:
            rule.days = days
        rule.save()
        if channels is not None:
            rule.channels.set(channels)
    return rule


# Channels ------------------------------------------------------------------------------


def _http_url(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def _channel_errors(*, owner: User, kind: str, values: dict[str, str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values["name"].strip():
        errors["name"] = [_("Give the channel a name.")]
    elif len(values["name"]) > 80:
        errors["name"] = [_("At most 80 characters.")]
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Unknown kind of channel.")]
        return errors
    if kind == ChannelKind.EMAIL:
        if not owner.email:
            errors["kind"] = [_("Your account has no e-mail address to send alerts to.")]
        return errors
    url = values["url"].strip()
    if not url or len(url) > 500 or not _http_url(url):
        errors["url"] = [_("Enter an address that starts with http:// or https://.")]
    if kind == ChannelKind.NTFY and not NTFY_TOPIC.fullmatch(values["topic"]):
        errors["topic"] = [_("Enter the topic: 1 to 64 letters, digits, hyphens or underscores.")]
    if kind == ChannelKind.GOTIFY and not values["token"].strip():
        errors["token"] = [_("Enter the application token Gotify gave you.")]
    if len(values["token"]) > 200:
        errors["token"] = [_("At most 200 characters.")]
    return errors


def alert_channel_create(
    *, owner: User, kind: str, name: str, url: str = "", topic: str = "", token: str = ""
) -> AlertChannel:
    """A new channel of ``owner``, added to every rule; a webhook gets its signing
    secret here. Raises ``DomainError`` with what to fix; nothing is kept then."""
    values = {"name": name, "url": url, "topic": topic, "token": token}
    errors = _channel_errors(owner=owner, kind=kind, values=values)
    if not errors and AlertChannel.objects.filter(owner=owner, name=name.strip()).exists():
        errors["name"] = [_("You have a channel of this name already.")]
    if errors:
        raise DomainError(errors)
    rules = alert_rules_of(owner=owner)
    with transaction.atomic():
        channel = AlertChannel.objects.create(
            owner=owner,
            kind=kind,
            name=name.strip(),
            url="" if kind == ChannelKind.EMAIL else url.strip(),
            topic=topic if kind == ChannelKind.NTFY else "",
            token="" if kind in (ChannelKind.EMAIL, ChannelKind.WEBHOOK) else token.strip(),
            secret=signing_secret_new() if kind == ChannelKind.WEBHOOK else "",
        )
        for rule in rules:
            rule.channels.add(channel)
    return channel


def alert_channel_update(*, channel: AlertChannel, **changes: str) -> AlertChannel:
    """Change a channel's name, address, topic or token (not its kind)."""
    unknown = set(changes) - set(CHANNEL_FIELDS)
    if unknown:
        raise DomainError({name: [_("This field cannot be changed.")] for name in unknown})
    values = {name: changes.get(name, getattr(channel, name)) for name in CHANNEL_FIELDS}
    errors = _channel_errors(owner=channel.owner, kind=channel.kind, values=values)
    name = values["name"].strip()
    if (
        not errors
        and AlertChannel.objects.filter(owner=channel.owner, name=name)
        .exclude(pk=channel.pk)
        .exists()
    ):
        errors["name"] = [_("You have a channel of this name already.")]
    if errors:
        raise DomainError(errors)
    channel.name = name
    if channel.kind != ChannelKind.EMAIL:
        channel.url = values["url"].strip()
    if channel.kind == ChannelKind.NTFY:
        channel.topic = values["topic"]
    if channel.kind in (ChannelKind.NTFY, ChannelKind.GOTIFY):
        channel.token = values["token"].strip()
    channel.save()
    return channel


def alert_channel_enable(*, channel: AlertChannel, enabled: bool = True) -> AlertChannel:
    """Switch a channel on (its failures forgiven) or off."""
    channel.enabled = enabled
    if enabled:
        channel.failures = 0
        channel.disabled_at = None
    channel.save(update_fields=["enabled", "failures", "disabled_at"])
    return channel


def alert_channel_secret_rotate(*, channel: AlertChannel) -> AlertChannel:
    """A webhook's new signing secret; the old one signs nothing from now on."""
    if channel.kind != ChannelKind.WEBHOOK:
        raise DomainError({"secret": [_("Only a webhook has a signing secret.")]})
    channel.secret = signing_secret_new()
    channel.save(update_fields=["secret"])
    return channel


def alert_channel_delete(*, channel: AlertChannel) -> None:
    channel.delete()


# Raising and delivering ----------------------------------------------------------------


def _queue(deliveries: list[AlertDelivery]) -> None:
    from alerts.tasks import alert_deliver

    for delivery in deliveries:
        task_send_on_commit(
            alert_deliver,
            kwargs={"delivery_id": delivery.pk},
            on_unreachable=lambda pk=delivery.pk: alert_delivery_attempt(  # type: ignore[misc]
                delivery_id=pk, final=True
            ),
        )


def _raise(
    *, owner: User, finding: alert_rules.Finding, channels: list[AlertChannel]
) -> AlertEvent | None:
    """Store the event and its deliveries unless its key is taken; queue them."""
    try:
        with transaction.atomic():
            event = AlertEvent.objects.create(
                owner=owner,
                kind=finding.kind,
                key=finding.key[:160],
                title=finding.title[:200],
                message=finding.message,
                link=finding.link[:500],
                data=finding.data,
            )
            deliveries = AlertDelivery.objects.bulk_create(
                [AlertDelivery(event=event, channel=channel) for channel in channels]
            )
            _queue(deliveries)
    except IntegrityError:
        return None  # raised before: once per key
    return event


def _channels_of(rule: AlertRule) -> list[AlertChannel]:
    return [channel for channel in rule.channels.all() if channel.enabled]


def alert_raise(*, owner: User, finding: alert_rules.Finding) -> AlertEvent | None:
    """Raise ``finding`` if its rule is on and has a channel that is on; None when not
    raised (off, nowhere to send, or raised before)."""
    rule = AlertRule.objects.filter(owner=owner, kind=finding.kind, enabled=True).first()
    channels = _channels_of(rule) if rule is not None else []
    if not channels:
        return None
    return _raise(owner=owner, finding=finding, channels=channels)


def alert_channel_test(*, channel: AlertChannel) -> AlertEvent:
    """Send a test message through ``channel`` alone, whatever the rules say."""
    profile = profile_get_or_create(user=channel.owner)
    now = timezone.now()
    with translation.override(profile.language):
        finding = alert_rules.Finding(
            kind=EventKind.TEST,
            key=f"test:{channel.pk}:{now.timestamp()}",
            title=_("Test message from Ertrag"),
            message=_("If you read this, alerts reach you through %(channel)s.")
            % {"channel": channel.name},
            link=f"{settings.SITE_URL}/settings/alerts/",
            data={"channel": channel.name},
        )
    event = _raise(owner=channel.owner, finding=finding, channels=[channel])
    if event is None:  # the key has the current time in it: taken only by a double click
        raise DomainError({"channel": [_("A test message was just sent; try again.")]})
    return event


@dataclass(frozen=True)
class Attempt:
    status: str
    response_status: int | None
    error: str


def alert_delivery_attempt(*, delivery_id: int, final: bool) -> Attempt:
    """Try ``delivery_id`` once and write down what happened.

    A transient failure that is not ``final`` is raised again (``DeliveryFailed``, a
    ``ConnectionError``) for the task to retry with backoff; any other failure is the
    delivery's end. Each failed delivery counts against its channel, and
    ``ALERT_CHANNEL_MAX_FAILURES`` in a row switch it off; one that arrives resets the
    count. A delivery already sent or failed is left as it is (a duplicate message).
    """
    delivery = (
        AlertDelivery.objects.select_related("event", "channel", "channel__owner")
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None:
        return Attempt(status="gone", response_status=None, error="")
    channel = delivery.channel
    now = timezone.now()
    delivery.attempts += 1
    delivery.attempted_at = now
    if not channel.enabled:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = "the channel is switched off"
        delivery.save()
        return Attempt(status=delivery.status, response_status=None, error=delivery.error)
    try:
        sent = deliver(delivery)
    except DeliveryFailed as failure:
        delivery.response_status = failure.status
        delivery.response_body = failure.body
        delivery.error = str(failure)[:500]
        if failure.transient and not final:
            delivery.save()
            raise
        delivery.status = DeliveryStatus.FAILED
        with transaction.atomic():
            delivery.save()
            _channel_failed(channel, now=now)
        return Attempt(status=delivery.status, response_status=failure.status, error=delivery.error)
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.response_status = sent.status
    delivery.response_body = sent.body
    delivery.error = ""
    with transaction.atomic():
        delivery.save()
        AlertChannel.objects.filter(pk=channel.pk).update(failures=0)
    return Attempt(status=delivery.status, response_status=sent.status, error="")


def _channel_failed(channel: AlertChannel, *, now: Any) -> None:
    locked = AlertChannel.objects.select_for_update().get(pk=channel.pk)
    locked.failures += 1
    if locked.failures >= settings.ALERT_CHANNEL_MAX_FAILURES and locked.enabled:
        locked.enabled = False
        locked.disabled_at = now
        logger.warning(
            "alerts: channel %s of user %s switched off after %d failed deliveries",
            locked.pk, locked.owner_id, locked.failures,
        )  # fmt: skip
    locked.save(update_fields=["failures", "enabled", "disabled_at"])


# Evaluating ----------------------------------------------------------------------------


def _changes(
    *, owner: User, observations: list[alert_rules.Observation], kind: str, today: date
) -> list[alert_rules.Finding]:
    """Findings for the observations that changed since last seen; the states saved.

    The first sight of something is its baseline, told nothing: a rule switched on is
    not news about what was already so. For behind plan only the flagged pairs are
    observed, so a stored pair that is not among them is observed off.
    """
    stored = {
        state.subject: state
        for state in AlertState.objects.filter(owner=owner, subject__startswith=f"{kind}")
    }
    seen = {o.subject for o in observations}
    off = [
        alert_rules.Observation(kind=kind, subject=subject, on=False, on_text=("", ""),
                                off_text=_back_on_plan(subject), data={})
        for subject, state in stored.items()
        if kind == RuleKind.BEHIND_PLAN and subject not in seen and state.on
    ]  # fmt: skip
    found = []
    for observation in [*observations, *off]:
        state = stored.get(observation.subject)
        if state is None:
            AlertState.objects.create(owner=owner, subject=observation.subject, on=observation.on)
            continue
        if state.on == observation.on:
            continue
        state.on = observation.on
        state.save(update_fields=["on", "changed_at"])
        title, message = observation.on_text if observation.on else observation.off_text
        if not title:
            continue
        found.append(
            alert_rules.Finding(
                kind=kind,
                key=f"{observation.subject}:{'on' if observation.on else 'off'}:{today}",
                title=title,
                message=message,
                link=observation.link,
                data={**observation.data, "reached": observation.on},
            )
        )
    return found


def _back_on_plan(subject: str) -> tuple[str, str]:
    name = subject.split(":", 2)[-1]
    return (
        _("Back on plan: %(source)s") % {"source": name},
        _("%(source)s is no longer behind its plan.") % {"source": name},
    )


def alerts_evaluate(*, owner: User, today: date) -> int:
    """Check ``owner``'s switched-on rules against today's figures; the number of
    alerts raised. Texts are written in the owner's language."""
    enabled = {r.kind: r for r in alert_rules_of(owner=owner) if r.enabled}
    channels = {kind: _channels_of(rule) for kind, rule in enabled.items()}
    rules = {kind: found for kind, found in channels.items() if found}  # kind → its channels
    if not rules:
        return 0
    profile = profile_get_or_create(user=owner)
    findings: list[alert_rules.Finding] = []
    with translation.override(profile.language):
        if RuleKind.OVERDUE in rules:
            findings += alert_rules.overdue_findings(
                owner=owner, today=today, days=enabled[RuleKind.OVERDUE].days
            )
        monthly = (
            passive_net_by_month(owner=owner)
            if RuleKind.TARGET in rules or RuleKind.INDEPENDENCE in rules
            else {}
        )
        if RuleKind.BEHIND_PLAN in rules:
            observed = alert_rules.behind_plan_observations(owner=owner, today=today)
            findings += _changes(
                owner=owner, observations=observed, kind="behind_plan", today=today
            )
        if RuleKind.TARGET in rules:
            observed = alert_rules.target_observations(
                owner=owner, profile=profile, today=today, monthly=monthly
            )
            findings += _changes(owner=owner, observations=observed, kind="target", today=today)
        if RuleKind.INDEPENDENCE in rules:
            single = alert_rules.independence_observation(
                profile=profile, today=today, monthly=monthly
            )
            findings += _changes(
                owner=owner, observations=[single] if single else [], kind="independence",
                today=today,
            )  # fmt: skip
    raised = 0
    for finding in findings:
        if _raise(owner=owner, finding=finding, channels=rules[finding.kind]) is not None:
            raised += 1
    return raised


def alert_owners() -> list[User]:
    """Users with a rule that is on and a channel that is on: whom the beat checks."""
    return list(
        User.objects.filter(
            is_active=True, alert_rules__enabled=True, alert_rules__channels__enabled=True
        ).distinct()
    )


def import_alert_raise(*, owner: User, import_id: int) -> AlertEvent | None:
    """The alert of an import that ended: finished, or rejected or failed."""
    from imports.models import ImportStatus, PaymentImport

    upload = PaymentImport.objects.filter(pk=import_id, owner=owner).first()
    if upload is None:
        return None
    done = upload.status == ImportStatus.DONE
    kind = RuleKind.IMPORT_DONE if done else RuleKind.IMPORT_FAILED
    profile = profile_get_or_create(user=owner)
    name = upload.filename or f"#{upload.pk}"
    with translation.override(profile.language):
        if done:
            title = _("Import finished: %(file)s") % {"file": name}
            message = _("%(created)d rows imported, %(rejected)d rejected.") % {
                "created": upload.created_rows,
                "rejected": upload.rejected_rows,
            }
        else:
            title = _("Import failed: %(file)s") % {"file": name}
            first = (upload.errors or [{}])[0].get("message") or ""
            message = _("Nothing of the file was imported.") + (f" {first}" if first else "")
    finding = alert_rules.Finding(
        kind=kind,
        key=f"import:{upload.pk}",
        title=title,
        message=message,
        link=f"{settings.SITE_URL}/imports/{upload.pk}/",
        data={"import_id": upload.pk, "status": upload.status, "file": name,
              "created_rows": upload.created_rows, "rejected_rows": upload.rejected_rows},
    )  # fmt: skip
    return alert_raise(owner=owner, finding=finding)


def alerts_check_queue(*, owner: User) -> None:
    """Check ``owner``'s rules on the worker now (the "check now" button); inline when
    the broker is away, so the button never does nothing."""
    from alerts.tasks import alerts_evaluate as evaluate_task

    task_send_on_commit(
        evaluate_task,
        kwargs={"owner_id": owner.pk},
        on_unreachable=lambda: alerts_evaluate(owner=owner, today=timezone.localdate()),
    )
