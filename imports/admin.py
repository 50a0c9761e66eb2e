"""Admin: support sees a user's uploads and how their import went, their saved mappings
and which file values name which source; nobody adds an upload here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from imports.models import ImportMapping, PaymentImport, SourceAlias
from jobs.admin import LeasedJobStatusAdmin


@admin.register(PaymentImport)
class PaymentImportAdmin(LeasedJobStatusAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "filename", "owner", "kind", "preset", "status_now", "attempts", "created_rows",
        "updated_rows", "duplicate_rows", "skipped_rows", "rejected_rows", "created_at",
    )  # fmt: skip
    list_filter = ("status", "preset", "partial")
    search_fields = ("filename", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = (
        "owner", "source", "filename", "preset", "mapping", "sources", "partial",
        "kind", "total_rows", "created_rows", "updated_rows", "duplicate_rows",
        "skipped_rows", "rejected_rows", "created_sources", "errors", "status_now", "attempts",
        "holder", "heartbeat_at", "created_at", "started_at", "finished_at",
    )  # fmt: skip
    # The stored status is shown as ``status_now``, which tells a stalled job (issue 25).
    exclude = ("content", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("kind"))
    def kind(self, upload: PaymentImport) -> str:
        """A statement's payments, or a billing export's subscriptions (its preset says)."""
        return str(_("billing export") if upload.is_billing else _("statement"))


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A user's saved mapping: support may remove a broken one; the user makes them."""

    list_display = ("name", "owner", "updated_at")
    search_fields = ("name", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = ("owner", "signature", "header", "options", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SourceAlias)
class SourceAliasAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Which value of a statement names which source; support may delete one (the next
    statement then plans a source for the value again), never point it at another's."""

    list_display = ("value", "source", "owner", "created_at")
    search_fields = ("value", "owner__username", "source__name")
    list_select_related = ("owner", "source")
    readonly_fields = ("owner", "value", "source", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
