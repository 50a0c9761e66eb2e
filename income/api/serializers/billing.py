"""A subscription source's billing data (issue 23): customers, their subscriptions and
the pauses of those, and the analytics computed from them (``income.billing``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from finance.subscriptions.retention import Cohort
from income import selectors
from income.api.fields import FigureField
from income.api.serializers.base import OwnedSourceField
from income.definitions import definition, described
from income.models import CURRENCY_CHOICES, BillingSubscription, Customer, SubscriptionPause

# ----------------------------------------------------------------------------- owned ids


@extend_schema_field(OpenApiTypes.INT)
class OwnedCustomerField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A customer id that must be the caller's; another user's id is "does not exist",
    as ``OwnedSourceField`` answers for a source."""

    def get_queryset(self) -> QuerySet[Customer]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Customer.objects.none()
        return selectors.customer_list(owner=request.user)


@extend_schema_field(OpenApiTypes.INT)
class OwnedBillingSubscriptionField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A billing subscription id that must be the caller's; another user's is "does not
    exist"."""

    def get_queryset(self) -> QuerySet[BillingSubscription]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return BillingSubscription.objects.none()
        return selectors.billing_subscription_list(owner=request.user)


# ----------------------------------------------------------------------------- records


class CustomerSerializer(ModelSerializer):  # type: ignore[type-arg]
    """Someone who subscribes to a subscription source, known by the billing platform's id."""

    source = OwnedSourceField(  # type: ignore[assignment]
        help_text=_("A subscription source of the caller (its category's model is subscription).")
    )

    class Meta:
        model = Customer
        fields = ("id", "source", "external_id", "name", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators: list[Any] = []  # one external id per source is checked by the service


class BillingSubscriptionSerializer(ModelSerializer):  # type: ignore[type-arg]
    """One subscription of a customer as the billing platform states it."""

    customer = OwnedCustomerField(help_text=_("A customer of the caller."))
    source = serializers.IntegerField(  # type: ignore[assignment]
        source="customer.source_id", read_only=True, help_text=_("The customer's source.")
    )

    class Meta:
        model = BillingSubscription
        fields = (
            "id", "customer", "source", "external_id", "plan", "amount", "currency",
            "interval", "interval_count", "quantity", "percent_off", "amount_off", "started",
            "trial_ends", "cancelled_on", "ended", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "source", "created_at", "updated_at")
        extra_kwargs = {
            "currency": {"help_text": _("The source's currency when left out.")},
        }
        validators: list[Any] = []  # one external id per customer is checked by the service


class SubscriptionPauseSerializer(ModelSerializer):  # type: ignore[type-arg]
    """Billing of a subscription paused from ``starts`` until ``ends`` (blank: until
    further notice)."""

    subscription = OwnedBillingSubscriptionField(
        help_text=_("A billing subscription of the caller.")
    )

    class Meta:
        model = SubscriptionPause
        fields = ("id", "subscription", "starts", "ends")
        read_only_fields = ("id",)


# ----------------------------------------------------------------------------- analytics

#: A cohort's retained share as written: four places, as every fraction of the API.
_SHARE = FigureField(decimal_places=4, allow_null=True)
_SHARES = serializers.ListField(child=FigureField(decimal_places=4, allow_null=True))


def _rate(key: str, note: Any = None, *, source: str | None = None) -> FigureField:
    kwargs: dict[str, Any] = {"source": source} if source else {}
    help_text = described(key, note) if note else definition(key)
    return FigureField(decimal_places=4, allow_null=True, help_text=help_text, **kwargs)


class SubscriptionMetricsMonthSerializer(Serializer):  # type: ignore[type-arg]
    """One month's MRR movements (``income.billing.MonthFigures``) and its rates, null
    where the rate's base is zero."""

    month = serializers.DateField(source="movements.month")
    mrr_start = FigureField(decimal_places=2, source="movements.mrr_start")
    mrr_end = FigureField(decimal_places=2, source="movements.mrr_end")
    new = FigureField(decimal_places=2, source="movements.new")
    expansion = FigureField(decimal_places=2, source="movements.expansion")
    contraction = FigureField(decimal_places=2, source="movements.contraction")
    churn = FigureField(decimal_places=2, source="movements.churn")
    reactivation = FigureField(decimal_places=2, source="movements.reactivation")
    net_new = FigureField(
        decimal_places=2, source="movements.net_new", help_text=definition("mrr_movements")
    )
    customers_start = serializers.IntegerField(source="movements.customers_start")
    customers_end = serializers.IntegerField(source="movements.customers_end")
    new_customers = serializers.IntegerField(source="movements.new_customers")
    churned_customers = serializers.IntegerField(source="movements.churned_customers")
    reactivated_customers = serializers.IntegerField(source="movements.reactivated_customers")
    customer_churn = _rate("customer_churn")
    gross_mrr_churn = _rate("gross_mrr_churn")
    net_mrr_churn = _rate("net_mrr_churn")
    quick_ratio = _rate("quick_ratio")


class SubscriptionCohortSerializer(Serializer):  # type: ignore[type-arg]
    """The customers who first paid in ``month``; each list runs from that month (index 0)
    to the current one."""

    month = serializers.DateField()
    customers = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Paying customers of the cohort.")
    )
    mrr = serializers.ListField(
        child=FigureField(decimal_places=2), help_text=_("The cohort's MRR.")
    )
    customers_retained = serializers.SerializerMethodField(help_text=definition("cohorts"))
    mrr_retained = serializers.SerializerMethodField(help_text=definition("cohorts"))

    @extend_schema_field(_SHARES)
    def get_customers_retained(self, cohort: Cohort) -> list[Any]:
        return [_share(cohort.customers_retained(offset)) for offset in _offsets(cohort)]

    @extend_schema_field(_SHARES)
    def get_mrr_retained(self, cohort: Cohort) -> list[Any]:
        return [_share(cohort.mrr_retained(offset)) for offset in _offsets(cohort)]


def _offsets(cohort: Cohort) -> range:
    return range(len(cohort.customers))


def _share(value: Decimal | None) -> Any:
    return None if value is None else _SHARE.to_representation(value)


class MeasuredSubscriptionModelSerializer(Serializer):  # type: ignore[type-arg]
    """The subscription model's inputs as measured (PRODUCT.md §4), the last complete
    month's: what a scenario of this source would start from."""

    subscribers = serializers.IntegerField(help_text=_("Paying customers at the month's end."))
    new_per_month = FigureField(
        decimal_places=2,
        help_text=_("New and returning customers a month, averaged over the last 12 months."),
    )
    churn_rate = FigureField(
        decimal_places=4,
        help_text=_("Customer churn pooled over the last 12 months, as a fraction."),
    )
    price = FigureField(decimal_places=2, help_text=_("ARPA: MRR ÷ paying customers."))


class SubscriptionMetricsSerializer(Serializer):  # type: ignore[type-arg]
    """A subscription source's analytics from its billing data, in the caller's base
    currency as of today (``income.billing.subscription_metrics``)."""

    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, help_text=_("The caller's base currency.")
    )
    as_of = serializers.DateField()
    figures_from = serializers.ChoiceField(
        choices=["billing", "periods"],
        help_text=_(
            '"billing": the source has customers and every figure here is theirs. '
            '"periods": it has none (or takes none: not a subscription source); its '
            "figures come from its recorded months (/api/v1/subscription-periods/) and "
            "the lists here are empty."
        ),
    )
    customers = serializers.IntegerField(
        help_text=_("Customers with a subscription, paying or not.")
    )
    paying = serializers.IntegerField(help_text=_("Customers paying at the current month's end."))
    mrr = FigureField(decimal_places=2, help_text=definition("billing_mrr"))
    arr = FigureField(decimal_places=2, help_text=_("12 × MRR."))
    arpa = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=described("arpa_ltv", _("Null without paying customers.")),
    )
    ltv = FigureField(
        decimal_places=2,
        allow_null=True,
        help_text=described("arpa_ltv", _("The last complete month's; null without churn.")),
    )
    nrr = FigureField(
        decimal_places=4,
        allow_null=True,
        help_text=described(
            "nrr", _("The last complete month's; null without customers 12 months before it.")
        ),
    )
    complete_month = serializers.DateField(
        source="complete.movements.month",
        allow_null=True,
        help_text=_(
            "The last complete month, whose rates follow; null before there is one (the "
            "running month is left out of rates)."
        ),
    )
    customer_churn = _rate("customer_churn", source="complete.customer_churn")
    gross_mrr_churn = _rate("gross_mrr_churn", source="complete.gross_mrr_churn")
    net_mrr_churn = _rate("net_mrr_churn", source="complete.net_mrr_churn")
    quick_ratio = _rate("quick_ratio", source="complete.quick_ratio")
    missing_rates = serializers.ListField(
        child=serializers.ChoiceField(choices=CURRENCY_CHOICES),
        help_text=_(
            "Currencies of subscriptions without an exchange rate to the base currency: "
            "those subscriptions are left out of every figure."
        ),
    )
    months = SubscriptionMetricsMonthSerializer(
        many=True,
        help_text=_(
            "From the first subscription's month to the current one, oldest first; the "
            "last is month to date."
        ),
    )
    cohorts = SubscriptionCohortSerializer(many=True, help_text=definition("cohorts"))
    model = MeasuredSubscriptionModelSerializer(
        allow_null=True,
        help_text=_(
            "Null before a complete month, without paying customers, or without any "
            "customer at a month's start."
        ),
    )
    steady_state = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The paying customers the measured model converges to (new per month ÷ churn "
            "rate), whole; null without a model or at zero churn."
        ),
    )
