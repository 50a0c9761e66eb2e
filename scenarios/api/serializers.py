"""Scenario serializers: shapes only; the rules are in ``scenarios.services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from income.api.fields import FigureField
from income.api.serializers import OwnedSourceField
from scenarios.models import Scenario
from scenarios.services import SCENARIO_FIELDS


class ScenarioSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sources = OwnedSourceField(many=True, required=False)

    class Meta:
        model = Scenario
        fields = (
            "id",
            *SCENARIO_FIELDS,
            "sources",
            "result",
            "result_computed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "result", "result_computed_at", "created_at", "updated_at")


def _money(**kwargs: Any) -> serializers.DecimalField:
    return FigureField(decimal_places=2, **kwargs)


class YearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    capital_end = _money()
    real_capital_end = _money(
        help_text=_(
            "The year-end capital in today's money: divided by (1 + inflation)^year, as it "
            "is that many years ahead."
        )
    )
    contributions = _money()
    plan_income = _money()
    sources_net = _money()
    tax = _money()
    net_income = _money()
    real_net_income = _money()
    monthly_net_average = _money()


class MonthSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    capital = _money()
    contribution = _money()
    plan_income = _money()
    sources_net = _money()
    tax = _money()
    net_income = _money()
    real_net_income = _money()


class FanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    months = serializers.ListField(child=serializers.DateField())
    capital_p10 = serializers.ListField(child=_money())
    capital_p50 = serializers.ListField(child=_money())
    capital_p90 = serializers.ListField(child=_money())
    income_p10 = serializers.ListField(child=_money())
    income_p50 = serializers.ListField(child=_money())
    income_p90 = serializers.ListField(child=_money())
    probability_by_year = serializers.ListField(child=FigureField(decimal_places=4))


class ProjectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A scenario's projection: yearly summary, optional monthly rows, optional fan."""

    scenario = serializers.IntegerField(source="scenario.pk")
    final_capital = _money(source="projection.final_capital")
    total_contributions = _money(source="projection.total_contributions")
    total_net_income = _money(source="projection.total_net_income")
    independence_month = serializers.DateField(
        source="projection.independence_month", allow_null=True
    )
    target_month = serializers.DateField(source="projection.target_month", allow_null=True)
    years = YearSerializer(source="projection.years", many=True)
    months = MonthSerializer(source="projection.months", many=True, required=False)
    fan = FanSerializer(allow_null=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


class CompareSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scenarios = ProjectionSerializer(many=True)


def _fraction(*, low: Decimal = Decimal(0)) -> serializers.DecimalField:
    """A shock as a fraction from ``low`` to 1; absent means no shock."""
    return serializers.DecimalField(
        max_digits=7, decimal_places=6, min_value=low, max_value=Decimal(1), default=Decimal(0)
    )


class ShocksSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Shocks as fractions: 0.3 dividend cut = 30 % less capital income."""

    dividend_cut = _fraction()
    p2p_default_rate = _fraction()
    vacancy = _fraction()
    churn_spike = _fraction()
    ad_revenue_drop = _fraction()
    currency_move = _fraction(low=Decimal("-0.99"))
    inflation = serializers.DecimalField(
        max_digits=7, decimal_places=6, min_value=Decimal("-0.5"), max_value=Decimal(1),
        default=Decimal("0.02"), help_text="Yearly inflation for the expenses (default 2 %).",
    )  # fmt: skip
    horizon_years = serializers.IntegerField(min_value=1, max_value=100, default=30)


class StressSourceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    monthly_net_before = _money()
    monthly_net_after = _money()


class StressResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    monthly_net_before = _money()
    monthly_net_after = _money()
    independence_before = serializers.DateField(allow_null=True)
    independence_after = serializers.DateField(allow_null=True)
    sources = StressSourceSerializer(many=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


class TrackedMonthSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    expected = _money()
    actual = _money()
    behind = serializers.BooleanField()


class SourceTrackingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    flagged = serializers.BooleanField(help_text="behind plan by more than 20 % for 3 months")
    shortfall = _money()
    months = TrackedMonthSerializer(many=True)
