"""Reads of reports, scoped to their owner, and the user lists the scheduled tasks fan out over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from income.models import IncomeSource, Payment, Profile
from reports.models import RecomputeJob, ReportHistory, ReportSnapshot


def snapshot_list(*, owner: User) -> QuerySet[ReportSnapshot]:
    """The owner's months, newest first."""
    return ReportSnapshot.objects.filter(owner=owner).order_by("-month")


def snapshot_latest(*, owner: User) -> ReportSnapshot | None:
    """The owner's newest month (``snapshot_list``'s first), or None without one.

    By a statement compiled once per database (``_latest_statement``): the API's
    ``reports/latest/`` reads it on every request, and the ORM compiled the same SELECT
    each time, a quarter of the endpoint's own time in a profile (issue 21).
    """
    statement = _latest_statement(connection.vendor)
    return next(iter(ReportSnapshot.objects.raw(statement, [owner.pk])), None)


#: Stands for the owner's id while the statement is compiled.
_OWNER = -1


@cache
def _latest_statement(vendor: str) -> str:
    """``snapshot_list(...).first()``'s SQL on ``vendor``, the owner's id its only parameter."""
    query = ReportSnapshot.objects.filter(owner_id=_OWNER).order_by("-month")[:1].query
    statement, params = query.sql_with_params()
    if params != (_OWNER,):  # a Django that compiles it otherwise: not this statement
        raise RuntimeError(f"snapshot_latest: unexpected parameters {params!r}")
    return statement


def passive_net_by_month(*, owner: User) -> dict[date, Decimal]:
    """Every stored month's passive net: what "independent since …" looks back over."""
    return dict(
        ReportSnapshot.objects.filter(owner=owner).order_by().values_list("month", "passive_net")
    )


def recompute_job_list(*, owner: User) -> QuerySet[RecomputeJob]:
    return RecomputeJob.objects.filter(owner=owner)


def owners_changed_since_report(*, today: date) -> QuerySet[User]:
    """Users whose reports are out of date: what the nightly sweep recomputes.

    - their data changed after their last snapshot was computed, or they have none.
      This is what makes a lost task harmless: the change stamp commits with the
      change (``income.changes``), so whatever happened to the recompute it asked for,
      the sweep finds the user here;
    - or a payment recorded with a later date has come due since then (the figures
      count payments up to their day only).
    """
    # When the newest month was computed: every recompute writes the month of its day
    # last, so that is the user's last recompute (one probe of the (owner, month) index,
    # not a maximum over every month). Should a month-end close have rewritten the month
    # before after the newest, the user only looks older and is recomputed once more.
    last_computed = (
        ReportSnapshot.objects.filter(owner=OuterRef("user_id"))
        .order_by("-month")
        .values("computed_at")[:1]
    )
    come_due = Payment.objects.filter(
        source__owner_id=OuterRef("user_id"), date__lte=today, date__gt=OuterRef("last_day")
    )
    changed = (
        Profile.objects.filter(data_changed_at__isnull=False)
        .annotate(last=Subquery(last_computed))
        .annotate(last_day=TruncDate("last"))
        .filter(Q(last__isnull=True) | Q(data_changed_at__gt=F("last")) | Exists(come_due))
        .values("user_id")
    )
    return User.objects.filter(pk__in=changed, is_active=True).order_by("pk")


def owners_with_reports() -> QuerySet[User]:
    """Every active user with a snapshot or with data: those a month-end close covers."""
    return (
        User.objects.filter(
            Q(report_snapshots__isnull=False) | Q(profile__data_changed_at__isnull=False),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def payment_digests_before(*, owner_ids: Sequence[int], before: date) -> dict[int, str] | None:
    """Per user, a fingerprint of their payments dated before ``before``, made by the
    database: a recompute compares it with ``ReportHistory.payments_digest`` instead of
    loading those payments to hash them.

    It is the count and the sum of a hash of each payment's source, day, amounts and
    currency, so any added, deleted, moved or edited payment changes it. None on a
    database without record hashes (SQLite): there every recompute loads every payment.
    """
    if connection.vendor != "postgresql":
        return None
    found = dict.fromkeys(owner_ids, "0:0")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.owner_id, count(*), sum(hash_record_extended(
                ROW(p.source_id, p.date, p.gross, p.tax_withheld, p.fees, p.currency), 0))
            FROM {Payment._meta.db_table} p
            JOIN {IncomeSource._meta.db_table} s ON s.id = p.source_id
            WHERE s.owner_id = ANY(%s) AND p.date < %s
            GROUP BY s.owner_id
            """,  # noqa: S608 - the table names are the models'
            [list(owner_ids), before],
        )
        for owner_id, count, total in cursor.fetchall():
            found[owner_id] = f"{count}:{total}"
    return found


def report_histories(*, owner_ids: Sequence[int], until: date) -> dict[int, ReportHistory]:
    """The stored ``ReportHistory`` of each of ``owner_ids`` that ends at ``until``."""
    return {
        history.owner_id: history
        for history in ReportHistory.objects.filter(owner_id__in=owner_ids, until=until)
    }
