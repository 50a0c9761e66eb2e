"""Reads of the income app. Every query of user data is scoped to its owner here."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from income.models import (
    EffortLog,
    ExchangeRate,
    IncomeCategory,
    IncomeSource,
    Payment,
    SubscriptionPeriod,
    TaxProfile,
)


def source_list(*, owner: User) -> QuerySet[IncomeSource]:
    return IncomeSource.objects.filter(owner=owner).select_related("category", "tax_profile")


def payment_list(*, owner: User) -> QuerySet[Payment]:
    return Payment.objects.filter(source__owner=owner).select_related("source__category")


def period_list(*, owner: User) -> QuerySet[SubscriptionPeriod]:
    return SubscriptionPeriod.objects.filter(source__owner=owner).select_related("source")


def effort_log_list(*, owner: User) -> QuerySet[EffortLog]:
    return EffortLog.objects.filter(source__owner=owner).select_related("source")


def category_list() -> QuerySet[IncomeCategory]:
    return IncomeCategory.objects.all()


def tax_profile_list() -> QuerySet[TaxProfile]:
    return TaxProfile.objects.all()


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()
