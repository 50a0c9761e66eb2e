"""Admin: support sees users and their data; admins edit the content every user sees."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from income.models import (
    EffortLog,
    ExchangeRate,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
    TaxProfile,
)


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Profile
    can_delete = False
    fields = (
        "base_currency",
        "language",
        "monthly_expenses",
        "hourly_value",
        "default_tax_profile",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("created_at", "updated_at")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "base_currency", "language", "monthly_expenses", "created_at")
    list_filter = ("base_currency", "language")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("created_at", "updated_at")
    fields = (
        "user",
        "base_currency",
        "language",
        "monthly_expenses",
        "hourly_value",
        "default_tax_profile",
        "created_at",
        "updated_at",
    )
    raw_id_fields = ("user",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):  # type: ignore[type-arg]
    """The stock user admin with the profile inline, for support."""

    inlines = (ProfileInline,)


@admin.register(IncomeCategory)
class IncomeCategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name_en", "name_de", "slug", "is_passive", "model", "sort_order")
    list_editable = ("sort_order",)
    list_filter = ("is_passive", "model")
    search_fields = ("name_en", "name_de", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name_en",
        "name_de",
        "slug",
        "is_passive",
        "model",
        "help_en",
        "help_de",
        "sort_order",
    )


@admin.register(TaxProfile)
class TaxProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name_en",
        "rate",
        "yearly_allowance",
        "partial_exemption",
        "is_flat_rate",
        "sort_order",
    )
    list_editable = ("sort_order",)
    search_fields = ("name_en", "name_de", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name_en",
        "name_de",
        "slug",
        "rate",
        "yearly_allowance",
        "partial_exemption",
        "is_flat_rate",
        "sort_order",
    )


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "currency", "rate")
    list_filter = ("currency",)
    date_hierarchy = "date"
    search_fields = ("currency",)
    fields = ("date", "currency", "rate")


class PaymentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Payment
    extra = 0
    fields = ("date", "gross", "tax_withheld", "fees", "currency", "note", "external_id")
    ordering = ("-date",)
    show_change_link = True


@admin.register(IncomeSource)
class IncomeSourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "owner",
        "category",
        "currency",
        "status",
        "payout_rhythm",
        "start_date",
    )
    list_filter = ("status", "category", "currency", "payout_rhythm")
    search_fields = ("name", "owner__username", "owner__email", "platform")
    list_select_related = ("owner", "category")
    raw_id_fields = ("owner",)
    inlines = (PaymentInline,)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "owner",
                    "name",
                    "category",
                    "currency",
                    "status",
                    ("start_date", "end_date"),
                )
            },
        ),
        (_("Tax"), {"fields": ("tax_profile", "tax_rate")}),
        (_("Capital"), {"fields": ("invested_capital", "expected_yield", "reinvest")}),
        (
            _("Rental"),
            {
                "fields": (
                    "purchase_price",
                    "monthly_rent",
                    "vacancy_rate",
                    "management_fee_rate",
                    "monthly_running_costs",
                )
            },
        ),
        (
            _("Subscription"),
            {
                "fields": (
                    "price_per_subscriber",
                    "current_subscribers",
                    "new_subscribers_per_month",
                    "monthly_churn_rate",
                )
            },
        ),
        (_("Flat"), {"fields": ("expected_monthly_amount", "annual_growth_rate")}),
        (
            _("Effort"),
            {
                "fields": (
                    "upfront_investment",
                    "setup_hours",
                    "maintenance_hours_per_month",
                    "monthly_costs",
                )
            },
        ),
        (_("Payouts"), {"fields": ("payout_rhythm", "next_payout_date", "platform", "country")}),
        (None, {"fields": ("notes", "created_at", "updated_at")}),
    )


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "date",
        "source",
        "owner",
        "gross",
        "tax_withheld",
        "fees",
        "currency",
        "external_id",
    )
    list_filter = ("currency", "source__category")
    date_hierarchy = "date"
    search_fields = ("source__name", "source__owner__username", "note", "external_id")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    fields = ("source", "date", "gross", "tax_withheld", "fees", "currency", "note", "external_id")

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, payment: Payment) -> str:
        return str(payment.source.owner)


@admin.register(SubscriptionPeriod)
class SubscriptionPeriodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "month",
        "source",
        "subscribers_start",
        "new_subscribers",
        "churned_subscribers",
        "reactivated_subscribers",
        "revenue",
    )
    date_hierarchy = "month"
    search_fields = ("source__name", "source__owner__username")
    list_select_related = ("source",)
    raw_id_fields = ("source",)


@admin.register(EffortLog)
class EffortLogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("month", "source", "hours", "note")
    date_hierarchy = "month"
    search_fields = ("source__name", "source__owner__username", "note")
    list_select_related = ("source",)
    raw_id_fields = ("source",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[EffortLog]:
        return super().get_queryset(request).select_related("source__owner")
