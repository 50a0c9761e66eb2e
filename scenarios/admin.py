from django.contrib import admin

from scenarios.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "owner",
        "starting_capital",
        "monthly_contribution",
        "annual_return",
        "horizon_years",
        "result_computed_at",
    )
    list_filter = ("compounding", "payout")
    search_fields = ("name", "owner__username", "description")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    filter_horizontal = ("sources",)
    readonly_fields = ("result", "result_computed_at", "created_at", "updated_at")
