from django import forms
from django.contrib import admin

from finance.errors import DomainError
from scenarios.models import Scenario
from scenarios.services import scenario_tax_timing_check


class ScenarioAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The admin's form refuses what the services refuse: inputs its tax timing cannot have."""

    # No Meta: ``ModelAdmin.get_form`` builds it from the admin's fields.

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # the input on the instance, validated
        if self.errors:
            return
        try:
            scenario_tax_timing_check(scenario=self.instance)
        except DomainError as error:
            for name, messages in error.field_errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ScenarioAdminForm
    list_display = (
        "name",
        "owner",
        "starting_capital",
        "monthly_contribution",
        "annual_return",
        "tax_timing",
        "horizon_years",
        "result_computed_at",
    )
    list_filter = ("compounding", "payout", "tax_timing")
    search_fields = ("name", "owner__username", "description")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    filter_horizontal = ("sources",)
    readonly_fields = ("result", "result_computed_at", "created_at", "updated_at")
