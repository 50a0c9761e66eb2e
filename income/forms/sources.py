"""Browser forms of income sources: the source itself and the list's filter."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from income import selectors
from income.forms.base import (
    DECIMAL_ATTRS,
    HUNDRED,
    ZERO,
    DateInput,
    ServiceModelForm,
    as_percent,
    choice_field,
    percent_field,
)
from income.models import (
    FundType,
    IncomeCategory,
    IncomeSource,
    SourceStatus,
)
from income.services.sources import SOURCE_FIELDS

# ----------------------------------------------------------------------------- sources


class CategorySelect(forms.Select):
    """Category options carry their calculation model (``data-model``) for source-form.js."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if isinstance(instance, IncomeCategory):
            option["attrs"]["data-model"] = instance.model
        return option


class CategoryChoiceIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """Categories in two option groups: passive ones, then active ones for comparison."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        passive: list[Any] = []
        active: list[Any] = []
        for category in self.queryset:
            (passive if category.is_passive else active).append(self.choice(category))
        if passive:
            yield (_("Passive income"), passive)
        if active:
            yield (_("Active income, for comparison"), active)


SOURCE_RATE_FIELDS = (
    "tax_rate",
    "expected_yield",
    "vacancy_rate",
    "management_fee_rate",
    "monthly_churn_rate",
    "annual_growth_rate",
    "building_share",
)


class SourceForm(ServiceModelForm):
    """An income source. Only the group of the chosen category's model matters."""

    tax_rate = percent_field(
        _("Own tax rate (%)"),
        help_text=_("Overrides the tax profile's rate, e.g. 26.375. Leave empty to use it."),
        initial=None,
    )
    expected_yield = percent_field(
        _("Expected annual yield (%)"),
        low=Decimal(-100),
        high=Decimal(1000),
        low_inclusive=False,
        help_text=_("e.g. 3.5 for 3.5 % a year."),
    )
    vacancy_rate = percent_field(
        _("Vacancy rate (%)"), help_text=_("Share of the year without rent, e.g. 4.")
    )
    management_fee_rate = percent_field(
        _("Management fee (%)"), help_text=_("Share of the collected rent.")
    )
    monthly_churn_rate = percent_field(
        _("Monthly churn rate (%)"),
        help_text=_("Share of subscribers who leave in a month, e.g. 3."),
    )
    annual_growth_rate = percent_field(
        _("Annual growth (%)"),
        low=Decimal(-100),
        high=Decimal(1000),
        low_inclusive=False,
        help_text=_("How much the monthly amount grows a year; negative if it shrinks."),
    )
    building_share = percent_field(
        _("Building share (%)"),
        help_text=_(
            "The part of the purchase price that is the building rather than the land, "
            "e.g. 75; only the building is depreciated."
        ),
    )

    groups_spec = (
        (
            "basics",
            _("Basics"),
            ("name", "category", "currency", "status", "start_date", "end_date"),
            "",
        ),
        ("tax", _("Tax"), ("tax_profile", "tax_rate"), ""),
        (
            "capital",
            _("Capital"),
            ("invested_capital", "expected_yield", "reinvest", "fund_type"),
            "capital",
        ),
        (
            "rental",
            _("Rental property"),
            (
                "purchase_price",
                "monthly_rent",
                "vacancy_rate",
                "management_fee_rate",
                "monthly_running_costs",
                "acquired_on",
                "building_share",
                "completion_year",
            ),
            "rental",
        ),
        (
            "subscription",
            _("Subscription"),
            (
                "price_per_subscriber",
                "current_subscribers",
                "new_subscribers_per_month",
                "monthly_churn_rate",
            ),
            "subscription",
        ),
        (
            "flat",
            _("Flat monthly amount"),
            ("expected_monthly_amount", "annual_growth_rate"),
            "flat",
        ),
        (
            "effort",
            _("Effort: money and hours it takes"),
            ("upfront_investment", "setup_hours", "maintenance_hours_per_month", "monthly_costs"),
            "",
        ),
        (
            "payouts",
            _("Payouts and dependencies"),
            ("payout_rhythm", "next_payout_date", "platform", "country"),
            "",
        ),
        ("notes", _("Notes"), ("notes",), ""),
    )
    blank_means_default = (
        "invested_capital",
        "expected_yield",
        "purchase_price",
        "monthly_rent",
        "vacancy_rate",
        "management_fee_rate",
        "monthly_running_costs",
        "price_per_subscriber",
        "current_subscribers",
        "new_subscribers_per_month",
        "monthly_churn_rate",
        "expected_monthly_amount",
        "annual_growth_rate",
        "building_share",
        "upfront_investment",
        "setup_hours",
        "maintenance_hours_per_month",
        "monthly_costs",
    )

    class Meta:
        model = IncomeSource
        fields = SOURCE_FIELDS
        localized_fields = (
            "invested_capital",
            "purchase_price",
            "monthly_rent",
            "monthly_running_costs",
            "price_per_subscriber",
            "expected_monthly_amount",
            "upfront_investment",
            "setup_hours",
            "maintenance_hours_per_month",
            "monthly_costs",
        )
        widgets = {
            "category": CategorySelect(attrs={"data-model-select": ""}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "acquired_on": DateInput(),
            "next_payout_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 2, "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = choice_field(self, "category")
        category.iterator = CategoryChoiceIterator
        category.queryset = selectors.category_list()
        category.empty_label = _("Choose a category")
        tax_profile = choice_field(self, "tax_profile")
        tax_profile.queryset = selectors.tax_profile_list()
        tax_profile.empty_label = _("No tax profile")
        fund_type = cast(forms.ChoiceField, self.fields["fund_type"])
        fund_type.choices = [("", _("Not a fund")), *FundType.choices]
        for name in self.blank_means_default:
            self.fields[name].required = False
            if name in self._meta.localized_fields:  # type: ignore[operator]
                self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
                self.fields[name].validators.append(MinValueValidator(ZERO))
        for name in SOURCE_RATE_FIELDS:
            if name in self.initial:
                self.initial[name] = as_percent(self.initial[name])

    def _fraction(self, name: str) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get(name)
        return None if value is None else value / HUNDRED

    def clean_tax_rate(self) -> Decimal | None:
        return self._fraction("tax_rate")

    def clean_expected_yield(self) -> Decimal | None:
        return self._fraction("expected_yield")

    def clean_vacancy_rate(self) -> Decimal | None:
        return self._fraction("vacancy_rate")

    def clean_management_fee_rate(self) -> Decimal | None:
        return self._fraction("management_fee_rate")

    def clean_monthly_churn_rate(self) -> Decimal | None:
        return self._fraction("monthly_churn_rate")

    def clean_annual_growth_rate(self) -> Decimal | None:
        return self._fraction("annual_growth_rate")

    def clean_building_share(self) -> Decimal | None:
        return self._fraction("building_share")

    def category_help(self) -> list[tuple[str, str, bool]]:
        """Each category's help text as (pk, text, selected): all rendered, one shown.

        The selected category's text is visible without JavaScript; source-form.js
        shows the one of the category chosen later.
        """
        selected = str(self["category"].value() or "")
        return [
            (str(category.pk), category.help_text, str(category.pk) == selected)
            for category in selectors.category_list()
            if category.help_text
        ]


class SourceFilterForm(forms.Form):
    """The status filter of the source list (``?status=active``)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *SourceStatus.choices],
    )
