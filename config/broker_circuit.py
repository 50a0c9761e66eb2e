"""A broker that does not answer costs one short wait, not one per request (issue 25).

A hung Redis (stopped, a network that drops packets) accepts connections and never
answers: every send waited for the socket timeout, 5 s and more, and with every write
of the site sending a task on commit the whole site slowed to about one write a second.
A refused connection, by contrast, fails in milliseconds and needs no help.

So: the sending side waits at most ``BROKER_SEND_TIMEOUT`` seconds per socket operation
(``config.celery``), and a send that timed out *opens the circuit*: for
``BROKER_CIRCUIT_SECONDS`` no send is tried at all in this process, each fails at once
as an unreachable broker does (``kombu.exceptions.OperationalError``), so the callers'
fallbacks run as before (``income.dispatch``: the job is marked as never queued; the
change itself is committed and stamped, and the minutely watchdog gives the user a new
change-job once the broker answers). The first send after the pause tries again: if it
goes through the circuit closes, if it times out it opens for another pause.

The state is per process and per broker address, shared by the process's threads,
like the cache's outage pause (``config.cache``).
"""

from __future__ import annotations

import logging
import threading
import time

from kombu.exceptions import OperationalError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


def timed_out(error: BaseException) -> bool:
    """Whether ``error`` (or what it was raised from) is a socket that waited in vain."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, (TimeoutError, RedisTimeoutError)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class BrokerCircuit:
    """Open for a while after a send timed out: sends fail at once instead of waiting."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.open_until = 0.0  # monotonic; 0: closed
        self.attempts = 0  # sends handed to the broker (for tests and the log)
        self.skipped = 0  # sends refused while open
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return self.open_until > time.monotonic()

    def before_send(self, task_name: str, *, pause: float) -> None:
        """Raise at once while the circuit is open; otherwise count the attempt."""
        with self._lock:
            if self.open_until > time.monotonic():
                self.skipped += 1
                raise OperationalError(
                    f"{task_name} not sent: the broker at {self.location} did not answer "
                    f"a moment ago; sends pause for up to {pause:g} s"
                )
            self.attempts += 1

    def failed(self, error: BaseException, *, pause: float) -> None:
        """Open the circuit if ``error`` was a timeout; a refused connection is cheap."""
        if not timed_out(error):
            return
        with self._lock:
            first = self.open_until == 0.0
            self.open_until = time.monotonic() + pause
        if first:
            logger.warning(
                "broker: %s did not answer in time (%s); no task is sent for %g s",
                self.location, error, pause,
            )  # fmt: skip

    def succeeded(self) -> None:
        if self.open_until == 0.0:
            return
        with self._lock:
            self.open_until = 0.0
        logger.info("broker: %s answers again; tasks are sent", self.location)


_circuits: dict[str, BrokerCircuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(location: str) -> BrokerCircuit:
    """The one circuit of ``location`` in this process."""
    with _circuits_lock:
        return _circuits.setdefault(location, BrokerCircuit(location))
