"""What the dashboard shows, read from the stored snapshots (no figure is computed here).

The dashboard used to run ``income.reporting.overview`` on every request, so its cost
grew with the user's payments. It now reads the current month's ``ReportSnapshot`` and
the rows of the 24 months before it, and turns their JSON back into typed values
(Decimal, date) for the template: a fixed handful of queries, whatever the data.

The rules the page needs beyond the stored figures are applied as the live overview
applies them, with the same functions where they exist (``figures.concentrated``), so
the page says what it said before the move.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from finance import figures
from finance.schedule import add_months, month_start
from income.models import IncomeCategory, in_active_language
from income.selectors import category_list
from reports.models import ReportSnapshot
from reports.selectors import snapshot_list
from reports.services import last_day

ZERO = Decimal(0)

#: Months of history in the charts: the current one and the 23 before it.
CHART_MONTHS = 24
#: Months in the table below the charts, newest first.
TABLE_MONTHS = 12


@dataclass(frozen=True)
class MonthRow:
    """One month of the charts and the table, in the base currency."""

    month: date
    passive_gross: Decimal
    passive_net: Decimal
    active_net: Decimal


@dataclass(frozen=True)
class SourceRow:
    """One source's figures to date, as the snapshot stored them."""

    id: int
    name: str
    category_slug: str
    is_passive: bool
    net_to_date: Decimal
    hours_to_date: Decimal
    effective_hourly_rate: Decimal | None
    cash_roi: Decimal | None
    payback: figures.Payback | None  # None for an active source: it has no payback
    # "asset" (capital, rental): a total return instead of a cash ROI, an income payback.
    return_basis: str = "cash"
    total_return_ratio: Decimal | None = None


@dataclass(frozen=True)
class CategoryNet:
    """One category's passive net of a month: ``code`` (its slug) tells it apart,
    ``label`` (its name in the reader's language) shows it."""

    code: str | None  # None: the stored name is no category's any more (see below)
    label: str
    passive_net: Decimal


@dataclass(frozen=True)
class Concentration:
    """One dimension of the concentration view and its warning, if one part dominates."""

    dimension: str
    shares: list[figures.Share]
    warning: figures.Share | None


@dataclass(frozen=True)
class DashboardData:
    """A user's dashboard: the latest snapshot's figures and the months before it."""

    month: date
    as_of: date
    computed_at: datetime
    stale: bool
    currency: str
    passive_gross_ttm: Decimal
    passive_net_ttm: Decimal
    total_net_ttm: Decimal
    passive_share: Decimal | None
    expense_coverage: Decimal | None
    missing_rates: list[str]
    months: list[MonthRow]
    passive_net_by_category: dict[str, list[Decimal]]
    sources: list[SourceRow]
    concentration: list[Concentration]
    home_country: str
    category_colors: dict[str, int]
    monthly_expenses: Decimal
    # The month-to-date rule of §3: the average and the coverage leave the running month
    # out; ``independence`` is "independent since …" when the complete months cover the
    # expenses, else ``independence_month`` is the projected month (None: not reached).
    average_month: Decimal
    coverage: Decimal | None
    independence: figures.Independence | None
    independence_month: date | None

    @property
    def month_to_date(self) -> MonthRow:
        """The running month: its income so far, never part of an average or trend."""
        return self.months[-1]

    @property
    def month_is_running(self) -> bool:
        """Whether the latest month is today's: then it is marked "to date"."""
        return self.month == month_start(timezone.localdate())

    @property
    def ranked_by_hourly_rate(self) -> list[SourceRow]:
        """Passive sources, best effective hourly rate first; those without hours last."""
        return sorted(
            (row for row in self.sources if row.is_passive),
            key=lambda row: figures.hourly_rate_rank(row.effective_hourly_rate),
        )

    @property
    def table_months(self) -> list[MonthRow]:
        return list(reversed(self.months[-TABLE_MONTHS:]))


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _optional_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


class Categories:
    """Every category, in one query when first asked (an admin-managed list of about a
    dozen).

    Sources name their category by slug, ``by_category`` by slug with both names; the
    category concentration of older snapshots, and their ``by_category`` (before issue
    20 and migration ``reports.0009``), by the name it had in the language the recompute
    ran in (a worker, or the request of a first visit). Both are mapped back here so
    the page shows the current language.
    """

    @cached_property
    def ordered(self) -> list[IncomeCategory]:
        return list(category_list())

    @cached_property
    def by_slug(self) -> dict[str, IncomeCategory]:
        return {category.slug: category for category in self.ordered}

    @cached_property
    def by_name(self) -> dict[str, IncomeCategory]:
        names: dict[str, IncomeCategory] = {}
        for category in self.ordered:
            names.setdefault(category.name_en, category)
            names.setdefault(category.name_de, category)
        return names

    def digest(self) -> str:
        """Every column of every category, hashed: what the page shows of them (names,
        order, passive or not) changes this, so figures rendered before the change are
        never taken for the current ones."""
        rows = [
            tuple(getattr(category, field.attname) for field in category._meta.concrete_fields)
            for category in self.ordered
        ]
        return hashlib.sha256(repr(rows).encode()).hexdigest()

    def colors(self) -> dict[str, int]:
        """A palette index per category name, in the categories' own order (passive
        first, then ``sort_order`` and slug), which no language changes: sorted by
        translated name, "Rent" and "Miete" would swap colours between languages."""
        return {category.name: index for index, category in enumerate(self.ordered)}

    def is_passive(self, slug: str) -> bool:
        category = self.by_slug.get(slug)
        return category is not None and category.is_passive

    def display_name(self, stored: str) -> str:
        category = self.by_name.get(stored)
        return stored if category is None else category.name

    def slug_of(self, stored: str) -> str | None:
        """The slug of the category a stored name (English or German) is of."""
        category = self.by_name.get(stored)
        return None if category is None else category.slug

    def of_key(self, stored: str) -> IncomeCategory | None:
        """The category a stored ``by_category`` key is of: its slug, or, in a snapshot
        written before slugs, its name in English or German."""
        return self.by_slug.get(stored) or self.by_name.get(stored)


def _stored_code(
    item: Mapping[str, Any], dimension: str, categories: Categories, source_ids: Mapping[str, int]
) -> str | None:
    """A stored share's stable code (``figures.Share.code``).

    Snapshots written before shares carried one (issue 20) name the part only: a
    category by its name in the recompute's language, a source by its name, which the
    same snapshot's sources give the id of (None when two had that name).
    """
    if "code" in item:
        return None if item["code"] is None else str(item["code"])
    key = str(item["key"])
    if key == figures.UNKNOWN_KEY:
        return None
    if dimension == "category":
        return categories.slug_of(key)
    if dimension == "source":
        found = source_ids.get(key)
        return None if found is None else str(found)
    return key


def _source_ids(sources: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Source name → id of a snapshot's sources, for the names that are unique."""
    ids: dict[str, int | None] = {}
    for item in sources:
        name = str(item["name"])
        ids[name] = None if name in ids else int(item["id"])
    return {name: found for name, found in ids.items() if found is not None}


def stored_concentration(
    stored: Mapping[str, list[Mapping[str, Any]]],
    *,
    sources: Iterable[Mapping[str, Any]],
    categories: Categories | None = None,
) -> dict[str, list[figures.Share]]:
    """A snapshot's concentration as shares, each with its code, a category named in the
    current language (the recompute may have run in another)."""
    categories = categories or Categories()
    source_ids = _source_ids(sources)
    result: dict[str, list[figures.Share]] = {}
    for dimension, items in stored.items():
        shares = []
        for item in items:
            code = _stored_code(item, dimension, categories, source_ids)
            key = str(item["key"])
            if "label_en" in item and "label_de" in item:  # stored in both: no query
                key = in_active_language(str(item["label_en"]), str(item["label_de"]))
            elif dimension == "category":
                category = categories.by_slug.get(code or "")
                key = category.name if category is not None else categories.display_name(key)
            shares.append(
                figures.Share(
                    key=key,
                    amount=_decimal(item["amount"]),
                    share=_decimal(item["share"]),
                    code=code,
                )
            )
        result[dimension] = shares
    return result


def stored_by_category(
    stored: Mapping[str, Any], *, categories: Categories | None = None
) -> list[CategoryNet]:
    """A snapshot's ``by_category`` as parts with their code and their label in the
    current language, by code (the stored order, which no language changes).

    A part is stored under the category's slug with its names in both languages
    (``reports.snapshots``), read without a query. A month stored before (issue 20,
    migration ``reports.0009``) holds an amount under the category's name in the
    recompute's language: looked up here, in English or German; a name no category has
    any more (renamed or removed since) keeps its name as the label and has no code.
    """
    parts: dict[tuple[str | None, str], Decimal] = {}
    for key, value in stored.items():
        if isinstance(value, Mapping):
            part: tuple[str | None, str] = (
                str(key),
                in_active_language(str(value["label_en"]), str(value["label_de"])),
            )
            amount = value["passive_net"]
        else:
            categories = categories or Categories()
            category = categories.of_key(str(key))
            part = (None, str(key)) if category is None else (category.slug, category.name)
            amount = value
        parts[part] = parts.get(part, ZERO) + _decimal(amount)
    return [
        CategoryNet(code=code, label=label, passive_net=amount)
        for (code, label), amount in sorted(
            parts.items(), key=lambda item: (item[0][0] is None, item[0][0] or "", item[0][1])
        )
    ]


def stored_sources(
    stored: Iterable[Mapping[str, Any]], *, categories: Categories | None = None
) -> list[dict[str, Any]]:
    """A snapshot's per-source rows, each with ``category_id`` beside the slug.

    Rows stored before they carried it (the current month's before issue 20, a past
    month's always before it) get it from the slug, which is stable; None for a
    category that no longer exists.
    """
    rows = [dict(item) for item in stored]
    if all("category_id" in row for row in rows):
        return rows
    categories = categories or Categories()
    for row in rows:
        if "category_id" not in row:
            category = categories.by_slug.get(str(row.get("category")))
            row["category_id"] = None if category is None else category.pk
    return rows


def _source_row(item: Mapping[str, Any], categories: Categories) -> SourceRow:
    slug = str(item["category"])
    return SourceRow(
        id=int(item["id"]),
        name=str(item["name"]),
        category_slug=slug,
        is_passive=categories.is_passive(slug),
        net_to_date=_decimal(item["net_to_date"]),
        hours_to_date=_decimal(item["hours_to_date"]),
        effective_hourly_rate=_optional_decimal(item.get("effective_hourly_rate")),
        cash_roi=_optional_decimal(item.get("cash_roi")),
        payback=None
        if item.get("payback_projected") is None
        else figures.Payback(
            month=_optional_date(item.get("payback_month")),
            projected=bool(item.get("payback_projected")),
        ),
        return_basis=str(item.get("return_basis") or "cash"),
        total_return_ratio=_optional_decimal(item.get("total_return_ratio")),
    )


def _concentration(
    stored: Mapping[str, list[figures.Share]],
    *,
    base_currency: str,
    home_country: str,
) -> list[Concentration]:
    """Each dimension with shares, and its warning as ``figures.concentration_warning``
    decides it (the live overview's rule), against the user's own currency and country
    as they are now."""
    result = []
    for dimension, shares in stored.items():
        if not shares:
            continue
        warning = figures.concentration_warning(
            shares, dimension=dimension, base_currency=base_currency, home_country=home_country
        )
        result.append(Concentration(dimension=dimension, shares=shares, warning=warning))
    return result


@dataclass(frozen=True)
class DashboardHead:
    """What the page reads before its figures: the latest snapshot, the profile's
    stamp, currency and country, the categories, and when each month was computed.

    Enough for the page's head (when the figures are from, whether changes are being
    included) and for ``figures_version``, which tells whether the figures part
    rendered earlier is still the one these rows would render; the months' figures
    themselves (``dashboard_data``) are read only when it is not.
    """

    latest: ReportSnapshot
    changed_at: datetime | None
    base_currency: str
    home_country: str
    categories: Categories
    #: Each month's (month, computed_at) up to the latest: every write of a month stamps
    #: it with its recompute's time, so any rewrite of any month changes this.
    computed: tuple[tuple[date, datetime], ...]

    @property
    def month(self) -> date:
        return self.latest.month

    @property
    def currency(self) -> str:
        return self.latest.currency

    @property
    def computed_at(self) -> datetime:
        return self.latest.computed_at

    @property
    def as_of(self) -> date:
        return min(timezone.localdate(self.latest.computed_at), last_day(self.latest.month))

    @property
    def stale(self) -> bool:
        return self.changed_at is not None and self.changed_at > self.latest.computed_at

    @property
    def sources(self) -> list[Any]:
        return list(self.latest.sources or [])

    @property
    def month_is_running(self) -> bool:
        return self.latest.month == month_start(timezone.localdate())

    def figures_version(self) -> str:
        """A digest of everything the figures are read from: the snapshot (its id and
        time), every month's time, the profile's currency and country, the categories,
        and whether the month is still running (it marks "to date")."""
        parts = (
            self.latest.pk,
            self.latest.computed_at.isoformat(),
            [(month.isoformat(), at.isoformat()) for month, at in self.computed],
            self.base_currency,
            self.home_country,
            self.categories.digest(),
            self.month_is_running,
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def dashboard_head(*, owner: User) -> DashboardHead | None:
    """The head of ``owner``'s dashboard; None when they have no snapshot.

    Three queries: the latest snapshot with the profile's change stamp, currency and
    country beside it (a user without a profile has no stamp, the snapshot's currency
    and no country), each month's time, and the categories.
    """
    latest = (
        snapshot_list(owner=owner)
        .annotate(
            profile_changed_at=F("owner__profile__data_changed_at"),
            profile_currency=F("owner__profile__base_currency"),
            profile_country=F("owner__profile__home_country"),
        )
        .first()
    )
    if latest is None:
        return None
    has_profile = latest.profile_currency is not None
    changed_at = latest.profile_changed_at if has_profile else None
    base_currency = latest.profile_currency if has_profile else latest.currency
    home_country = latest.profile_country if has_profile else ""
    computed = tuple(
        ReportSnapshot.objects.filter(owner=owner, month__lte=latest.month)
        .order_by("month")
        .values_list("month", "computed_at")
    )
    categories = Categories()
    categories.ordered  # noqa: B018 - read here, so the digest and the figures share it
    return DashboardHead(
        latest=latest,
        changed_at=changed_at,
        base_currency=base_currency,
        home_country=home_country,
        categories=categories,
        computed=computed,
    )


def dashboard_data(*, owner: User, head: DashboardHead | None = None) -> DashboardData | None:
    """The dashboard of ``owner`` from their snapshots; None when they have none yet.

    A fixed handful of queries whatever the data: the head's (``dashboard_head``, or
    ``head`` as the page read it) and the months of the charts (only their monthly
    columns). Months without a row (before the first payment) are shown as zero.
    """
    head = head or dashboard_head(owner=owner)
    if head is None:
        return None
    latest = head.latest
    first = add_months(latest.month, -(CHART_MONTHS - 1))
    # Every month, not only the charts': "independent since" may lie years back.
    history = {
        row.month: row
        for row in ReportSnapshot.objects.filter(owner=owner, month__lte=latest.month).only(
            "month", "passive_gross", "passive_net", "active_net", "by_category"
        )
    }
    rows = {month: row for month, row in history.items() if month >= first}
    window = [add_months(first, n) for n in range(CHART_MONTHS)]
    source_items: list[Mapping[str, Any]] = list(latest.sources or [])
    categories = head.categories

    months = []
    by_category: dict[str, list[Decimal]] = {}
    for index, month in enumerate(window):
        row = rows.get(month)
        months.append(
            MonthRow(
                month=month,
                passive_gross=row.passive_gross if row else ZERO,
                passive_net=row.passive_net if row else ZERO,
                active_net=row.active_net if row else ZERO,
            )
        )
        for part in stored_by_category(
            (row.by_category or {}) if row else {}, categories=categories
        ):
            series = by_category.setdefault(part.label, [ZERO] * CHART_MONTHS)
            series[index] += part.passive_net

    as_of = head.as_of
    passive_net = {month: row.passive_net for month, row in history.items()}
    expenses = latest.monthly_expenses
    return DashboardData(
        month=latest.month,
        as_of=as_of,
        computed_at=latest.computed_at,
        stale=head.stale,
        currency=latest.currency,
        passive_gross_ttm=latest.passive_gross_ttm,
        passive_net_ttm=latest.passive_net_ttm,
        total_net_ttm=latest.total_net_ttm,
        passive_share=latest.passive_share,
        expense_coverage=latest.expense_coverage,
        missing_rates=[str(code) for code in latest.missing_rates or []],
        months=months,
        passive_net_by_category=dict(sorted(by_category.items())),
        sources=[_source_row(item, categories) for item in source_items],
        concentration=_concentration(
            stored_concentration(
                latest.concentration or {}, sources=source_items, categories=categories
            ),
            base_currency=head.base_currency,
            home_country=head.home_country,
        ),
        home_country=head.home_country,
        category_colors=categories.colors(),
        monthly_expenses=expenses,
        average_month=figures.complete_months_average(passive_net, today=as_of),
        coverage=figures.complete_months_coverage(
            passive_net, today=as_of, monthly_expenses=expenses
        ),
        independence=figures.independent_since(passive_net, today=as_of, monthly_expenses=expenses),
        independence_month=latest.independence_month,
    )


def must_compute_now(data: DashboardData | DashboardHead | None, *, today: date) -> bool:
    """Whether the page has to compute the snapshot itself before it can show it.

    - No snapshot at all: a first visit (or a user from before the reports app) would
      otherwise see an empty page, or the "add your first source" guide, for a user
      who has data.
    - No snapshot of the current month: the month-end close writes the month it
      closes, not the new one, so without this the first visit of a month would show
      last month's twelve months.
    - A stale snapshot without any source: the user has just added their first one and
      the debounced recompute has not run yet; the guide would tell them to add it.
    """
    if data is None:
        return True
    if data.month < month_start(today):
        return True
    return data.stale and not data.sources
