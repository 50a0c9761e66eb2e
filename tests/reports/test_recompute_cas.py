"""Compare-and-set writes of report snapshots (issue 25, finding 4).

A slow recompute that read before a new payment must not overwrite the figures of a
fast one that read after it. The two are interleaved by running the fast one from the
slow one's progress callback, between its read and its write.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from income import services
from income.models import IncomeSource
from reports.models import ReportSnapshot
from reports.services import RecomputeOutcome, report_recompute, report_recompute_many
from tests.factories import SourceFactory

TODAY = date(2025, 6, 20)
JUNE = date(2025, 6, 1)


def _june(owner: User) -> ReportSnapshot:
    return ReportSnapshot.objects.get(owner=owner, month=JUNE)


def _with_a_payment(owner: User) -> IncomeSource:
    source = SourceFactory.create(owner=owner, name="ETF", start_date=date(2025, 1, 1))
    services.payment_create(owner=owner, source=source, date=date(2025, 6, 2), gross=Decimal("10"))
    return source


def test_an_older_recompute_does_not_overwrite_a_newer_one(alice: User) -> None:
    source = _with_a_payment(alice)
    report_recompute(owner=alice, today=TODAY)
    services.payment_create(owner=alice, source=source, date=date(2025, 6, 2), gross=Decimal("5"))
    fast: list[RecomputeOutcome] = []

    def between_read_and_write(phase: str, _done: int, _total: int) -> None:
        if phase == "compute" and not fast:  # the slow one has read; a payment comes
            services.payment_create(
                owner=alice, source=source, date=date(2025, 6, 3), gross=Decimal("1000")
            )
            fast.append(report_recompute(owner=alice, today=TODAY))

    slow = report_recompute(owner=alice, today=TODAY, on_progress=between_read_and_write)
    assert not fast[0].skipped
    assert slow.superseded
    assert (slow.skipped, slow.months_written) == (True, 0)
    assert _june(alice).passive_gross == Decimal("1015.00")  # the newer figures stay


def test_without_a_change_in_between_the_recompute_writes(alice: User) -> None:
    source = _with_a_payment(alice)
    report_recompute(owner=alice, today=TODAY)
    services.payment_create(
        owner=alice, source=source, date=date(2025, 6, 3), gross=Decimal("1000")
    )
    outcome = report_recompute(owner=alice, today=TODAY)
    assert not outcome.superseded
    assert outcome.months_written == 1
    assert _june(alice).passive_gross == Decimal("1010.00")


def test_in_a_batch_only_the_user_changed_meanwhile_is_left_to_the_newer_job(
    alice: User, bob: User
) -> None:
    source = _with_a_payment(alice)
    _with_a_payment(bob)

    def alice_pays_while_the_batch_computes(phase: str, _done: int, _total: int) -> None:
        if phase == "compute":
            services.payment_create(
                owner=alice, source=source, date=date(2025, 6, 3), gross=Decimal("1000")
            )

    batch = report_recompute_many(
        owners=[alice, bob], today=TODAY, on_progress=alice_pays_while_the_batch_computes
    )
    assert batch.outcomes[alice.pk].superseded
    assert not batch.outcomes[bob.pk].superseded
    assert not ReportSnapshot.objects.filter(owner=alice).exists()
    assert _june(bob).passive_gross == Decimal("10.00")
    report_recompute(owner=alice, today=TODAY)  # the job of alice's change
    assert _june(alice).passive_gross == Decimal("1010.00")
