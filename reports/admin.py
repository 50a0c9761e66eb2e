"""Admin of reports: snapshots and jobs for support (read-only), and a recompute action.

Snapshots are computed, never typed in: the admin shows them and may delete one (the
next recompute writes it again), but cannot add or change them. Jobs and digest
markers are a log of what happened, so they are read-only too.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jobs.admin import LeasedJobStatusAdmin
from reports.jobs import recompute_job_create
from reports.models import (
    DigestDelivery,
    JobReason,
    RecomputeJob,
    ReportHistory,
    ReportSnapshot,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shows rows written by the app; nobody adds or edits them by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "owner",
        "month",
        "currency",
        "passive_net",
        "passive_net_ttm",
        "independence_month",
        "computed_at",
        "closed_at",
    )
    list_filter = ("currency", ("closed_at", admin.EmptyFieldListFilter), "month")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)
    date_hierarchy = "month"
    ordering = ("owner__username", "-month")


@admin.register(ReportHistory)
class ReportHistoryAdmin(ReadOnlyAdmin):
    """The sums a recompute starts from; deleting one makes the next recompute load
    every payment of the user again."""

    list_display = ("owner", "until", "computed_at")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)
    ordering = ("owner__username",)


@admin.register(RecomputeJob)
class RecomputeJobAdmin(LeasedJobStatusAdmin, ReadOnlyAdmin):
    list_display = (
        "owner",
        "status_now",
        "reason",
        "force",
        "months_written",
        "skipped",
        "attempts",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    )
    list_filter = ("status", "reason", "skipped")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = ("status_now",)
    exclude = ("status",)  # shown as ``status_now``, which tells a stalled job

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("owner", "week", "language", "sent_at")
    list_filter = ("language", "week")
    search_fields = ("owner__username",)
    list_select_related = ("owner",)

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.action(description=_("Recompute reports for selected users"), permissions=["change"])
def recompute_reports(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    """One forced ``RecomputeJob`` per selected user; the tasks are sent after commit."""
    with transaction.atomic():
        jobs = [
            recompute_job_create(owner=user, reason=JobReason.ADMIN, force=True)
            for user in queryset.order_by("pk")
        ]
    modeladmin.message_user(
        request,
        ngettext(
            "Recompute queued for %(count)d user.",
            "Recompute queued for %(count)d users.",
            len(jobs),
        )
        % {"count": len(jobs)},
        messages.SUCCESS,
    )


def _add_user_action() -> None:
    """Offer ``recompute_reports`` on the user admin that ``income.admin`` registers.

    ``income`` must not import ``reports`` (the dependency points reports → income), so
    the action is added from here: admin autodiscovery imports ``income.admin`` before
    this module (``income`` comes first in ``INSTALLED_APPS``), and we extend the
    registered instance's ``actions`` rather than the class, so nothing outside this
    admin site changes and Django's admin checks still see (and check) the action.
    """
    user_admin = admin.site.get_model_admin(get_user_model())
    actions = tuple(user_admin.actions or ())
    if recompute_reports not in actions:
        user_admin.actions = (*actions, recompute_reports)


_add_user_action()
