"""The figures' answers: the dashboard (PRODUCT.md §3), each source's figures and
concentration shares, which the reports store as they are written here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.serializers import Serializer
from income.api.fields import FigureField
from income.api.serializers.base import PlainReadSerializer
from income.definitions import definition, described
from income.models import CURRENCY_CHOICES
from income.source_figures import ReturnBasis, YieldBase


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
