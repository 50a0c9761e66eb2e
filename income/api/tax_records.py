"""The API of what the tax year needs beside payments: ``/api/v1/costs/`` and
``/api/v1/fund-years/``. Validate, call one service or selector, serialize, as
``income.api.views`` does for the other records; the rules are the services'."""

from __future__ import annotations

from typing import cast

import django_filters
from django.db.models import QuerySet

from config.api.filtering import StrictFilterSet
from income import selectors, services
from income.api.filters import YearFilter, source_filter
from income.api.serializers.tax_records import CostSerializer, FundYearSerializer
from income.api.views import OwnedViewSet
from income.models import Cost, FundYear


class CostFilter(StrictFilterSet):
    source = source_filter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Cost
        fields = ("source", "kind", "currency", "date_from", "date_to")


class FundYearFilter(StrictFilterSet):
    source = source_filter()
    year = YearFilter()

    class Meta:
        model = FundYear
        fields = ("source", "year")


class CostViewSet(OwnedViewSet):
    """Money spent on a rental or business source on a day, deductible in its year.

    A refund of a cost is a negative amount on its own date. ``currency`` left out is
    the source's. A source that takes no costs (capital income, a salary) is a 400 on
    ``source``.
    """

    queryset = Cost.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = CostSerializer
    filterset_class = CostFilter
    ordering_fields = ("date", "amount")
    ordering = ("-date", "-id")

    def get_queryset(self) -> QuerySet[Cost]:
        return selectors.cost_list(owner=self.owner())

    def perform_create(self, serializer: CostSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.cost_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: CostSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.cost_update(
            owner=self.owner(), cost=cast(Cost, serializer.instance), **serializer.validated_data
        )

    def perform_destroy(self, instance: Cost) -> None:
        services.cost_delete(owner=self.owner(), cost=instance)


class FundYearViewSet(OwnedViewSet):
    """A fund's year for the Vorabpauschale (§18 InvStG): the units held at its end and
    the price per unit at its start and end, in the source's currency; one per source
    and year.

    ``bought_on`` only when the units were bought during that year, and then a day of
    it. A source without a fund type is a 400 on ``fund_type``: set it on the source
    first.
    """

    queryset = FundYear.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = FundYearSerializer
    filterset_class = FundYearFilter
    ordering_fields = ("year",)
    ordering = ("-year", "-id")

    def get_queryset(self) -> QuerySet[FundYear]:
        return selectors.fund_year_list(owner=self.owner())

    def perform_create(self, serializer: FundYearSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.fund_year_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: FundYearSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.fund_year_update(
            owner=self.owner(),
            fund_year=cast(FundYear, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: FundYear) -> None:
        services.fund_year_delete(owner=self.owner(), fund_year=instance)
