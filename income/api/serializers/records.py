"""Sources and what is recorded on them: subscription months, asset values, effort."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer
from income.api.serializers.base import BuiltFieldsOnce, OwnedSourceField
from income.models import (
    AssetValue,
    EffortLog,
    IncomeSource,
    SubscriptionPeriod,
)
from income.services.sources import SOURCE_FIELDS
from income.subscriptions import SubscriptionMonth, subscription_months


class SourceSerializer(BuiltFieldsOnce, ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = IncomeSource
        fields = ("id", *SOURCE_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


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
