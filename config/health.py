"""``/health/``: is each part the app depends on reachable right now?

Answers 200 when database, cache and broker all answer, 503 otherwise, with one entry
per part so a load balancer and a person can both read it, and what the apps report
beside (``REPORTS``: the ECB rates' latest fetch), which never decides the status. It
never raises: a part that fails is reported with the exception's class, never its
message (which may hold a host name or password).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("cache did not return the value just written")


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
}

#: What the apps report beside the checks, without deciding the status: an app adds its
#: own in its ``ready()`` (``config`` sits below the apps and imports none of them). The
#: ECB rates' latest fetch is one: a failed fetch is news, not an outage.
REPORTS: dict[str, Callable[[], object]] = {}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    parts: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            parts[name] = f"error: {type(exc).__name__}"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    reports: dict[str, object] = {}
    for name, report in REPORTS.items():
        try:
            reports[name] = report()
        except Exception as exc:
            reports[name] = f"error: {type(exc).__name__}"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts, **reports},
        status=200 if healthy else 503,
    )
