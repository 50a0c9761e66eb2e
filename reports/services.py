"""The writes of the reports' figures: the recompute of a user's snapshots, the month-end close.

The jobs that run them (queueing, leases, hand-overs) are ``reports.jobs``.

A recompute is an idempotent upsert keyed on (owner, month): running it twice, on two
workers at once, or again after a worker died in the middle leaves one row per month
with the same figures (PRODUCT.md §7). Tasks are sent only after commit.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from finance.errors import DomainError
from finance.schedule import add_months, month_start, months_between
from finance.tax.facts import TaxYearFacts
from income.collector import collector_paused
from income.models import Profile, TaxProfile
from income.report_inputs import EarlierMonths, ReportInputs, report_inputs_many
from income.reporting import overview_of
from income.source_figures import earlier_months
from reports.models import ReportHistory, ReportSnapshot
from reports.selectors import payment_digests_before, report_histories
from reports.snapshot_writes import Row, snapshots_rewrite, snapshots_upsert
from reports.snapshots import (
    InputsDigest,
    MonthFigures,
    concentration_json,
    earlier_from_json,
    earlier_json,
    earlier_key,
    first_month,
    history_key,
    inputs_digest,
    month_figures,
)
from scenarios.plans import facts_key, projection_facts
from scenarios.selectors import independence_question

logger = logging.getLogger(__name__)

#: Told (phase, done, total) while a recompute runs.
RecomputeProgress = Callable[[str, int, int], None]

# The monthly figures, written for every new month and every month whose figures changed.
SERIES_FIELDS = [
    "currency", "passive_gross", "passive_net", "active_net", "passive_gross_ttm",
    "passive_net_ttm", "total_net_ttm", "passive_share", "expense_coverage",
    "monthly_expenses", "by_category", "fingerprint", "history_key", "computed_at",
]  # fmt: skip
# The point-in-time figures, written for the current month only (frozen once closed).
DETAIL_FIELDS = [
    "sources", "concentration", "missing_rates", "independence_month", "independence_key",
]  # fmt: skip
# What a recompute can change of a past month: a stored month whose values equal the new
# ones is left as it is (see ``_months_write``).
COMPARED_FIELDS = [
    "currency", "monthly_expenses", "passive_gross", "passive_net", "active_net",
    "passive_gross_ttm", "passive_net_ttm", "total_net_ttm", "passive_share",
    "expense_coverage", "by_category",
]  # fmt: skip
# What a rewritten past month always gets besides its changed figures.
WRITTEN_FIELDS = ["fingerprint", "history_key", "computed_at"]


@dataclass(frozen=True)
class RecomputeOutcome:
    months_written: int
    skipped: bool
    # The user's data changed while this recompute read it: it wrote nothing and left
    # the figures to the job of that change (``_versions_unchanged``).
    superseded: bool = False


@dataclass(frozen=True)
class RecomputeBatch:
    """What ``report_recompute_many`` did, per user id: an outcome, or the error that
    kept that user's reports as they were (the other users' are written all the same)."""

    outcomes: dict[int, RecomputeOutcome]
    errors: dict[int, Exception]


def no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


@dataclass
class _Stored:
    """What a recompute reads of a user's stored months before it writes them."""

    first: date | None = None
    last: date | None = None
    past_count: int = 0  # months before the current one
    fingerprint: str | None = None  # of the current month
    closed: bool = False  # the current month
    history_key: str = ""  # the current month's: of the months before it
    independence_key: str = ""
    independence_month: date | None = None
    computed_at: datetime | None = None  # of the current month


def _stored(owner_ids: Sequence[int], *, current: date) -> dict[int, _Stored]:
    """Each user's stored months, in one query for all: the first, the last and how many
    lie before the current one, and what the current one says.

    The months between the first and the last are all there: every recompute writes
    every month from the first to its current one that is missing or has changed.
    """
    this_month = Q(month=current)
    return {
        owner_id: _Stored(
            first=first,
            last=last,
            past_count=past_count,
            fingerprint=fingerprint,
            closed=closed_at is not None,
            history_key=key or "",
            independence_key=independence_key or "",
            independence_month=independence_month,
            computed_at=computed_at,
        )
        for (
            owner_id, first, last, past_count, fingerprint, closed_at, key, independence_key,
            independence_month, computed_at,
        ) in ReportSnapshot.objects.filter(owner_id__in=owner_ids)
        .order_by()
        .values("owner_id")
        .annotate(
            first=Min("month"),
            last=Max("month"),
            past=Count("pk", filter=Q(month__lt=current)),
            current_fingerprint=Max("fingerprint", filter=this_month),
            current_closed_at=Max("closed_at", filter=this_month),
            current_history_key=Max("history_key", filter=this_month),
            current_independence_key=Max("independence_key", filter=this_month),
            current_independence_month=Max("independence_month", filter=this_month),
            current_computed_at=Max("computed_at", filter=this_month),
        )
        .values_list(
            "owner_id", "first", "last", "past", "current_fingerprint", "current_closed_at",
            "current_history_key", "current_independence_key", "current_independence_month",
            "current_computed_at",
        )
    }  # fmt: skip


def _stored_past(
    owner_ids: Sequence[int], *, current: date
) -> dict[int, dict[date, tuple[object, ...]]]:
    """The ``COMPARED_FIELDS`` of each user's months before ``current``, in one query."""
    found: dict[int, dict[date, tuple[object, ...]]] = {owner_id: {} for owner_id in owner_ids}
    for owner_id, month, *compared in ReportSnapshot.objects.filter(
        owner_id__in=owner_ids, month__lt=current
    ).values_list("owner_id", "month", *COMPARED_FIELDS):
        found[owner_id][month] = tuple(compared)
    return found


def _independence(
    inputs: ReportInputs, stored: _Stored, facts: TaxYearFacts | None
) -> tuple[str, date | None]:
    """The independence month and its question's key: the stored answer while the
    question is the same (a new payment does not change it), else projected anew."""
    try:
        question = independence_question(
            profile=inputs.profile,
            sources=inputs.sources,
            rates=inputs.rates,
            today=inputs.as_of,
            facts=facts,
        )
        if question is None:
            return "", None
        if question.key == stored.independence_key:
            return question.key, stored.independence_month
        return question.key, question.answer()
    except DomainError as error:  # a source outside the projection's bounds
        logger.warning("report: no independence month for user %s: %s", inputs.owner.pk, error)
        return "", None


@dataclass
class _Recomputed:
    """One user's new months: the past ones as figures (most are stored already and
    unchanged, so they never become model instances), the current one as a snapshot."""

    owner: User
    currency: str
    monthly_expenses: Decimal
    fingerprint: str
    computed_at: datetime
    closed: bool
    history_key: str
    past: list[MonthFigures]  # empty when the months before the current one are unchanged
    latest: Row = field(init=False)
    # The past months as stored (``COMPARED_FIELDS``), read only when ``past`` is not empty.
    stored: dict[date, tuple[object, ...]] = field(default_factory=dict)

    def changed(self) -> list[tuple[Row, list[str] | None]]:
        """The past months that are new or whose stored figures differ from the new ones,
        each with the fields to write (None for a month not stored yet): those of
        ``COMPARED_FIELDS`` that differ, and what says when and from what it was written."""
        stored, head = self.stored, (self.currency, self.monthly_expenses)
        changed: list[tuple[Row, list[str] | None]] = []
        for row in self.past:
            new = head + row.compared
            old = stored.get(row.month)
            if old is None:
                changed.append((self.snapshot(row), None))
            elif old != new:
                moved = [
                    name for name, a, b in zip(COMPARED_FIELDS, old, new, strict=True) if a != b
                ]
                changed.append((self.snapshot(row), moved + WRITTEN_FIELDS))
        return changed

    def snapshot(self, row: MonthFigures) -> Row:
        """``row`` as a snapshot's columns with the user's currency, expenses, fingerprint
        and time (``snapshot_writes.Row``: a sweep writes thousands, no model instances)."""
        return {
            "owner_id": self.owner.pk,
            "month": row.month,
            "currency": self.currency,
            "passive_gross": row.passive_gross,
            "passive_net": row.passive_net,
            "active_net": row.active_net,
            "passive_gross_ttm": row.passive_gross_ttm,
            "passive_net_ttm": row.passive_net_ttm,
            "total_net_ttm": row.total_net_ttm,
            "passive_share": row.passive_share,
            "expense_coverage": row.expense_coverage,
            "monthly_expenses": self.monthly_expenses,
            "independence_month": None,
            "independence_key": "",
            "history_key": self.history_key,
            "by_category": row.by_category,
            "sources": row.sources,
            "concentration": {},
            "missing_rates": [],
            "fingerprint": self.fingerprint,
            "computed_at": self.computed_at,
            "closed_at": None,
        }


def _recomputed(
    inputs: ReportInputs,
    *,
    stored: _Stored,
    digest: InputsDigest,
    now: datetime,
    force: bool,
    facts: TaxYearFacts | None,
) -> _Recomputed:
    """A user's new figures: always the current month; the months before it too, unless
    their ``history_key`` is the stored one and every one of them is stored (and the
    recompute is not forced), so that they would come out as they are."""
    view = overview_of(inputs, months=1)
    current = month_start(inputs.as_of)
    since = min(first_month(view), stored.first or current)
    key = history_key(view, since=since, past_payments=digest.past_payments, rates=inputs.rates)
    unchanged = (
        not force
        and key == stored.history_key
        and stored.first == since
        and stored.past_count == months_between(since, current)
    )
    rows = month_figures(
        view,
        since=current if unchanged else since,
        kept=(stored.first, stored.last) if stored.first and stored.last else None,
    )
    item = _Recomputed(
        owner=inputs.owner,
        currency=view.currency,
        monthly_expenses=inputs.profile.monthly_expenses,
        fingerprint=digest.fingerprint,
        computed_at=now,
        closed=stored.closed,
        history_key=key,
        past=rows[:-1],
    )
    item.latest = latest = item.snapshot(rows[-1])
    latest["independence_key"], latest["independence_month"] = _independence(inputs, stored, facts)
    latest["concentration"] = concentration_json(view)
    latest["missing_rates"] = view.missing_rates
    return item


def report_recompute(
    *, owner: User, today: date, force: bool = False, on_progress: RecomputeProgress = no_progress
) -> RecomputeOutcome:
    """Recompute every month of ``owner``'s reports up to ``today``'s month.

    Skipped when the inputs' fingerprint equals the one stored on the current month
    (nothing changed since), unless ``force``. The months before the current one are
    recomputed when what they are made of changed (``snapshots.history_key``), or always
    when forced, so a payment deleted from an early month is reflected there too.
    """
    batch = report_recompute_many(owners=[owner], today=today, force=force, on_progress=on_progress)
    if owner.pk in batch.errors:
        raise batch.errors[owner.pk]
    return batch.outcomes[owner.pk]


def report_recompute_many(
    *,
    owners: Sequence[User],
    today: date,
    force: bool = False,
    on_progress: RecomputeProgress = no_progress,
) -> RecomputeBatch:
    """``report_recompute`` for several users in one pass: a chunk of the nightly sweep.

    The reads and writes are a fixed number of queries for the whole batch (inputs,
    stored months, the upserts of the current and the changed months), not a number
    per user; the figures
    are computed per user by the same functions as a single recompute. A user whose
    figures raise is left as they were and named in ``errors``; the others are written
    together in one transaction.
    """
    with collector_paused():
        return _recompute_many(owners=owners, today=today, force=force, on_progress=on_progress)


def _recompute_many(
    *, owners: Sequence[User], today: date, force: bool, on_progress: RecomputeProgress
) -> RecomputeBatch:
    on_progress("load", 0, 4)
    # Before anything is read: a skipped recompute confirms the figures as of this time,
    # and the figures are written only if these are still the data versions then.
    started = timezone.now()
    versions = _data_versions([owner.pk for owner in owners])
    current = month_start(today)
    until = add_months(current, -11)  # where the trailing twelve months start
    payment_digests = payment_digests_before(owner_ids=[owner.pk for owner in owners], before=until)
    histories = (
        {}
        if payment_digests is None
        else report_histories(owner_ids=[owner.pk for owner in owners], until=until)
    )
    earlier, unreadable = (
        ({}, []) if force else _earlier_of(histories, payment_digests=payment_digests or {})
    )
    for owner_id in unreadable:
        del histories[owner_id]  # written anew below, as if there was none
    loaded = _inputs_load(owners=owners, today=today, earlier=earlier, histories=histories)
    # What the independence projection reads besides each user's inputs.
    facts = projection_facts(today=today)
    tax_rates = [
        *TaxProfile.objects.order_by("pk").values_list("pk", "rate", "is_flat_rate"),
        facts_key(facts),
    ]
    stored = _stored(list(loaded), current=current)
    on_progress("compute", 1, 4)
    now = timezone.now()
    outcomes: dict[int, RecomputeOutcome] = {}
    errors: dict[int, Exception] = {}
    recomputed: list[_Recomputed] = []
    new_histories: list[ReportHistory] = []
    confirmed: list[int] = []  # skipped, with a change stamp newer than their figures
    for owner_id, inputs in loaded.items():
        try:
            older = None if payment_digests is None else (until, payment_digests[owner_id])
            digest = inputs_digest(inputs, extra=tax_rates, earlier=older)
            if older is not None and inputs.earlier is None:
                history = _history_if_new(
                    inputs,
                    until=until,
                    payments_digest=older[1],
                    stored=histories.get(owner_id),
                    now=now,
                )
                if history is not None:
                    new_histories.append(history)
            known = stored.get(owner_id, _Stored())
            if not force and digest.fingerprint == known.fingerprint:
                outcomes[owner_id] = RecomputeOutcome(months_written=0, skipped=True)
                if _stamp_newer(inputs.profile.data_changed_at, known.computed_at):
                    confirmed.append(owner_id)
                continue
            recomputed.append(
                _recomputed(inputs, stored=known, digest=digest, now=now, force=force, facts=facts)
            )
        except Exception as error:  # one user's error must not stop the batch
            logger.exception("report: recompute of user %s failed", owner_id)
            errors[owner_id] = error
    on_progress("write", 3, 4)
    with_past = [item for item in recomputed if item.past]
    if with_past:
        stored_past = _stored_past([item.owner.pk for item in with_past], current=current)
        for item in with_past:
            item.stored = stored_past[item.owner.pk]
    with transaction.atomic():
        unchanged = _versions_unchanged(versions)
        for owner_id in [*(item.owner.pk for item in recomputed), *confirmed]:
            if owner_id not in unchanged:
                outcomes[owner_id] = RecomputeOutcome(
                    months_written=0, skipped=True, superseded=True
                )
        recomputed = [item for item in recomputed if item.owner.pk in unchanged]
        confirmed = [owner_id for owner_id in confirmed if owner_id in unchanged]
        written = _months_write(recomputed)
        _figures_confirm(confirmed, current=current, at=started)
        ReportHistory.objects.bulk_create(
            new_histories,
            update_conflicts=True,
            unique_fields=["owner"],
            update_fields=["until", "payments_digest", "key", "months", "computed_at"],
            batch_size=500,
        )
    for item in recomputed:
        outcomes[item.owner.pk] = RecomputeOutcome(
            months_written=written[item.owner.pk], skipped=False
        )
    on_progress("done", 4, 4)
    return RecomputeBatch(outcomes=outcomes, errors=errors)


def _data_versions(owner_ids: Sequence[int]) -> dict[int, datetime | None]:
    """Each user's data version: the change stamp every write of their data moves
    (``income.changes.owner_data_changed``, in the write's own transaction)."""
    versions: dict[int, datetime | None] = dict.fromkeys(owner_ids)
    versions.update(
        Profile.objects.filter(user_id__in=owner_ids).values_list("user_id", "data_changed_at")
    )
    return versions


def _versions_unchanged(read: dict[int, datetime | None]) -> set[int]:
    """The users whose data version is still the one read before their inputs were.

    Compare-and-set (issue 25): a slow recompute that read before a new payment must
    not overwrite the figures of a fast one that read after it. The profile rows are
    locked until the write commits, so a change cannot slip in between this look and
    the upsert (it stamps the same row); a user whose version moved is left to the job
    of that change, which reads after it. Called inside the writing transaction.
    """
    if not read:
        return set()
    now = dict(
        Profile.objects.select_for_update()
        .filter(user_id__in=list(read))
        .order_by("user_id")
        .values_list("user_id", "data_changed_at")
    )
    return {owner_id for owner_id, version in read.items() if now.get(owner_id) == version}


def _stamp_newer(changed_at: datetime | None, computed_at: datetime | None) -> bool:
    return changed_at is not None and computed_at is not None and changed_at > computed_at


def _figures_confirm(owner_ids: Sequence[int], *, current: date, at: datetime) -> None:
    """Mark the current figures of ``owner_ids`` as checked at ``at``.

    A change that moves no figure (a note, a renamed source) still stamps
    ``Profile.data_changed_at``, so the dashboard says "your latest changes are being
    included" until the figures are newer than the stamp. The recompute found nothing
    to write for these users: their figures are current, and only the time says so.
    ``at`` is taken before the inputs were read, so a change made during the recompute
    keeps its notice (and its own job). Only users whose stamp is newer than their
    figures are updated, so a recompute of unchanged data still writes nothing.
    """
    if owner_ids:
        ReportSnapshot.objects.filter(
            owner_id__in=owner_ids, month=current, computed_at__lt=at
        ).update(computed_at=at)


def _earlier_of(
    histories: dict[int, ReportHistory], *, payment_digests: dict[int, str]
) -> tuple[dict[int, EarlierMonths], list[int]]:
    """The stored sums of each user whose older payments are unchanged (the fingerprint
    is the stored one), and the users whose stored row cannot be read."""
    earlier: dict[int, EarlierMonths] = {}
    unreadable: list[int] = []
    for owner_id, history in histories.items():
        if history.payments_digest != payment_digests.get(owner_id):
            continue
        try:
            earlier[owner_id] = earlier_from_json(history.months, until=history.until)
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError):
            logger.warning("report: the stored history of user %s is unreadable", owner_id)
            unreadable.append(owner_id)
    return earlier, unreadable


def _inputs_load(
    *,
    owners: Sequence[User],
    today: date,
    earlier: dict[int, EarlierMonths],
    histories: dict[int, ReportHistory],
) -> dict[int, ReportInputs]:
    """The users' inputs: with the payments from ``until`` on and the ``earlier`` sums
    where their stored key still holds (the same currency and rates), else with every
    payment."""
    loaded = report_inputs_many(owners=owners, as_of=today, earlier=earlier)
    stale = [
        inputs.owner
        for owner_id, inputs in loaded.items()
        if owner_id in earlier
        and _history_key(inputs, histories[owner_id]) != histories[owner_id].key
    ]
    if stale:  # a rate before ``until`` or the currency changed: the sums are not these
        loaded.update(report_inputs_many(owners=stale, as_of=today))
    return loaded


def _history_key(inputs: ReportInputs, history: ReportHistory) -> str:
    return earlier_key(inputs, until=history.until, payments_digest=history.payments_digest)


def _history_if_new(
    inputs: ReportInputs,
    *,
    until: date,
    payments_digest: str,
    stored: ReportHistory | None,
    now: datetime,
) -> ReportHistory | None:
    """The ``ReportHistory`` of fully loaded ``inputs`` for the next recompute, unless the
    stored one is made of the same (a forced recompute of unchanged data)."""
    history = ReportHistory(
        owner=inputs.owner, until=until, payments_digest=payments_digest, computed_at=now
    )
    history.key = _history_key(inputs, history)
    if stored is not None and (stored.until, stored.payments_digest, stored.key) == (
        until,
        payments_digest,
        history.key,
    ):
        return None
    history.months = earlier_json(earlier_months(inputs, until=until))
    return history


@transaction.atomic
def _months_write(recomputed: Sequence[_Recomputed]) -> dict[int, int]:
    """Upsert the current months and the past months that are new or changed; return
    how many months of each user were written.

    A past month whose stored figures (``COMPARED_FIELDS``) equal the new ones is not
    written at all: a recompute after a new payment writes the current month, a late
    payment the twelve months it moves, not the whole history. Such a month keeps the
    fingerprint and time it was last written with; the current month always gets the
    new ones, and it is what says when the reports were computed and from what. A
    closed current month keeps its point-in-time figures.
    """
    changed = {item.owner.pk: item.changed() for item in recomputed}
    snapshots_rewrite(
        [row for rows in changed.values() for row in rows], update_fields=SERIES_FIELDS
    )
    for closed in (False, True):
        snapshots_upsert(
            [item.latest for item in recomputed if item.closed is closed],
            update_fields=SERIES_FIELDS if closed else SERIES_FIELDS + DETAIL_FIELDS,
        )
    return {owner_id: len(snapshots) + 1 for owner_id, snapshots in changed.items()}


def _is_closed(owner: User, month: date) -> bool:
    return ReportSnapshot.objects.filter(owner=owner, month=month, closed_at__isnull=False).exists()


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def report_month_close(*, owner: User, month: date) -> bool:
    """Compute ``month`` one last time as of its last day and mark it closed.

    Its point-in-time figures (per source, concentration, independence month) are
    from then on those of the month's end. Closing a closed month does nothing, so the
    task is safe to run twice. Returns whether this call closed it.
    """
    month = month_start(month)
    if _is_closed(owner, month):
        return False
    report_recompute(owner=owner, today=last_day(month), force=True)
    closed = ReportSnapshot.objects.filter(owner=owner, month=month, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    return closed == 1
