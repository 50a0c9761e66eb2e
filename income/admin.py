from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from income.models import Profile


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Profile
    can_delete = False
    fields = ("base_currency", "language", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "base_currency", "language", "created_at")
    list_filter = ("base_currency", "language")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("created_at", "updated_at")
    fields = ("user", "base_currency", "language", "created_at", "updated_at")
    raw_id_fields = ("user",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):  # type: ignore[type-arg]
    """The stock user admin with the profile inline, for support."""

    inlines = (ProfileInline,)
