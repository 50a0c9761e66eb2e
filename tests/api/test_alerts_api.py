"""``/api/v1/alerts/``: channels, rules, the delivery log and "check now" (issue 24).

Messages go to real local servers that speak ntfy's protocol and a webhook receiver's
(``tests/push_servers.py``). Celery is eager in these tests and a delivery is queued on
commit, so a request that sends runs inside ``django_capture_on_commit_callbacks``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from alerts import services
from alerts.models import AlertChannel, AlertDelivery, AlertEvent, AlertRule, RuleKind
from alerts.signing import SECRET_PREFIX
from finance.schedule import add_months, month_start
from tests.factories import SourceFactory, category
from tests.push_servers import ntfy_server, webhook_receiver

CHANNELS = "/api/v1/alerts/channels/"
RULES = "/api/v1/alerts/rules/"
DELIVERIES = "/api/v1/alerts/deliveries/"
CHECK = "/api/v1/alerts/check/"
TOKEN = "tk_s3cret-ntfy-token"


def _channel(user: User, **values: Any) -> AlertChannel:
    fields = {"kind": "ntfy", "name": "Phone", "url": "https://ntfy.example", "topic": "ertrag"}
    return services.alert_channel_create(owner=user, **{**fields, **values})


def _unchanged(channel: AlertChannel) -> Any:
    """The channel's stored row, to compare before and after."""
    return AlertChannel.objects.filter(pk=channel.pk).values().get()


# ----------------------------------------------------------------------------- channels


def test_the_alerts_need_a_token(api_client: APIClient, db: None) -> None:
    for url in (CHANNELS, RULES, DELIVERIES):
        assert api_client.get(url).status_code == 401, url
    assert api_client.post(CHECK).status_code == 401


def test_a_channel_is_created_read_changed_and_deleted(alice: User, alice_api: APIClient) -> None:
    created = alice_api.post(
        CHANNELS,
        {"kind": "ntfy", "name": "Phone", "url": "https://ntfy.sh", "topic": "ertrag-alice"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("kind", "name", "url", "topic", "has_token", "secret")} == {
        "kind": "ntfy", "name": "Phone", "url": "https://ntfy.sh", "topic": "ertrag-alice",
        "has_token": False, "secret": "",
    }  # fmt: skip
    assert (body["enabled"], body["failures"], body["disabled_at"]) == (True, 0, None)
    pk = body["id"]
    # Added to every rule, as on the page.
    for rule in services.alert_rules_of(owner=alice):
        assert [c.pk for c in rule.channels.all()] == [pk], rule.kind

    listed = alice_api.get(CHANNELS).json()
    assert [c["id"] for c in listed["results"]] == [pk]
    assert alice_api.get(f"{CHANNELS}{pk}/").json()["name"] == "Phone"

    patched = alice_api.patch(
        f"{CHANNELS}{pk}/", {"name": "Old phone", "topic": "moved"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["name"], patched.json()["topic"]) == ("Old phone", "moved")
    put = alice_api.put(
        f"{CHANNELS}{pk}/",
        {"kind": "ntfy", "name": "Desk", "url": "https://ntfy.other", "topic": "desk"},
        format="json",
    )
    assert put.status_code == 200, put.content
    channel = AlertChannel.objects.get(pk=pk)
    assert (channel.name, channel.url, channel.topic) == ("Desk", "https://ntfy.other", "desk")

    assert alice_api.delete(f"{CHANNELS}{pk}/").status_code == 204
    assert not AlertChannel.objects.filter(pk=pk).exists()
    assert alice_api.get(f"{CHANNELS}{pk}/").status_code == 404


def test_the_token_is_written_never_read(alice: User, alice_api: APIClient) -> None:
    created = alice_api.post(
        CHANNELS,
        {"kind": "gotify", "name": "Gotify", "url": "https://push.example", "token": TOKEN},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert AlertChannel.objects.get(pk=pk).token == TOKEN
    answers = [
        created,
        alice_api.get(CHANNELS),
        alice_api.get(f"{CHANNELS}{pk}/"),
        alice_api.patch(f"{CHANNELS}{pk}/", {"name": "Gotify 2"}, format="json"),
    ]
    for answer in answers:
        assert answer.status_code in (200, 201)
        assert TOKEN not in answer.content.decode()
        detail = answer.json()
        detail = detail["results"][0] if "results" in detail else detail
        assert "token" not in detail
        assert detail["has_token"] is True
    # An ntfy topic without a token says so.
    ntfy = alice_api.post(
        CHANNELS,
        {"kind": "ntfy", "name": "Open", "url": "https://ntfy.sh", "topic": "open"},
        format="json",
    )
    assert ntfy.json()["has_token"] is False


def test_a_webhook_gets_a_secret_and_a_new_one_on_request(
    alice: User, alice_api: APIClient
) -> None:
    created = alice_api.post(
        CHANNELS,
        {"kind": "webhook", "name": "Automation", "url": "https://hooks.example/in"},
        format="json",
    )
    assert created.status_code == 201, created.content
    old = created.json()["secret"]
    assert old.startswith(SECRET_PREFIX)
    pk = created.json()["id"]
    rotated = alice_api.post(f"{CHANNELS}{pk}/secret/")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new.startswith(SECRET_PREFIX)
    assert new != old
    assert AlertChannel.objects.get(pk=pk).secret == new


def test_a_channel_without_a_secret_cannot_rotate_one(alice: User, alice_api: APIClient) -> None:
    channel = _channel(alice)
    response = alice_api.post(f"{CHANNELS}{channel.pk}/secret/")
    assert response.status_code == 400
    assert response.json() == {"secret": ["Only a webhook has a signing secret."]}
    assert AlertChannel.objects.get(pk=channel.pk).secret == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "ntfy", "name": "P", "topic": "t"}, "url"),
        ({"kind": "ntfy", "name": "P", "url": "ftp://ntfy.sh", "topic": "t"}, "url"),
        ({"kind": "ntfy", "name": "P", "url": "https://ntfy.sh", "topic": "a b"}, "topic"),
        ({"kind": "ntfy", "name": "P", "url": "https://ntfy.sh"}, "topic"),
        ({"kind": "gotify", "name": "P", "url": "https://push.example"}, "token"),
        ({"kind": "pager", "name": "P", "url": "https://ntfy.sh"}, "kind"),
        ({"name": "P", "url": "https://ntfy.sh"}, "kind"),
        ({"kind": "webhook", "url": "https://hooks.example"}, "name"),
        ({"kind": "webhook", "name": "x" * 81, "url": "https://hooks.example"}, "name"),
        ({"kind": "webhook", "name": "P", "url": "https://h.example/" + "x" * 490}, "url"),
        ({"kind": "ntfy", "name": "P", "url": "https://ntfy.sh", "topic": "t" * 65}, "topic"),
        ({"kind": "gotify", "name": "P", "url": "https://p.example", "token": "t" * 201}, "token"),
        ({"kind": "webhook", "name": 7, "url": "https://hooks.example"}, "name"),
        ({"kind": "webhook", "name": "P", "url": "https://h.example", "enabled": "yes"}, "enabled"),
    ],
)
def test_a_bad_channel_is_a_400_naming_the_field_and_stores_nothing(
    alice: User, alice_api: APIClient, body: dict[str, Any], field: str
) -> None:
    response = alice_api.post(CHANNELS, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not AlertChannel.objects.exists()


def test_an_email_channel_needs_an_address_on_the_account(
    alice: User, alice_api: APIClient
) -> None:
    User.objects.filter(pk=alice.pk).update(email="")
    response = alice_api.post(CHANNELS, {"kind": "email", "name": "Mail"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"kind": ["Your account has no e-mail address to send alerts to."]}
    assert not AlertChannel.objects.exists()


def test_a_name_is_used_once(alice: User, alice_api: APIClient) -> None:
    _channel(alice)
    other = _channel(alice, name="Laptop")
    body = {"kind": "ntfy", "name": "Phone", "url": "https://ntfy.sh", "topic": "t"}
    assert alice_api.post(CHANNELS, body, format="json").status_code == 400
    renamed = alice_api.patch(f"{CHANNELS}{other.pk}/", {"name": "Phone"}, format="json")
    assert renamed.status_code == 400
    assert renamed.json() == {"name": ["You have a channel of this name already."]}
    assert AlertChannel.objects.get(pk=other.pk).name == "Laptop"


def test_a_channels_kind_cannot_change(alice: User, alice_api: APIClient) -> None:
    channel = _channel(alice)
    before = _unchanged(channel)
    response = alice_api.patch(
        f"{CHANNELS}{channel.pk}/", {"kind": "webhook", "name": "Hook"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind"}
    assert _unchanged(channel) == before
    same = alice_api.patch(f"{CHANNELS}{channel.pk}/", {"kind": "ntfy"}, format="json")
    assert same.status_code == 200


def test_enabled_true_switches_a_failed_channel_on_and_forgives_its_failures(
    alice: User, alice_api: APIClient
) -> None:
    channel = _channel(alice)
    AlertChannel.objects.filter(pk=channel.pk).update(
        enabled=False, failures=5, disabled_at=timezone.now()
    )
    shown = alice_api.get(f"{CHANNELS}{channel.pk}/").json()
    assert (shown["enabled"], shown["failures"]) == (False, 5)
    assert shown["disabled_at"] is not None
    response = alice_api.patch(f"{CHANNELS}{channel.pk}/", {"enabled": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["enabled"], body["failures"], body["disabled_at"]) == (True, 0, None)
    channel.refresh_from_db()
    assert (channel.enabled, channel.failures, channel.disabled_at) == (True, 0, None)
    off = alice_api.patch(f"{CHANNELS}{channel.pk}/", {"enabled": False}, format="json")
    assert off.json()["enabled"] is False


def test_a_channel_may_be_created_switched_off(alice: User, alice_api: APIClient) -> None:
    response = alice_api.post(
        CHANNELS,
        {"kind": "webhook", "name": "Later", "url": "https://h.example", "enabled": False},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["enabled"] is False
    assert AlertChannel.objects.get(owner=alice).enabled is False


def test_the_test_action_sends_a_real_message(
    alice: User, alice_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server(token=TOKEN) as ntfy:
        channel = _channel(alice, url=ntfy.base, topic="ertrag-alice", token=TOKEN)
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_api.post(f"{CHANNELS}{channel.pk}/test/")
        assert response.status_code == 202
        assert response.json() == {"detail": "queued"}
        assert len(ntfy.received) == 1
        sent = ntfy.received[0]
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.json()["topic"] == "ertrag-alice"
    assert sent.json()["title"] == "Test message from Ertrag"


# ----------------------------------------------------------------------------- rules


def test_the_rules_are_listed_one_per_kind(alice: User, alice_api: APIClient) -> None:
    channel = _channel(alice)
    response = alice_api.get(RULES)
    assert response.status_code == 200
    rules = response.json()
    assert sorted(rule["kind"] for rule in rules) == sorted(RuleKind.values)
    by_kind = {rule["kind"]: rule for rule in rules}
    assert by_kind["overdue"] == {
        "kind": "overdue", "enabled": True, "days": 7, "channels": [channel.pk],
    }  # fmt: skip
    assert by_kind["import_done"]["enabled"] is False
    assert alice_api.get(f"{RULES}overdue/").json() == by_kind["overdue"]
    assert alice_api.get(f"{RULES}nonsense/").status_code == 404


def test_a_rule_with_two_channels_is_listed_once_whatever_the_order(
    alice: User, alice_api: APIClient
) -> None:
    _channel(alice)
    _channel(alice, name="Laptop")
    for ordering in ("", "kind", "-days", "enabled,-kind"):
        rules = alice_api.get(RULES, {"ordering": ordering} if ordering else {}).json()
        assert len(rules) == len(RuleKind.values), ordering
    # Sorting by a many-to-many would list each rule once per channel: not a sort key.
    assert alice_api.get(RULES, {"ordering": "channels"}).status_code == 400


def test_a_rule_is_changed(alice: User, alice_api: APIClient) -> None:
    phone, laptop = _channel(alice), _channel(alice, name="Laptop")
    response = alice_api.patch(
        f"{RULES}overdue/", {"enabled": False, "days": 0, "channels": [laptop.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "kind": "overdue", "enabled": False, "days": 0, "channels": [laptop.pk],
    }  # fmt: skip
    rule = AlertRule.objects.get(owner=alice, kind="overdue")
    assert (rule.enabled, rule.days, [c.pk for c in rule.channels.all()]) == (False, 0, [laptop.pk])
    # The other rules keep both channels.
    target = AlertRule.objects.get(owner=alice, kind="target")
    assert sorted(c.pk for c in target.channels.all()) == sorted([phone.pk, laptop.pk])
    cleared = alice_api.patch(f"{RULES}target/", {"channels": []}, format="json")
    assert cleared.json()["channels"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 61}, "days"),
        ({"days": -1}, "days"),
        ({"days": "7"}, "days"),
        ({"enabled": "no"}, "enabled"),
        ({"channels": {}}, "channels"),
        ({"channels": "1"}, "channels"),
        ({"channels": [999_999]}, "channels"),
    ],
)
def test_a_bad_rule_change_is_a_400_and_changes_nothing(
    alice: User, alice_api: APIClient, body: dict[str, Any], field: str
) -> None:
    _channel(alice)
    services.alert_rules_of(owner=alice)
    before = [(r.enabled, r.days, list(r.channels.all())) for r in AlertRule.objects.all()]
    response = alice_api.patch(f"{RULES}overdue/", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {field}
    after = [(r.enabled, r.days, list(r.channels.all())) for r in AlertRule.objects.all()]
    assert after == before


def test_a_rule_cannot_send_to_another_users_channel(
    alice: User, alice_api: APIClient, bob: User
) -> None:
    mine, bobs = _channel(alice), _channel(bob)
    response = alice_api.patch(f"{RULES}overdue/", {"channels": [mine.pk, bobs.pk]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"channels"}
    rule = AlertRule.objects.get(owner=alice, kind="overdue")
    assert list(rule.channels.all()) == [mine]


def test_each_user_reads_and_changes_their_own_rule_of_a_kind(
    alice: User, alice_api: APIClient, bob: User, bob_api: APIClient
) -> None:
    alice_api.patch(f"{RULES}overdue/", {"days": 30}, format="json")
    assert bob_api.get(f"{RULES}overdue/").json()["days"] == 7
    assert AlertRule.objects.get(owner=alice, kind="overdue").days == 30
    assert AlertRule.objects.get(owner=bob, kind="overdue").days == 7


# ----------------------------------------------------------------------------- deliveries


def test_the_delivery_log_shows_what_the_other_side_answered(
    alice: User, alice_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server() as ntfy, webhook_receiver() as hook:
        hook.statuses.append(410)  # gone: final, no retry
        pushed = _channel(alice, url=ntfy.base)
        refused = services.alert_channel_create(
            owner=alice, kind="webhook", name="Hook", url=f"{hook.base}/hook"
        )
        with django_capture_on_commit_callbacks(execute=True):
            alice_api.post(f"{CHANNELS}{pushed.pk}/test/")
            alice_api.post(f"{CHANNELS}{refused.pk}/test/")
    body = alice_api.get(DELIVERIES).json()
    assert body["count"] == 2
    by_channel = {d["channel"]: d for d in body["results"]}
    sent, failed = by_channel[pushed.pk], by_channel[refused.pk]
    assert (sent["status"], sent["response_status"], sent["attempts"]) == ("sent", 200, 1)
    assert json.loads(sent["response_body"])["topic"] == "ertrag"
    assert sent["sent_at"] is not None
    assert sent["channel_name"] == "Phone"
    assert sent["event"]["kind"] == "test"
    assert sent["event"]["title"] == "Test message from Ertrag"
    assert (failed["status"], failed["response_status"]) == ("failed", 410)
    assert json.loads(failed["response_body"]) == {"ok": False}
    assert failed["error"].startswith("HTTP 410")
    assert failed["sent_at"] is None
    one = alice_api.get(f"{DELIVERIES}{sent['id']}/")
    assert one.status_code == 200
    assert one.json() == sent


def test_the_delivery_log_is_read_only(alice: User, alice_api: APIClient) -> None:
    event = services.alert_channel_test(channel=_channel(alice))
    delivery = event.deliveries.get()
    url = f"{DELIVERIES}{delivery.pk}/"
    for method in ("patch", "put", "delete"):
        assert getattr(alice_api, method)(url, {}, format="json").status_code == 405, method
    assert alice_api.post(DELIVERIES, {}, format="json").status_code == 405
    assert AlertDelivery.objects.filter(pk=delivery.pk).exists()


# ----------------------------------------------------------------------------- others' rows


def test_another_users_channel_and_delivery_are_404(
    alice: User, bob_api: APIClient, bob: User
) -> None:
    channel = services.alert_channel_create(
        owner=alice, kind="webhook", name="Hook", url="https://hooks.example/in"
    )
    delivery = services.alert_channel_test(channel=channel).deliveries.get()
    before = _unchanged(channel)
    url = f"{CHANNELS}{channel.pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert bob_api.put(url, {"kind": "webhook", "name": "M"}, format="json").status_code == 404
    assert bob_api.post(f"{url}test/").status_code == 404
    assert bob_api.post(f"{url}secret/").status_code == 404
    assert bob_api.delete(url).status_code == 404
    assert bob_api.get(f"{DELIVERIES}{delivery.pk}/").status_code == 404
    assert bob_api.get(CHANNELS).json()["count"] == 0
    assert bob_api.get(DELIVERIES).json()["count"] == 0
    assert _unchanged(channel) == before
    assert AlertEvent.objects.filter(owner=alice).count() == 1
    assert not AlertEvent.objects.filter(owner=bob).exists()


# ----------------------------------------------------------------------------- check now


def test_check_is_accepted_and_sends_what_is_due(
    alice: User, alice_api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    last_month = add_months(month_start(timezone.localdate()), -1)
    SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        start_date=last_month,
    )  # fmt: skip
    with ntfy_server() as ntfy:
        _channel(alice, url=ntfy.base)
        alice_api.patch(f"{RULES}overdue/", {"days": 0}, format="json")
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_api.post(CHECK)
        assert response.status_code == 202
        assert response.json() == {"detail": "queued"}
        with django_capture_on_commit_callbacks(execute=True):
            assert alice_api.post(CHECK).status_code == 202
        assert [r.json()["title"] for r in ntfy.received] == ["Payout overdue: Flat"]
    [delivery] = alice_api.get(DELIVERIES).json()["results"]
    assert delivery["event"]["kind"] == "overdue"
    assert delivery["event"]["data"]["month"] == f"{last_month:%Y-%m}"
    assert delivery["status"] == "sent"
