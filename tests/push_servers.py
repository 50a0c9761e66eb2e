"""Real HTTP servers on 127.0.0.1 that speak the protocols alerts are sent in (issue 24).

Neither ntfy's server nor Gotify's is packaged by Debian or PyPI, so these are small
servers of the standard library that answer as the real ones document:

- **ntfy** (JSON publishing): ``POST /`` with ``{"topic": …, "message": …, "title": …,
  "tags": […], "priority": 1–5, "click": …}``; a topic of 1–64 ``[-_A-Za-z0-9]``; with
  ``token`` set, ``Authorization: Bearer <token>`` is required (else 401/403 as ntfy
  answers). A good publish answers 200 with the message envelope
  (``{"id", "time", "event": "message", "topic", …}``).
- **Gotify**: ``POST /message`` with the application token in ``X-Gotify-Key`` (or
  ``?token=``) and ``{"message": …, "title": …, "priority": …, "extras": …}``; a wrong
  token is 401 with Gotify's error body; a message without ``message`` is 400.
- **webhook receiver**: keeps every POST's headers and body, and answers the statuses
  a test queues (200 once they run out).

Each keeps what it accepted in ``received`` so a test reads what a phone would show.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.http_files import serving

TOPIC = re.compile(r"[-_A-Za-z0-9]{1,64}")
MAX_BODY = 64 * 1024


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class PushServer:
    """What one server accepted (``received``) and was asked (``requests``)."""

    base: str = ""
    token: str = ""
    received: list[Received] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    #: Statuses to answer first, in order (the webhook receiver; 200 when empty).
    statuses: list[int] = field(default_factory=list)


def _reply(handler: BaseHTTPRequestHandler, status: int, value: Any) -> None:
    body = json.dumps(value).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _ntfy(server: PushServer, handler: BaseHTTPRequestHandler, request: Received) -> None:
    if request.path != "/":
        _reply(handler, 404, {"code": 40401, "http": 404, "error": "page not found"})
        return
    if server.token:
        given = request.headers.get("authorization", "")
        if not given:
            _reply(handler, 403, {"code": 40301, "http": 403, "error": "forbidden"})
            return
        if given != f"Bearer {server.token}":
            _reply(handler, 401, {"code": 40101, "http": 401, "error": "unauthorized"})
            return
    try:
        message = request.json()
    except ValueError:
        _reply(handler, 400, {"code": 40024, "http": 400, "error": "invalid request: body"})
        return
    topic = message.get("topic") if isinstance(message, dict) else None
    if not isinstance(topic, str) or not TOPIC.fullmatch(topic):
        _reply(handler, 400, {"code": 40009, "http": 400, "error": "invalid topic"})
        return
    priority = message.get("priority", 3)
    if not isinstance(priority, int) or not 1 <= priority <= 5:
        _reply(handler, 400, {"code": 40007, "http": 400, "error": "invalid priority"})
        return
    server.received.append(request)
    envelope = {
        "id": secrets.token_hex(6),
        "time": int(time.time()),
        "event": "message",
        "topic": topic,
        "title": message.get("title", ""),
        "message": message.get("message", "triggered"),
    }
    _reply(handler, 200, envelope)


def _gotify(server: PushServer, handler: BaseHTTPRequestHandler, request: Received) -> None:
    path, _sep, query = request.path.partition("?")
    if path != "/message":
        _reply(handler, 404, {"error": "Not Found", "errorCode": 404, "errorDescription": ""})
        return
    token = request.headers.get("x-gotify-key") or dict(
        part.partition("=")[::2] for part in query.split("&") if part
    ).get("token", "")
    if token != server.token:
        _reply(
            handler,
            401,
            {
                "error": "Unauthorized",
                "errorCode": 401,
                "errorDescription": "you need to provide a valid access token",
            },
        )
        return  # fmt: skip
    try:
        message = request.json()
    except ValueError:
        message = None
    if not isinstance(message, dict) or not message.get("message"):
        _reply(
            handler,
            400,
            {
                "error": "Bad Request",
                "errorCode": 400,
                "errorDescription": "Field 'message' is required",
            },
        )
        return  # fmt: skip
    server.received.append(request)
    _reply(handler, 200, {"id": len(server.received), "appid": 1, **message,
                          "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})  # fmt: skip


def _webhook(server: PushServer, handler: BaseHTTPRequestHandler, request: Received) -> None:
    status = server.statuses.pop(0) if server.statuses else 200
    if status < 300:
        server.received.append(request)
    _reply(handler, status, {"ok": status < 300})


@contextmanager
def _serve(kind: str, *, token: str = "") -> Iterator[PushServer]:
    served = PushServer(token=token)
    speak = {"ntfy": _ntfy, "gotify": _gotify, "webhook": _webhook}[kind]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            request = Received(
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length),
            )
            served.requests.append(request)
            speak(served, self, request)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the test reads ``received``

    with serving(Handler) as base:
        served.base = base
        yield served


def ntfy_server(*, token: str = "") -> Any:
    """An ntfy server; with ``token`` its topics need that access token."""
    return _serve("ntfy", token=token)


def gotify_server(*, token: str) -> Any:
    """A Gotify server with one application, whose token is ``token``."""
    return _serve("gotify", token=token)


def webhook_receiver() -> Any:
    return _serve("webhook")
