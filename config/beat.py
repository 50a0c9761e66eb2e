"""One beat at a time, and its last-run times saved at every send (issue 25).

Two ``celery beat`` processes (a second ``make run``, a deploy that starts the new
container before the old one stops) sent every periodic task twice; and a beat that was
killed lost the last-run times of up to three minutes (django-celery-beat saves them
every ``sync_every`` seconds), so the next one sent every task due in that window again
at once. :class:`SingleBeatScheduler` is django-celery-beat's ``DatabaseScheduler`` with:

- **a lease** (:class:`config.models.BeatLease`): before each tick a beat renews it, or
  takes it if it has expired. A beat without it sends nothing and looks again every
  few seconds; one that stops cleanly hands it back at once, one that is killed holds
  it ``BEAT_LEASE_SECONDS`` more. On taking over, the schedule is read afresh, so the
  new holder goes on from the last-run times the old one saved.
- **a save after every send** (``sync_every_tasks=1``): a restarted beat finds the
  last-run times of every task it sent, and sends only what is due.

Why a row in the database and not a PostgreSQL advisory lock or a Redis lock: beat
cannot work without the database anyway (the schedule lives there), and a row works
on both set-ups, SQLite with the filesystem broker as well as PostgreSQL with Redis,
where an advisory lock exists only on PostgreSQL and there is no Redis at all in the
embedded set-up. An advisory lock also dies with its session: a database restart would
free it for both beats at once. The lease's times are the database's clock (``Now()``),
so beats on machines whose clocks differ still agree on when it has run out.

A beat that hangs longer than the lease (SIGSTOP, a frozen VM) and wakes after another
took over sends at most the one task of the tick it was in: its next renewal fails and
it waits like any other. While the database is away no beat holds the lease for sure,
so none sends; they go on once it is back.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    close_old_connections,
    transaction,
)
from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Now
from django_celery_beat.schedulers import DatabaseScheduler

from config.models import BeatLease

logger = logging.getLogger(__name__)

#: The one lease all beats of an installation compete for.
LEASE_NAME = "beat"


def _expiry(seconds: float) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(Now() + timedelta(seconds=seconds), output_field=DateTimeField())


def beat_lease_take(*, holder: str, seconds: float, name: str = LEASE_NAME) -> bool:
    """Renew ``holder``'s lease, or take it if nobody holds it; True if ``holder`` has it.

    One conditional UPDATE (the healthchecks claim): it matches only while the row is
    ``holder``'s or expired, so of two beats at the same moment exactly one gets it.
    The row is made on first use (a fresh or flushed database has none).
    """
    mine_or_free = Q(holder=holder) | Q(expires_at__lte=Now())
    lease = BeatLease.objects.filter(name=name)
    if lease.filter(mine_or_free).update(holder=holder, expires_at=_expiry(seconds)):
        return True
    if lease.exists():
        return False
    try:
        with transaction.atomic():
            BeatLease.objects.create(name=name, holder=holder, expires_at=_expiry(seconds))
    except IntegrityError:  # another beat made it first
        return False
    return True


def beat_lease_release(*, holder: str, name: str = LEASE_NAME) -> bool:
    """Hand the lease back at once (a clean stop), so a waiting beat need not wait it out."""
    return bool(
        BeatLease.objects.filter(name=name, holder=holder).update(holder="", expires_at=_expiry(-1))
    )


def beat_holder() -> str:
    """This beat as an admin finds it in ``ps``: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SingleBeatScheduler(DatabaseScheduler):  # type: ignore[misc]
    """``DatabaseScheduler`` that sends only while it holds the lease, saving every send."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("sync_every_tasks", 1)
        self.holder = beat_holder()
        self.holds_lease = False
        super().__init__(*args, **kwargs)

    def _lease_renewed(self) -> bool:
        try:
            close_old_connections()  # a connection broken by a database restart is replaced
            return beat_lease_take(holder=self.holder, seconds=settings.BEAT_LEASE_SECONDS)
        except (DatabaseError, InterfaceError) as error:
            logger.warning("beat: the lease could not be renewed (%s); sending nothing", error)
            return False

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Renew the lease, then one ordinary tick; without it, wait and look again."""
        if not self._lease_renewed():
            if self.holds_lease:
                logger.warning("beat: %s no longer holds the lease; sending nothing", self.holder)
            self.holds_lease = False
            return float(min(self.max_interval, settings.BEAT_LEASE_SECONDS))
        if not self.holds_lease:
            logger.info("beat: %s holds the lease and sends the periodic tasks", self.holder)
            self.holds_lease = True
            # What the previous holder sent since this beat read the schedule is in the
            # database, not in this beat's copy: read it again before sending anything.
            self._dirty.clear()
            self._schedule = self.all_as_schedule()
            self._heap = None
        return float(super().tick(*args, **kwargs))

    def reserve(self, entry: Any) -> Any:
        """Advance ``entry`` and keep the advanced one in the schedule.

        ``DatabaseScheduler.reserve`` leaves the schedule holding the entry with the old
        last-run time; a heap rebuilt from it before the next read from the database
        (after a change of the schedule, or a take-over) sent the task a second time.
        """
        new_entry = super().reserve(entry)
        if self._schedule is not None and new_entry.name in self._schedule:
            self._schedule[new_entry.name] = new_entry
        return new_entry

    def close(self) -> None:
        """Save the last-run times, then hand the lease on to a waiting beat."""
        try:
            super().close()
        finally:
            if self.holds_lease:
                try:
                    beat_lease_release(holder=self.holder)
                except (DatabaseError, InterfaceError):
                    logger.warning("beat: the lease could not be handed back; it runs out")
                self.holds_lease = False
