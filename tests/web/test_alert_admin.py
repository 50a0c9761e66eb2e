"""Support sees alerts in the admin (issue 24): every user's channels, rules, alerts and
deliveries with what the other side answered, and switches a channel that failed on
again."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import AlertChannel, AlertDelivery
from tests.push_servers import webhook_receiver


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


@pytest.fixture
def refused(alice: User, django_capture_on_commit_callbacks: Any) -> AlertDelivery:
    """Alice's webhook answered a test message with 410 and a body of its own."""
    with webhook_receiver() as hook:
        hook.statuses.append(410)
        channel = services.alert_channel_create(
            owner=alice, kind="webhook", name="Automation", url=f"{hook.base}/hook"
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.alert_channel_test(channel=channel)
    delivery = AlertDelivery.objects.get(channel=channel)
    assert (delivery.status, delivery.response_status) == ("failed", 410)
    return delivery


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_alert_lists_and_pages_load(
    admin_client: Client, refused: AlertDelivery, language: str
) -> None:
    admin_client.cookies["ertrag_language"] = language
    rule = refused.channel.rules.first()
    assert rule is not None
    for url in (
        "/admin/alerts/",
        "/admin/alerts/alertchannel/",
        "/admin/alerts/alertchannel/?q=alice&kind__exact=webhook",
        f"/admin/alerts/alertchannel/{refused.channel_id}/change/",
        "/admin/alerts/alertrule/",
        f"/admin/alerts/alertrule/{rule.pk}/change/",
        "/admin/alerts/alertevent/",
        f"/admin/alerts/alertevent/{refused.event_id}/change/",
        "/admin/alerts/alertdelivery/",
        "/admin/alerts/alertdelivery/?status__exact=failed&q=Automation",
        f"/admin/alerts/alertdelivery/{refused.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode(), url


def test_the_lists_show_every_users_rows(
    admin_client: Client, refused: AlertDelivery, bob: User
) -> None:
    services.alert_channel_create(owner=bob, kind="email", name="Bob's mail")
    channels = admin_client.get("/admin/alerts/alertchannel/").content.decode()
    assert "Automation" in channels
    assert "Bob&#x27;s mail" in channels
    deliveries = admin_client.get("/admin/alerts/alertdelivery/").content.decode()
    assert "Test message from Ertrag" in deliveries
    assert ">410<" in deliveries


def test_a_deliverys_page_shows_the_answer(admin_client: Client, refused: AlertDelivery) -> None:
    page = admin_client.get(f"/admin/alerts/alertdelivery/{refused.pk}/change/").content.decode()
    assert "410" in page
    assert "{&quot;ok&quot;: false}" in page  # the body the receiver answered
    assert "HTTP 410" in page  # the error written down
    event = admin_client.get(f"/admin/alerts/alertevent/{refused.event_id}/change/")
    assert "Automation" in event.content.decode()  # its deliveries inline


def test_deliveries_events_and_rules_are_read_only(
    admin_client: Client, refused: AlertDelivery
) -> None:
    for model in ("alertdelivery", "alertevent", "alertrule", "alertchannel"):
        assert admin_client.get(f"/admin/alerts/{model}/add/").status_code == 403, model
    response = admin_client.post(
        f"/admin/alerts/alertdelivery/{refused.pk}/change/", {"status": "sent"}
    )
    assert response.status_code == 403
    refused.refresh_from_db()
    assert refused.status == "failed"


def test_switch_on_again_forgives_the_failures(admin_client: Client, alice: User) -> None:
    failed = [
        services.alert_channel_create(owner=alice, kind="email", name=name)
        for name in ("Mail", "Mail 2")
    ]
    untouched = services.alert_channel_create(owner=alice, kind="email", name="Other")
    AlertChannel.objects.filter(pk__in=[c.pk for c in failed]).update(
        enabled=False, failures=5, disabled_at=timezone.now()
    )
    AlertChannel.objects.filter(pk=untouched.pk).update(enabled=False)
    response = admin_client.post(
        "/admin/alerts/alertchannel/",
        {"action": "channels_enable", "_selected_action": [c.pk for c in failed]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 channels switched on." in response.content.decode()
    for channel in failed:
        channel.refresh_from_db()
        assert (channel.enabled, channel.failures, channel.disabled_at) == (True, 0, None)
    untouched.refresh_from_db()
    assert untouched.enabled is False


def test_the_admin_refuses_a_user_who_is_not_staff(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/admin/alerts/alertdelivery/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
