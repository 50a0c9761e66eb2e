"""Two real beats send each periodic task once per period; a restarted beat sends no
burst (issue 25; config/beat.py).

Beats run as the Procfile runs them, on PostgreSQL and Redis. The schedule is one probe
task every ``PERIOD`` seconds on a queue no worker reads, so every message a beat sends
stays on the broker, where the test takes it off and notes when it came.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.models import BeatLease
from tests.integration.beats import BeatProcess
from tests.integration.test_report_worker import redis_url  # noqa: F401  (fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PROBE_QUEUE = "beat-probe"
PERIOD = 2
#: Seconds a killed beat keeps the lease here (30 in production): the test waits it out.
LEASE = 6


class Arrivals:
    """Takes the probe's messages off the broker as they come and notes the time of each."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while not self._stop.is_set():
            if self.client.blpop([PROBE_QUEUE], timeout=1):
                self.times.append(time.monotonic())

    def since(self, moment: float) -> list[float]:
        return [t for t in self.times if t >= moment]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 2) for a, b in itertools.pairwise(times)]


@pytest.fixture
def probe_every(transactional_db: None) -> Callable[..., PeriodicTask]:
    def make(seconds: int, *, name: str = "probe") -> PeriodicTask:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=seconds, period=IntervalSchedule.SECONDS
        )
        return PeriodicTask.objects.create(
            name=name,
            task="tests.beat_probe",
            interval=interval,
            queue=PROBE_QUEUE,
            last_run_at=timezone.now() - timedelta(hours=1),  # due at once
        )

    return make


@pytest.fixture
def start_beat(
    postgres_url: str,
    redis_url: str,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> Iterator[Callable[[str], BeatProcess]]:
    started: list[BeatProcess] = []

    def start(name: str) -> BeatProcess:
        env = {
            "DATABASE_URL": postgres_url,
            "REDIS_URL": redis_url,
            "BEAT_LEASE_SECONDS": str(LEASE),
        }
        beat = BeatProcess(env=env, log_path=tmp_path / f"{name}.log")
        started.append(beat)
        return beat

    yield start
    for beat in started:
        beat.stop()


@pytest.fixture
def arrivals(redis_url: str) -> Iterator[Arrivals]:  # noqa: F811
    watcher = Arrivals(redis_url)
    yield watcher
    watcher.close()


def test_two_beats_send_each_task_once_per_period_and_the_second_takes_over(
    start_beat: Callable[[str], BeatProcess],
    probe_every: Callable[..., PeriodicTask],
    arrivals: Arrivals,
) -> None:
    probe_every(PERIOD)
    first = start_beat("first")
    first.wait_for_log("holds the lease")
    second = start_beat("second")
    second.wait_for_log("beat: Starting")
    both_from = time.monotonic()
    time.sleep(6 * PERIOD)
    both = arrivals.since(both_from)
    assert second.sends() == 0, second.log()[-3000:]
    assert 4 <= len(both) <= 7, gaps(both)  # one per period, not two
    assert min(gaps(both)) >= PERIOD / 2, gaps(both)

    # The first beat dies without a word: the second waits out the lease, then sends.
    holder = BeatLease.objects.get().holder
    assert holder.endswith(f":{first.process.pid}")
    first.kill()
    killed_at = time.monotonic()
    second.wait_for_log("holds the lease", timeout=LEASE + 15)
    took_over = time.monotonic() - killed_at
    time.sleep(4 * PERIOD)
    after = arrivals.since(killed_at)
    print(
        f"two beats: {len(both)} sends in {6 * PERIOD} s; take-over {took_over:.1f} s after kill -9"
    )
    assert took_over <= LEASE + 6  # the lease, and at most one look of the waiting beat
    assert second.sends() >= 2
    assert min(gaps(after)) >= PERIOD / 2, gaps(after)  # no burst at the take-over


def test_a_beat_killed_and_started_again_does_not_send_at_once_what_it_just_sent(
    start_beat: Callable[[str], BeatProcess],
    probe_every: Callable[..., PeriodicTask],
    arrivals: Arrivals,
) -> None:
    # Two tasks due at the start: django-celery-beat alone saves after the first send
    # of a beat and then every three minutes, so a kill lost the second's last run.
    probes = [probe_every(60, name="probe"), probe_every(60, name="probe too")]
    first = start_beat("first")
    deadline = time.monotonic() + 60
    while len(arrivals.times) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    first.kill()
    assert len(arrivals.times) == 2, first.log()[-3000:]
    for probe in probes:
        probe.refresh_from_db()
        assert probe.total_run_count == 1  # each send was saved at once
    killed_at = time.monotonic()

    again = start_beat("again")
    again.wait_for_log("holds the lease", timeout=LEASE + 60)
    time.sleep(5)
    assert arrivals.since(killed_at) == [], again.log()[-3000:]
    assert again.sends() == 0
