"""API serializers: validate input shapes and render output. No business rules here."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from rest_framework import serializers

from income.finance import calculator
from income.models import Profile


def _amount_field(help_text: StrOrPromise) -> serializers.DecimalField:
    """An input amount: like the models' ``DecimalField(max_digits=15, decimal_places=2)``."""
    return serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=calculator.MAX_AMOUNT,
        help_text=help_text,
    )


class CalculatorInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Inputs of ``POST /api/v1/calculator/`` (PRODUCT.md §4, §5); rates are fractions."""

    initial_investment = _amount_field(_('Amount invested at the start, e.g. "10000".'))
    annual_return = serializers.DecimalField(
        max_digits=calculator.RATE_DECIMAL_PLACES + 3,
        decimal_places=calculator.RATE_DECIMAL_PLACES,
        max_value=calculator.MAX_ANNUAL_RETURN,
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

    def validate_annual_return(self, value: Decimal) -> Decimal:
        if value <= calculator.MIN_ANNUAL_RETURN:
            raise serializers.ValidationError(_("Must be greater than -1 (-100 %)."))
        return value


class CalculatorYearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    capital = serializers.DecimalField(max_digits=None, decimal_places=2)
    gross_income = serializers.DecimalField(max_digits=None, decimal_places=2)
    tax = serializers.DecimalField(max_digits=None, decimal_places=2)
    net_income = serializers.DecimalField(max_digits=None, decimal_places=2)


class CalculatorResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    gross_income = serializers.DecimalField(max_digits=None, decimal_places=2)
    tax = serializers.DecimalField(max_digits=None, decimal_places=2)
    net_income = serializers.DecimalField(max_digits=None, decimal_places=2)
    final_capital = serializers.DecimalField(max_digits=None, decimal_places=2)
    yearly = CalculatorYearSerializer(many=True)


class LoginSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class RegisterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    language = serializers.ChoiceField(choices=["en", "de"], default="en")
    base_currency = serializers.ChoiceField(
        choices=[code for code, _label in Profile._meta.get_field("base_currency").choices or []],
        default="EUR",
    )


class TokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField()


class MeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Profile
        fields = ("username", "email", "base_currency", "language")
