"""``/api/v1/allowance-orders/``: the caller's allowance orders (Freistellungsaufträge),
and ``summary/?year=``: the year's orders against the allowance with a suggested split,
from ``income.allowance_orders.allowance_summary`` as the page ``/tax/<year>/allowance-orders/``
shows them."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filtering import StrictFilterSet
from finance.errors import DomainError
from income import selectors, services
from income.allowance_orders import AllowanceSummary, allowance_summary
from income.api.filters import YearFilter
from income.api.serializers.allowance_orders import (
    AllowanceOrderSerializer,
    AllowanceSummaryQuerySerializer,
    AllowanceSummarySerializer,
)
from income.models import AllowanceOrder
from income.models.tax_records import YEAR_HIGH, YEAR_LOW


class AllowanceOrderFilter(StrictFilterSet):
    year = YearFilter(help_text="The tax year.")

    class Meta:
        model = AllowanceOrder
        fields = ("year",)


def summary_data(summary: AllowanceSummary) -> dict[str, Any]:
    """``AllowanceSummary`` in the shape ``AllowanceSummarySerializer`` writes."""

    def pairs(amounts: Any) -> list[dict[str, Any]]:
        return [{"bank": bank, "amount": amounts[bank]} for bank in sorted(amounts)]

    return {
        "year": summary.year,
        "filing_status": str(summary.filing_status),
        "allowance": summary.allowance,
        "banks": summary.banks,
        "orders": pairs(summary.orders),
        "total": summary.total,
        "excess": summary.excess,
        "expected": pairs(summary.expected),
        "suggested_orders": pairs(summary.suggestion.orders),
        "unassigned": summary.suggestion.unassigned,
        "missing_rates": summary.missing_rates,
    }


class AllowanceOrderViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """The caller's allowance orders, ``?year=`` to list one year's. A create for a bank
    that has an order that year changes that order (one order per bank and year); another
    user's order is a 404."""

    queryset = AllowanceOrder.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = AllowanceOrderSerializer
    filterset_class = AllowanceOrderFilter
    ordering_fields = ("year", "bank", "amount")
    ordering = ("-year", "bank")

    def owner(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self) -> QuerySet[AllowanceOrder]:
        return selectors.allowance_order_list(owner=self.owner())

    def perform_create(self, serializer: AllowanceOrderSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.allowance_order_set(
            owner=self.owner(), **serializer.validated_data
        )

    def perform_update(self, serializer: AllowanceOrderSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.allowance_order_update(
            order=cast(AllowanceOrder, serializer.instance), **serializer.validated_data
        )

    def perform_destroy(self, instance: AllowanceOrder) -> None:
        services.allowance_order_delete(order=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": YEAR_LOW, "maximum": YEAR_HIGH},
                required=True,
                description="The tax year.",
            ),
        ],
        responses={
            200: AllowanceSummarySerializer,
            404: OpenApiResponse(description="No tax facts for the year yet."),
        },
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def summary(self, request: Request) -> Response:
        """The year's orders against the saver's allowance of the caller's filing status:
        ``excess`` is set when they add up to more (the banks would exempt too much), and
        ``suggested_orders`` splits the allowance by each bank's expected taxable capital
        income. A year without tax facts is a 404, as its tax report is."""
        query = AllowanceSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            summary = allowance_summary(owner=self.owner(), year=query.validated_data["year"])
        except DomainError as error:  # no tax facts for the year (yet)
            raise Http404(str(error)) from error
        return Response(AllowanceSummarySerializer(summary_data(summary)).data)
