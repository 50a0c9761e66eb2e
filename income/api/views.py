"""API views: validate, call one service or pure function, serialize. Nothing else."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.filtering import StrictFilterBackend
from finance.calculator import calculate
from income import reporting, selectors, services
from income.api.filters import (
    AssetValueFilter,
    EffortLogFilter,
    PaymentFilter,
    PaymentOrderingFilter,
    PeriodFilter,
    SourceFilter,
)
from income.api.serializers.billing import SubscriptionMetricsSerializer
from income.api.serializers.calculator import CalculatorInputSerializer, CalculatorResultSerializer
from income.api.serializers.figures import DashboardSerializer
from income.api.serializers.payments import (
    PAYMENT_BULK_VARIANTS,
    PaymentBulkResultSerializer,
    PaymentBulkSerializer,
    PaymentSerializer,
    PaymentUndoResultSerializer,
    PaymentUndoSerializer,
)
from income.api.serializers.records import (
    AssetValueSerializer,
    EffortLogSerializer,
    SourceSerializer,
    SubscriptionPeriodSerializer,
)
from income.api.serializers.reference import (
    CategorySerializer,
    ExchangeRateSerializer,
    HelpArticleSerializer,
    MeSerializer,
    TaxProfileSerializer,
    TaxYearSerializer,
)
from income.billing import source_has_billing, subscription_metrics
from income.missing_rates import payments_without_rate
from income.models import (
    AssetValue,
    EffortLog,
    HelpArticle,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
)
from income.services.users import profile_get_or_create, profile_update
from income.subscriptions import subscription_months
from income.tax_facts import tax_year_list


class CalculatorView(APIView):
    """The seed's passive-income calculator; open to everyone."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=CalculatorInputSerializer,
        responses={
            200: CalculatorResultSerializer,
            400: OpenApiResponse(description="Field errors"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = CalculatorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = calculate(**serializer.validated_data)
        return Response(CalculatorResultSerializer(result).data)


class MeView(generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    """The caller's profile: base currency and language."""

    serializer_class = MeSerializer

    def get_object(self) -> Profile:
        return profile_get_or_create(user=self.request.user)  # type: ignore[arg-type]

    def perform_update(self, serializer: MeSerializer) -> None:  # type: ignore[override]
        serializer.instance = profile_update(
            user=self.request.user,  # type: ignore[arg-type]
            **dict(serializer.validated_data),
        )


# ----------------------------------------------------------------------------- domain resources


class OwnedViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD on the caller's own rows; writes go through the app's services.

    ``get_queryset`` is scoped by a selector, so another user's id is a 404 for every
    method; subclasses name the selector and the create/update/delete services.
    """

    def owner(self) -> User:
        return cast(User, self.request.user)


class SourceViewSet(OwnedViewSet):
    queryset = IncomeSource.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ("name", "start_date", "created_at", "status")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[IncomeSource]:
        if self.action == "list":  # written by ids: nothing of a category or tax profile
            return selectors.source_rows(owner=self.owner())
        return selectors.source_list(owner=self.owner())

    def perform_create(self, serializer: SourceSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.source_create(
            owner=self.owner(), **serializer.validated_data
        )

    def perform_update(self, serializer: SourceSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.source_update(
            source=cast(IncomeSource, serializer.instance), **serializer.validated_data
        )

    def perform_destroy(self, instance: IncomeSource) -> None:
        services.source_delete(source=instance)

    @extend_schema(responses={200: SubscriptionMetricsSerializer})
    # One answer per source: neither paginated nor filtered, as its schema says.
    @action(
        detail=True,
        methods=["get"],
        url_path="subscription-metrics",
        url_name="subscription-metrics",
        pagination_class=None,
        filter_backends=[],
    )
    def subscription_metrics(self, request: Request, pk: str | None = None) -> Response:
        """The source's subscription analytics from its billing data (customers,
        subscriptions, pauses), in the caller's base currency as of today: MRR and its
        movements month by month, churn, quick ratio, NRR, ARPA, LTV, cohorts and the
        measured subscription model. A source without customers (any source that is not a
        subscription business among them) answers ``figures_from`` "periods" with zeros
        and empty lists: its figures are its recorded months."""
        source = self.get_object()
        metrics = subscription_metrics(
            source=source,
            base=profile_get_or_create(user=self.owner()).base_currency,
            as_of=timezone.localdate(),
        )
        figures_from = "billing" if source_has_billing(source) else "periods"
        data = {**vars(metrics), "figures_from": figures_from}
        return Response(SubscriptionMetricsSerializer(data).data)


#: The response header of ``DELETE /api/v1/payments/{id}/`` that carries the undo token.
UNDO_TOKEN_HEADER = "Undo-Token"  # noqa: S105 (a header's name, not a secret)


class PaymentViewSet(OwnedViewSet):
    """The caller's payments: ``?search=`` (note, source name or amount), the filters and
    ``?ordering=`` (date, source, gross, net, created_at); ``bulk/`` and ``undo/`` act on
    many at once, and a single delete can be undone as a bulk one can. A create that looks
    like a recorded payment (same source, date and gross) is a 400 under
    ``confirm_duplicate`` until sent again with it set to true."""

    queryset = Payment.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    filter_backends = [StrictFilterBackend, PaymentOrderingFilter]

    def get_queryset(self) -> QuerySet[Payment]:
        return selectors.payment_search(owner=self.owner())

    def perform_create(self, serializer: PaymentSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        confirmed = bool(data.pop("confirm_duplicate", False))
        serializer.instance = services.payment_create(
            owner=self.owner(), source=data.pop("source"), allow_duplicate=confirmed, **data
        )

    def perform_update(self, serializer: PaymentSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        data.pop("confirm_duplicate", None)  # the question is asked of new payments only
        serializer.instance = services.payment_update(
            owner=self.owner(), payment=cast(Payment, serializer.instance), **data
        )

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="PaymentBulk",
            serializers=PAYMENT_BULK_VARIANTS,
            resource_type_field_name="action",
        ),
        responses={
            200: PaymentBulkResultSerializer,
            400: OpenApiResponse(description="Field errors (e.g. more than 500 ids)"),
            404: OpenApiResponse(description="An id or the target source is not the caller's"),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk", filter_backends=[])
    def bulk(self, request: Request) -> Response:
        """Delete, move, re-date or re-currency many payments in one transaction."""
        serializer = PaymentBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        owner, ids, verb = self.owner(), data["ids"], data["action"]
        token: str | None = None
        try:
            if verb == "delete":
                count, token = services.payments_bulk_delete(owner=owner, ids=ids)
            elif verb == "move":
                source = get_object_or_404(selectors.source_list(owner=owner), pk=data["source"])
                count = services.payments_bulk_move(owner=owner, ids=ids, source=source)
            elif verb == "set_date":
                count = services.payments_bulk_set_date(owner=owner, ids=ids, on=data["date"])
            else:
                count = services.payments_bulk_set_currency(
                    owner=owner, ids=ids, currency=data["currency"]
                )
        except (Payment.DoesNotExist, IncomeSource.DoesNotExist):
            raise NotFound from None
        return Response(
            PaymentBulkResultSerializer({"action": verb, "count": count, "undo_token": token}).data
        )

    @extend_schema(
        request=PaymentUndoSerializer,
        responses={
            200: PaymentUndoResultSerializer,
            400: OpenApiResponse(description="Token forged, expired, another user's or used"),
        },
    )
    @action(detail=False, methods=["post"], url_path="undo", filter_backends=[])
    def undo(self, request: Request) -> Response:
        """Restore the payments of a bulk delete (same ids and fields) within 15 minutes."""
        serializer = PaymentUndoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.payments_restore(
            owner=self.owner(), token=serializer.validated_data["token"]
        )
        return Response(PaymentUndoResultSerializer({"count": count}).data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                UNDO_TOKEN_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                response=[204],
                required=True,
                description=(
                    "Restores the payment (same id and fields) when sent as "
                    '{"token": …} to POST /api/v1/payments/undo/: within 15 minutes, '
                    "once, by the same user."
                ),
            )
        ],
        responses={204: OpenApiResponse(description="Deleted; the Undo-Token header undoes it.")},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete one payment; the answer stays 204 with no body, and carries an undo token.

        The token is the bulk delete's (``payments_bulk_delete`` of this one id: signed,
        15 minutes, single use, bound to the caller), in the ``Undo-Token`` header rather
        than a body: a 204 has none, clients written against the plain 204 keep working,
        and one that wants the undo reads a header instead of a new answer shape.
        """
        payment = self.get_object()
        try:
            _count, token = services.payments_bulk_delete(owner=self.owner(), ids=[payment.pk])
        except Payment.DoesNotExist:  # deleted by a parallel request since the look-up
            raise NotFound from None
        return Response(status=status.HTTP_204_NO_CONTENT, headers={UNDO_TOKEN_HEADER: token})


class SubscriptionPeriodViewSet(OwnedViewSet):
    queryset = SubscriptionPeriod.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = SubscriptionPeriodSerializer
    filterset_class = PeriodFilter
    ordering_fields = ("month",)
    ordering = ("-month", "-id")

    def get_queryset(self) -> QuerySet[SubscriptionPeriod]:
        return selectors.period_list(owner=self.owner())

    def get_serializer(self, *args: Any, **kwargs: Any) -> SubscriptionPeriodSerializer:
        """A page of periods gets its MRR and payments in one go (a fixed number of
        queries per page); a single period is looked up by the serializer itself."""
        if kwargs.get("many") and args:
            periods = list(args[0])
            months = subscription_months(owner=self.owner(), periods=periods)
            kwargs["context"] = {
                **self.get_serializer_context(),
                "months": {month.period.pk: month for month in months},
            }
            args = (periods, *args[1:])
        return cast(SubscriptionPeriodSerializer, super().get_serializer(*args, **kwargs))

    def perform_create(self, serializer: SubscriptionPeriodSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.period_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: SubscriptionPeriodSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.period_update(
            owner=self.owner(),
            period=cast(SubscriptionPeriod, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: SubscriptionPeriod) -> None:
        services.period_delete(period=instance)


class AssetValueViewSet(OwnedViewSet):
    """What the asset of a capital or rental source was worth on a day, one value a day.

    The latest value on or before a day is what that day's total return and income yield
    count (``/api/v1/dashboard/``, per source).
    """

    queryset = AssetValue.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = AssetValueSerializer
    filterset_class = AssetValueFilter
    ordering_fields = ("date", "value")
    ordering = ("-date", "-id")

    def get_queryset(self) -> QuerySet[AssetValue]:
        return selectors.asset_value_list(owner=self.owner())

    def perform_create(self, serializer: AssetValueSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.asset_value_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: AssetValueSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.asset_value_update(
            owner=self.owner(),
            asset_value=cast(AssetValue, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: AssetValue) -> None:
        services.asset_value_delete(asset_value=instance)


class EffortLogViewSet(OwnedViewSet):
    queryset = EffortLog.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = EffortLogSerializer
    filterset_class = EffortLogFilter
    ordering_fields = ("month", "hours")
    ordering = ("-month", "-id")

    def get_queryset(self) -> QuerySet[EffortLog]:
        return selectors.effort_log_list(owner=self.owner())

    def perform_create(self, serializer: EffortLogSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.effort_log_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: EffortLogSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.effort_log_update(
            owner=self.owner(),
            effort_log=cast(EffortLog, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: EffortLog) -> None:
        services.effort_log_delete(effort_log=instance)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Income categories (admin content), with help texts in the caller's language."""

    serializer_class = CategorySerializer
    queryset = selectors.category_list()
    filterset_fields = ("is_passive", "model")
    ordering_fields = ("sort_order", "slug")
    ordering = ("-is_passive", "sort_order")


class TaxProfileViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = TaxProfileSerializer
    queryset = selectors.tax_profile_list()
    ordering_fields = ("sort_order", "rate")
    ordering = ("sort_order",)


class TaxYearViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The tax facts of each year (admin content), looked up by the year: ``/2025/``."""

    serializer_class = TaxYearSerializer
    queryset = tax_year_list()
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"
    ordering_fields = ("year",)
    ordering = ("-year",)


class ExchangeRateViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = ExchangeRateSerializer
    queryset = selectors.exchange_rate_list()
    filterset_fields = {"currency": ["exact"], "date": ["exact", "gte", "lte"]}
    ordering_fields = ("date", "currency")
    ordering = ("-date", "currency")


@extend_schema(auth=[])
class HelpArticleViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Published help articles (admin content) in the caller's language; open to everyone.

    Looked up by slug, so an app can link to an article as the web pages do.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    serializer_class = HelpArticleSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[HelpArticle]:
        return selectors.help_article_list()


#: The days ``?as_of=`` may name.
AS_OF_RANGE = (date(1900, 1, 1), date(2999, 12, 31))
#: ``?as_of=`` as the schema writes it: YYYY-MM-DD within ``AS_OF_RANGE`` (``parse_date``
#: alone also takes "20250105" and "2025-1-5", which a date in the schema is not).
AS_OF_PATTERN = r"^(?:19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"


class DashboardView(APIView):
    """The §3 figures of the caller as of today (or ``?as_of=YYYY-MM-DD``)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                {"type": "string", "format": "date", "pattern": AS_OF_PATTERN},
                required=False,
                description="A day from 1900-01-01 to 2999-12-31; today when left out.",
            )
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request: Request) -> Response:
        as_of = timezone.localdate()
        if "as_of" in request.query_params:
            raw = request.query_params["as_of"]
            try:
                parsed = (
                    parse_date(raw) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) else None
                )
            except ValueError:  # well formed but impossible, e.g. 2025-02-30
                parsed = None
            if parsed is None:
                raise ValidationError({"as_of": [_("Enter a valid date (YYYY-MM-DD).")]})
            # The figures look two years back and a month ahead of the day; years 1 and
            # 9999 leave the calendar (found by the schema fuzzer as a 500).
            if not AS_OF_RANGE[0] <= parsed <= AS_OF_RANGE[1]:
                raise ValidationError({"as_of": [_("Enter a date between 1900 and 2999.")]})
            as_of = parsed
        owner = cast(User, request.user)
        view = reporting.overview(owner=owner, as_of=as_of)
        complete = reporting.complete_months(view)
        # Only looked up when a currency is missing: no query on the usual answer.
        gaps = (
            payments_without_rate(owner=owner, base_currency=view.currency, as_of=as_of)
            if view.missing_rates
            else []
        )
        data = {
            "complete": complete,
            **{name: getattr(view, name) for name in (
                "as_of", "currency", "passive_gross_ttm", "passive_net_ttm", "total_net_ttm",
                "passive_share", "expense_coverage", "sources", "concentration",
                "concentration_warnings", "missing_rates",
            )},
            "missing_rate_payments": gaps,
            "months": [
                {
                    "month": month,
                    "passive_gross": view.passive_gross_by_month[month],
                    "passive_net": view.passive_net_by_month[month],
                    "active_net": view.active_net_by_month[month],
                    "to_date": complete.running and month == complete.month,
                }
                for month in view.months
            ],
        }  # fmt: skip
        return Response(DashboardSerializer(data).data)
