"""Browser forms for sources, payments, subscription periods, effort logs and asset values.

They turn what a person types into the values the services take: rates in percent
become fractions, a blank number becomes the model's default, a month becomes its
first day. The rules themselves (and the final validation) stay in ``income.services``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from income import selectors
from income.finance.errors import DomainError
from income.models import (
    AssetValue,
    EffortLog,
    IncomeCategory,
    IncomeSource,
    Payment,
    SourceStatus,
    SubscriptionPeriod,
)
from income.services import SOURCE_FIELDS

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# The model keeps six decimal places of a fraction; in percent that leaves four.
PERCENT_PLACES = 4
DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


# ----------------------------------------------------------------------------- helpers


def add_service_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form: next to its field, or above the form.

    A field the form does not show (``source`` of a period, ``owner``) becomes a
    non-field error, so no message is ever lost.
    """
    if isinstance(error, DomainError):
        by_field: dict[str, list[str]] = error.field_errors
    elif hasattr(error, "error_dict"):
        by_field = error.message_dict
    else:
        by_field = {NON_FIELD_ERRORS: list(error.messages)}
    for name, messages in by_field.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def percent_field(
    label: StrOrPromise,
    *,
    low: Decimal = ZERO,
    high: Decimal = HUNDRED,
    low_inclusive: bool = True,
    help_text: StrOrPromise = "",
    initial: Decimal | None = ZERO,
) -> forms.DecimalField:
    """A rate entered in percent (5 for 5 %), as people think of it; stored as a fraction."""
    validators: list[Any] = [MaxValueValidator(high)]
    if low_inclusive:
        validators.append(MinValueValidator(low))
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        initial=initial,
        required=False,
        max_digits=PERCENT_PLACES + 7,
        decimal_places=PERCENT_PLACES,
        validators=validators,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL_ATTRS),
    )


def _as_percent(fraction: Decimal | None) -> Decimal | None:
    """0.263750 as 26.375, without trailing zeros and never in exponent form (5E+1)."""
    if fraction is None:
        return None
    value = Decimal(fraction) * HUNDRED
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """``<input type="month">`` (YYYY-MM), cleaned to the month's first day.

    Browsers without a month picker show a text box; YYYY-MM typed there works too.
    """

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "month", "placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"},
                format="%Y-%m",
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


@dataclass(frozen=True)
class FieldGroup:
    """A ``<fieldset>`` of a form: its key, legend and fields, and the model it belongs to."""

    key: str
    legend: StrOrPromise
    fields: list[BoundField]
    model: str = ""

    def __iter__(self) -> Iterator[BoundField]:
        return iter(self.fields)


class ServiceModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that only reads and cleans input; the service validates and saves.

    Django's ``_post_clean`` would copy the input onto the instance and run
    ``full_clean()`` before the service does, answering a broken constraint with its
    internal name ("Constraint “source_end_after_start” is violated") instead of the
    service's message. The service runs ``full_clean()`` itself and its errors are put
    on the form by ``add_service_errors``, so the instance stays untouched until then.
    """

    groups_spec: tuple[tuple[str, StrOrPromise, tuple[str, ...], str], ...] = ()
    # Numbers that may be left blank: blank means the model field's default (0).
    blank_means_default: tuple[str, ...] = ()

    def _post_clean(self) -> None:
        """Skip the instance validation; see the class docstring."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.blank_means_default:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = self._meta.model._meta.get_field(name).get_default()
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """The cleaned values of the model's fields, as keyword arguments of a service."""
        fields = self._meta.fields or ()
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}

    def groups(self) -> list[FieldGroup]:
        return [
            FieldGroup(key=key, legend=legend, fields=[self[name] for name in names], model=model)
            for key, legend, names, model in self.groups_spec
        ]


def _choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return cast(forms.ModelChoiceField, form.fields[name])  # type: ignore[type-arg]


def _restrict_source_choices(form: forms.BaseForm, owner: User) -> None:
    """A source field offers, and accepts, only the owner's own sources (PRODUCT.md §7)."""
    _choice_field(form, "source").queryset = selectors.source_list(owner=owner)


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
            ("invested_capital", "expected_yield", "reinvest"),
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
            "next_payout_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 2, "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = _choice_field(self, "category")
        category.iterator = CategoryChoiceIterator
        category.queryset = selectors.category_list()
        category.empty_label = _("Choose a category")
        tax_profile = _choice_field(self, "tax_profile")
        tax_profile.queryset = selectors.tax_profile_list()
        tax_profile.empty_label = _("No tax profile")
        for name in self.blank_means_default:
            self.fields[name].required = False
            if name in self._meta.localized_fields:  # type: ignore[operator]
                self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
                self.fields[name].validators.append(MinValueValidator(ZERO))
        for name in SOURCE_RATE_FIELDS:
            if name in self.initial:
                self.initial[name] = _as_percent(self.initial[name])

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


# ----------------------------------------------------------------------------- payments

PAYMENT_AMOUNTS = ("gross", "tax_withheld", "fees")


class PaymentForm(ServiceModelForm):
    """A received payment; the source list holds only the owner's sources.

    Its amounts may be negative: a refund or reversal has a negative gross. Which signs
    go together is the service's rule, shown next to the field it concerns.
    """

    blank_means_default = ("tax_withheld", "fees")

    class Meta:
        model = Payment
        fields: tuple[str, ...] = (
            "source",
            "date",
            "gross",
            "tax_withheld",
            "fees",
            "currency",
            "note",
        )
        localized_fields = PAYMENT_AMOUNTS
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _restrict_source_choices(self, owner)
        _choice_field(self, "source").empty_label = _("Choose a source")
        for name in PAYMENT_AMOUNTS:
            self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
        for name in self.blank_means_default:
            self.fields[name].required = False


class PaymentQuickAddForm(PaymentForm):
    """The one-line form above the payment list; the currency is the source's own."""

    class Meta(PaymentForm.Meta):
        fields = ("source", "date", "gross", "tax_withheld", "fees", "note")


class PaymentFilterForm(forms.Form):
    """GET filter of the payment list; every field is optional."""

    source = forms.ModelChoiceField(
        label=_("Source"), queryset=IncomeSource.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=IncomeCategory.objects.none(),
        to_field_name="slug",
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"enterkeyhint": "search", "placeholder": _("Note, source or amount")}
        ),
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _restrict_source_choices(self, owner)
        _choice_field(self, "source").empty_label = _("All sources")
        category = _choice_field(self, "category")
        category.queryset = selectors.category_list()
        category.empty_label = _("All categories")

    def search_arguments(self) -> dict[str, Any]:
        """The valid criteria as ``selectors.payment_search`` takes them; invalid ones drop."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        category: IncomeCategory | None = data.get("category")
        return {
            "source": data.get("source"),
            "category_slug": category.slug if category else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "search": data.get("search") or "",
        }


# ----------------------------------------------------------------------------- records


class PeriodForm(ServiceModelForm):
    """One month of a subscription source: subscriber counts and MRR movements."""

    month = MonthField(label=_("Month"))

    groups_spec = (
        ("month", _("Month"), ("month", "revenue"), ""),
        (
            "subscribers",
            _("Subscribers"),
            (
                "subscribers_start",
                "new_subscribers",
                "churned_subscribers",
                "reactivated_subscribers",
            ),
            "",
        ),
        (
            "mrr",
            _("MRR movements"),
            ("mrr_new", "mrr_expansion", "mrr_contraction", "mrr_churned", "mrr_reactivation"),
            "",
        ),
    )
    blank_means_default = (
        "subscribers_start",
        "new_subscribers",
        "churned_subscribers",
        "reactivated_subscribers",
        "mrr_new",
        "mrr_expansion",
        "mrr_contraction",
        "mrr_churned",
        "mrr_reactivation",
    )
    money_fields = (
        "mrr_new",
        "mrr_expansion",
        "mrr_contraction",
        "mrr_churned",
        "mrr_reactivation",
        "revenue",
    )

    class Meta:
        model = SubscriptionPeriod
        fields = (
            "month",
            "subscribers_start",
            "new_subscribers",
            "churned_subscribers",
            "reactivated_subscribers",
            "mrr_new",
            "mrr_expansion",
            "mrr_contraction",
            "mrr_churned",
            "mrr_reactivation",
            "revenue",
        )
        localized_fields = (
            "mrr_new",
            "mrr_expansion",
            "mrr_contraction",
            "mrr_churned",
            "mrr_reactivation",
            "revenue",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.blank_means_default:
            self.fields[name].required = False
        for name in self.money_fields:
            self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
            self.fields[name].validators.append(MinValueValidator(ZERO))


class EffortLogForm(ServiceModelForm):
    """The hours spent on a source in one month."""

    month = MonthField(label=_("Month"))

    class Meta:
        model = EffortLog
        fields = ("month", "hours", "note")
        localized_fields = ("hours",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update(DECIMAL_ATTRS)


class AssetValueForm(ServiceModelForm):
    """What a capital or rental source's asset was worth on a day, in its currency."""

    class Meta:
        model = AssetValue
        fields = ("date", "value", "note")
        localized_fields = ("value",)
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(DECIMAL_ATTRS)
