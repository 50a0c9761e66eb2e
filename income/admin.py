"""Admin: support sees users and their data; admins edit the content every user sees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from finance.errors import DomainError
from income import services
from income.changes import owner_data_changed
from income.models import (
    AllowanceOrder,
    AssetValue,
    BillingSubscription,
    CalendarFeed,
    Cost,
    Customer,
    EffortLog,
    ExchangeRate,
    FundYear,
    HelpArticle,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    RateFetch,
    SubscriptionPause,
    SubscriptionPeriod,
    TaxProfile,
    TaxYear,
    TreatyRate,
)


class StampsOwnerChange(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admin edits of a user's data make their reports stale, as the services' edits do.

    The admin saves models directly (it is the support tool, not the product's write
    path), so it stamps the owner here; the recompute then follows after commit.
    """

    owner_path: tuple[str, ...] = ("owner_id",)

    def _owner_id(self, obj: Any) -> int:
        for name in self.owner_path:
            obj = getattr(obj, name)
        return int(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        owner_data_changed(owner_id=self._owner_id(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        owner_data_changed(owner_id=self._owner_id(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for owner_id in {self._owner_id(obj) for obj in queryset}:
            owner_data_changed(owner_id=owner_id)
        super().delete_queryset(request, queryset)


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Profile
    can_delete = False
    fields = (
        "base_currency",
        "language",
        "monthly_expenses",
        "hourly_value",
        "home_country",
        "default_tax_profile",
        "filing_status",
        "church_tax_rate",
        "marginal_tax_rate",
        "weekly_digest",
        "theme",
        "date_style",
        "data_changed_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("data_changed_at", "created_at", "updated_at")


@admin.register(Profile)
class ProfileAdmin(StampsOwnerChange):
    owner_path = ("user_id",)
    list_display = ("user", "base_currency", "language", "monthly_expenses", "created_at")
    list_filter = ("base_currency", "language", "theme", "date_style")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("data_changed_at", "created_at", "updated_at")
    fields = (
        "user",
        "base_currency",
        "language",
        "monthly_expenses",
        "hourly_value",
        "home_country",
        "default_tax_profile",
        "filing_status",
        "church_tax_rate",
        "marginal_tax_rate",
        "weekly_digest",
        "theme",
        "date_style",
        "data_changed_at",
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
    list_display = (
        "name_en",
        "name_de",
        "slug",
        "is_passive",
        "model",
        "tax_treatment",
        "sort_order",
    )
    list_editable = ("sort_order",)
    list_filter = ("is_passive", "model", "tax_treatment")
    search_fields = ("name_en", "name_de", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name_en",
        "name_de",
        "slug",
        "is_passive",
        "model",
        "tax_treatment",
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


class TreatyRateForm(forms.ModelForm):  # type: ignore[type-arg]
    """A country code typed in small letters ("us") is taken as the code it is ("US")."""

    class Meta:
        model = TreatyRate
        fields = ("country", "rate")

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).upper()


class TreatyRateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TreatyRate
    form = TreatyRateForm
    extra = 1
    fields = ("country", "rate")
    ordering = ("country",)


@admin.register(TaxYear)
class TaxYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The tax facts of each year (PRODUCT.md §9); the tax engine reads them by year."""

    # The year as its row reads ("2026"), not as a localized number ("2,026").
    list_display = (
        "__str__",
        "saver_allowance_single",
        "saver_allowance_joint",
        "basiszins",
        "capital_gains_tax_rate",
        "kleinunternehmer_current_year_limit",
    )
    ordering = ("-year",)
    inlines = (TreatyRateInline,)
    fieldsets = (
        (None, {"fields": ("year",)}),
        (
            _("Capital income"),
            {
                "fields": (
                    ("saver_allowance_single", "saver_allowance_joint"),
                    "capital_gains_tax_rate",
                    "solidarity_rate",
                    ("church_tax_rate_reduced", "church_tax_rate"),
                )
            },
        ),
        (
            _("Funds"),
            {
                "fields": (
                    "basiszins",
                    "partial_exemption_equity",
                    "partial_exemption_mixed",
                    "partial_exemption_real_estate",
                    "partial_exemption_foreign_real_estate",
                )
            },
        ),
        (
            _("Small business"),
            {
                "fields": (
                    "kleinunternehmer_previous_year_limit",
                    "kleinunternehmer_current_year_limit",
                    "kleinunternehmer_current_limit_ends_status",
                )
            },
        ),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new year starts from the latest year's facts, one year on: most stay the same."""
        initial = super().get_changeform_initial_data(request)
        latest = TaxYear.objects.order_by("-year").first()
        if latest is None:
            return initial
        carried = model_to_dict(latest, exclude=["id", "year"])
        return {**carried, "year": latest.year + 1, **initial}


@admin.register(HelpArticle)
class HelpArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Help and glossary articles; the pages read them on every request, so edits show at once."""

    list_display = ("title_en", "title_de", "slug", "is_published", "sort_order", "updated_at")
    list_editable = ("sort_order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title_en", "title_de", "slug", "body_en", "body_de")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("slug", "is_published", "sort_order", "updated_at")}),
        (_("English"), {"fields": ("title_en", "summary_en", "body_en")}),
        (_("German"), {"fields": ("title_de", "summary_de", "body_de")}),
    )


class EcbUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ECB file"),
        help_text=_(
            "Any of the ECB's reference rate files: eurofxref-hist.zip or .csv, eurofxref.zip "
            "or .csv, eurofxref-daily.xml, eurofxref-hist.xml. The rates are also fetched "
            "on their own every working day."
        ),
    )


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "currency", "rate")
    list_filter = ("currency",)
    date_hierarchy = "date"
    search_fields = ("currency",)
    fields = ("date", "currency", "rate")
    change_list_template = "admin/income/exchangerate/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "load-ecb/",
                self.admin_site.admin_view(self.load_ecb),
                name="income_exchangerate_load_ecb",
            ),
            path(
                "fetch-ecb/",
                self.admin_site.admin_view(self.fetch_ecb),
                name="income_exchangerate_fetch_ecb",
            ),
            *super().get_urls(),
        ]

    def fetch_ecb(self, request: HttpRequest) -> HttpResponse:
        """Queue a fetch of the ECB's rates now (POST), beside the daily schedule; GET asks
        first, with the latest fetch, as the admin asks before any action."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Fetch from the ECB now"),
                "latest": services.rate_fetch_latest(),
            }
            return render(request, "admin/income/exchangerate/fetch_ecb.html", context)
        services.ecb_rates_fetch_queue()
        self.message_user(
            request,
            _(
                "A fetch of the ECB's rates was queued; its outcome is listed under "
                "exchange rate fetches."
            ),
        )
        return redirect("admin:income_exchangerate_changelist")

    def load_ecb(self, request: HttpRequest) -> HttpResponse:
        """Upload the ECB's CSV and store every rate of a supported currency."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EcbUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = services.exchange_rates_import(data=form.cleaned_data["file"].read())
            except DomainError as error:
                for message in error.field_errors.get("file", []):
                    form.add_error("file", message)
            else:
                self.message_user(request, _("%(count)s rates loaded.") % {"count": count})
                return redirect("admin:income_exchangerate_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Load ECB rates"),
        }
        return render(request, "admin/income/exchangerate/load_ecb.html", context)


class PaymentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Payment
    extra = 0
    fields = (
        "date",
        "gross",
        "tax_withheld",
        "foreign_tax",
        "fees",
        "currency",
        "note",
        "external_id",
    )
    ordering = ("-date",)
    show_change_link = True


class AssetValueInline(admin.TabularInline):  # type: ignore[type-arg]
    """The values recorded for a capital or rental source's asset (its total return)."""

    model = AssetValue
    extra = 0
    fields = ("date", "value", "note")
    ordering = ("-date",)
    show_change_link = True


class CostInline(admin.TabularInline):  # type: ignore[type-arg]
    """The costs recorded on a rental or business source (deducted in the tax year)."""

    model = Cost
    extra = 0
    fields = ("date", "kind", "amount", "currency", "note")
    ordering = ("-date",)
    show_change_link = True


class FundYearInline(admin.TabularInline):  # type: ignore[type-arg]
    """A fund source's units and prices per year (its Vorabpauschale)."""

    model = FundYear
    extra = 0
    fields = ("year", "units", "start_price", "end_price", "bought_on", "note")
    ordering = ("-year",)
    show_change_link = True


@admin.register(IncomeSource)
class IncomeSourceAdmin(StampsOwnerChange):
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
    inlines = (PaymentInline, AssetValueInline, CostInline, FundYearInline)
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
        (
            _("Capital"),
            {"fields": ("invested_capital", "expected_yield", "reinvest", "fund_type")},
        ),
        (
            _("Rental"),
            {
                "fields": (
                    "purchase_price",
                    "monthly_rent",
                    "vacancy_rate",
                    "management_fee_rate",
                    "monthly_running_costs",
                    "acquired_on",
                    "building_share",
                    "completion_year",
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
class PaymentAdmin(StampsOwnerChange):
    owner_path = ("source", "owner_id")
    list_display = (
        "date",
        "source",
        "owner",
        "gross",
        "tax_withheld",
        "foreign_tax",
        "fees",
        "currency",
        "external_id",
    )
    list_filter = ("currency", "source__category")
    date_hierarchy = "date"
    search_fields = ("source__name", "source__owner__username", "note", "external_id")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    fields = (
        "source",
        "date",
        "gross",
        "tax_withheld",
        "foreign_tax",
        "fees",
        "currency",
        "note",
        "external_id",
    )

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, payment: Payment) -> str:
        return str(payment.source.owner)


@admin.register(SubscriptionPeriod)
class SubscriptionPeriodAdmin(StampsOwnerChange):
    owner_path = ("source", "owner_id")
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


@admin.register(AssetValue)
class AssetValueAdmin(StampsOwnerChange):
    """Recorded asset values, for support: what a source's total return counts."""

    owner_path = ("source", "owner_id")
    list_display = ("date", "source", "owner", "value", "note")
    date_hierarchy = "date"
    search_fields = ("source__name", "source__owner__username", "note")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    fields = ("source", "date", "value", "note", "created_at")
    readonly_fields = ("created_at",)

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, asset_value: AssetValue) -> str:
        return str(asset_value.source.owner)


@admin.register(Cost)
class CostAdmin(StampsOwnerChange):
    """Recorded costs, for support: what a source's tax year deducts."""

    owner_path = ("source", "owner_id")
    list_display = ("date", "source", "owner", "kind", "amount", "currency", "note")
    list_filter = ("kind", "currency", "source__category")
    date_hierarchy = "date"
    search_fields = ("source__name", "source__owner__username", "note")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    fields = ("source", "date", "kind", "amount", "currency", "note", "created_at")
    readonly_fields = ("created_at",)

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, cost: Cost) -> str:
        return str(cost.source.owner)


@admin.register(FundYear)
class FundYearAdmin(StampsOwnerChange):
    """Recorded fund years, for support: what a fund's Vorabpauschale is computed from."""

    owner_path = ("source", "owner_id")
    list_display = ("year", "source", "owner", "units", "start_price", "end_price", "bought_on")
    list_filter = ("year", "source__fund_type")
    search_fields = ("source__name", "source__owner__username", "note")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    fields = ("source", "year", "units", "start_price", "end_price", "bought_on", "note")

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, fund_year: FundYear) -> str:
        return str(fund_year.source.owner)


class BillingSubscriptionInline(admin.TabularInline):  # type: ignore[type-arg]
    """A customer's subscriptions as the billing platform states them (issue 23)."""

    model = BillingSubscription
    extra = 0
    fields = (
        "external_id",
        "plan",
        "amount",
        "currency",
        "interval",
        "interval_count",
        "quantity",
        "percent_off",
        "amount_off",
        "started",
        "trial_ends",
        "cancelled_on",
        "ended",
    )
    ordering = ("started", "pk")
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(StampsOwnerChange):
    """A subscription source's customers, for support: what its MRR and churn count.

    The source filter lists only sources that have customers, not every user's sources.
    """

    owner_path = ("source", "owner_id")
    list_display = ("external_id", "name", "source", "owner", "created_at")
    list_filter = (("source", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("external_id", "name", "source__name", "source__owner__username")
    list_select_related = ("source", "source__owner")
    raw_id_fields = ("source",)
    inlines = (BillingSubscriptionInline,)
    fields = ("source", "external_id", "name", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("owner"), ordering="source__owner__username")
    def owner(self, customer: Customer) -> str:
        return str(customer.source.owner)


class SubscriptionPauseInline(admin.TabularInline):  # type: ignore[type-arg]
    """The pauses of a subscription: no MRR while one lasts."""

    model = SubscriptionPause
    extra = 0
    fields = ("starts", "ends")
    ordering = ("starts", "pk")


@admin.register(BillingSubscription)
class BillingSubscriptionAdmin(StampsOwnerChange):
    """Customers' subscriptions, for support, with their pauses inline."""

    owner_path = ("customer", "source", "owner_id")
    list_display = (
        "customer",
        "source",
        "owner",
        "plan",
        "amount",
        "currency",
        "interval",
        "interval_count",
        "quantity",
        "started",
        "ended",
    )
    list_filter = ("interval", "currency")
    date_hierarchy = "started"
    search_fields = (
        "external_id",
        "plan",
        "customer__external_id",
        "customer__name",
        "customer__source__name",
        "customer__source__owner__username",
    )
    list_select_related = ("customer__source__owner",)
    raw_id_fields = ("customer",)
    inlines = (SubscriptionPauseInline,)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("customer", "external_id", "plan")}),
        (
            _("Amount"),
            {
                "fields": (
                    ("amount", "currency"),
                    ("interval", "interval_count"),
                    "quantity",
                    ("percent_off", "amount_off"),
                )
            },
        ),
        (None, {"fields": ("started", "trial_ends", "cancelled_on", "ended")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("source"), ordering="customer__source__name")
    def source(self, subscription: BillingSubscription) -> str:
        return str(subscription.customer.source)

    @admin.display(description=_("owner"), ordering="customer__source__owner__username")
    def owner(self, subscription: BillingSubscription) -> str:
        return str(subscription.customer.source.owner)


@admin.register(EffortLog)
class EffortLogAdmin(StampsOwnerChange):
    owner_path = ("source", "owner_id")
    list_display = ("month", "source", "hours", "note")
    date_hierarchy = "month"
    search_fields = ("source__name", "source__owner__username", "note")
    list_select_related = ("source",)
    raw_id_fields = ("source",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[EffortLog]:
        return super().get_queryset(request).select_related("source__owner")


@admin.register(AllowanceOrder)
class AllowanceOrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Allowance orders (Freistellungsaufträge), for support: what each bank was given."""

    list_display = ("year", "owner", "bank", "amount")
    list_filter = ("year",)
    search_fields = ("owner__username", "owner__email", "bank")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    fields = ("owner", "year", "bank", "amount", "created_at")
    readonly_fields = ("created_at",)


@admin.register(RateFetch)
class RateFetchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The log of the ECB rates' fetches (issue 24): whether rates arrive on their own,
    and why not. Written by the fetch only."""

    list_display = (
        "started_at", "status", "rates", "new_rates", "users_recomputed", "error", "finished_at",
    )  # fmt: skip
    list_filter = ("status",)
    readonly_fields = (
        "started_at", "finished_at", "url", "status", "rates", "new_rates", "users_recomputed",
        "error",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who has a private calendar feed and whether an app reads it (issue 24).

    The token is never shown: it is the feed's only credential, and support needs none
    of it. Deleting a feed turns it off (its address answers 404), as the owner's own
    "turn off" does; nothing else is edited here.
    """

    list_display = ("owner", "created_at", "last_read_at")
    search_fields = ("owner__username", "owner__email")
    list_select_related = ("owner",)
    fields = ("owner", "created_at", "last_read_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
