"""/settings/alerts/: channels, rules, the delivery log and "check now" (issue 24).

Deliveries go to real local servers that speak ntfy's and a webhook receiver's protocol
(``tests/push_servers.py``). Celery is eager here (``tests/conftest.py``) and a delivery is
queued once its transaction commits, so a request that sends runs inside
``django_capture_on_commit_callbacks(execute=True)``: the message leaves as the request's
work commits, and the page read afterwards shows what the other side answered.
"""

from __future__ import annotations

import html
import json
import re
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import (
    AlertChannel,
    AlertDelivery,
    AlertEvent,
    AlertRule,
    ChannelKind,
    DeliveryStatus,
    RuleKind,
)
from alerts.signing import HEADER, SECRET_PREFIX, signature_valid
from finance.schedule import add_months, month_start
from tests.factories import SourceFactory, UserFactory, category
from tests.push_servers import gotify_server, ntfy_server, webhook_receiver

PAGE = reverse("alert_settings")
ADD = reverse("alert_channel_add")
RULES = reverse("alert_rules_save")
CHECK = reverse("alerts_check")
ACTIONS = ("test", "on", "off", "secret", "delete")


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def _action(channel: AlertChannel, action: str) -> str:
    return reverse("alert_channel_action", kwargs={"pk": channel.pk, "action": action})


def _edit(channel: AlertChannel) -> str:
    return reverse("alert_channel_edit", kwargs={"pk": channel.pk})


def _count(page: str, testid: str) -> int:
    return page.count(f'data-testid="{testid}"')


def _rows(page: str, testid: str) -> list[str]:
    """The table rows marked ``testid``, each as its HTML."""
    return re.findall(rf'data-testid="{testid}">.*?</tr>', page, re.S)


def _error_shown(page: str, message: str) -> bool:
    return html.escape(message) in page


def _ntfy(owner: User, *, url: str = "https://ntfy.example", name: str = "Phone") -> AlertChannel:
    return services.alert_channel_create(
        owner=owner, kind=ChannelKind.NTFY, name=name, url=url, topic="ertrag-alerts"
    )


def _webhook(owner: User, *, url: str = "https://hooks.example/in") -> AlertChannel:
    return services.alert_channel_create(
        owner=owner, kind=ChannelKind.WEBHOOK, name="Automation", url=url
    )


def _rules_post(rules: list[AlertRule], **changes: Any) -> dict[str, Any]:
    """The rules form as the page sends it (an unticked box is not sent), with
    ``changes`` (``"overdue-days": "3"``) over the stored values."""
    data: dict[str, Any] = {}
    for rule in rules:
        if rule.enabled:
            data[f"{rule.kind}-enabled"] = "on"
        if rule.kind == RuleKind.OVERDUE:
            data[f"{rule.kind}-days"] = str(rule.days)
        data[f"{rule.kind}-channels"] = [str(c.pk) for c in rule.channels.all()]
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _rule_state(owner: User) -> list[tuple[str, bool, int, list[int]]]:
    return [
        (rule.kind, rule.enabled, rule.days, sorted(c.pk for c in rule.channels.all()))
        for rule in AlertRule.objects.filter(owner=owner).order_by("kind")
    ]


# ----------------------------------------------------------------------------- the page


def test_the_page_needs_a_log_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_new_user_sees_every_rule_with_its_default_and_no_channel(
    alice_client: Client, alice: User, language: str
) -> None:
    alice_client.cookies["ertrag_language"] = language
    response = alice_client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert _count(page, "no-alert-channels") == 1
    assert _count(page, "alert-channel") == 0
    assert _count(page, "no-alert-deliveries") == 1
    assert _count(page, "alert-channel-add") == 1
    assert _count(page, "alerts-check") == 1
    for kind in RuleKind.values:
        assert _count(page, f"alert-rule-{kind}") == 1, kind
    # Made on first sight, every one on but "import finished".
    rules = {rule.kind: rule for rule in AlertRule.objects.filter(owner=alice)}
    assert sorted(rules) == sorted(RuleKind.values)
    assert [k for k, rule in rules.items() if not rule.enabled] == [RuleKind.IMPORT_DONE]
    assert rules[RuleKind.OVERDUE].days == 7
    assert 'name="overdue-days"' in page
    assert 'name="import_done-enabled"' in page


def test_opening_the_page_twice_makes_the_rules_once(alice_client: Client, alice: User) -> None:
    alice_client.get(PAGE)
    alice_client.get(PAGE)
    assert AlertRule.objects.filter(owner=alice).count() == len(RuleKind.values)


# ----------------------------------------------------------------------------- channels


def test_an_ntfy_channel_is_added_with_its_topic_to_every_rule(
    alice_client: Client, alice: User
) -> None:
    alice_client.get(PAGE)  # the rules exist before the channel
    response = alice_client.post(
        ADD,
        {"kind": "ntfy", "name": "Phone", "url": "https://ntfy.sh", "topic": "ertrag-alice"},
        follow=True,
    )
    assert response.redirect_chain == [(PAGE, 302)]
    channel = AlertChannel.objects.get(owner=alice)
    assert (channel.kind, channel.name, channel.url, channel.topic, channel.token) == (
        "ntfy", "Phone", "https://ntfy.sh", "ertrag-alice", "",
    )  # fmt: skip
    assert channel.secret == ""
    for rule in AlertRule.objects.filter(owner=alice):
        assert list(rule.channels.all()) == [channel], rule.kind
    page = response.content.decode()
    assert _count(page, "alert-channel") == 1
    assert "https://ntfy.sh · ertrag-alice" in page
    assert "“Phone” added." in html.unescape(page)


def test_a_gotify_channel_keeps_its_token(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        ADD,
        {"kind": "gotify", "name": "Gotify", "url": "https://push.example", "token": "AbC.123"},
    )
    assert response.status_code == 302
    channel = AlertChannel.objects.get(owner=alice)
    assert (channel.kind, channel.url, channel.token, channel.topic) == (
        "gotify", "https://push.example", "AbC.123", "",
    )  # fmt: skip


def test_a_webhook_gets_a_signing_secret_shown_on_the_page(
    alice_client: Client, alice: User
) -> None:
    response = alice_client.post(
        ADD, {"kind": "webhook", "name": "Automation", "url": "https://hooks.example/in"}
    )
    assert response.status_code == 302
    channel = AlertChannel.objects.get(owner=alice)
    assert channel.secret.startswith(SECRET_PREFIX)
    assert len(channel.secret) > len(SECRET_PREFIX) + 40
    page = alice_client.get(PAGE).content.decode()
    assert _count(page, "webhook-secret") == 1
    assert f"<code>{channel.secret}</code>" in page


def test_an_email_channel_sends_to_the_accounts_address(alice_client: Client, alice: User) -> None:
    response = alice_client.post(ADD, {"kind": "email", "name": "Mail"})
    assert response.status_code == 302
    channel = AlertChannel.objects.get(owner=alice)
    assert (channel.kind, channel.url, channel.topic, channel.token) == ("email", "", "", "")
    [row] = _rows(alice_client.get(PAGE).content.decode(), "alert-channel")
    assert "alice@example.com" in row


def test_an_email_channel_needs_an_address_on_the_account(client: Client, db: None) -> None:
    user = UserFactory.create(username="noaddress")
    User.objects.filter(pk=user.pk).update(email="")
    client.force_login(user)
    response = client.post(ADD, {"kind": "email", "name": "Mail"})
    assert response.status_code == 400
    assert _error_shown(
        response.content.decode(), "Your account has no e-mail address to send alerts to."
    )
    assert not AlertChannel.objects.filter(owner=user).exists()


NTFY = {"kind": "ntfy", "name": "Phone", "url": "https://ntfy.sh", "topic": "ertrag"}
ADDRESS = "Enter an address that starts with http:// or https://."
TOPIC = "Enter the topic: 1 to 64 letters, digits, hyphens or underscores."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": ""}, ADDRESS),
        ({"url": "ftp://ntfy.sh"}, ADDRESS),
        ({"url": "ntfy.sh"}, ADDRESS),
        ({"kind": "webhook", "url": "javascript:alert(1)"}, ADDRESS),
        ({"topic": ""}, TOPIC),
        ({"topic": "my topic"}, TOPIC),
        ({"topic": "ümlaut"}, TOPIC),
        ({"kind": "gotify", "topic": ""}, "Enter the application token Gotify gave you."),
        ({"kind": "pager"}, "Select a valid choice. pager is not one of the available choices."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
        ({"url": "https://a.example/" + "x" * 490},
         "Ensure this value has at most 500 characters (it has 508)."),
        ({"topic": "t" * 65}, "Ensure this value has at most 64 characters (it has 65)."),
        ({"token": "t" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
    ],
)  # fmt: skip
def test_a_bad_channel_is_refused_with_its_error_and_nothing_is_stored(
    alice_client: Client, alice: User, changes: dict[str, str], message: str
) -> None:
    response = alice_client.post(ADD, {**NTFY, **changes})
    assert response.status_code == 400
    page = response.content.decode()
    assert _error_shown(page, message), message
    assert "field-invalid" in page
    assert not AlertChannel.objects.filter(owner=alice).exists()
    # The form keeps what was typed, open, for the person to fix.
    assert re.search(r"<details open>\s*<summary[^>]*>[^<]*Add a channel", page)


def test_a_name_is_taken_once_per_person(alice_client: Client, alice: User, bob: User) -> None:
    assert alice_client.post(ADD, NTFY).status_code == 302
    response = alice_client.post(ADD, {**NTFY, "name": " Phone ", "topic": "other"})
    assert response.status_code == 400
    assert _error_shown(response.content.decode(), "You have a channel of this name already.")
    assert AlertChannel.objects.filter(owner=alice).count() == 1
    # bob's "Phone" is his own
    _ntfy(bob)
    assert AlertChannel.objects.filter(name="Phone").count() == 2


def test_a_channel_is_edited_but_keeps_its_kind(alice_client: Client, alice: User) -> None:
    channel = _ntfy(alice)
    form = alice_client.get(_edit(channel))
    assert form.status_code == 200
    page = form.content.decode()
    assert _count(page, "alert-channel-edit") == 1
    assert 'value="https://ntfy.example"' in page
    assert 'name="kind"' not in page
    response = alice_client.post(
        _edit(channel),
        {"name": "Old phone", "url": "https://ntfy.other", "topic": "moved", "token": "tk"},
    )
    assert response.status_code == 302
    assert response["Location"] == PAGE
    channel.refresh_from_db()
    assert (channel.kind, channel.name, channel.url, channel.topic, channel.token) == (
        "ntfy", "Old phone", "https://ntfy.other", "moved", "tk",
    )  # fmt: skip


def test_the_edit_page_never_writes_the_stored_token_and_an_empty_one_keeps_it(
    alice_client: Client, alice: User
) -> None:
    channel = services.alert_channel_create(
        owner=alice, kind=ChannelKind.GOTIFY, name="Gotify", url="https://push.example",
        token="AppToken.secret",
    )  # fmt: skip
    page = alice_client.get(_edit(channel)).content.decode()
    assert "AppToken.secret" not in page
    assert 'name="topic"' not in page  # Gotify has no topic
    response = alice_client.post(
        _edit(channel), {"name": "Gotify", "url": "https://push.example", "token": ""}
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.token == "AppToken.secret"


def test_an_ntfy_token_is_removed_only_when_asked(alice_client: Client, alice: User) -> None:
    channel = services.alert_channel_create(
        owner=alice, kind=ChannelKind.NTFY, name="Phone", url="https://ntfy.example",
        topic="t", token="tk_1",
    )  # fmt: skip
    data = {"name": "Phone", "url": "https://ntfy.example", "topic": "t", "token": ""}
    alice_client.post(_edit(channel), data)
    channel.refresh_from_db()
    assert channel.token == "tk_1"
    alice_client.post(_edit(channel), {**data, "clear_token": "on"})
    channel.refresh_from_db()
    assert channel.token == ""


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        (ChannelKind.EMAIL, (), ("url", "topic", "token")),
        (ChannelKind.WEBHOOK, ("url",), ("topic", "token", "clear_token")),
    ],
)
def test_the_edit_page_shows_only_the_fields_of_the_channels_kind(
    alice_client: Client, alice: User, kind: str, shown: tuple[str, ...], hidden: tuple[str, ...]
) -> None:
    url = "" if kind == ChannelKind.EMAIL else "https://hooks.example/in"
    channel = services.alert_channel_create(owner=alice, kind=kind, name="C", url=url)
    page = alice_client.get(_edit(channel)).content.decode()
    assert 'name="name"' in page
    assert all(f'name="{field}"' in page for field in shown)
    assert not any(f'name="{field}"' in page for field in hidden)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "ftp://ntfy.other"}, ADDRESS),
        ({"topic": "a/b"}, TOPIC),
        ({"name": "Laptop"}, "You have a channel of this name already."),
        ({"name": "y" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(
    alice_client: Client, alice: User, changes: dict[str, str], message: str
) -> None:
    channel = _ntfy(alice)
    _ntfy(alice, name="Laptop")
    before = AlertChannel.objects.filter(pk=channel.pk).values().get()
    data = {"name": "Phone", "url": "https://ntfy.example", "topic": "ertrag-alerts", **changes}
    response = alice_client.post(_edit(channel), data)
    assert response.status_code == 400
    assert _error_shown(response.content.decode(), message), message
    assert AlertChannel.objects.filter(pk=channel.pk).values().get() == before


def test_the_test_button_sends_a_real_message_and_the_log_says_sent(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server() as ntfy:
        channel = _ntfy(alice, url=ntfy.base)
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(_action(channel, "test"), follow=True)
        assert response.redirect_chain == [(PAGE, 302)]
        assert len(ntfy.received) == 1
        message = ntfy.received[0].json()
    assert message["topic"] == "ertrag-alerts"
    assert message["title"] == "Test message from Ertrag"
    assert "Phone" in message["message"]
    delivery = AlertDelivery.objects.get(channel=channel)
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("sent", 200, 1)
    assert json.loads(delivery.response_body)["event"] == "message"
    page = alice_client.get(PAGE).content.decode()
    rows = _rows(page, "alert-delivery")
    assert len(rows) == 1
    assert 'badge-received">sent<' in rows[0]
    assert "HTTP 200" in rows[0]
    assert "Test message from Ertrag" in rows[0]


def test_a_test_through_a_gotify_that_refuses_the_token_is_logged_failed(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with gotify_server(token="right") as gotify:
        channel = services.alert_channel_create(
            owner=alice, kind="gotify", name="Gotify", url=gotify.base, token="wrong"
        )
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(_action(channel, "test"))
        assert gotify.received == []
    delivery = AlertDelivery.objects.get(channel=channel)
    assert (delivery.status, delivery.response_status) == ("failed", 401)
    page = alice_client.get(PAGE).content.decode()
    [row] = _rows(page, "alert-delivery")
    assert 'badge-overdue">failed<' in row
    assert "HTTP 401" in row
    assert "you need to provide a valid access token" in row


def test_a_channel_is_switched_off_and_on_again(alice_client: Client, alice: User) -> None:
    channel = _ntfy(alice)
    assert alice_client.post(_action(channel, "off")).status_code == 302
    assert AlertChannel.objects.get(pk=channel.pk).enabled is False
    page = alice_client.get(PAGE).content.decode()
    assert _count(page, "channel-on") == 1
    assert _count(page, "channel-disabled") == 0  # switched off by hand: no failures told
    assert alice_client.post(_action(channel, "on")).status_code == 302
    assert AlertChannel.objects.get(pk=channel.pk).enabled is True
    assert _count(alice_client.get(PAGE).content.decode(), "channel-on") == 0


def test_switching_on_a_channel_that_failed_forgives_its_failures(
    alice_client: Client, alice: User
) -> None:
    channel = _ntfy(alice)
    AlertChannel.objects.filter(pk=channel.pk).update(
        enabled=False, failures=5, disabled_at=timezone.now()
    )
    page = alice_client.get(PAGE).content.decode()
    assert _count(page, "channel-disabled") == 1
    assert "after 5 failed deliveries" in page
    alice_client.post(_action(channel, "on"))
    channel.refresh_from_db()
    assert (channel.enabled, channel.failures, channel.disabled_at) == (True, 0, None)


def test_a_new_secret_replaces_the_old_one(alice_client: Client, alice: User) -> None:
    channel = _webhook(alice)
    old = channel.secret
    response = alice_client.post(_action(channel, "secret"), follow=True)
    channel.refresh_from_db()
    assert channel.secret != old
    assert channel.secret.startswith(SECRET_PREFIX)
    page = response.content.decode()
    assert channel.secret in page
    assert old not in page


def test_only_a_webhook_has_a_secret_to_rotate(alice_client: Client, alice: User) -> None:
    channel = _ntfy(alice)
    response = alice_client.post(_action(channel, "secret"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Only a webhook has a signing secret." in response.content.decode()
    channel.refresh_from_db()
    assert channel.secret == ""


def test_a_channel_is_deleted_with_its_delivery_log(alice_client: Client, alice: User) -> None:
    channel = _ntfy(alice)
    keep = _webhook(alice)
    services.alert_channel_test(channel=channel)  # a delivery, never sent (no commit here)
    assert AlertDelivery.objects.filter(channel=channel).count() == 1
    assert alice_client.post(_action(channel, "delete")).status_code == 302
    assert list(AlertChannel.objects.filter(owner=alice)) == [keep]
    assert not AlertDelivery.objects.exists()
    for rule in AlertRule.objects.filter(owner=alice):
        assert list(rule.channels.all()) == [keep]


def test_a_channel_action_takes_only_a_post(alice_client: Client, alice: User) -> None:
    channel = _ntfy(alice)
    for action in ACTIONS:
        assert alice_client.get(_action(channel, action)).status_code == 405, action
    assert AlertChannel.objects.filter(pk=channel.pk, enabled=True).exists()


def test_bob_gets_404_for_every_address_of_alices_channel(
    client: Client, alice: User, bob: User
) -> None:
    channel = _webhook(alice)
    before = AlertChannel.objects.filter(pk=channel.pk).values().get()
    client.force_login(bob)
    assert client.get(_edit(channel)).status_code == 404
    assert (
        client.post(_edit(channel), {"name": "Mine", "url": "https://bob.example"}).status_code
        == 404
    )
    for action in ACTIONS:
        assert client.post(_action(channel, action)).status_code == 404, action
    assert AlertChannel.objects.filter(pk=channel.pk).values().get() == before
    assert not AlertEvent.objects.exists()
    # and nothing of alice's shows on bob's page
    page = client.get(PAGE).content.decode()
    assert "Automation" not in page
    assert channel.secret not in page


# ----------------------------------------------------------------------------- rules


def test_the_rules_form_saves_switches_days_and_channels(alice_client: Client, alice: User) -> None:
    phone, hook = _ntfy(alice), _webhook(alice)
    rules = services.alert_rules_of(owner=alice)
    data = _rules_post(
        rules,
        **{
            "overdue-days": "3",
            "overdue-channels": [str(hook.pk)],
            "behind_plan-enabled": None,
            "import_done-enabled": "on",
            "import_failed-channels": [],
        },
    )
    response = alice_client.post(RULES, data, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Alert rules saved." in response.content.decode()
    saved = {
        kind: (enabled, days, channels) for kind, enabled, days, channels in _rule_state(alice)
    }
    both = sorted([phone.pk, hook.pk])
    assert saved == {
        "overdue": (True, 3, [hook.pk]),
        "behind_plan": (False, 7, both),
        "target": (True, 7, both),
        "independence": (True, 7, both),
        "import_done": (True, 7, both),
        "import_failed": (True, 7, []),
    }
    page = response.content.decode()
    assert 'name="overdue-days" value="3"' in page


@pytest.mark.parametrize("days", ["61", "-1", "seven", ""])
def test_days_outside_0_to_60_are_refused_and_nothing_changes(
    alice_client: Client, alice: User, days: str
) -> None:
    _ntfy(alice)
    rules = services.alert_rules_of(owner=alice)
    before = _rule_state(alice)
    # Other changes in the same form are not saved either.
    data = _rules_post(rules, **{"overdue-days": days, "target-enabled": None})
    response = alice_client.post(RULES, data)
    assert response.status_code == 400
    page = response.content.decode()
    [row] = _rows(page, "alert-rule-overdue")
    assert 'class="error"' in row
    assert _rule_state(alice) == before


def test_a_rule_cannot_send_to_another_persons_channel(
    alice_client: Client, alice: User, bob: User
) -> None:
    _ntfy(alice)
    bobs = _ntfy(bob)
    rules = services.alert_rules_of(owner=alice)
    before = _rule_state(alice)
    response = alice_client.post(RULES, _rules_post(rules, **{"overdue-channels": [str(bobs.pk)]}))
    assert response.status_code == 400
    assert _rule_state(alice) == before
    assert not AlertRule.objects.filter(owner=alice, channels=bobs).exists()


# ----------------------------------------------------------------------------- check now


def overdue_source(owner: User, *, name: str = "Flat") -> None:
    """A monthly payout that started last month and never came: last month is overdue
    (expected, passed, nothing arrived), and it is the only month that is."""
    last_month = add_months(month_start(timezone.localdate()), -1)
    SourceFactory.create(
        owner=owner, name=name, category=category("rent"), payout_rhythm="monthly",
        start_date=last_month,
    )  # fmt: skip


def due_today(owner: User) -> None:
    """The overdue rule with no days of grace: last month's payout is told today."""
    overdue = services.alert_rules_of(owner=owner)[0]
    assert overdue.kind == RuleKind.OVERDUE
    services.alert_rule_update(rule=overdue, days=0)


def test_check_now_sends_one_delivery_per_channel_and_a_second_check_nothing(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    overdue_source(alice)
    with ntfy_server() as ntfy, webhook_receiver() as hook:
        _ntfy(alice, url=ntfy.base)
        webhook = _webhook(alice, url=f"{hook.base}/hook")
        due_today(alice)
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(CHECK, follow=True)
        assert response.redirect_chain == [(PAGE, 302)]
        assert len(ntfy.received) == 1
        assert len(hook.received) == 1
        pushed = ntfy.received[0].json()
        delivered = hook.received[0]

        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(CHECK)
        assert len(ntfy.requests) == 1
        assert len(hook.requests) == 1

    assert pushed["title"] == "Payout overdue: Flat"
    assert pushed["topic"] == "ertrag-alerts"
    last_month = add_months(month_start(timezone.localdate()), -1)
    body = delivered.json()
    assert (body["type"], body["data"]["source"], body["data"]["month"]) == (
        "overdue", "Flat", f"{last_month:%Y-%m}",
    )  # fmt: skip
    assert signature_valid(
        header=delivered.headers[HEADER.lower()], secret=webhook.secret, body=delivered.body,
        now=int(time.time()),
    )  # fmt: skip

    event = AlertEvent.objects.get(owner=alice)
    assert event.key == f"overdue:{event.data['source_id']}:{last_month:%Y-%m}"
    deliveries = AlertDelivery.objects.filter(event=event)
    assert sorted(d.channel.kind for d in deliveries) == ["ntfy", "webhook"]
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    page = alice_client.get(PAGE).content.decode()
    rows = _rows(page, "alert-delivery")
    assert len(rows) == 2
    assert all('badge-received">sent<' in row and "Payout overdue: Flat" in row for row in rows)


def test_check_now_with_nothing_overdue_sends_nothing(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    SourceFactory.create(owner=alice, name="Later", payout_rhythm="monthly",
                         start_date=month_start(timezone.localdate()))  # fmt: skip
    with ntfy_server() as ntfy:
        _ntfy(alice, url=ntfy.base)
        due_today(alice)
        with django_capture_on_commit_callbacks(execute=True):
            assert alice_client.post(CHECK).status_code == 302
        assert ntfy.requests == []
    assert not AlertEvent.objects.exists()


def test_check_now_sends_nothing_through_a_channel_that_is_off(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    overdue_source(alice)
    with ntfy_server() as ntfy:
        channel = _ntfy(alice, url=ntfy.base)
        due_today(alice)
        services.alert_channel_enable(channel=channel, enabled=False)
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(CHECK)
        assert ntfy.requests == []
    assert not AlertDelivery.objects.exists()


def test_check_now_takes_only_a_post(alice_client: Client) -> None:
    assert alice_client.get(CHECK).status_code == 405
    assert alice_client.get(RULES).status_code == 405
    assert alice_client.get(ADD).status_code == 405
