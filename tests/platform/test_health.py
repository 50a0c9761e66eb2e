"""/health/ reports each part it depends on; 503 as soon as one is away."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from config.celery import app as celery_app


def test_everything_up_is_a_200(client: Client, db: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "cache": "ok", "broker": "ok",
        # No fetch of the ECB rates yet: reported, without deciding the status.
        "exchange_rates": {
            "last_fetch": None, "last_fetch_status": "never", "last_fetch_error": "",
            "newest_rate": None,
        },
    }  # fmt: skip


@pytest.fixture
def unreachable_broker() -> Iterator[None]:
    """A real Redis URL on a port where nothing listens: the broker is simply not there."""
    previous = celery_app.conf.get("broker_write_url")
    celery_app.conf.update(broker_write_url="redis://127.0.0.1:9/0")
    yield
    celery_app.conf.update(broker_write_url=previous)


def test_a_missing_broker_is_a_503(client: Client, db: None, unreachable_broker: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error: ")
    assert body["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()  # no connection details leak


def test_a_missing_cache_is_a_503(
    client: Client, db: None, settings: pytest.FixtureRequest
) -> None:
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error: ")
