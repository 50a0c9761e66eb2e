"""Reads of the income app. Every query of user data is scoped to its owner here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import User
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import ExtractYear

from income.aggregates import cents_sum, from_cents
from income.models import (
    AllowanceOrder,
    AssetValue,
    BillingSubscription,
    CalculationModel,
    CalendarFeed,
    Cost,
    Customer,
    EffortLog,
    ExchangeRate,
    FundYear,
    HelpArticle,
    IncomeCategory,
    IncomeSource,
    Payment,
    SubscriptionPause,
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


def subscription_source_list(*, owner: User) -> QuerySet[IncomeSource]:
    """The owner's subscription sources: those that take customers (billing data)."""
    return source_list(owner=owner).filter(category__model=CalculationModel.SUBSCRIPTION)


def source_rows(*, owner: User) -> QuerySet[IncomeSource]:
    """The owner's sources alone, without their category and tax profile joined.

    What ``GET /api/v1/sources/`` writes: both by id, which the row holds; joining the
    two tables doubled the columns read and converted per source (issue 21).
    """
    return IncomeSource.objects.filter(owner=owner)


def payment_list(*, owner: User) -> QuerySet[Payment]:
    return Payment.objects.filter(source__owner=owner).select_related("source__category")


def period_list(*, owner: User) -> QuerySet[SubscriptionPeriod]:
    return SubscriptionPeriod.objects.filter(source__owner=owner).select_related("source")


def effort_log_list(*, owner: User) -> QuerySet[EffortLog]:
    return EffortLog.objects.filter(source__owner=owner).select_related("source")


def asset_value_list(*, owner: User) -> QuerySet[AssetValue]:
    """The owner's recorded asset values, newest first, with their source and its category."""
    return AssetValue.objects.filter(source__owner=owner).select_related("source__category")


def cost_list(*, owner: User) -> QuerySet[Cost]:
    """The owner's recorded costs, newest first, with their source and its category."""
    return Cost.objects.filter(source__owner=owner).select_related("source__category")


class CostYearTotal(TypedDict):
    year: int
    currency: str
    count: int
    total: Decimal


def cost_totals_by_year(*, source: IncomeSource) -> list[CostYearTotal]:
    """The costs of ``source`` summed per calendar year and currency, newest year first:
    a cost counts in the tax year of its date, refunds (negative) included. Summed in
    whole cents, exact on SQLite too (``income.aggregates``)."""
    rows = (
        Cost.objects.filter(source=source)
        .annotate(year=ExtractYear("date"))
        .values("year", "currency")
        .annotate(rows=Count("pk"), total_cents=cents_sum("amount"))
        .order_by("-year", "currency")
    )
    return [
        CostYearTotal(
            year=row["year"],
            currency=row["currency"],
            count=row["rows"],
            total=from_cents(row["total_cents"]),
        )
        for row in rows
    ]


def fund_year_list(*, owner: User) -> QuerySet[FundYear]:
    """The owner's recorded fund years, newest first, with their source and its category."""
    return FundYear.objects.filter(source__owner=owner).select_related("source__category")


def customer_list(*, owner: User) -> QuerySet[Customer]:
    """The customers of the owner's subscription sources, by id, with their source."""
    return Customer.objects.filter(source__owner=owner).select_related("source__category")


def billing_subscription_list(*, owner: User) -> QuerySet[BillingSubscription]:
    """The subscriptions of the owner's customers, oldest first, with customer and source."""
    return BillingSubscription.objects.filter(customer__source__owner=owner).select_related(
        "customer__source__category"
    )


def subscription_pause_list(*, owner: User) -> QuerySet[SubscriptionPause]:
    """The pauses of the owner's subscriptions, with the subscription, customer and source."""
    return SubscriptionPause.objects.filter(
        subscription__customer__source__owner=owner
    ).select_related("subscription__customer__source__category")


def allowance_order_list(*, owner: User, year: int | None = None) -> QuerySet[AllowanceOrder]:
    """The owner's allowance orders, newest year first and by bank; of one ``year`` if given."""
    orders = AllowanceOrder.objects.filter(owner=owner)
    return orders if year is None else orders.filter(year=year)


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


_AMOUNT_QUERY = re.compile(r"^-?[0-9][0-9.,\s]*$")


def parse_amount_query(text: str) -> Decimal | None:
    """The amount a search text means, or ``None`` when it is no amount.

    People type amounts the way their language writes them: "750", "750,00",
    "750.00", "1.234,56", "1,234.56". The last separator followed by one or two digits
    is the decimal point; every other separator groups thousands.
    """
    compact = "".join(text.split()).lstrip("€$£")
    if not _AMOUNT_QUERY.match(compact):
        return None
    sign = "-" if compact.startswith("-") else ""
    digits = compact.lstrip("-")
    last = max(digits.rfind(","), digits.rfind("."))
    if last != -1 and 1 <= len(digits) - last - 1 <= 2:
        whole, cents = digits[:last], digits[last + 1 :]
    else:
        whole, cents = digits, ""
    whole = whole.replace(",", "").replace(".", "")
    if not whole.isdigit() or len(whole) > 13:
        return None
    return Decimal(f"{sign}{whole}.{cents or '0'}")


# Sort keys of the payment list (browser ``?sort=`` and API ``?ordering=``): each ends
# with the primary key so that pages never overlap when two rows tie.
PAYMENT_ORDERINGS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "source": ("source__name",),
    "gross": ("gross",),
    "net": ("net_amount",),
    "created_at": ("created_at",),
}


def payment_ordering(keys: Iterable[str]) -> list[str] | None:
    """``order_by`` arguments for sort keys such as ``["-gross", "date"]``; ``None`` when a
    key is unknown (the caller refuses it: a clear error, not a silent default)."""
    order: list[str] = []
    for key in keys:
        name = key.strip()
        descending = name.startswith("-")
        fields = PAYMENT_ORDERINGS.get(name.lstrip("-"))
        if fields is None:
            return None
        order.extend(f"-{field}" if descending else field for field in fields)
    last = "-pk" if order and order[0].startswith("-") else "pk"
    return [*order, last] if order else ["-date", "-pk"]


def payment_text_search(*, payments: QuerySet[Payment], text: str) -> QuerySet[Payment]:
    """``payments`` whose note or source name contains ``text``, or whose gross or net is
    the amount ``text`` reads as ("750", "750,00"). ``payments`` must already be one
    owner's (and carry the ``net_amount`` alias of ``payment_search``)."""
    text = text.strip()[:100]
    if not text:
        return payments
    match = Q(note__icontains=text) | Q(source__name__icontains=text)
    amount = parse_amount_query(text)
    if amount is not None:
        match |= Q(gross=amount) | Q(net_amount=amount)
    return payments.filter(match)


def payment_search(
    *,
    owner: User,
    source: IncomeSource | None = None,
    category_slug: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
    ordering: Iterable[str] = (),
) -> QuerySet[Payment]:
    """The owner's payments narrowed by the browser filter; every criterion is optional.

    ``search`` matches the note or the source's name (case-insensitive) or, when it reads
    as an amount, the gross or the net. The text search runs on the owner's rows only:
    the owner filter comes first, so it never scans another user's payments.
    ``ordering`` takes ``PAYMENT_ORDERINGS`` keys (unknown keys are left out; the API
    checks them first with ``payment_ordering``).
    """
    payments: QuerySet[Payment] = payment_list(owner=owner).alias(net_amount=PAYMENT_NET)
    if source is not None:
        payments = payments.filter(source=source)
    if category_slug:
        payments = payments.filter(source__category__slug=category_slug)
    if date_from is not None:
        payments = payments.filter(date__gte=date_from)
    if date_to is not None:
        payments = payments.filter(date__lte=date_to)
    payments = payment_text_search(payments=payments, text=search)
    order = payment_ordering([key for key in ordering if payment_ordering([key]) is not None])
    return payments.order_by(*(order or ()))


def payment_likely_duplicate(
    *, source: IncomeSource, on: date, gross: Decimal, exclude_pk: int | None = None
) -> Payment | None:
    """A payment of ``source`` on the same day with the same gross, if one is recorded.

    The same rent entered twice is the usual slip; two real payments that match in all
    three are rare enough that asking once is cheap.
    """
    payments = Payment.objects.filter(source=source, date=on, gross=gross)
    if exclude_pk is not None:
        payments = payments.exclude(pk=exclude_pk)
    return payments.order_by("pk").first()


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
    costs: int
    fund_years: int


def source_contents(*, source: IncomeSource) -> SourceContents:
    """How many rows deleting ``source`` takes with it, for the confirmation page."""
    return SourceContents(
        payments=Payment.objects.filter(source=source).count(),
        periods=SubscriptionPeriod.objects.filter(source=source).count(),
        effort_logs=EffortLog.objects.filter(source=source).count(),
        asset_values=AssetValue.objects.filter(source=source).count(),
        costs=Cost.objects.filter(source=source).count(),
        fund_years=FundYear.objects.filter(source=source).count(),
    )


#: What a feed's token looks like (``secrets.token_urlsafe``): anything else is no token
#: and is answered without a query.
FEED_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def calendar_feed_of(*, owner: User) -> CalendarFeed | None:
    """The owner's calendar feed, or None before one is made (or after it was revoked)."""
    return CalendarFeed.objects.filter(owner=owner).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The feed whose address carries ``token``, with its owner; None for any other.

    An equality lookup on the unique index: what the database compares leaks at most
    how long a prefix of a 256-bit random token matched, which over the network reveals
    nothing a guesser could use (a hash of the token would only move that comparison).
    """
    if not FEED_TOKEN_SHAPE.fullmatch(token):
        return None
    return CalendarFeed.objects.select_related("owner").filter(token=token).first()
