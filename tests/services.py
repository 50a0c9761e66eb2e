"""Reaching the real services tests depend on, and what to do when one is missing.

Outside CI a test that needs PostgreSQL, Redis or Chromium skips with the reason;
under ``CI=true`` it fails instead, so a green CI run always used the real thing.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing(reason: str) -> None:
    """Skip the calling test, or fail it under CI."""
    if IN_CI:
        pytest.fail(f"required service missing under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def require_redis(url: str = TEST_REDIS_URL) -> str:
    if not port_open(url, 6379):
        missing(f"Redis is not reachable at {url}")
    return url


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM if os.path.exists(CHROMIUM) else str(shutil.which("chromium"))


def free_port() -> int:
    """A port nothing listens on (the kernel just handed it out and it was closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def celery_sends_to(broker_url: str) -> Iterator[None]:
    """Tasks are sent for real (not run eagerly) to ``broker_url`` until the block ends.

    Only this process's sending side changes: ``broker_write_url`` is what the producers
    connect to, and the cached producer pool is set aside so the next send builds one
    for the new address; both are put back afterwards.
    """
    from config.celery import app as celery_app

    conf, amqp = celery_app.conf, cast(Any, celery_app.amqp)
    saved = {"task_always_eager": conf.task_always_eager, "broker_write_url": conf.broker_write_url}
    saved_pool = amqp._producer_pool
    conf.update(task_always_eager=False, broker_write_url=broker_url)
    amqp._producer_pool = None
    try:
        yield
    finally:
        conf.update(saved)
        amqp._producer_pool = saved_pool
