"""The one private Django attribute the code reads, held to the shape it relies on.

``income.changes.owner_data_changed`` announces a user's change once per transaction. To
know whether an announcement for that user already waits for the commit it looks through
``connection.run_on_commit``, Django's list of waiting ``on_commit`` callbacks: Django
offers no public way to ask (``transaction.on_commit`` only adds, and nothing reports a
rollback, so a list of our own would go stale when a savepoint rolls back). These tests
fail on a Django upgrade that changes what the code relies on:

- each entry is ``(savepoint ids, the callable as given, robust)``;
- a rolled-back savepoint's callbacks leave the list, so a later change registers afresh;
- callbacks that a test captured and ran stay listed (hence ``_Announcement.fired``);
- and, as a tripwire, the Django version these facts were read from: an upgrade past it
  fails here until someone has read ``BaseDatabaseWrapper.on_commit`` again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import django
import pytest
from django.contrib.auth.models import User
from django.db import transaction

from income.changes import _Announcement, owner_data_changed, owner_data_committed

# BaseDatabaseWrapper.on_commit, savepoint_rollback and run_and_clear_commit_hooks read.
READ_IN = (5, 2)


class Rollback(Exception):
    pass


def noop() -> None:
    pass


def hooks() -> list[Any]:
    """The list as the code reads it (the stubs still say two items an entry: Django 4.1's)."""
    return list(transaction.get_connection().run_on_commit)


def waiting() -> list[Any]:
    return [callback for _savepoints, callback, _robust in hooks()]


def announcements(owner_id: int) -> list[_Announcement]:
    return [c for c in waiting() if isinstance(c, _Announcement) and c.owner_id == owner_id]


@pytest.fixture
def announced() -> Iterator[list[int]]:
    """The owner ids ``owner_data_committed`` was sent with, in order."""
    sent: list[int] = []

    def receiver(sender: object, owner_id: int, **kwargs: object) -> None:
        sent.append(owner_id)

    owner_data_committed.connect(receiver, weak=False)
    try:
        yield sent
    finally:
        owner_data_committed.disconnect(receiver)


def test_django_is_the_version_whose_commit_hooks_were_read() -> None:
    assert django.VERSION[:2] == READ_IN, (
        f"Django {django.get_version()}: income.changes reads connection.run_on_commit, "
        f"checked against Django {READ_IN[0]}.{READ_IN[1]}. Read on_commit, "
        "savepoint_rollback and run_and_clear_commit_hooks in django/db/backends/base/base.py "
        "again, run this module, then raise READ_IN."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("robust", [False, True])
def test_a_waiting_callback_is_listed_as_savepoints_the_callable_itself_and_robust(
    robust: bool,
) -> None:
    with transaction.atomic():
        transaction.on_commit(noop, robust=robust)
        entry = hooks()[-1]
        assert isinstance(entry, tuple)
        savepoints, callback, flag = entry
        assert isinstance(savepoints, set)
        assert callback is noop  # not wrapped: isinstance(callback, _Announcement) holds
        assert flag is robust


def _then_fail(action: Callable[[], None]) -> None:
    with transaction.atomic():
        action()
        raise Rollback


def in_a_savepoint_rolled_back(action: Callable[[], None]) -> None:
    with pytest.raises(Rollback):
        _then_fail(action)


@pytest.mark.django_db
def test_a_rolled_back_savepoint_takes_its_callbacks_off_the_list() -> None:
    listed: list[bool] = []

    def inner() -> None:
        pass

    def register() -> None:
        transaction.on_commit(inner)
        listed.append(inner in waiting())

    with transaction.atomic():
        transaction.on_commit(noop)
        in_a_savepoint_rolled_back(register)
        assert listed == [True]
        assert inner not in waiting()
        assert noop in waiting()


@pytest.mark.django_db
def test_callbacks_a_test_captured_and_ran_stay_listed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: ran.append("ran"))
    assert ran == ["ran"]
    assert len(hooks()) == 1  # the test's transaction never commits


def test_several_changes_in_one_transaction_wait_as_one_announcement(
    alice: User, bob: User, announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            owner_data_changed(owner_id=alice.pk)
        owner_data_changed(owner_id=bob.pk)
        assert len(announcements(alice.pk)) == 1
        assert len(announcements(bob.pk)) == 1
    assert announced == [alice.pk, bob.pk]


def test_a_change_after_a_rolled_back_savepoint_is_announced(
    alice: User, announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        in_a_savepoint_rolled_back(lambda: owner_data_changed(owner_id=alice.pk))
        assert announcements(alice.pk) == []
        owner_data_changed(owner_id=alice.pk)
    assert announced == [alice.pk]


def test_a_change_after_an_announcement_ran_is_announced_again(
    alice: User, announced: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            owner_data_changed(owner_id=alice.pk)
    assert announced == [alice.pk, alice.pk]
