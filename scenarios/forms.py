"""Browser forms for scenarios and the stress test.

As in ``income.forms.base``: rates are typed in percent and cleaned to fractions,
amounts are localized, and the rules (and the final validation) stay in
``scenarios.services``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.validators import MinValueValidator
from django.forms.models import model_to_dict
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from finance.calculator import MAX_YEARS
from income import selectors as income_selectors
from income.formatting import format_percent
from income.forms.base import DECIMAL_ATTRS, ZERO, ServiceModelForm, as_percent, percent_field
from income.forms.profile import HUNDRED
from income.models import IncomeSource
from scenarios.models import Compounding, Scenario, TaxTiming
from scenarios.services import SCENARIO_FIELDS

# The scenario's rates, typed in percent; the model keeps fractions.
SCENARIO_RATE_FIELDS = ("annual_return", "tax_rate", "inflation", "volatility")
SCENARIO_MONEY_FIELDS = (
    "starting_capital",
    "monthly_contribution",
    "additional_yearly_income",
    "one_off_income",
    "target_monthly_income",
)
REINVEST, PAY_OUT = "reinvest", "payout"


class SourceCheckboxes(forms.CheckboxSelectMultiple):
    """One checkbox per source; the option carries the source for its label line."""

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
        option["source"] = getattr(value, "instance", None)
        return option


class ScenarioForm(ServiceModelForm):
    """A scenario's inputs and the sources it links: only the owner's own are offered."""

    annual_return = percent_field(
        _("Annual return (%)"),
        low=Decimal(-100),
        high=Decimal(1000),
        low_inclusive=False,
        help_text=_("Expected return a year before tax, e.g. 5 for 5 %."),
        initial=None,
    )
    tax_rate = percent_field(
        _("Own tax rate (%)"),
        help_text=_("Overrides the tax profile's rate, e.g. 26.375. Leave empty to use it."),
        initial=None,
    )
    inflation = percent_field(
        _("Inflation (%)"),
        low=Decimal(-50),
        help_text=_("A year; real values are in today's money. 0 for none."),
        initial=None,
    )
    volatility = percent_field(
        _("Volatility (%)"),
        high=Decimal(200),
        help_text=_(
            "How much the return swings a year, e.g. 15 for equities. Leave empty for "
            "none; with a value the page shows a range of outcomes."
        ),
        initial=None,
    )
    payout = forms.TypedChoiceField(
        label=_("Income"),
        choices=[(REINVEST, _("Reinvest it")), (PAY_OUT, _("Pay it out each month"))],
        coerce=lambda value: value == PAY_OUT,
        initial=REINVEST,
        help_text=_("Reinvested income grows the capital; paid-out income is yours to spend."),
    )
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=MAX_YEARS,
        help_text=_("Whole years, 1 to 100."),
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Linked sources"),
        queryset=IncomeSource.objects.none(),
        required=False,
        widget=SourceCheckboxes,
        help_text=_("Their own projected income is added to the plan's."),
    )

    groups_spec = (
        ("basics", _("Basics"), ("name", "description"), ""),
        (
            "plan",
            _("Plan"),
            (
                "starting_capital",
                "monthly_contribution",
                "annual_return",
                "compounding",
                "payout",
                "horizon_years",
            ),
            "",
        ),
        ("tax", _("Tax"), ("tax_timing", "tax_profile", "tax_rate"), ""),
        (
            "outlook",
            _("Outlook"),
            (
                "inflation",
                "additional_yearly_income",
                "one_off_income",
                "target_monthly_income",
                "volatility",
            ),
            "",
        ),
    )
    blank_means_default = SCENARIO_MONEY_FIELDS

    class Meta:
        model = Scenario
        fields = SCENARIO_FIELDS
        localized_fields = SCENARIO_MONEY_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "starting_capital": _("What you invest at the start."),
            "monthly_contribution": _("Your savings plan: added at the start of every month."),
            "compounding": _("How often the return is credited."),
            "additional_yearly_income": _("Other income a year, e.g. a pension or rent."),
            "target_monthly_income": _(
                "In today's money, after tax. The page shows when the plan reaches it."
            ),
            "tax_profile": _("Its rate, yearly allowance and partial exemption apply."),
            "tax_timing": _(
                "Every year: each year's income is taxed in its year, with the tax profile's "
                "allowance. Once at the end: as the calculator computes it, the capital grows "
                "untaxed and the whole gain is taxed at the end; such a plan has no monthly "
                "contribution, no payout, no additional yearly income and one tax rate. As a "
                "German fund: paid out, the payouts are taxed; reinvested, only each year's "
                "Vorabpauschale (the Basiszins of the latest tax year × 0.7 on the capital, at "
                "most the year's gain) is taxed early in the next year, the rest on a sale."
            ),
            "one_off_income": _(
                "Only with the tax once at the end: added once to the net at the end, as the "
                "calculator's additional income."
            ),
        }

    def __init__(self, *args: Any, owner: User, preview: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = cast(forms.ModelMultipleChoiceField, self.fields["sources"])  # type: ignore[type-arg]
        sources.queryset = income_selectors.source_list(owner=owner).order_by("name", "pk")
        tax_profile = cast(forms.ModelChoiceField, self.fields["tax_profile"])  # type: ignore[type-arg]
        tax_profile.queryset = income_selectors.tax_profile_list()
        tax_profile.empty_label = _("No tax profile")
        compounding = cast(forms.TypedChoiceField, self.fields["compounding"])
        compounding.choices = Compounding.choices
        self.fields["annual_return"].required = True
        self.fields["inflation"].required = True
        self.fields["tax_timing"].required = False  # blank: every year, the model's default
        if preview:
            # The live preview projects half-typed input; a name is not needed for that.
            self.fields["name"].required = False
        for name in SCENARIO_MONEY_FIELDS:
            field = self.fields[name]
            field.required = False
            field.widget.attrs.update(DECIMAL_ATTRS)
            field.validators.append(MinValueValidator(ZERO))
        if self.instance.pk is None:
            # A new scenario starts with the model's defaults (5 % return, 2 % inflation…).
            self.initial = {**model_to_dict(self.instance, fields=SCENARIO_FIELDS), **self.initial}
        for name in SCENARIO_RATE_FIELDS:
            if name in self.initial:
                self.initial[name] = as_percent(self.initial[name])
        if "payout" in self.initial:
            self.initial["payout"] = PAY_OUT if self.initial["payout"] else REINVEST
        if self.instance.pk and "sources" not in self.initial:
            self.initial["sources"] = [source.pk for source in self.instance.sources.all()]

    def _fraction(self, name: str) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get(name)
        return None if value is None else value / HUNDRED

    def clean_annual_return(self) -> Decimal | None:
        return self._fraction("annual_return")

    def clean_tax_rate(self) -> Decimal | None:
        return self._fraction("tax_rate")

    def clean_inflation(self) -> Decimal | None:
        return self._fraction("inflation")

    def clean_tax_timing(self) -> str:
        return str(self.cleaned_data.get("tax_timing") or TaxTiming.YEARLY)

    def clean_volatility(self) -> Decimal | None:
        value = self._fraction("volatility")
        return None if value == ZERO else value

    def linked_sources(self) -> list[IncomeSource]:
        return list(self.cleaned_data.get("sources") or [])

    def unsaved_scenario(self, *, owner: User) -> Scenario:
        """The cleaned inputs as a Scenario that is never saved (for the preview)."""
        data = self.service_data()
        data["name"] = data.get("name") or ""
        return Scenario(owner=owner, **data)


class StressForm(forms.Form):
    """The stress test's shocks in percent (GET, so a result is a link to share)."""

    dividend_cut = percent_field(
        _("Dividend cut (%)"),
        help_text=_(
            "Capital sources (dividends, interest, P2P) earn this share less: 30 means "
            "30 % less income from capital."
        ),
    )
    p2p_default_rate = percent_field(
        _("P2P default rate (%)"),
        help_text=_(
            "P2P loans lose this share of their capital a year, written off against their interest."
        ),
    )
    vacancy = percent_field(
        _("Extra vacancy (%)"),
        help_text=_(
            "Added to each rental's vacancy rate: 25 means a quarter of the year more without rent."
        ),
    )
    churn_spike = percent_field(
        _("Churn spike (%)"),
        help_text=_(
            "Added to each subscription's monthly churn, for the whole horizon: 5 turns "
            "3 % churn into 8 %."
        ),
    )
    ad_revenue_drop = percent_field(
        _("Ad and affiliate revenue drop (%)"),
        help_text=_("Advertising and affiliate sources earn this share less."),
    )
    currency_move = percent_field(
        _("Currency move (%)"),
        low=Decimal(-100),
        low_inclusive=False,
        help_text=_(
            "Sources in another currency than yours: −10 means that currency is 10 % "
            "weaker, 10 that it is stronger. Costs stay as they are."
        ),
    )
    inflation = percent_field(
        _("Inflation (%)"),
        low=Decimal(-50),
        initial=Decimal(2),
        help_text=_(
            "How fast your expenses grow a year; it moves the month your income covers them."
        ),
    )
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=MAX_YEARS,
        initial=30,
        required=False,
        help_text=_("How far ahead to look for the independence month."),
    )

    SHOCKS = (
        "dividend_cut",
        "p2p_default_rate",
        "vacancy",
        "churn_spike",
        "ad_revenue_drop",
        "currency_move",
    )

    def stress_arguments(self) -> dict[str, Any]:
        """The cleaned shocks as ``services.stress_run`` takes them: fractions, 0 if blank."""
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            name: (data.get(name) or ZERO) / HUNDRED for name in self.SHOCKS
        }
        inflation = data.get("inflation")
        arguments["inflation"] = (Decimal(2) if inflation is None else inflation) / HUNDRED
        arguments["horizon_years"] = data.get("horizon_years") or 30
        return arguments


# ------------------------------------------------------------------- from the calculator

CALCULATOR_KEYS = (
    "initial_investment",
    "annual_return",
    "investment_period",
    "tax_rate",
    "additional_income",
)


def _places(value: Decimal) -> int:
    """No decimals for a whole number (10,000; 5 %), cents otherwise."""
    return 0 if value == value.to_integral_value() else 2


def calculator_scenario_fields(inputs: dict[str, Any]) -> dict[str, Any]:
    """A scenario's fields from the calculator's inputs (rates already fractions).

    A saved calculation reproduces the calculator (PRODUCT.md §4 "Saved calculations"):
    one investment without savings, compounding yearly and reinvested, taxed once at
    the end at one rate (``TaxTiming.AT_END``), its additional income added once, and no
    inflation. The calculator allows 0 years, a plan at least one: the caller refuses a
    0-year calculation first, and ``scenario_create`` refuses a horizon of 0.
    """
    capital = Decimal(inputs["initial_investment"])
    annual_return = Decimal(inputs["annual_return"])
    horizon = int(inputs["investment_period"])
    name = ngettext(
        "Calculator: %(amount)s at %(rate)s for %(years)s year",
        "Calculator: %(amount)s at %(rate)s for %(years)s years",
        horizon,
    ) % {
        "amount": number_format(
            capital,
            decimal_pos=_places(capital),
            use_l10n=True,
            force_grouping=True,
        ),
        "rate": format_percent(annual_return, places=_places(annual_return * HUNDRED)),
        "years": horizon,
    }
    return {
        "name": name[: Scenario._meta.get_field("name").max_length],
        "description": gettext("Saved from the calculator."),
        "starting_capital": capital,
        "monthly_contribution": ZERO,
        "annual_return": annual_return,
        "compounding": Compounding.YEARLY,
        "payout": False,
        "tax_rate": Decimal(inputs["tax_rate"]),
        "tax_timing": TaxTiming.AT_END,
        "inflation": ZERO,
        "additional_yearly_income": ZERO,
        "one_off_income": Decimal(inputs["additional_income"]),
        "horizon_years": horizon,
        "target_monthly_income": ZERO,
        "volatility": None,
    }
