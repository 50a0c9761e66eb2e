"""Telling the rest of the product that a user's figures are out of date.

Every write service of a user's income data calls ``owner_data_changed`` inside its
transaction. It stamps ``Profile.data_changed_at`` in that same transaction, so the
stamp commits exactly when the change does: the nightly sweep finds every user changed
since their last report even if nothing else reached the worker (a broker that was
down, a worker that died). After the commit, ``owner_data_committed`` is sent once per
user and transaction; the reports app listens and schedules a debounced recompute.

The signal keeps the dependency pointing one way (reports builds on income, never the
other way round); the receiver only schedules, it holds no business rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from income.models import Profile

logger = logging.getLogger(__name__)

#: Sent after commit with ``owner_id``: that user's report inputs changed.
owner_data_committed = Signal()


def _announce(owner_id: int) -> None:
    try:
        owner_data_committed.send(sender=Profile, owner_id=owner_id)
    except Exception:  # a receiver that cannot reach the broker must not break the request
        logger.exception(
            "owner_data_committed: receivers failed for user %s; the nightly sweep will catch up",
            owner_id,
        )


class _Announcement:
    """The after-commit callback of one owner; recognisable so it is registered once."""

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        self.fired = False

    def __call__(self) -> None:
        self.fired = True
        _announce(self.owner_id)


#: Owners whose announcements a batch holds back (``announcements_held``).
_held: ContextVar[frozenset[int]] = ContextVar("announcements_held", default=frozenset())


@contextmanager
def announcements_held(*, owner_id: int) -> Iterator[None]:
    """Stamp ``owner_id``'s changes but announce none of them inside the ``with`` block.

    For a batch written in many transactions that must end all or nothing (the data
    import): figures recomputed from half of it would outlive its undoing. The caller
    announces once when the batch is complete (``owner_data_changed`` outside it).
    """
    token = _held.set(_held.get() | {owner_id})
    try:
        yield
    finally:
        _held.reset(token)


def owner_data_changed(*, owner_id: int) -> None:
    """Mark ``owner_id``'s figures stale now and announce it once the transaction commits.

    Several changes in one transaction announce once: a callback already waiting for
    this owner's commit is not added again. Django drops the callbacks of a transaction
    (or savepoint) that rolls back, so a later change registers afresh.
    """
    Profile.objects.filter(user_id=owner_id).update(data_changed_at=timezone.now())
    if owner_id in _held.get():
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _announce(owner_id)
        return
    for _savepoints, callback, _robust in connection.run_on_commit:
        if (
            isinstance(callback, _Announcement)
            and callback.owner_id == owner_id
            and not callback.fired  # already run: a test's captured callbacks stay listed
        ):
            return
    transaction.on_commit(_Announcement(owner_id))
