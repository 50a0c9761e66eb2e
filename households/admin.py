"""Households in the admin, for support: who is in which household, what it shares,
and the invitations sent. Read-only: a membership, a share or an invitation changes
through ``households.services`` (the pages and the API), whose rules a hand edit
would skip (one household a person, a couple of exactly two, the owner's rights).
An admin may still delete a household or an invitation that went wrong."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from households.models import Household, Invitation, Membership, SharedScenario, SharedSource


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


class MembershipInline(_ReadOnlyInline):
    model = Membership
    fields = ("user", "role", "joined_at")
    readonly_fields = fields


class SharedSourceInline(_ReadOnlyInline):
    model = SharedSource
    fields = ("source", "role", "shared_at")
    readonly_fields = fields


class SharedScenarioInline(_ReadOnlyInline):
    model = SharedScenario
    fields = ("scenario", "role", "shared_at")
    readonly_fields = fields


class InvitationInline(_ReadOnlyInline):
    model = Invitation
    fields = ("email", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(_ReadOnlyAdmin):
    list_display = ("name", "joint_assessment", "created_at")
    list_filter = ("joint_assessment", "created_at")
    search_fields = ("name", "members__user__username", "members__user__email")
    date_hierarchy = "created_at"
    fields = ("name", "joint_assessment", "created_at")
    readonly_fields = fields
    inlines = (MembershipInline, SharedSourceInline, SharedScenarioInline, InvitationInline)


@admin.register(Invitation)
class InvitationAdmin(_ReadOnlyAdmin):
    """The token's hash stays out: it opens nothing, but nobody needs to see it."""

    list_display = ("email", "household", "invited_by", "created_at", "expires_at", "accepted_at")
    list_filter = (("accepted_at", admin.EmptyFieldListFilter), "expires_at", "created_at")
    search_fields = ("email", "household__name", "invited_by__username")
    list_select_related = ("household", "invited_by")
    date_hierarchy = "created_at"
    fields = ("household", "email", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields
