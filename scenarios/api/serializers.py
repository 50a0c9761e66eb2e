"""Scenario serializers: shapes only; the rules are in ``scenarios.services``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from income.api.fields import FigureField
from income.api.serializers.base import OwnedSourceField
from scenarios.models import Scenario
from scenarios.services import SCENARIO_FIELDS

_FIGURE = {"type": "string", "format": "decimal"}
_MONTH = {"type": "string", "format": "date", "nullable": True}


@extend_schema_field(
    {
        "type": "object",
        "description": (
            "The figures of the latest projection (``scenarios.services``), empty until "
            "the first one; independence_month and target_month are null when never reached."
        ),
        "properties": {
            "final_capital": _FIGURE,
            "total_contributions": _FIGURE,
            "total_net_income": _FIGURE,
            "last_year_monthly_net": _FIGURE,
            "independence_month": _MONTH,
            "target_month": _MONTH,
        },
    }
)
class ScenarioResultField(serializers.JSONField):
    """The stored result, typed in the schema so a generated client reads its figures."""


class SourceIdsField(serializers.ManyRelatedField):
    """The linked sources: a list of the caller's source ids.

    DRF's many-related field takes any iterable, so ``{}`` (a dict's keys) passed as an
    empty list and cleared the links, while the schema says array (issue 20).
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class ScenarioSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A saved plan. To save a calculator result as a scenario that reproduces it (the
    same end capital, gross and net as POST /api/v1/calculator/), create one with
    tax_timing "at_end", starting_capital = initial_investment, the same annual_return
    and tax_rate, horizon_years = investment_period (at least 1), one_off_income =
    additional_income and inflation 0; its projection's "calculation" then holds the
    calculator's figures."""

    sources = SourceIdsField(child_relation=OwnedSourceField(), required=False)
    result = ScenarioResultField(read_only=True)

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


class YearSerializer(Serializer):  # type: ignore[type-arg]
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


class MonthSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    capital = _money()
    contribution = _money()
    plan_income = _money()
    sources_net = _money()
    tax = _money()
    net_income = _money()
    real_net_income = _money()


class FanSerializer(Serializer):  # type: ignore[type-arg]
    months = serializers.ListField(child=serializers.DateField())
    capital_p10 = serializers.ListField(child=_money())
    capital_p50 = serializers.ListField(child=_money())
    capital_p90 = serializers.ListField(child=_money())
    income_p10 = serializers.ListField(child=_money())
    income_p50 = serializers.ListField(child=_money())
    income_p90 = serializers.ListField(child=_money())
    probability_by_year = serializers.ListField(child=FigureField(decimal_places=4))


class CalculationSerializer(Serializer):  # type: ignore[type-arg]
    """The calculator's figures, which a scenario taxed at the end reproduces exactly."""

    final_capital = _money(
        help_text=_("The capital at the end, before the tax due then: the calculator's.")
    )
    gross_income = _money(
        help_text=_("Capital at the end − starting capital, as POST /api/v1/calculator/ gives it.")
    )
    tax = _money(help_text=_("Paid once at the end, on a positive gross income only."))
    net_income = _money(
        help_text=_(
            "Gross income − tax + the one-off additional income, as POST /api/v1/calculator/ "
            "gives it."
        )
    )


class ProjectionSerializer(Serializer):  # type: ignore[type-arg]
    """A scenario's projection: yearly summary, optional monthly rows, optional fan."""

    scenario = serializers.IntegerField(source="scenario.pk")
    final_capital = _money(source="projection.final_capital")
    total_contributions = _money(source="projection.total_contributions")
    total_net_income = _money(source="projection.total_net_income")
    calculation = CalculationSerializer(
        source="projection.calculation",
        allow_null=True,
        help_text=_(
            "For a scenario with tax_timing “at_end” (a saved calculation): the "
            "calculator's end capital, gross income, tax and net income, which the years "
            "add up to. Null for a scenario taxed every year."
        ),
    )
    independence_month = serializers.DateField(
        source="projection.independence_month", allow_null=True
    )
    target_month = serializers.DateField(source="projection.target_month", allow_null=True)
    years = YearSerializer(source="projection.years", many=True)
    months = MonthSerializer(source="projection.months", many=True, required=False)
    fan = FanSerializer(allow_null=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


class DifferenceSerializer(Serializer):  # type: ignore[type-arg]
    """``scenarios.comparison.Difference``: this scenario's figure less the first one's,
    the compare page's "Difference to" column."""

    starting_capital = _money()
    monthly_contribution = _money()
    annual_return = FigureField(
        decimal_places=6, help_text=_("In percentage points, as a fraction: 0.01 is one point.")
    )
    horizon_years = serializers.IntegerField()
    final_capital = _money()
    real_final_capital = _money(help_text=_("The final capital in today's money."))
    net_income = _money(help_text=_("The net income over the whole plan."))
    monthly_net = _money(
        allow_null=True,
        help_text=_(
            "The monthly net income of the last year; null when either scenario is taxed "
            "once at the end (it pays nothing out monthly)."
        ),
    )
    independence_months = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Whole months from the first scenario's independence month to this one's: "
            "positive is later. Null when either is not reached within its horizon."
        ),
    )
    target_months = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Whole months between the months the target income is reached, as "
            "independence_months; null when either has no target or does not reach it."
        ),
    )


class ComparedSerializer(ProjectionSerializer):
    difference = DifferenceSerializer(
        allow_null=True,
        help_text=_(
            "This scenario's figures less the first scenario's (the first one compared); "
            "null for the first scenario itself."
        ),
    )


class CompareSerializer(Serializer):  # type: ignore[type-arg]
    scenarios = ComparedSerializer(many=True)


def _fraction(*, low: Decimal = Decimal(0)) -> serializers.DecimalField:
    """A shock as a fraction from ``low`` to 1; absent means no shock."""
    return serializers.DecimalField(
        max_digits=7, decimal_places=6, min_value=low, max_value=Decimal(1), default=Decimal(0)
    )


class ShocksSerializer(Serializer):  # type: ignore[type-arg]
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


class StressSourceSerializer(Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    monthly_net_before = _money()
    monthly_net_after = _money()


class StressMonthSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField(help_text=_("The month, as its first day."))
    net_before = _money(
        help_text=_("Projected passive net income of the month without the shocks.")
    )
    net_after = _money(help_text=_("Projected passive net income of the month with the shocks."))
    expenses = _money(
        help_text=_(
            "Your monthly expenses in that month, grown with the inflation given: what the "
            "net income must cover for independence."
        )
    )


class StressResultSerializer(Serializer):  # type: ignore[type-arg]
    monthly_net_before = _money(
        help_text=_(
            "Projected passive net income of the first month (this month), after costs, "
            "tax and vacancy, without the shocks."
        )
    )
    monthly_net_after = _money(help_text=_("The same month's figure with the shocks."))
    independence_before = serializers.DateField(
        allow_null=True,
        help_text=_(
            "First month whose projected net income covers the expenses grown with "
            "inflation, without the shocks; null when not within the horizon or no "
            "expenses are set. This month when already independent."
        ),
    )
    independence_after = serializers.DateField(
        allow_null=True, help_text=_("The independence month with the shocks.")
    )
    independent_now = serializers.BooleanField(
        help_text=_("This month's projected net income already covers this month's expenses.")
    )
    independence_ends_before = serializers.DateField(
        allow_null=True,
        help_text=_(
            "When independent now: the first month within the horizon whose net income "
            "without the shocks falls below the expenses; null when it holds throughout "
            "or when not independent now."
        ),
    )
    independence_ends_after = serializers.DateField(
        allow_null=True,
        help_text=_(
            "When independent now: the first month within the horizon whose net income "
            "with the shocks falls below the expenses (the shocks end independence); null "
            "when it holds throughout or when not independent now."
        ),
    )
    path = StressMonthSerializer(
        many=True,
        help_text=_(
            "The first 36 months (fewer on a shorter horizon), from this month: a shock "
            "is held for the whole horizon, so its long-run effect shows here, not in the "
            "first month."
        ),
    )
    sources = StressSourceSerializer(many=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


class TrackedMonthSerializer(Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    expected = _money()
    actual = _money()
    behind = serializers.BooleanField()


class SourceTrackingSerializer(Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    flagged = serializers.BooleanField(help_text="behind plan by more than 20 % for 3 months")
    shortfall = _money()
    months = TrackedMonthSerializer(many=True)
