"""Reads of the income app. Every query of user data is scoped to its owner here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import User
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet

from income.aggregates import cents_sum, from_cents
from income.models import (
    AssetValue,
    EffortLog,
    ExchangeRate,
    HelpArticle,
    IncomeCategory,
    IncomeSource,
    Payment,
    SubscriptionPeriod,
    TaxProfile,
)


def exchange_rates(*, currencies: Iterable[str], as_of: date) -> list[tuple[str, date, Decimal]]:
    """Every ECB rate of ``currencies`` up to ``as_of``, by currency and date, as
    ``RateBook`` takes them; the euro needs none (its rate is 1)."""
    wanted = set(currencies) - {"EUR"}
    if not wanted:
        return []
    return list(
        ExchangeRate.objects.filter(currency__in=wanted, date__lte=as_of)
        .order_by("currency", "date")
        .values_list("currency", "date", "rate")
    )


def source_list(*, owner: User) -> QuerySet[IncomeSource]:
    return IncomeSource.objects.filter(owner=owner).select_related("category", "tax_profile")


def payment_list(*, owner: User) -> QuerySet[Payment]:
    return Payment.objects.filter(source__owner=owner).select_related("source__category")


def period_list(*, owner: User) -> QuerySet[SubscriptionPeriod]:
    return SubscriptionPeriod.objects.filter(source__owner=owner).select_related("source")


def effort_log_list(*, owner: User) -> QuerySet[EffortLog]:
    return EffortLog.objects.filter(source__owner=owner).select_related("source")


def asset_value_list(*, owner: User) -> QuerySet[AssetValue]:
    """The owner's recorded asset values, newest first, with their source and its category."""
    return AssetValue.objects.filter(source__owner=owner).select_related("source__category")


def category_list() -> QuerySet[IncomeCategory]:
    return IncomeCategory.objects.all()


def tax_profile_list() -> QuerySet[TaxProfile]:
    return TaxProfile.objects.all()


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()


def help_article_list() -> QuerySet[HelpArticle]:
    """Published help articles in the admin's order; an unpublished one is not there."""
    return HelpArticle.objects.filter(is_published=True)


def help_article_get(*, slug: str) -> HelpArticle:
    """One published article; ``HelpArticle.DoesNotExist`` for an unknown or hidden slug."""
    return help_article_list().get(slug=slug)


# Net = gross − tax withheld − fees (PRODUCT.md §2, ``Payment.net``), as a database
# expression so totals are summed by the database, not in Python.
PAYMENT_NET = ExpressionWrapper(
    F("gross") - F("tax_withheld") - F("fees"),
    output_field=DecimalField(max_digits=15, decimal_places=2),
)


def payment_search(
    *,
    owner: User,
    source: IncomeSource | None = None,
    category_slug: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Payment]:
    """The owner's payments narrowed by the browser filter; every criterion is optional."""
    payments = payment_list(owner=owner)
    if source is not None:
        payments = payments.filter(source=source)
    if category_slug:
        payments = payments.filter(source__category__slug=category_slug)
    if date_from is not None:
        payments = payments.filter(date__gte=date_from)
    if date_to is not None:
        payments = payments.filter(date__lte=date_to)
    return payments


class CurrencyTotals(TypedDict):
    currency: str
    count: int
    gross: Decimal
    net: Decimal


def payment_totals_by_currency(*, payments: QuerySet[Payment]) -> list[CurrencyTotals]:
    """Gross and net of ``payments`` per currency, summed in one GROUP BY query.

    Amounts of different currencies are never added up: without a conversion that sum
    would mean nothing, so a filter spanning two currencies shows two lines.
    """
    rows = (
        payments.order_by()
        .values("currency")
        # Aliases differ from the field names: F("gross") in PAYMENT_NET would otherwise
        # resolve to the Sum annotated under the same name.
        .annotate(rows=Count("pk"), gross_sum=cents_sum("gross"), net_sum=cents_sum(PAYMENT_NET))
        .order_by("currency")
    )
    return [
        CurrencyTotals(
            currency=row["currency"],
            count=row["rows"],
            gross=from_cents(row["gross_sum"]),
            net=from_cents(row["net_sum"]),
        )
        for row in rows
    ]


class SourceContents(TypedDict):
    payments: int
    periods: int
    effort_logs: int
    asset_values: int


def source_contents(*, source: IncomeSource) -> SourceContents:
    """How many rows deleting ``source`` takes with it, for the confirmation page."""
    return SourceContents(
        payments=Payment.objects.filter(source=source).count(),
        periods=SubscriptionPeriod.objects.filter(source=source).count(),
        effort_logs=EffortLog.objects.filter(source=source).count(),
        asset_values=AssetValue.objects.filter(source=source).count(),
    )
