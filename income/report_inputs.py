"""What a user's figures are computed from, loaded from the database in one go.

The queries are a fixed handful per call (profile, sources, payments, rates, periods,
effort logs, asset values), whatever the number of rows, so the dashboard's query count
does not grow with the data (asserted in tests). The nightly sweep loads a chunk of users
in the same handful (``report_inputs_many``). The figures (``income.source_figures``,
``income.reporting``) then run on these rows without a query of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Q

from finance.money import RateBook, payment_net
from finance.subscriptions.records import Subscription
from income.billing import billing_records_many
from income.models import (
    AssetValue,
    CalculationModel,
    EffortLog,
    IncomeCategory,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPeriod,
    TaxProfile,
)
from income.selectors import exchange_rates
from income.services.users import profiles_get_or_create

#: A tuple's constructor: a ``PaymentRow`` made from a tuple without the keyword
#: handling of its own ``__new__`` (a recompute makes one per payment).
_row = tuple.__new__


#: What the figures read of an asset value: its day and its value in the source's currency.
ValueRow = tuple[date, Decimal]


class PaymentRow(NamedTuple):
    """What the figures read of a payment: a tuple, not a model instance, since a recompute
    loads every payment of a user (hundreds of rows); its net worked out once, on loading."""

    date: date
    gross: Decimal
    net: Decimal
    currency: str


@dataclass(frozen=True)
class EarlierMonths:
    """A user's payments dated before ``until``, as what the figures read of them: each
    source's monthly net and gross in the base currency, the payments' currencies (for
    the rate book) and those without a rate (``missing_rates``).

    The sweep keeps it (``reports.models.ReportHistory``) while those payments are
    unchanged, so a recompute loads the trailing twelve months of payments, not every
    payment since the first: the months before are the same sums either way.
    """

    until: date
    net: dict[int, dict[date, Decimal]]
    gross: dict[int, dict[date, Decimal]]
    currencies: frozenset[str]
    missing: frozenset[str]


@dataclass(frozen=True)
class ReportInputs:
    """Every row a user's figures are computed from, loaded in a fixed handful of queries.

    With ``earlier``, ``payments`` holds only those dated from ``earlier.until`` on; the
    months before are ``earlier``'s sums.
    """

    owner: User
    as_of: date
    profile: Profile
    sources: list[IncomeSource]
    payments: dict[int, list[PaymentRow]]
    periods: dict[int, list[SubscriptionPeriod]]
    efforts: dict[int, dict[date, Decimal]]
    rates: RateBook  # every rate of the user's currencies up to ``as_of``
    # The sources' category names in the active language, by category id: a name is
    # looked up per language, which costs more than a figure, so once per batch.
    category_names: dict[int, str]
    earlier: EarlierMonths | None = None
    # Each source's recorded asset values up to ``as_of`` (capital and rental), by day.
    asset_values: dict[int, list[ValueRow]] = field(default_factory=dict)
    # Each subscription source's billing data (issue 23), where it has any: its figures
    # then come from these rather than from its hand-typed months.
    billing: dict[int, list[Subscription]] = field(default_factory=dict)


RateRow = tuple[str, date, Decimal]

#: The rate books last built, by their currencies, with the rows they were built from. A
#: sweep builds the same few books for every chunk of users, and a book's digests hash
#: every rate; a chunk whose rows equal a book's (compared, never assumed) reuses it.
_books: dict[frozenset[str], tuple[list[RateRow], RateBook]] = {}
_BOOKS_KEPT = 32


def _rate_book(wanted: frozenset[str], rates: list[RateRow]) -> RateBook:
    """The ``RateBook`` of the ``rates`` of the ``wanted`` currencies."""
    rows = [rate for rate in rates if rate[0] in wanted]
    kept = _books.get(wanted)
    if kept is not None and kept[0] == rows:
        return kept[1]
    book = RateBook(rows)
    if len(_books) >= _BOOKS_KEPT:
        _books.clear()
    _books[wanted] = (rows, book)
    return book


def report_inputs(*, owner: User, as_of: date) -> ReportInputs:
    """Load what ``overview_of`` needs; payments after ``as_of`` are not part of it."""
    return report_inputs_many(owners=[owner], as_of=as_of)[owner.pk]


def report_inputs_many(
    *,
    owners: Sequence[User],
    as_of: date,
    earlier: Mapping[int, EarlierMonths] | None = None,
) -> dict[int, ReportInputs]:
    """``report_inputs`` of several users, keyed by user id, in the same fixed queries.

    The nightly sweep loads a chunk of users at once: a fixed handful of queries for the
    chunk, not a handful per user, and one rate table for all of them. Sources come with
    their category and tax profile and profiles with their default tax profile, so the
    independence projection (``scenarios.selectors.independence_question``) needs no
    query of its own. A user in ``earlier`` gets only the payments dated from its
    ``until`` on, and those sums of the months before (``EarlierMonths``).
    """
    earlier = earlier or {}
    owner_ids = [owner.pk for owner in owners]
    profiles = profiles_get_or_create(users=owners)
    # A category or tax profile is one instance for all the sources that have it (a few
    # dozen rows), instead of one each by ``select_related``.
    categories = {category.pk: category for category in IncomeCategory.objects.all()}
    taxes = {tax.pk: tax for tax in TaxProfile.objects.all()}
    sources: dict[int, list[IncomeSource]] = defaultdict(list)
    for source in IncomeSource.objects.filter(owner_id__in=owner_ids).order_by(
        "owner_id", "name", "pk"
    ):
        source.category = categories[source.category_id]
        source.tax_profile = taxes.get(source.tax_profile_id) if source.tax_profile_id else None
        sources[source.owner_id].append(source)
    owner_of = {source.pk: owner_id for owner_id, rows in sources.items() for source in rows}
    # By the sources' ids, in the order of the database's index on the source (no join,
    # no sort of the whole batch); each source's few dozen rows are sorted by day here,
    # so that they come in one order whatever the database's.
    payments: dict[int, list[PaymentRow]] = {
        source_id: sorted(
            _row(
                PaymentRow,
                (day, gross, payment_net(gross=gross, tax_withheld=tax, fees=fees), currency),
            )
            for _source_id, day, gross, tax, fees, currency in rows
        )
        for source_id, rows in groupby(
            Payment.objects.filter(_payments_wanted(owner_of, earlier), date__lte=as_of)
            .order_by("source_id")
            .values_list("source_id", "date", "gross", "tax_withheld", "fees", "currency"),
            key=itemgetter(0),
        )
    }
    currencies = {profile.base_currency for profile in profiles.values()}
    currencies |= {source.currency for rows in sources.values() for source in rows}
    currencies |= {payment.currency for rows in payments.values() for payment in rows}
    currencies = currencies.union(*(sums.currencies for sums in earlier.values()))
    periods: dict[int, dict[int, list[SubscriptionPeriod]]] = defaultdict(lambda: defaultdict(list))
    for period in SubscriptionPeriod.objects.filter(source__owner_id__in=owner_ids).order_by("pk"):
        periods[owner_of[period.source_id]][period.source_id].append(period)
    efforts: dict[int, dict[int, dict[date, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for source_id, month, hours in EffortLog.objects.filter(
        source__owner_id__in=owner_ids
    ).values_list("source_id", "month", "hours"):
        efforts[owner_of[source_id]][source_id][month] = hours
    values: dict[int, dict[int, list[ValueRow]]] = defaultdict(lambda: defaultdict(list))
    for source_id, day, value in (
        AssetValue.objects.filter(source__owner_id__in=owner_ids, date__lte=as_of)
        .order_by("source_id", "date")
        .values_list("source_id", "date", "value")
    ):
        values[owner_of[source_id]][source_id].append((day, value))
    # Two queries more, only for a batch with a subscription source.
    billing = billing_records_many(
        source_ids=[
            source.pk
            for rows in sources.values()
            for source in rows
            if source.category.model == CalculationModel.SUBSCRIPTION
        ]
    )
    billed_in = {
        source_id: {record.currency for record in records} for source_id, records in billing.items()
    }
    currencies = currencies.union(*billed_in.values())
    rates = exchange_rates(currencies=currencies, as_of=as_of)
    names = {
        category_id: categories[category_id].name
        for category_id in {source.category_id for rows in sources.values() for source in rows}
    }
    books: dict[frozenset[str], RateBook] = {}  # one per set of currencies, shared
    result = {}
    for owner in owners:
        profile = profiles[owner.pk]
        paid = {
            source.pk: payments[source.pk] for source in sources[owner.pk] if source.pk in payments
        }
        sums = earlier.get(owner.pk)
        wanted = frozenset(
            {payment.currency for rows in paid.values() for payment in rows}
            | {source.currency for source in sources[owner.pk]}
            | {profile.base_currency}
            | (sums.currencies if sums is not None else frozenset())
            | {c for source in sources[owner.pk] for c in billed_in.get(source.pk, ())}
        )
        if wanted not in books:
            books[wanted] = _rate_book(wanted, rates)
        result[owner.pk] = ReportInputs(
            owner=owner,
            as_of=as_of,
            profile=profile,
            sources=sources[owner.pk],
            payments=paid,
            periods=dict(periods[owner.pk]),
            efforts=dict(efforts[owner.pk]),
            rates=books[wanted],
            category_names=names,
            earlier=sums,
            asset_values=dict(values[owner.pk]),
            billing={s.pk: billing[s.pk] for s in sources[owner.pk] if s.pk in billing},
        )
    return result


def _payments_wanted(owner_of: dict[int, int], earlier: Mapping[int, EarlierMonths]) -> Q:
    """The payments of the sources in ``owner_of``: all of them, or for a user with
    ``earlier`` months those dated from its ``until`` on."""
    whole = [source_id for source_id, owner_id in owner_of.items() if owner_id not in earlier]
    wanted = Q(source_id__in=whole)
    since: dict[date, list[int]] = defaultdict(list)
    for source_id, owner_id in owner_of.items():
        if owner_id in earlier:
            since[earlier[owner_id].until].append(source_id)
    for until, source_ids in since.items():
        wanted |= Q(source_id__in=source_ids, date__gte=until)
    return wanted
