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

from config.api.fields import MinimumValidator
from config.api.serializers import ModelSerializer, Serializer
from finance import calculator
from income.api.fields import FigureField
from income.definitions import definition, described
from income.models import (
    CURRENCY_CHOICES,
    AssetValue,
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
from income.services.payments_bulk import PAYMENT_BULK_LIMIT
from income.services.sources import SOURCE_FIELDS
from income.source_figures import ReturnBasis, YieldBase
from income.subscriptions import SubscriptionMonth, subscription_months


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


class PlainReadSerializer(Serializer):  # type: ignore[type-arg]
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


class MeSerializer(ModelSerializer):  # type: ignore[type-arg]
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
            "home_country",
            "theme",
            "date_style",
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


class CategorySerializer(ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = IncomeCategory
        fields = ("id", "slug", "name", "name_en", "name_de", "is_passive", "model", "help_text")
        read_only_fields = fields


class TaxProfileSerializer(ModelSerializer):  # type: ignore[type-arg]
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


class HelpArticleSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A help article in the caller's language; the body is plain text (see ``HelpArticle``)."""

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)

    class Meta:
        model = HelpArticle
        fields = ("slug", "title", "summary", "body", "updated_at")
        read_only_fields = fields


class ExchangeRateSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ExchangeRate
        fields = ("id", "date", "currency", "rate")
        read_only_fields = fields


class SourceSerializer(BuiltFieldsOnce, ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = IncomeSource
        fields = ("id", *SOURCE_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


class PaymentSerializer(ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]
    net = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES,
        required=False,
        help_text=_("Defaults to the source's currency."),
    )
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Creating a payment of the same source, date and gross as a recorded one is "
            "refused (400, error under confirm_duplicate) unless this is true."
        ),
    )

    class Meta:
        model = Payment
        fields = (
            "id", "source", "date", "gross", "tax_withheld", "fees", "net", "currency",
            "note", "external_id", "created_at", "confirm_duplicate",
        )  # fmt: skip
        read_only_fields = ("id", "net", "created_at")
        validators: list[Any] = []  # uniqueness is checked by the service (full_clean)


#: The largest id a database key holds (a 64-bit integer); a larger one is a 400, not a 500.
MAX_ID = 2**63 - 1


class PaymentBulkSerializer(Serializer):  # type: ignore[type-arg]
    """One action on many of the caller's payments (``POST /payments/bulk/``)."""

    action = serializers.ChoiceField(
        choices=("delete", "move", "set_date", "set_currency"),
        help_text=_(
            "delete: remove the payments (the answer carries an undo_token); move: to the "
            "source `source`; set_date: to `date`; set_currency: to `currency` (the amounts "
            "stay as recorded, nothing is converted)."
        ),
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=PAYMENT_BULK_LIMIT,
        help_text=_(
            "Ids of the caller's payments, at most 500. One id that is not the caller's "
            "makes the whole request a 404 and changes nothing."
        ),
    )
    source = serializers.IntegerField(  # type: ignore[assignment]
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("For move: id of the caller's target source (another user's: 404)."),
    )
    date = serializers.DateField(required=False, help_text=_("For set_date: the new date."))
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, required=False, help_text=_("For set_currency: the new code.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needs = {"move": "source", "set_date": "date", "set_currency": "currency"}
        field = needs.get(attrs["action"])
        if field and attrs.get(field) is None:
            raise serializers.ValidationError({field: [_("This field is required.")]})
        return attrs


def _bulk_action_variant(action: str, needs: str | None) -> type[PaymentBulkSerializer]:
    """One action of ``PaymentBulkSerializer`` as the schema writes it: its ``action``, and
    the field it needs as required (issue 20: ``{"action": "move", "ids": [1]}`` passed
    the schema and was refused for its missing ``source``). For the schema only; the
    view validates with ``PaymentBulkSerializer``, whose ``validate`` is the rule."""
    action_field = extend_schema_field({"type": "string", "enum": [action]})(
        type("PaymentBulkAction", (serializers.CharField,), {})
    )
    fields: dict[str, Any] = {
        "action": action_field(),
        **{name: None for name in ("source", "date", "currency") if name != needs},
    }
    if needs is not None:
        parent: Any = PaymentBulkSerializer._declared_fields[needs]
        fields[needs] = type(parent)(*parent._args, **{**parent._kwargs, "required": True})
    name = "PaymentBulk" + action.title().replace("_", "")
    return type(name, (PaymentBulkSerializer,), fields)


#: The bulk body by its ``action``: a ``oneOf`` with ``action`` as discriminator.
PAYMENT_BULK_VARIANTS: dict[str, serializers.Serializer | type[serializers.Serializer]] = {  # type: ignore[type-arg]
    action: _bulk_action_variant(action, needs)
    for action, needs in (
        ("delete", None),
        ("move", "source"),
        ("set_date", "date"),
        ("set_currency", "currency"),
    )
}


class PaymentBulkResultSerializer(Serializer):  # type: ignore[type-arg]
    action = serializers.CharField(help_text=_("The action that was carried out."))
    count = serializers.IntegerField(help_text=_("How many payments it changed."))
    undo_token = serializers.CharField(
        allow_null=True,
        help_text=_(
            "After delete: send it to /payments/undo/ within 15 minutes to restore the "
            "payments with their ids and fields; null for the other actions."
        ),
    )


class PaymentUndoSerializer(Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(
        help_text=_("The undo_token of a bulk delete; valid for 15 minutes, for its user only.")
    )


class PaymentUndoResultSerializer(Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(help_text=_("How many payments were restored."))


MONTH_AMOUNT = serializers.DecimalField(max_digits=15, decimal_places=2)
MONTH_AMOUNT_OR_NULL = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)


class SubscriptionPeriodSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A recorded month of a subscription source, with its MRR and what it brought in."""

    # ``mrr`` and ``payments_gross`` come from ``subscription_months``: a list
    # hands them in through the context (``months``, by period id, for the whole page at
    # once); a single period is looked up on its own.
    source = OwnedSourceField()  # type: ignore[assignment]
    subscribers_end = serializers.IntegerField(read_only=True)
    mrr = serializers.SerializerMethodField(
        help_text=_(
            "MRR of the month: the recorded revenue, or else the subscribers at the "
            "month's end × the source's price; in the source's currency."
        )
    )
    payments_gross = serializers.SerializerMethodField(
        help_text=_(
            "Revenue received: the gross of the source's payments dated in this month, in "
            "the source's currency (each converted at its day's rate); null when a payment "
            "has no exchange rate that old."
        )
    )

    class Meta:
        model = SubscriptionPeriod
        fields = (
            "id", "source", "month", "subscribers_start", "new_subscribers",
            "churned_subscribers", "reactivated_subscribers", "subscribers_end", "mrr_new",
            "mrr_expansion", "mrr_contraction", "mrr_churned", "mrr_reactivation", "revenue",
            "mrr", "payments_gross",
        )  # fmt: skip
        read_only_fields = ("id", "subscribers_end")
        validators: list[Any] = []

    def _month(self, period: SubscriptionPeriod) -> SubscriptionMonth:
        # The stubs type the context as a Mapping; DRF keeps the dict the view passed.
        months: dict[int, SubscriptionMonth] = self.context.setdefault("months", {})  # type: ignore[attr-defined]
        if period.pk not in months:
            request = self.context["request"]
            (months[period.pk],) = subscription_months(owner=request.user, periods=[period])
        return months[period.pk]

    @extend_schema_field(MONTH_AMOUNT)
    def get_mrr(self, period: SubscriptionPeriod) -> str:
        return str(self._month(period).mrr)

    @extend_schema_field(MONTH_AMOUNT_OR_NULL)
    def get_payments_gross(self, period: SubscriptionPeriod) -> str | None:
        received = self._month(period).received
        return None if received is None else str(received)


class AssetValueSerializer(ModelSerializer):  # type: ignore[type-arg]
    """What a capital or rental source's asset was worth on a day (its total return)."""

    source = OwnedSourceField(  # type: ignore[assignment]
        help_text=_("A capital or rental source of the caller.")
    )

    class Meta:
        model = AssetValue
        fields = ("id", "source", "date", "value", "note", "created_at")
        read_only_fields = ("id", "created_at")
        validators: list[Any] = []  # one value per day is checked by the service


class EffortLogSerializer(ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]

    class Meta:
        model = EffortLog
        fields = ("id", "source", "month", "hours", "note")
        read_only_fields = ("id",)
        validators: list[Any] = []


# ----------------------------------------------------------------------------- dashboard

MONEY = {"max_digits": None, "decimal_places": 2}


class ShareSerializer(PlainReadSerializer):
    """One part of a concentration dimension: `code` identifies it, `label` shows it."""

    key = serializers.CharField(
        help_text=_(
            "The part's name as shown, the same as label; kept for clients written before "
            "code and label. Changes with the language (categories) and with a rename."
        )
    )
    code = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The part's stable code, which no language or rename changes: the source's id "
            "(as text), the category's slug, the currency's or country's ISO code, the "
            "platform as entered. Null for the part whose platform or country is not "
            "recorded."
        ),
    )
    # The metaclass takes declared fields off the class: ``Field.label`` stays intact.
    label = serializers.CharField(  # type: ignore[assignment]
        source="key", help_text=_("The part's name to show, in the answer's language.")
    )
    amount = FigureField(decimal_places=2)
    share = FigureField(decimal_places=4)


class MonthFiguresSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    passive_gross = FigureField(decimal_places=2)
    passive_net = FigureField(decimal_places=2)
    active_net = FigureField(decimal_places=2)
    to_date = serializers.BooleanField(
        help_text=_(
            "The running month, to as_of: month-to-date. Show it marked and leave it out of "
            "averages and trend lines."
        )
    )


class IndependenceSerializer(Serializer):  # type: ignore[type-arg]
    since = serializers.DateField(help_text=definition("independent_since"))
    coverage = FigureField(
        decimal_places=4, help_text=_("The last complete month's expense coverage.")
    )
    margin = FigureField(
        decimal_places=2, help_text=_("The average month minus the monthly expenses.")
    )


class SourceFiguresSerializer(PlainReadSerializer):
    id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    category = serializers.CharField(
        source="source.category.slug",
        help_text=_("The category's slug; category_id is its id, as a source's category."),
    )
    category_id = serializers.IntegerField(source="source.category_id")
    gross_to_date = FigureField(decimal_places=2)
    net_to_date = FigureField(decimal_places=2, help_text=definition("net_to_date"))
    net_ttm = FigureField(decimal_places=2)
    costs_to_date = FigureField(decimal_places=2)
    hours_to_date = FigureField(decimal_places=2)
    effective_hourly_rate = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=described("effective_hourly_rate", _("Null without hours.")),
    )
    return_basis = serializers.ChoiceField(
        choices=[basis.value for basis in ReturnBasis],
        help_text=_(
            'How the return is measured. "cash" (the upfront money was spent): cash ROI, '
            'full ROI and payback. "asset" (capital and rental: the money bought an asset '
            "that is still owned): income yield, total return and an income payback; no "
            'ROI. "none" (active work: salary, freelance, consulting, trading): no ROI and '
            "no payback."
        ),
    )
    money_put_in = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=described("money_put_in", _("Null for active sources.")),
    )
    cash_roi = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=described(
            "cash_roi",
            _('A fraction. Only when return_basis is "cash"; null without money put in.'),
        ),
    )
    full_roi = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=described("full_roi", _('Only when return_basis is "cash".')),
    )
    payback_month = serializers.DateField(
        source="payback.month",
        allow_null=True,
        help_text=described(
            "payback",
            _('Null when never at this pace and for return_basis "none".'),
        ),
    )
    payback_projected = serializers.BooleanField(
        source="payback.projected",
        allow_null=True,
        help_text=_("Whether the payback month is projected; null when there is no payback."),
    )
    asset_value = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=_(
            "The asset's latest recorded value on or before the day, converted at the rate "
            "of its date; null when none is recorded (capital and rental sources only)."
        ),
    )
    asset_value_date = serializers.DateField(
        allow_null=True, help_text=_("The day of asset_value.")
    )
    total_return = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=described("total_return", _("Net income to date + asset_value − money_put_in.")),
    )
    total_return_ratio = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=_("total_return / money_put_in, as a fraction; null without either."),
    )
    income_yield = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=described("income_yield", _("A fraction; the base is income_yield_base.")),
    )
    income_yield_base = serializers.ChoiceField(
        choices=[base.value for base in YieldBase],
        allow_null=True,
        help_text=_(
            'What income_yield divides by: "value", the latest recorded asset value, or '
            '"upfront", the upfront money while no value is recorded.'
        ),
    )
    yield_on_cost = FigureField(
        decimal_places=4, allow_null=True, help_text=definition("yield_on_cost")
    )
    net_rental_yield = FigureField(
        decimal_places=4, allow_null=True, help_text=definition("net_rental_yield")
    )
    mrr = FigureField(decimal_places=2, allow_null=True, help_text=definition("mrr"))
    arr = FigureField(decimal_places=2, allow_null=True)
    churn_rate = FigureField(decimal_places=4, allow_null=True, help_text=definition("churn_rate"))
    arpu = FigureField(decimal_places=2, allow_null=True)
    ltv = FigureField(
        decimal_places=2, allow_null=True, help_text=described("ltv", _("Null at zero churn."))
    )


class RateGapSerializer(Serializer):  # type: ignore[type-arg]
    """Payments of one currency and month that no exchange rate converts yet
    (income/missing_rates.py)."""

    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, help_text=_("The payments' currency.")
    )
    month = serializers.DateField(help_text=_("First day of the payments' month."))
    payments = serializers.IntegerField(min_value=1, help_text=_("How many payments wait."))
    payment_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("The payments that wait, by id.")
    )


class DashboardSerializer(Serializer):  # type: ignore[type-arg]
    """PRODUCT.md §3 for the caller, in their base currency."""

    as_of = serializers.DateField()
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, help_text=_("The caller's base currency.")
    )
    passive_gross_ttm = FigureField(decimal_places=2)
    passive_net_ttm = FigureField(decimal_places=2)
    total_net_ttm = FigureField(decimal_places=2)
    passive_share = FigureField(
        decimal_places=4, allow_null=True, help_text=definition("passive_share")
    )
    expense_coverage = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=_(
            "passive_net_ttm / 12 / monthly expenses, the running month to date included; "
            "expense_coverage_complete leaves it out, as the web dashboard shows it."
        ),
    )
    month_to_date = FigureField(
        decimal_places=2,
        source="complete.month_to_date",
        help_text=definition("month_to_date"),
    )
    average_month = FigureField(
        decimal_places=2, source="complete.average_month", help_text=definition("average_month")
    )
    expense_coverage_complete = FigureField(
        decimal_places=4,
        allow_null=True,
        source="complete.coverage",
        help_text=definition("expense_coverage"),
    )
    independent_since = IndependenceSerializer(
        source="complete.independence",
        allow_null=True,
        help_text=_("Null while the complete months do not cover the expenses."),
    )
    months = MonthFiguresSerializer(many=True)
    sources = SourceFiguresSerializer(many=True)
    concentration = serializers.DictField(child=ShareSerializer(many=True))
    concentration_warnings = serializers.DictField(child=ShareSerializer())
    missing_rates = serializers.ListField(child=serializers.CharField())
    missing_rate_payments = RateGapSerializer(
        many=True,
        help_text=_(
            "The payments left out of the figures because no exchange rate of their day is "
            "stored yet, by currency and month; empty when every payment is converted."
        ),
    )
