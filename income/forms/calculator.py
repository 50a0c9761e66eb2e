"""The calculator's form: the seed's inputs, rates entered in percent as people think of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from finance import calculator

HUNDRED = Decimal(100)
PERCENT_PLACES = calculator.RATE_DECIMAL_PLACES - 2


def _amount_field(
    label: StrOrPromise, help_text: StrOrPromise, initial: Decimal
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        initial=initial,
        min_value=Decimal(0),
        max_value=calculator.MAX_AMOUNT,
        max_digits=15,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class CalculatorForm(forms.Form):
    """The seed's calculator inputs, rates entered in percent as people think of them.

    Initial values are the seed's worked example (10,000; 5 %; 10 years; 15 %; 1,000).
    """

    initial_investment = _amount_field(
        _("Initial investment"),
        _("The amount you invest at the start."),
        Decimal(10000),
    )
    annual_return = forms.DecimalField(
        label=_("Expected annual return (%)"),
        help_text=_("Return per year, e.g. 5 for 5 %. Negative for a loss."),
        initial=Decimal(5),
        max_digits=PERCENT_PLACES + 6,
        decimal_places=PERCENT_PLACES,
        validators=[MaxValueValidator(calculator.MAX_ANNUAL_RETURN * HUNDRED)],
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    investment_period = forms.IntegerField(
        label=_("Investment period (years)"),
        help_text=_("Whole years, 0 to 100."),
        initial=10,
        min_value=0,
        max_value=calculator.MAX_YEARS,
    )
    tax_rate = forms.DecimalField(
        label=_("Tax rate (%)"),
        help_text=_("Tax on the gain, e.g. 26.375 for German capital gains tax."),
        initial=Decimal(15),
        max_digits=PERCENT_PLACES + 3,
        decimal_places=PERCENT_PLACES,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    additional_income = _amount_field(
        _("Additional income"),
        _("Any other income you receive on top, e.g. rent."),
        Decimal(1000),
    )

    def clean_annual_return(self) -> Decimal:
        value: Decimal = self.cleaned_data["annual_return"]
        if value <= calculator.MIN_ANNUAL_RETURN * HUNDRED:
            raise forms.ValidationError(_("The return must be greater than −100 %."))
        return value

    def calculator_inputs(self) -> dict[str, Any]:
        """The cleaned values as ``calculator.calculate`` takes them (rates as fractions)."""
        data = self.cleaned_data
        return {
            "initial_investment": data["initial_investment"],
            "annual_return": data["annual_return"] / HUNDRED,
            "investment_period": data["investment_period"],
            "tax_rate": data["tax_rate"] / HUNDRED,
            "additional_income": data["additional_income"],
        }
