"""Reads of reports, scoped to their owner, and the user lists the scheduled tasks fan out over."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from income.models import Profile
from reports.models import RecomputeJob, ReportSnapshot


def snapshot_list(*, owner: User) -> QuerySet[ReportSnapshot]:
    """The owner's months, newest first."""
    return ReportSnapshot.objects.filter(owner=owner).order_by("-month")


def snapshot_latest(*, owner: User) -> ReportSnapshot | None:
    return snapshot_list(owner=owner).first()


def recompute_job_list(*, owner: User) -> QuerySet[RecomputeJob]:
    return RecomputeJob.objects.filter(owner=owner)


def owners_changed_since_report() -> QuerySet[User]:
    """Users whose data changed after their last snapshot was computed, or who have none.

    This is what makes a lost task harmless: the change stamp commits with the change
    (``income.changes``), so whatever happened to the recompute it asked for, the
    nightly sweep finds the user here.
    """
    last_computed = (
        ReportSnapshot.objects.filter(owner=OuterRef("user_id"))
        .order_by()
        .values("owner")
        .annotate(last=Max("computed_at"))
        .values("last")
    )
    changed = (
        Profile.objects.filter(data_changed_at__isnull=False)
        .annotate(last=Subquery(last_computed))
        .filter(Q(last__isnull=True) | Q(data_changed_at__gt=Subquery(last_computed)))
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
