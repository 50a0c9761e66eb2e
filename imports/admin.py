"""Admin: support sees a user's uploads and how their import went; nobody adds one here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from imports.models import PaymentImport


@admin.register(PaymentImport)
class PaymentImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("filename", "owner", "status", "created_rows", "duplicate_rows", "created_at")
    list_filter = ("status",)
    search_fields = ("filename", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = (
        "owner", "source", "filename", "mapping", "status", "created_rows", "duplicate_rows",
        "errors", "created_at", "finished_at",
    )  # fmt: skip
    exclude = ("content",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
