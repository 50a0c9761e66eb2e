"""Admin: support sees how a user's data import went (issue 25 left it without a page).

Read-only: an import is written by its worker from the user's own export, never typed
in. The uploaded document itself is left out (it holds the user's whole account and
can be megabytes); what support needs is the outcome, the journal of what was written
and who holds the job. Deleting a row is allowed, as for statement imports: it frees a
user whose import is stuck from the one-pending-import rule once the watchdog gave up.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from jobs.admin import LeasedJobStatusAdmin
from portability.models import DataImport


@admin.register(DataImport)
class DataImportAdmin(LeasedJobStatusAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("owner", "status_now", "attempts", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("owner__username",)
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "owner", "status_now", "counts", "errors", "profile_before",
        "created_sources", "created_scenarios", "attempts", "holder", "heartbeat_at",
        "created_at", "started_at", "finished_at",
    )  # fmt: skip
    # The stored status is shown as ``status_now``, which tells a stalled job.
    exclude = ("document", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
