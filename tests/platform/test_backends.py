"""The run uses the services it was configured with (``.ci/run`` runs the suite on both)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

import config.settings as configured_settings
from config.celery import app as celery_app


def test_the_database_is_the_configured_one(db: None) -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: embedded mode")
def test_redis_serves_cache_broker_and_results() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.FailSoftRedisCache"
    cache.set("backend-check", "ok", timeout=5)
    assert cache.get("backend-check") == "ok"
    assert celery_app.conf.broker_url.startswith("redis://")
    assert celery_app.conf.result_backend.startswith("redis://")
    assert (
        celery_app.conf.broker_transport_options["visibility_timeout"]
        > settings.CELERY_TASK_TIME_LIMIT
    )


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="REDIS_URL set: Redis mode")
def test_embedded_mode_needs_no_server() -> None:
    # The configured cache, not the per-test override of tests/conftest.py: files that
    # the web process and the worker share (progress), under var/ by default.
    configured = configured_settings.CACHES["default"]
    assert str(configured["BACKEND"]).endswith("FileBasedCache")
    assert Path(str(configured["LOCATION"])).is_absolute()
    assert celery_app.conf.broker_url == "filesystem://"
    assert celery_app.conf.task_acks_late
    assert celery_app.conf.task_reject_on_worker_lost
