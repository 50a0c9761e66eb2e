"""The Celery app, configured from Django settings under the ``CELERY_`` namespace.

Shape taken from cookiecutter-django's ``config/celery_app.py``. Tasks are found in
each installed app's ``tasks.py``.

Sending is bounded (issue 25, ``config.broker_circuit``): the connections tasks are
sent on wait at most ``BROKER_SEND_TIMEOUT`` seconds for the broker (the workers'
consumers keep the longer timeout their blocking reads need), and after a send that
timed out no send is tried for ``BROKER_CIRCUIT_SECONDS``. Every sender goes through
``send_task``: the web process, the workers, beat. And a worker survives Redis going
away while it holds unacknowledged messages (``_restore_unacked_while_connected``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from celery import Celery
from kombu import Connection
from kombu.exceptions import OperationalError
from kombu.transport import redis as kombu_redis
from kombu.utils.url import maybe_sanitize_url

from config.broker_circuit import BrokerCircuit, circuit_for, timed_out

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)


def _no_retry_after_timeout(
    errback: Callable[[BaseException, float], object] | None,
) -> Callable[[BaseException, float], None]:
    """A publish that timed out is not retried: the retry would wait as long again.

    kombu calls the retry policy's ``errback`` before each retry; raising there ends
    the retries with that error. The caller's own ``errback`` still runs first.
    """

    def errback_then_stop(error: BaseException, interval: float) -> None:
        if errback is not None:
            errback(error, interval)
        if timed_out(error):
            raise error

    return errback_then_stop


class ErtragCelery(Celery):
    """Celery whose sends wait briefly for the broker, and not at all while it hangs."""

    def connection_for_write(self, url: str | None = None, **kwargs: Any) -> Connection:
        from django.conf import settings

        options = dict(kwargs.pop("transport_options", None) or {})
        options.setdefault("socket_timeout", settings.BROKER_SEND_TIMEOUT)
        options.setdefault("socket_connect_timeout", settings.BROKER_SEND_TIMEOUT)
        return super().connection_for_write(url, transport_options=options, **kwargs)

    def send_circuit(self) -> BrokerCircuit:
        """The circuit of the broker this process sends to."""
        location = self.conf.broker_write_url or self.conf.broker_url or ""
        return circuit_for(str(maybe_sanitize_url(location)))

    def send_task(self, name: str, *args: Any, **kwargs: Any) -> Any:
        from django.conf import settings

        pause = float(settings.BROKER_CIRCUIT_SECONDS)
        circuit = self.send_circuit()
        circuit.before_send(name, pause=pause)
        policy = dict(kwargs.pop("retry_policy", None) or {})
        kwargs["retry_policy"] = {
            **policy,
            "errback": _no_retry_after_timeout(policy.get("errback")),
        }
        try:
            result = super().send_task(name, *args, **kwargs)
        except OperationalError as error:
            circuit.failed(error, pause=pause)
            raise
        circuit.succeeded()
        return result


def _restore_unacked_while_connected(
    restore: Callable[..., None],
) -> Callable[..., None]:
    """kombu 5.7's Redis ``restore_unacked`` on a connection that is already closed.

    A worker holding messages it has not acknowledged (a change-job's 10 s countdown,
    the watchdog it sends itself at start) gives them back when its connection to Redis
    closes. When Redis went away, the connection has lost its address by then, and
    building a client for the give-back raised ``AttributeError``: not a connection
    error, so the worker stopped for good ("Unrecoverable error") instead of waiting
    for Redis (issue 25; the same failure as celery/kombu#582, #970). With the
    connection gone there is nothing to give the messages back to (a Redis that was
    killed lost them anyway), so the give-back is skipped; the jobs they were for are
    sent again by the watchdog (their rows say "queued").
    """

    def restore_unacked(self: Any, client: Any = None) -> None:
        if client is None and getattr(self.channel.connection, "client", None) is None:
            logger.warning(
                "broker: connection closed; %d unacknowledged messages not given back",
                len(self._delivered),
            )
            self._delivered.clear()
            return
        restore(self, client)

    return restore_unacked


kombu_redis.QoS.restore_unacked = _restore_unacked_while_connected(  # type: ignore[method-assign]
    kombu_redis.QoS.restore_unacked
)

app = ErtragCelery("ertrag")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
