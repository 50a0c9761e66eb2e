"""Sending one alert through one channel: ntfy, Gotify, a signed webhook or e-mail.

Each speaks the other side's published HTTP API: ntfy's JSON publishing (``POST`` to
the server's root with the topic in the body, an access token as a bearer token), and
Gotify's ``POST /message`` with the application token in ``X-Gotify-Key``. A webhook
gets the event as JSON, signed (``alerts.signing``). The standard library's client is
enough for one small POST and keeps no connection pool to leak in a worker.

Bounds: a timeout per request (``ALERT_HTTP_TIMEOUT``), at most ``RESPONSE_KEPT`` bytes
of an answer read, and no redirect followed (a POST that is redirected is not resent:
it fails with the status, so the person sees the address is wrong). A failure the
other side may get over (no connection, a timeout, 408, 429, 5xx) is transient and
retried; any other answer is final.
"""

from __future__ import annotations

import ipaddress
import json
import smtplib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from alerts.models import AlertChannel, AlertDelivery, AlertEvent, ChannelKind
from alerts.signing import HEADER, signature_header

RESPONSE_KEPT = 2000
USER_AGENT = "Ertrag alerts"
TRANSIENT_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Sent:
    status: int | None
    body: str


class DeliveryFailed(ConnectionError):
    """A delivery that did not arrive; ``transient`` ones are worth another try.

    A ``ConnectionError``, so the task's retry with backoff covers it as every other
    transient error (``jobs.retrying``)."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.body = body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is raised as an HTTPError and reported


_opener = urllib.request.build_opener(_NoRedirect)


def _refuse_private(url: str) -> None:
    """With ``ALERT_PRIVATE_ADDRESSES`` off, refuse an address whose host resolves to
    anything but the public internet (loopback, private, link-local, reserved): on an
    instance with people the admin does not know, a channel must not make the server
    POST into its own network. On by default: a self-hosted household's ntfy or Gotify
    usually lives on its own network. Checked when sending, in the worker, so a slow
    resolver never holds a page."""
    if settings.ALERT_PRIVATE_ADDRESSES:
        return
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError) as error:
        raise DeliveryFailed(f"no connection: {error}", transient=True) from error
    if not found or not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in found):
        raise DeliveryFailed(
            "the address is in a private network, which this server does not send to",
            transient=False,
        )


def _post(url: str, *, body: bytes, headers: dict[str, str]) -> Sent:
    _refuse_private(url)
    request = urllib.request.Request(  # noqa: S310 - the owner's own channel address
        url,
        data=body,
        method="POST",
        headers={"User-Agent": USER_AGENT, "Content-Type": "application/json", **headers},
    )
    try:
        with _opener.open(request, timeout=settings.ALERT_HTTP_TIMEOUT) as response:
            text = response.read(RESPONSE_KEPT).decode("utf-8", "replace")
            return Sent(status=response.status, body=text)
    except urllib.error.HTTPError as error:
        text = error.read(RESPONSE_KEPT).decode("utf-8", "replace") if error.fp else ""
        transient = error.code >= 500 or error.code in TRANSIENT_STATUSES
        raise DeliveryFailed(
            f"HTTP {error.code} {error.reason}", transient=transient, status=error.code, body=text
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryFailed(f"no connection: {reason}", transient=True) from error


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _ntfy(channel: AlertChannel, event: AlertEvent) -> Sent:
    payload: dict[str, Any] = {
        "topic": channel.topic,
        "title": event.title,
        "message": event.message,
        "tags": [event.kind],
        "priority": 4 if event.kind in URGENT else 3,
    }
    if event.link:
        payload["click"] = event.link
    headers = {"Authorization": f"Bearer {channel.token}"} if channel.token else {}
    return _post(channel.url.rstrip("/") + "/", body=_json(payload), headers=headers)


def _gotify(channel: AlertChannel, event: AlertEvent) -> Sent:
    payload: dict[str, Any] = {
        "title": event.title,
        "message": event.message,
        "priority": 8 if event.kind in URGENT else 5,
    }
    if event.link:
        payload["extras"] = {"client::notification": {"click": {"url": event.link}}}
    return _post(
        channel.url.rstrip("/") + "/message",
        body=_json(payload),
        headers={"X-Gotify-Key": channel.token},
    )


def webhook_body(delivery: AlertDelivery) -> bytes:
    """What a webhook receives: the event, with the delivery's id to make it idempotent."""
    event = delivery.event
    return _json(
        {
            "id": f"dlv_{delivery.pk}",
            "type": event.kind,
            "key": event.key,
            "created": event.created_at.isoformat(),
            "title": event.title,
            "message": event.message,
            "link": event.link,
            "data": event.data,
        }
    )


def _webhook(channel: AlertChannel, delivery: AlertDelivery) -> Sent:
    body = webhook_body(delivery)
    return _post(
        channel.url,
        body=body,
        headers={
            "Ertrag-Event": delivery.event.kind,
            "Ertrag-Delivery": f"dlv_{delivery.pk}",
            HEADER: signature_header(secret=channel.secret, timestamp=int(time.time()), body=body),
        },
    )


def _email(channel: AlertChannel, event: AlertEvent) -> Sent:
    address = channel.owner.email
    if not address:
        raise DeliveryFailed("the account has no e-mail address", transient=False)
    text = f"{event.message}\n\n{event.link}\n" if event.link else f"{event.message}\n"
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{event.title}"
    try:
        EmailMessage(subject=subject, body=text, to=[address]).send()
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"mail server: {error}", transient=True) from error
    return Sent(status=None, body="")


#: Kinds whose push rings louder: money that did not come, an import that failed.
URGENT = frozenset({"overdue", "import_failed"})


def deliver(delivery: AlertDelivery) -> Sent:
    """Send ``delivery``'s event through its channel; raises ``DeliveryFailed``."""
    channel, event = delivery.channel, delivery.event
    if channel.kind == ChannelKind.NTFY:
        return _ntfy(channel, event)
    if channel.kind == ChannelKind.GOTIFY:
        return _gotify(channel, event)
    if channel.kind == ChannelKind.WEBHOOK:
        return _webhook(channel, delivery)
    return _email(channel, event)
