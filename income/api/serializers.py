"""API serializers: validate input shapes and render output. No business rules here."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from income.api.fields import FigureField
from income.finance import calculator
from income.models import (
    CURRENCY_CHOICES,
    EffortLog,
    ExchangeRate,
    HelpArticle,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
    TaxProfile,
)
from income.services import SOURCE_FIELDS


class BuiltFieldsOnce:
    """A ``ModelSerializer`` whose fields are built from the model once per language.

    DRF builds a model serializer's fields for every serializer it makes, each request:
    it inspects every model field and translates its verbose name and help text, which
    for a source's forty-odd fields cost more than reading the rows. Here they are built
    once per class and language:

    - a serializer that validates gets copies (``deepcopy`` makes a field anew from its
      arguments, unbound), as DRF does with declared fields;
    - writing an instance out goes through the fields of one serializer kept per class
      and language, by DRF's own loop: plain model fields read the instance and nothing
      else (no request, no context), so they serve every request alike.
    """

    _built: dict[tuple[type, str | None], dict[str, serializers.Field]] = {}  # type: ignore[type-arg]
    _writers: dict[tuple[type, str | None], Any] = {}  # one serializer per class and language

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        key = (type(self), get_language())
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().get_fields()  # type: ignore[misc]
        return copy.deepcopy(built)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        key = (type(self), get_language())
        writer = self._writers.get(key)
        if writer is None:
            writer = self._writers[key] = type(self)()
        return super(BuiltFieldsOnce, writer).to_representation(instance)  # type: ignore[misc,no-any-return]


class PlainReadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A read-only serializer of attributes, written out without DRF's generic field loop.

    The reports store the per-source figures of every user's current month through
    ``SourceFiguresSerializer``, and DRF's loop (a field lookup, ``get_attribute`` with
    its error handling, a ``None`` check) cost more than the figures themselves. This
    one walks each field's ``source_attrs`` directly (keys of a dict, as DRF reads
    stored JSON): the same output for attributes that exist; a missing one in a dotted
    path (``payback.month`` of no payback) is ``None``, as DRF answers for a field with
    ``allow_null``, and an error otherwise.
    """

    @cached_property
    def _plan(self) -> list[tuple[str, list[str], bool, Callable[[Any], Any]]]:
        return [
            (str(field.field_name), field.source_attrs, field.allow_null, field.to_representation)
            for field in self._readable_fields
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, attrs, allow_null, write in self._plan:
            value = instance
            for attr in attrs:
                if value is None:
                    if not allow_null:
                        raise AttributeError(f"{name}: {'.'.join(attrs)} is missing")
                    break
                value = value[attr] if isinstance(value, dict) else getattr(value, attr)
            result[name] = None if value is None else write(value)
        return result


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
    capital = FigureField(decimal_places=2)
    gross_income = FigureField(decimal_places=2)
    tax = FigureField(decimal_places=2)
    net_income = FigureField(decimal_places=2)


class CalculatorResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    gross_income = FigureField(decimal_places=2)
    tax = FigureField(decimal_places=2)
    net_income = FigureField(decimal_places=2)
    final_capital = FigureField(decimal_places=2)
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
        fields = (
            "username",
            "email",
            "base_currency",
            "language",
            "monthly_expenses",
            "hourly_value",
            "default_tax_profile",
            "weekly_digest",
        )


# ----------------------------------------------------------------------------- domain


@extend_schema_field(OpenApiTypes.INT)
class OwnedSourceField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A source id that must belong to the caller; another user's id is "does not exist"."""

    def get_queryset(self) -> QuerySet[IncomeSource]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return IncomeSource.objects.none()
        return IncomeSource.objects.filter(owner=request.user).select_related("category")


class CategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = IncomeCategory
        fields = ("id", "slug", "name", "name_en", "name_de", "is_passive", "model", "help_text")
        read_only_fields = fields


class TaxProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)

    class Meta:
        model = TaxProfile
        fields = (
            "id",
            "slug",
            "name",
            "rate",
            "yearly_allowance",
            "partial_exemption",
            "is_flat_rate",
        )
        read_only_fields = fields


class HelpArticleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A help article in the caller's language; the body is plain text (see ``HelpArticle``)."""

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)

    class Meta:
        model = HelpArticle
        fields = ("slug", "title", "summary", "body", "updated_at")
        read_only_fields = fields


class ExchangeRateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ExchangeRate
        fields = ("id", "date", "currency", "rate")
        read_only_fields = fields


class SourceSerializer(BuiltFieldsOnce, serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = IncomeSource
        fields = ("id", *SOURCE_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


class PaymentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]
    net = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES,
        required=False,
        help_text=_("Defaults to the source's currency."),
    )

    class Meta:
        model = Payment
        fields = (
            "id", "source", "date", "gross", "tax_withheld", "fees", "net", "currency",
            "note", "external_id", "created_at",
        )  # fmt: skip
        read_only_fields = ("id", "net", "created_at")
        validators: list[Any] = []  # uniqueness is checked by the service (full_clean)


class SubscriptionPeriodSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]
    subscribers_end = serializers.IntegerField(read_only=True)

    class Meta:
        model = SubscriptionPeriod
        fields = (
            "id", "source", "month", "subscribers_start", "new_subscribers",
            "churned_subscribers", "reactivated_subscribers", "subscribers_end", "mrr_new",
            "mrr_expansion", "mrr_contraction", "mrr_churned", "mrr_reactivation", "revenue",
        )  # fmt: skip
        read_only_fields = ("id", "subscribers_end")
        validators: list[Any] = []


class EffortLogSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]

    class Meta:
        model = EffortLog
        fields = ("id", "source", "month", "hours", "note")
        read_only_fields = ("id",)
        validators: list[Any] = []


# ----------------------------------------------------------------------------- dashboard

MONEY = {"max_digits": None, "decimal_places": 2}


class ShareSerializer(PlainReadSerializer):
    key = serializers.CharField()
    amount = FigureField(decimal_places=2)
    share = FigureField(decimal_places=4)


class MonthFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    passive_gross = FigureField(decimal_places=2)
    passive_net = FigureField(decimal_places=2)
    active_net = FigureField(decimal_places=2)


class SourceFiguresSerializer(PlainReadSerializer):
    id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    category = serializers.CharField(source="source.category.slug")
    gross_to_date = FigureField(decimal_places=2)
    net_to_date = FigureField(decimal_places=2)
    net_ttm = FigureField(decimal_places=2)
    costs_to_date = FigureField(decimal_places=2)
    hours_to_date = FigureField(decimal_places=2)
    effective_hourly_rate = FigureField(decimal_places=2, allow_null=True)
    cash_roi = FigureField(decimal_places=4, allow_null=True)
    full_roi = FigureField(decimal_places=4, allow_null=True)
    payback_month = serializers.DateField(source="payback.month", allow_null=True)
    payback_projected = serializers.BooleanField(source="payback.projected")
    yield_on_cost = FigureField(decimal_places=4, allow_null=True)
    net_rental_yield = FigureField(decimal_places=4, allow_null=True)
    mrr = FigureField(decimal_places=2, allow_null=True)
    arr = FigureField(decimal_places=2, allow_null=True)
    churn_rate = FigureField(decimal_places=4, allow_null=True)
    arpu = FigureField(decimal_places=2, allow_null=True)
    ltv = FigureField(decimal_places=2, allow_null=True, help_text=_("null at zero churn"))


class DashboardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """PRODUCT.md §3 for the caller, in their base currency."""

    as_of = serializers.DateField()
    currency = serializers.CharField()
    passive_gross_ttm = FigureField(decimal_places=2)
    passive_net_ttm = FigureField(decimal_places=2)
    total_net_ttm = FigureField(decimal_places=2)
    passive_share = FigureField(decimal_places=4, allow_null=True)
    expense_coverage = FigureField(decimal_places=4, allow_null=True)
    months = MonthFiguresSerializer(many=True)
    sources = SourceFiguresSerializer(many=True)
    concentration = serializers.DictField(child=ShareSerializer(many=True))
    concentration_warnings = serializers.DictField(child=ShareSerializer())
    missing_rates = serializers.ListField(child=serializers.CharField())
