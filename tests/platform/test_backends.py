"""The run uses the services it was configured with (``.ci/run`` runs the suite on both)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

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
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
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
    assert str(settings.CACHES["default"]["BACKEND"]).endswith("LocMemCache")
    assert celery_app.conf.broker_url == "filesystem://"
    assert celery_app.conf.task_acks_late
    assert celery_app.conf.task_reject_on_worker_lost
