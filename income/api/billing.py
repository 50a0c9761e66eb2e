"""The API of a subscription source's billing data (issue 23): ``/api/v1/customers/``,
``/api/v1/billing-subscriptions/`` and ``/api/v1/subscription-pauses/``. Validate, call
one service or selector, serialize, as ``income.api.tax_records`` does; the rules are
the services' (``income.services.billing``). The analytics computed from these rows are
``/api/v1/sources/{id}/subscription-metrics/`` (``income.api.views``)."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet

from config.api.filtering import StrictFilterSet
from income import selectors, services
from income.api.filters import own_sources, source_filter
from income.api.serializers.billing import (
    BillingSubscriptionSerializer,
    CustomerSerializer,
    SubscriptionPauseSerializer,
)
from income.api.views import OwnedViewSet
from income.models import BillingSubscription, Customer, SubscriptionPause


def own_customers(request: Any) -> QuerySet[Customer]:
    """The customers a ``?customer=`` filter accepts: the caller's own, as ``own_sources``
    (another user's id is the same 400 as one that does not exist)."""
    if request is None or not request.user.is_authenticated:
        return Customer.objects.none()
    return selectors.customer_list(owner=request.user)


def own_billing_subscriptions(request: Any) -> QuerySet[BillingSubscription]:
    """The subscriptions a ``?subscription=`` filter accepts: the caller's own."""
    if request is None or not request.user.is_authenticated:
        return BillingSubscription.objects.none()
    return selectors.billing_subscription_list(owner=request.user)


class CustomerFilter(StrictFilterSet):
    source = source_filter()

    class Meta:
        model = Customer
        fields = ("source",)


class BillingSubscriptionFilter(StrictFilterSet):
    customer = django_filters.ModelChoiceFilter(queryset=own_customers)
    source = django_filters.ModelChoiceFilter(queryset=own_sources, field_name="customer__source")

    class Meta:
        model = BillingSubscription
        fields = ("customer", "source")


class SubscriptionPauseFilter(StrictFilterSet):
    subscription = django_filters.ModelChoiceFilter(queryset=own_billing_subscriptions)

    class Meta:
        model = SubscriptionPause
        fields = ("subscription",)


class CustomerViewSet(OwnedViewSet):
    """The customers of a subscription source, each known by the billing platform's id
    (``external_id``, unique within the source: a duplicate is a 400 on it).

    A source that is not a subscription business is a 400 on ``source``. Deleting a
    customer deletes their subscriptions and pauses.
    """

    queryset = Customer.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    ordering_fields = ("external_id", "name", "created_at")
    ordering = ("external_id", "id")

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customer_list(owner=self.owner())

    def perform_create(self, serializer: CustomerSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.customer_create(
            owner=self.owner(), source=data.pop("source"), **data
        )

    def perform_update(self, serializer: CustomerSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.customer_update(
            owner=self.owner(),
            customer=cast(Customer, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Customer) -> None:
        services.customer_delete(owner=self.owner(), customer=instance)


class BillingSubscriptionViewSet(OwnedViewSet):
    """A customer's subscriptions as the billing platform states them: ``amount`` is one
    unit's price for one billing period (``interval_count`` × ``interval``) before
    discounts; ``percent_off`` then ``amount_off`` discount it.

    ``currency`` left out is the source's. A non-empty ``external_id`` is unique per
    customer (a duplicate is a 400 on it); ``ended`` is not before ``started``.
    """

    queryset = BillingSubscription.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = BillingSubscriptionSerializer
    filterset_class = BillingSubscriptionFilter
    ordering_fields = ("started", "amount")
    ordering = ("-started", "-id")

    def get_queryset(self) -> QuerySet[BillingSubscription]:
        return selectors.billing_subscription_list(owner=self.owner())

    def perform_create(self, serializer: BillingSubscriptionSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.billing_subscription_create(
            owner=self.owner(), customer=data.pop("customer"), **data
        )

    def perform_update(self, serializer: BillingSubscriptionSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.billing_subscription_update(
            owner=self.owner(),
            subscription=cast(BillingSubscription, serializer.instance),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: BillingSubscription) -> None:
        services.billing_subscription_delete(owner=self.owner(), subscription=instance)


class SubscriptionPauseViewSet(OwnedViewSet):
    """Pauses of a billing subscription: no MRR from ``starts`` until ``ends`` (the day it
    resumes; null: until further notice). A pause starts on or after the subscription's
    start (a 400 on ``starts`` otherwise).

    Recorded and deleted, not changed: a pause that was wrong is deleted and recorded
    again, so ``PUT`` and ``PATCH`` are not offered.
    """

    queryset = SubscriptionPause.objects.none()  # the schema's model; rows: get_queryset
    serializer_class = SubscriptionPauseSerializer
    filterset_class = SubscriptionPauseFilter
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ("starts",)
    ordering = ("-starts", "-id")

    def get_queryset(self) -> QuerySet[SubscriptionPause]:
        return selectors.subscription_pause_list(owner=self.owner())

    def perform_create(self, serializer: SubscriptionPauseSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = services.subscription_pause_create(
            owner=self.owner(), subscription=data.pop("subscription"), **data
        )

    def perform_destroy(self, instance: SubscriptionPause) -> None:
        services.subscription_pause_delete(owner=self.owner(), pause=instance)
