"""With Redis unreachable the cache answers as an empty one, quickly (PRODUCT.md §7).

The Redis is real and simply absent: a port nothing listens on. That Redis up still
serves and throttles is what the rest of the suite shows in its Redis pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from config.cache import FailSoftRedisCache, FailSoftRedisCacheClient
from tests.services import free_port


def dead_cache_settings() -> dict[str, object]:
    return {
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }


def client_of(cache: FailSoftRedisCache) -> FailSoftRedisCacheClient:
    client = cache._cache
    assert isinstance(client, FailSoftRedisCacheClient)
    return client


@pytest.fixture
def dead_cache() -> FailSoftRedisCache:
    params = dead_cache_settings()
    return FailSoftRedisCache(str(params.pop("LOCATION")), params)


def test_reads_are_misses(dead_cache: FailSoftRedisCache) -> None:
    assert dead_cache.get("key") is None
    assert dead_cache.get("key", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.has_key("key") is False
    assert "key" not in dead_cache
    assert dead_cache.get_or_set("key", 42) == 42


def test_writes_are_dropped_without_an_error(dead_cache: FailSoftRedisCache) -> None:
    dead_cache.set("key", "value")
    # As an empty cache answers: the key was not there (a marker or lock is not held).
    assert dead_cache.add("key", "value") is True
    assert dead_cache.touch("key") is False
    assert dead_cache.delete("key") is False
    assert dead_cache.set_many({"a": 1}) == []
    dead_cache.delete_many(["a"])
    dead_cache.clear()
    assert dead_cache.get("key") is None


def test_incr_is_that_of_a_missing_key(dead_cache: FailSoftRedisCache) -> None:
    with pytest.raises(ValueError, match="not found"):
        dead_cache.incr("counter")
    with pytest.raises(ValueError, match="not found"):
        dead_cache.decr("counter")


def test_a_dead_redis_costs_little_and_is_left_alone_between_tries(
    dead_cache: FailSoftRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_of(dead_cache)
    attempts = 0
    connect = client.get_client

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return connect(*args, **kwargs)

    monkeypatch.setattr(client, "get_client", counting)
    started = time.monotonic()
    for n in range(200):
        dead_cache.get(f"key{n}")
    assert time.monotonic() - started < 2
    assert attempts == 1  # the first failure pauses Redis for FailSoftRedisCacheClient.PAUSE


def test_redis_is_tried_again_after_the_pause(
    dead_cache: FailSoftRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FailSoftRedisCacheClient, "PAUSE", 0.2)
    dead_cache.get("key")
    assert client_of(dead_cache)._outage.ongoing()
    time.sleep(0.3)
    assert not client_of(dead_cache)._outage.ongoing()
    dead_cache.get("key")
    assert client_of(dead_cache)._outage.ongoing()  # still dead: paused again


def test_the_outage_is_logged_once_not_per_call(
    dead_cache: FailSoftRedisCache,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FailSoftRedisCacheClient, "PAUSE", 0.05)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(5):
            dead_cache.set("key", "value")
            dead_cache.get("key")
            time.sleep(0.06)  # past the pause: Redis is tried (and fails) again each round
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
    assert "ConnectionError" in warnings[0].getMessage()


@pytest.fixture
def cache_unreachable() -> Iterator[None]:
    with override_settings(CACHES={"default": dead_cache_settings()}):
        yield


@pytest.mark.usefixtures("cache_unreachable")
def test_without_a_cache_the_api_answers_and_does_not_throttle(
    api_client: APIClient, db: None
) -> None:
    rates: dict[str, str] = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # type: ignore[assignment]
    rate = int(rates["auth"].split("/")[0])
    # As tests/api/test_auth_api.py counts, but one past the limit is still answered.
    statuses = [
        api_client.post(
            "/api/v1/auth/login/", {"username": f"guess{n}", "password": "x"}, format="json"
        ).status_code
        for n in range(rate + 2)
    ]
    assert statuses == [400] * (rate + 2)
    assert cache.get("anything") is None
