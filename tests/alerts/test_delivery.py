"""Delivering alerts to real servers that speak ntfy's, Gotify's and a webhook's HTTP
(tests/push_servers.py): what arrives, the signature, retries, the delivery log and a
channel switched off after repeated failure (issue 24)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from alerts.models import AlertChannel, AlertDelivery, DeliveryStatus
from alerts.rules import Finding
from alerts.services import (
    alert_channel_create,
    alert_channel_enable,
    alert_channel_test,
    alert_raise,
    alert_rules_of,
)
from alerts.signing import signature_valid
from finance.errors import DomainError
from tests.push_servers import gotify_server, ntfy_server, webhook_receiver

pytestmark = pytest.mark.django_db


def _finding(key: str = "overdue:1:2026-10", kind: str = "overdue") -> Finding:
    return Finding(
        kind=kind,
        key=key,
        title="Payout overdue: Flat Kiel",
        message="The payout of Flat Kiel expected in October 2026 has not arrived. Über 100 €.",
        link="http://testserver/sources/1/",
        data={"source": "Flat Kiel", "month": "2026-10"},
    )


def _raise(owner: User, capture: Any, **kwargs: Any) -> None:
    with capture(execute=True):
        alert_raise(owner=owner, finding=_finding(**kwargs))


def test_an_ntfy_channel_publishes_the_alert_as_json_to_the_topic(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server(token="tk_secret") as ntfy:
        alert_channel_create(owner=alice, kind="ntfy", name="Phone", url=ntfy.base,
                             topic="ertrag-alice", token="tk_secret")  # fmt: skip
        _raise(alice, django_capture_on_commit_callbacks)
    [message] = ntfy.received
    body = message.json()
    assert body["topic"] == "ertrag-alice"
    assert body["title"] == "Payout overdue: Flat Kiel"
    assert "Über 100 €" in body["message"]
    assert body["click"] == "http://testserver/sources/1/"
    assert body["priority"] == 4
    assert message.headers["authorization"] == "Bearer tk_secret"
    delivery = AlertDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.response_status == 200
    assert '"event": "message"' in delivery.response_body


def test_a_gotify_channel_posts_the_message_with_the_application_token(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with gotify_server(token="AppTok.en") as gotify:
        alert_channel_create(owner=alice, kind="gotify", name="Gotify", url=gotify.base + "/",
                             token="AppTok.en")  # fmt: skip
        _raise(alice, django_capture_on_commit_callbacks)
    [message] = gotify.received
    assert message.path == "/message"
    body = message.json()
    assert body["title"] == "Payout overdue: Flat Kiel"
    assert body["extras"]["client::notification"]["click"]["url"].endswith("/sources/1/")
    assert AlertDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_webhook_delivery_is_signed_with_the_channels_secret(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        channel = alert_channel_create(owner=alice, kind="webhook", name="Home Assistant",
                                       url=hook.base + "/hook")  # fmt: skip
        _raise(alice, django_capture_on_commit_callbacks)
    [request] = hook.received
    header = request.headers["ertrag-signature"]
    assert channel.secret.startswith("whsec_")
    assert signature_valid(header=header, secret=channel.secret, body=request.body,
                           now=int(time.time()))  # fmt: skip
    assert not signature_valid(header=header, secret="whsec_other", body=request.body,
                               now=int(time.time()))  # fmt: skip
    assert not signature_valid(header=header, secret=channel.secret, body=request.body + b" ",
                               now=int(time.time()))  # fmt: skip
    assert not signature_valid(header=header, secret=channel.secret, body=request.body,
                               now=int(time.time()) + 3600)  # fmt: skip
    payload = json.loads(request.body)
    delivery = AlertDelivery.objects.get()
    assert payload["id"] == f"dlv_{delivery.pk}" == request.headers["ertrag-delivery"]
    assert payload["type"] == "overdue" == request.headers["ertrag-event"]
    assert payload["data"] == {"source": "Flat Kiel", "month": "2026-10"}


def test_the_same_key_is_raised_once_whatever_runs_again(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server() as ntfy:
        alert_channel_create(owner=alice, kind="ntfy", name="Phone", url=ntfy.base, topic="t")
        _raise(alice, django_capture_on_commit_callbacks)
        _raise(alice, django_capture_on_commit_callbacks)
    assert len(ntfy.received) == 1
    assert AlertDelivery.objects.count() == 1


def test_a_server_error_is_retried_until_it_arrives(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        hook.statuses = [503, 502]
        alert_channel_create(owner=alice, kind="webhook", name="Hook", url=hook.base)
        _raise(alice, django_capture_on_commit_callbacks)
    assert len(hook.requests) == 3
    assert len(hook.received) == 1
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 3, 200)


def test_a_refusal_is_not_retried_and_its_answer_is_kept(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with gotify_server(token="right") as gotify:
        alert_channel_create(owner=alice, kind="gotify", name="G", url=gotify.base, token="wrong")
        _raise(alice, django_capture_on_commit_callbacks)
    assert len(gotify.requests) == 1
    delivery = AlertDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.response_status == 401
    assert "valid access token" in delivery.response_body
    assert AlertChannel.objects.get().failures == 1


def test_an_unreachable_server_fails_after_the_last_retry(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        url = hook.base  # closed when the block ends: nothing listens there any more
    alert_channel_create(owner=alice, kind="webhook", name="Gone", url=url)
    _raise(alice, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 6  # the first try and MAX_RETRIES
    assert delivery.error.startswith("no connection")


@override_settings(ALERT_CHANNEL_MAX_FAILURES=3)
def test_a_channel_is_switched_off_after_repeated_failure_and_on_again_by_its_owner(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        hook.statuses = [410] * 3
        channel = alert_channel_create(owner=alice, kind="webhook", name="Hook", url=hook.base)
        for n in range(3):
            _raise(alice, django_capture_on_commit_callbacks, key=f"k{n}")
        channel.refresh_from_db()
        assert (channel.enabled, channel.failures) == (False, 3)
        assert channel.disabled_at is not None
        _raise(alice, django_capture_on_commit_callbacks, key="k-while-off")
        assert AlertDelivery.objects.count() == 3  # nothing more is sent while it is off
        alert_channel_enable(channel=channel)
        _raise(alice, django_capture_on_commit_callbacks, key="k-on-again")
    again = AlertChannel.objects.get(pk=channel.pk)
    assert (again.enabled, again.failures, again.disabled_at) == (True, 0, None)
    assert len(hook.received) == 1


def test_a_success_forgives_earlier_failures(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        hook.statuses = [400]
        alert_channel_create(owner=alice, kind="webhook", name="Hook", url=hook.base)
        _raise(alice, django_capture_on_commit_callbacks, key="a")
        assert AlertChannel.objects.get().failures == 1
        _raise(alice, django_capture_on_commit_callbacks, key="b")
    assert AlertChannel.objects.get().failures == 0


def test_a_redirect_is_not_followed_but_reported(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        hook.statuses = [301]
        alert_channel_create(owner=alice, kind="webhook", name="Hook", url=hook.base)
        _raise(alice, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("failed", 301)
    assert len(hook.requests) == 1


def test_an_email_channel_mails_the_account_address(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    alert_channel_create(owner=alice, kind="email", name="Mail")
    _raise(alice, django_capture_on_commit_callbacks)
    [sent] = mail.outbox
    assert sent.to == [alice.email]
    assert "Payout overdue: Flat Kiel" in sent.subject
    assert "http://testserver/sources/1/" in sent.body
    assert AlertDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_rule_sends_only_to_its_channels_and_not_when_off(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server() as ntfy, webhook_receiver() as hook:
        phone = alert_channel_create(owner=alice, kind="ntfy", name="Phone", url=ntfy.base,
                                     topic="t")  # fmt: skip
        alert_channel_create(owner=alice, kind="webhook", name="Hook", url=hook.base)
        overdue = next(r for r in alert_rules_of(owner=alice) if r.kind == "overdue")
        overdue.channels.set([phone])
        _raise(alice, django_capture_on_commit_callbacks, key="one")
        overdue.enabled = False
        overdue.save()
        _raise(alice, django_capture_on_commit_callbacks, key="two")
    assert len(ntfy.received) == 1
    assert hook.received == []


def test_a_test_message_goes_through_the_one_channel(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with ntfy_server() as ntfy:
        channel = alert_channel_create(owner=alice, kind="ntfy", name="Phone", url=ntfy.base,
                                       topic="t")  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            alert_channel_test(channel=channel)
    [message] = ntfy.received
    assert message.json()["title"] == "Test message from Ertrag"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "ntfy", "url": "", "topic": "t"}, "url"),
        ({"kind": "ntfy", "url": "ftp://example.com", "topic": "t"}, "url"),
        ({"kind": "ntfy", "url": "https://ntfy.sh", "topic": "a b"}, "topic"),
        ({"kind": "ntfy", "url": "https://ntfy.sh", "topic": "x" * 65}, "topic"),
        ({"kind": "gotify", "url": "https://push.example.com"}, "token"),
        ({"kind": "webhook", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "sms", "url": "https://example.com"}, "kind"),
    ],
)
def test_a_channel_with_bad_fields_is_refused_and_nothing_is_kept(
    alice: User, fields: dict[str, str], error: str
) -> None:
    with pytest.raises(DomainError) as refused:
        alert_channel_create(owner=alice, name="Bad", **fields)
    assert error in refused.value.field_errors
    assert not AlertChannel.objects.exists()


def test_an_email_channel_needs_an_address_on_the_account(alice: User) -> None:
    alice.email = ""
    alice.save()
    with pytest.raises(DomainError) as refused:
        alert_channel_create(owner=alice, kind="email", name="Mail")
    assert "kind" in refused.value.field_errors


@override_settings(ALERT_PRIVATE_ADDRESSES=False)
def test_an_instance_that_refuses_private_addresses_sends_nothing_into_its_network(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with webhook_receiver() as hook:
        alert_channel_create(owner=alice, kind="webhook", name="Inside", url=hook.base)
        _raise(alice, django_capture_on_commit_callbacks)
    assert hook.requests == []  # the server was never asked
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)  # not retried
    assert "private network" in delivery.error


@pytest.mark.parametrize("host", ["localhost", "10.1.2.3", "169.254.169.254", "[::1]"])
def test_every_kind_of_private_host_is_refused(host: str) -> None:
    from alerts.transports import DeliveryFailed, _refuse_private

    with override_settings(ALERT_PRIVATE_ADDRESSES=False), pytest.raises(DeliveryFailed) as no:
        _refuse_private(f"http://{host}:8080/hook")
    assert not no.value.transient
