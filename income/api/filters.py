"""Query filters of the list endpoints (django-filter)."""

from __future__ import annotations

import django_filters

from income.models import AssetValue, EffortLog, IncomeSource, Payment, SubscriptionPeriod


class SourceFilter(django_filters.FilterSet):  # type: ignore[misc]
    category = django_filters.CharFilter(field_name="category__slug")
    passive = django_filters.BooleanFilter(field_name="category__is_passive")

    class Meta:
        model = IncomeSource
        fields = ("status", "currency", "category", "passive", "payout_rhythm")


class PaymentFilter(django_filters.FilterSet):  # type: ignore[misc]
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    category = django_filters.CharFilter(field_name="source__category__slug")

    class Meta:
        model = Payment
        fields = ("source", "currency", "category", "date_from", "date_to")


class PeriodFilter(django_filters.FilterSet):  # type: ignore[misc]
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = SubscriptionPeriod
        fields = ("source", "month_from", "month_to")


class AssetValueFilter(django_filters.FilterSet):  # type: ignore[misc]
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = AssetValue
        fields = ("source", "date_from", "date_to")


class EffortLogFilter(django_filters.FilterSet):  # type: ignore[misc]
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = EffortLog
        fields = ("source", "month_from", "month_to")
