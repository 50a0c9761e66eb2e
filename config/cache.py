"""Django's Redis cache, except that an unreachable Redis is an empty cache, not an error.

PRODUCT.md §7: with Redis down the web app keeps answering and saving. Nothing the app
keeps in the cache must survive (throttle counters, import and recompute progress), so
while Redis is away every read is a miss and every write is dropped: throttling does
not throttle, progress bars wait for the job's row. Short socket timeouts (settings)
bound what one call costs; after a failure Redis is left alone for ``PAUSE`` seconds,
so a request makes no connection attempt at all while the outage lasts, and the
warning is logged once per outage, not once per call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What an unreachable (refused, reset, timed out) Redis raises; other errors are bugs.
UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)

T = TypeVar("T")


class _Outage:
    """Whether one Redis location is known to be down, shared by every thread of a process."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.retry_at = 0.0  # monotonic; 0: not down
        self._lock = threading.Lock()

    def ongoing(self) -> bool:
        return self.retry_at > time.monotonic()

    def begin(self, error: Exception, pause: float) -> None:
        with self._lock:
            first = self.retry_at == 0.0
            self.retry_at = time.monotonic() + pause
        if first:
            logger.warning(
                "cache: Redis at %s is unreachable (%s); treating the cache as empty and "
                "trying again every %s s",
                self.location, type(error).__name__, pause,
            )  # fmt: skip

    def end(self) -> None:
        if self.retry_at == 0.0:
            return
        with self._lock:
            was_down, self.retry_at = self.retry_at != 0.0, 0.0
        if was_down:
            logger.info("cache: Redis at %s answers again", self.location)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers: list[str]) -> _Outage:
    location = ",".join(servers)
    with _outages_lock:
        return _outages.setdefault(location, _Outage(location))


class FailSoftRedisCacheClient(RedisCacheClient):
    """Each operation answers as a miss would while Redis cannot be reached."""

    #: Seconds after a failure before Redis is tried again.
    PAUSE = 5.0

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._outage = _outage_of(servers)

    def _guarded(self, miss: T, call: Callable[..., T], *args: Any) -> T:
        if self._outage.ongoing():
            return miss
        try:
            result = call(*args)
        except UNREACHABLE as error:
            self._outage.begin(error, self.PAUSE)
            return miss
        self._outage.end()
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        """True while Redis is away, as an empty cache answers: the key was not there.

        ``add`` is how callers take a once-only marker or a lock (allauth's "this TOTP
        code was used", its rate-limit slots, ``config.ratelimit``'s counter). Answering
        False would say "someone holds it" to every caller for the whole outage: nobody
        with an authenticator app could log in, sign-up and reset answered 429. An
        outage fails open, as reads do; the lockout in the database still counts
        wrong passwords and codes."""
        return self._guarded(True, super().add, key, value, timeout)

    def get(self, key: Any, default: Any) -> Any:
        return self._guarded(default, super().get, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._guarded(None, super().set, key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._guarded(False, super().touch, key, timeout)

    def delete(self, key: Any) -> bool:
        return self._guarded(False, super().delete, key)

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        return self._guarded({}, super().get_many, keys)

    def has_key(self, key: Any) -> bool:
        return self._guarded(False, super().has_key, key)

    def incr(self, key: Any, delta: int) -> Any:
        """A missing key, as Django's caches answer ``incr`` of a key that is not there."""
        missing = object()
        result = self._guarded(missing, super().incr, key, delta)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        self._guarded(None, super().set_many, data, timeout)

    def delete_many(self, keys: Iterable[Any]) -> None:
        self._guarded(None, super().delete_many, keys)

    def clear(self) -> bool:
        return self._guarded(False, super().clear)


class FailSoftRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` on a :class:`FailSoftRedisCacheClient`."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
