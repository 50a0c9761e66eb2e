"""The private calendar feed (issue 24): make a user's address, give it a new one, take
it back, and note when a calendar app read it. What the feed holds is built in
``income.calendar_feed``; the feed is found by its token in ``income.selectors``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from income.models import CalendarFeed
from income.models.feeds import feed_token
from income.services.rows import model_assign_and_save

#: How stale ``last_read_at`` may be: calendar apps poll every few minutes to hours, and
#: "last read" need not cost a write each time (healthchecks' way with pings it counts).
READ_STAMP_EVERY = timedelta(hours=1)


@transaction.atomic
def calendar_feed_create(*, owner: User) -> CalendarFeed:
    """The owner's feed: a new one with a random address, or the one they have already.

    Making it twice keeps the first address (a double click must not break the address
    the person just copied). Two parallel first requests meet the unique owner: the
    second returns the first's feed.
    """
    feed = CalendarFeed.objects.select_for_update().filter(owner=owner).first()
    if feed is not None:
        return feed
    try:
        return model_assign_and_save(instance=CalendarFeed(owner=owner), fields={})
    except (ValidationError, IntegrityError):
        existing = CalendarFeed.objects.filter(owner=owner).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def calendar_feed_rotate(*, owner: User) -> CalendarFeed:
    """A new address for the owner's feed, made when there is none yet.

    The old address stops working at once (its token no longer exists): the way out of
    an address that was shared or leaked, without unsubscribing from the calendar first.
    "Last read" starts again, since no app knows the new address yet.
    """
    feed = CalendarFeed.objects.select_for_update().filter(owner=owner).first()
    if feed is None:
        return calendar_feed_create(owner=owner)
    fields = {"token": feed_token(), "created_at": timezone.now(), "last_read_at": None}
    return model_assign_and_save(instance=feed, fields=fields, update_fields=list(fields))


@transaction.atomic
def calendar_feed_revoke(*, owner: User) -> bool:
    """Delete the owner's feed: its address answers 404 from now on. False when there
    was none (nothing changes)."""
    deleted, _rows = CalendarFeed.objects.filter(owner=owner).delete()
    return deleted > 0


def calendar_feed_mark_read(*, feed: CalendarFeed, now: datetime) -> None:
    """Note that a calendar app read ``feed``, at most once per ``READ_STAMP_EVERY``.

    One conditional ``update()``: a read within the hour writes nothing, and of parallel
    reads one stamps. A feed rotated or revoked meanwhile is simply not stamped.
    """
    if feed.last_read_at is not None and now - feed.last_read_at < READ_STAMP_EVERY:
        return
    stale = Q(last_read_at__isnull=True) | Q(last_read_at__lt=now - READ_STAMP_EVERY)
    CalendarFeed.objects.filter(stale, pk=feed.pk, token=feed.token).update(last_read_at=now)
