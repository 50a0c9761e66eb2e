"""One beat at a time, every send saved, and a broker circuit (issue 25; config/beat.py,
config/broker_circuit.py). Real processes: tests/integration/test_beat.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.beat import SingleBeatScheduler, beat_lease_release, beat_lease_take
from config.broker_circuit import BrokerCircuit, timed_out
from config.celery import app as celery_app
from config.models import BeatLease

PROBE = "tests.beat_probe"


# ----------------------------------------------------------------------------- lease


@pytest.mark.django_db
def test_the_first_beat_takes_the_lease_and_a_second_does_not() -> None:
    assert beat_lease_take(holder="one", seconds=30)
    assert not beat_lease_take(holder="two", seconds=30)
    assert BeatLease.objects.get().holder == "one"


@pytest.mark.django_db
def test_the_holder_renews_its_lease() -> None:
    assert beat_lease_take(holder="one", seconds=30)
    before = BeatLease.objects.get().expires_at
    assert beat_lease_take(holder="one", seconds=60)
    assert BeatLease.objects.get().expires_at > before


@pytest.mark.django_db
def test_an_expired_lease_goes_to_the_beat_that_asks() -> None:
    assert beat_lease_take(holder="one", seconds=30)
    BeatLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert beat_lease_take(holder="two", seconds=30)
    assert not beat_lease_take(holder="one", seconds=30)


@pytest.mark.django_db
def test_a_lease_handed_back_is_free_at_once() -> None:
    assert beat_lease_take(holder="one", seconds=30)
    assert not beat_lease_release(holder="two")  # only the holder can hand it back
    assert beat_lease_release(holder="one")
    assert beat_lease_take(holder="two", seconds=30)


# ----------------------------------------------------------------------------- scheduler


@pytest.fixture
def due_probe(transactional_db: None) -> PeriodicTask:
    """A task due every 60 s that last ran long ago: due at the next tick.

    The only periodic task: the schedule the migrations ship (watchdogs, sweeps) is still
    there when this is a process's first transactional test, and beat sends one due entry
    per tick, so those would take the ticks the tests count."""
    PeriodicTask.objects.all().delete()
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="probe",
        task=PROBE,
        interval=every_minute,
        last_run_at=timezone.now() - timedelta(hours=1),
    )


class RecordingScheduler(SingleBeatScheduler):
    """Records what it would send instead of sending (the probe is no registered task)."""

    def __init__(self, *args: Any, holder: str, **kwargs: Any) -> None:
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)
        self.holder = holder  # two schedulers in one process: two beats
        self.__dict__["producer"] = None  # no broker connection

    def send_task(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.sent.append(name)


@pytest.fixture
def beats(due_probe: PeriodicTask) -> Iterator[tuple[RecordingScheduler, RecordingScheduler]]:
    first = RecordingScheduler(app=celery_app, holder="first")
    second = RecordingScheduler(app=celery_app, holder="second")
    yield first, second
    for beat in (first, second):
        beat._finalize.cancel()


def _ticks(beat: RecordingScheduler, times: int) -> None:
    for _ in range(times):
        beat.tick()


def test_a_second_beat_sends_nothing_while_the_first_holds_the_lease(
    beats: tuple[RecordingScheduler, RecordingScheduler],
) -> None:
    first, second = beats
    _ticks(first, 3)
    _ticks(second, 3)
    assert first.sent == [PROBE]
    assert second.sent == []
    assert not second.holds_lease


def test_a_waiting_beat_takes_over_when_the_first_stops_and_does_not_send_again(
    beats: tuple[RecordingScheduler, RecordingScheduler],
) -> None:
    first, second = beats  # both read the schedule before anything was sent
    _ticks(first, 2)
    _ticks(second, 1)
    assert first.sent == [PROBE]
    assert second.sent == []
    first.close()  # a clean stop hands the lease back
    _ticks(second, 3)
    assert second.holds_lease
    # It went on from the last-run time the first saved: the probe is not due again.
    assert second.sent == []


def test_every_send_is_saved_at_once(
    beats: tuple[RecordingScheduler, RecordingScheduler], due_probe: PeriodicTask
) -> None:
    first, _second = beats
    before = due_probe.last_run_at
    _ticks(first, 1)
    due_probe.refresh_from_db()
    assert first.sent == [PROBE]
    assert due_probe.last_run_at is not None
    assert before is not None
    assert due_probe.last_run_at > before  # in the database, not only in the beat
    assert due_probe.total_run_count == 1


# ----------------------------------------------------------------------------- circuit


def _wrapped_timeout() -> OperationalError:
    """A Redis timeout as kombu re-raises it: a library error raised from the socket's."""
    try:
        raise RedisTimeoutError("Timeout reading from socket")
    except RedisTimeoutError as error:
        wrapped = OperationalError(str(error))
        wrapped.__cause__ = error
        return wrapped


def test_a_timeout_is_recognised_through_the_errors_it_was_raised_from() -> None:
    assert timed_out(_wrapped_timeout())
    assert timed_out(TimeoutError("timed out"))
    assert not timed_out(OperationalError("Connection refused"))
    assert not timed_out(RedisConnectionError("Error 111 connecting"))


def test_the_circuit_opens_after_a_timeout_and_skips_sends_meanwhile() -> None:
    circuit = BrokerCircuit("redis://test")
    circuit.before_send("a", pause=30)
    circuit.failed(RedisTimeoutError("Timeout reading from socket"), pause=30)
    assert circuit.is_open()
    with pytest.raises(OperationalError, match="did not answer"):
        circuit.before_send("b", pause=30)
    assert (circuit.attempts, circuit.skipped) == (1, 1)


def test_a_refused_connection_leaves_the_circuit_closed() -> None:
    circuit = BrokerCircuit("redis://test")
    circuit.failed(RedisConnectionError("Error 111 connecting"), pause=30)
    assert not circuit.is_open()
    circuit.before_send("a", pause=30)
    assert circuit.attempts == 1


def test_after_the_pause_the_next_send_tries_and_a_success_closes_the_circuit() -> None:
    circuit = BrokerCircuit("redis://test")
    circuit.failed(TimeoutError("timed out"), pause=0)  # a pause already over
    assert not circuit.is_open()
    circuit.before_send("a", pause=0)
    circuit.succeeded()
    assert circuit.open_until == 0.0
    assert circuit.attempts == 1
