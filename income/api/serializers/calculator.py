"""The calculator's input and result (``POST /api/v1/calculator/``, PRODUCT.md §4, §5)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from rest_framework import serializers

from config.api.fields import MinimumValidator
from config.api.serializers import Serializer
from finance import calculator
from income.api.fields import FigureField


def _amount_field(help_text: StrOrPromise) -> serializers.DecimalField:
    """An input amount: like the models' ``DecimalField(max_digits=15, decimal_places=2)``."""
    return serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=calculator.MAX_AMOUNT,
        help_text=help_text,
    )


class CalculatorInputSerializer(Serializer):  # type: ignore[type-arg]
    """Inputs of ``POST /api/v1/calculator/`` (PRODUCT.md §4, §5); rates are fractions."""

    initial_investment = _amount_field(_('Amount invested at the start, e.g. "10000".'))
    annual_return = serializers.DecimalField(
        max_digits=calculator.RATE_DECIMAL_PLACES + 3,
        decimal_places=calculator.RATE_DECIMAL_PLACES,
        max_value=calculator.MAX_ANNUAL_RETURN,
        # Greater than -1: with eight places at least -0.99999999, a bound the schema states.
        validators=[
            MinimumValidator(
                calculator.MIN_ANNUAL_RETURN + Decimal(1).scaleb(-calculator.RATE_DECIMAL_PLACES),
                message=_("Must be greater than -1 (-100 %)."),
            )
        ],
        help_text=_("Expected annual return as a fraction: 0.05 = 5 %; greater than -1."),
    )
    investment_period = serializers.IntegerField(
        min_value=0, max_value=calculator.MAX_YEARS, help_text=_("Whole years, 0 to 100.")
    )
    tax_rate = serializers.DecimalField(
        max_digits=calculator.RATE_DECIMAL_PLACES + 1,
        decimal_places=calculator.RATE_DECIMAL_PLACES,
        min_value=Decimal(0),
        max_value=Decimal(1),
        help_text=_("Tax on a positive gain as a fraction: 0.15 = 15 %."),
    )
    additional_income = _amount_field(_("Other income added to the net after tax."))


class CalculatorYearSerializer(Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    capital = FigureField(decimal_places=2)
    gross_income = FigureField(decimal_places=2)
    tax = FigureField(decimal_places=2)
    net_income = FigureField(decimal_places=2)


class CalculatorResultSerializer(Serializer):  # type: ignore[type-arg]
    gross_income = FigureField(decimal_places=2)
    tax = FigureField(decimal_places=2)
    net_income = FigureField(decimal_places=2)
    final_capital = FigureField(decimal_places=2)
    yearly = CalculatorYearSerializer(many=True)
