"""Query filters of the list endpoints (django-filter).

A filter by source offers only the caller's sources (``own_sources``): another user's
source id is the same 400 as an id that does not exist, so a list cannot tell whether
someone else's source exists (issue 19, finding 9; docs/api.md).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from config.api.filtering import (
    StrictBooleanFilter,
    StrictFilterSet,
    StrictOrderingFilter,
    ordering_terms,
)
from income import selectors
from income.models import AssetValue, EffortLog, IncomeSource, Payment, SubscriptionPeriod

CATEGORY_HELP = "The category's slug (such as etf-dividends), not its id."


def own_sources(request: Any) -> QuerySet[IncomeSource]:
    """The sources a ``?source=`` filter accepts: the caller's own, and none for nobody."""
    if request is None or not request.user.is_authenticated:
        return IncomeSource.objects.none()
    return selectors.source_list(owner=request.user)


def source_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(queryset=own_sources)


class YearFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """A year is a whole number: ``?year=0.5`` is a 400, as the schema's integer says
    (django-filter's number filter would read it as a decimal and find nothing)."""

    field_class = forms.IntegerField


class SourceFilter(StrictFilterSet):
    category = django_filters.CharFilter(field_name="category__slug", help_text=CATEGORY_HELP)
    passive = StrictBooleanFilter(field_name="category__is_passive")

    class Meta:
        model = IncomeSource
        fields = ("status", "currency", "category", "passive", "payout_rhythm")


class PaymentFilter(StrictFilterSet):
    source = source_filter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    category = django_filters.CharFilter(
        field_name="source__category__slug", help_text=CATEGORY_HELP
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Text in the note or the source's name (case-insensitive), or an amount such "
            'as "750", "750.00" or "750,00" that matches the gross or the net.'
        ),
    )

    class Meta:
        model = Payment
        fields = ("source", "currency", "category", "date_from", "date_to", "search")

    def filter_search(
        self, queryset: QuerySet[Payment], name: str, value: str
    ) -> QuerySet[Payment]:
        return selectors.payment_text_search(payments=queryset, text=value)


class PaymentOrderingFilter(StrictOrderingFilter):
    """``?ordering=date,-gross``: the keys of ``selectors.PAYMENT_ORDERINGS`` (the web list's
    sort), ``-`` for descending; an unknown key is a 400, not silently ignored."""

    ordering_description = (
        "Comma-separated sort keys: date, source (its name), gross, net, created_at; "
        "a leading '-' sorts descending. Default: -date (newest first)."
    )

    def ordering_keys(self, view: Any, queryset: QuerySet[Any] | None = None) -> list[str]:
        return list(selectors.PAYMENT_ORDERINGS)

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> Any:
        keys = ordering_terms(
            request.query_params.get(self.ordering_param),
            keys=self.ordering_keys(view),
            parameter=self.ordering_param,
        )
        if not keys:
            return queryset
        return queryset.order_by(*(selectors.payment_ordering(keys) or ()))


class PeriodFilter(StrictFilterSet):
    source = source_filter()
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = SubscriptionPeriod
        fields = ("source", "month_from", "month_to")


class AssetValueFilter(StrictFilterSet):
    source = source_filter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = AssetValue
        fields = ("source", "date_from", "date_to")


class EffortLogFilter(StrictFilterSet):
    source = source_filter()
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = EffortLog
        fields = ("source", "month_from", "month_to")
