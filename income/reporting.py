"""The figures of PRODUCT.md §3 for one user: load their rows once, compute with the pure math.

The rows come from ``income.report_inputs`` (a fixed handful of queries per call,
whatever the number of rows, so the dashboard's query count does not grow with the
data; asserted in tests), each source's figures from ``income.source_figures``; this
module sums them into the user's summary: the months, the trailing twelve months, the
shares, the concentration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import cached_property

from django.contrib.auth.models import User

from finance import figures
from finance.rounding import EXACT, to_cents
from finance.schedule import add_months, month_range, month_start
from income.models import Profile
from income.report_inputs import ReportInputs, report_inputs
from income.source_figures import SourceFigures, source_figures

ZERO = Decimal(0)


@dataclass
class MonthlySeries:
    """A user's monthly sums over their whole history, in the base currency, not rounded:
    what every month of the reports is computed from. A month without a payment has no
    key (by category: no key for a category without a payment that month)."""

    passive_net: dict[date, Decimal]
    passive_gross: dict[date, Decimal]
    active_net: dict[date, Decimal]
    # By the category's slug, which no language changes (issue 20): a snapshot stores
    # it, and each reader shows the category's name in its own language.
    passive_net_by_category: dict[str, dict[date, Decimal]]


@dataclass
class Overview:
    """A user's §3 figures as of a day: the dashboard, the API summary and the reports."""

    as_of: date
    currency: str
    profile: Profile
    sources: list[SourceFigures]
    months: list[date]
    passive_net_by_month: dict[date, Decimal]
    passive_gross_by_month: dict[date, Decimal]
    active_net_by_month: dict[date, Decimal]
    passive_net_by_category: dict[str, dict[date, Decimal]]  # by slug, as ``MonthlySeries``
    passive_gross_ttm: Decimal
    passive_net_ttm: Decimal
    total_net_ttm: Decimal
    passive_share: Decimal | None
    expense_coverage: Decimal | None
    concentration: dict[str, list[figures.Share]]
    concentration_warnings: dict[str, figures.Share]
    missing_rates: list[str]
    category_names: dict[int, str]

    @cached_property
    def series(self) -> MonthlySeries:
        """The whole history's monthly sums, built when asked for: the figures above need
        only the months they show and each source's trailing twelve months."""
        return _monthly_series(self.sources)


@dataclass(frozen=True)
class CompleteMonths:
    """The figures of §3 that leave the running month out (month-to-date), as of a day.

    ``month_to_date`` is the running month's passive net so far (``running`` False when
    the day is its month's last, and the month complete); the average month and the
    coverage are of the 12 complete months before it; ``independence`` is "independent
    since …" when they cover the expenses. The dashboard page computes the same from
    the stored months with the same ``figures`` functions.
    """

    month: date
    running: bool
    month_to_date: Decimal
    average_month: Decimal
    coverage: Decimal | None
    independence: figures.Independence | None


def complete_months(view: Overview) -> CompleteMonths:
    history = view.series.passive_net
    expenses = view.profile.monthly_expenses
    month = month_start(view.as_of)
    return CompleteMonths(
        month=month,
        running=add_months(month, 1) - timedelta(days=1) > view.as_of,
        month_to_date=to_cents(history.get(month, ZERO)),
        average_month=figures.complete_months_average(history, today=view.as_of),
        coverage=figures.complete_months_coverage(
            history, today=view.as_of, monthly_expenses=expenses
        ),
        independence=figures.independent_since(
            history, today=view.as_of, monthly_expenses=expenses
        ),
    )


def overview(*, owner: User, as_of: date, months: int = 24) -> Overview:
    """All §3 figures of ``owner`` as of ``as_of``, with ``months`` months of history."""
    return overview_of(report_inputs(owner=owner, as_of=as_of), months=months)


def overview_of(inputs: ReportInputs, *, months: int = 24) -> Overview:
    """The §3 figures from loaded inputs (no queries)."""
    profile = inputs.profile
    currency = profile.base_currency
    rates = inputs.rates
    missing: set[str] = set()
    per_source = [
        source_figures(
            source,
            payments=inputs.payments.get(source.pk, []),
            periods=inputs.periods.get(source.pk, []),
            efforts=inputs.efforts.get(source.pk, {}),
            rates=rates,
            currency=currency,
            hourly_value=profile.hourly_value,
            as_of=inputs.as_of,
            missing=missing,
            earlier=inputs.earlier,
            values=inputs.asset_values.get(source.pk, ()),
            billing=inputs.billing.get(source.pk, ()),
        )
        for source in inputs.sources
    ]
    if inputs.earlier is not None:
        missing |= inputs.earlier.missing
    return _summarise(
        profile=profile,
        currency=currency,
        per_source=per_source,
        names=inputs.category_names,
        as_of=inputs.as_of,
        months=months,
        missing=missing,
    )


def _summarise(
    *,
    profile: Profile,
    currency: str,
    per_source: list[SourceFigures],
    names: dict[int, str],
    as_of: date,
    months: int,
    missing: set[str],
) -> Overview:
    window = list(month_range(add_months(as_of, 1 - months), as_of))
    passive = [f for f in per_source if f.source.category.is_passive]
    active = [f for f in per_source if not f.source.category.is_passive]
    # Sums of the sources' own trailing twelve months: exact, so equal to the twelve
    # months of the summed series, without summing the whole history first.
    with localcontext(EXACT):
        passive_net_ttm = sum((f.net_ttm for f in passive), ZERO)
        total_net_ttm = passive_net_ttm + sum((f.net_ttm for f in active), ZERO)
        passive_gross_ttm = sum((f.gross_ttm for f in passive), ZERO)
    by_category: dict[str, list[SourceFigures]] = {}
    for f in passive:
        if f.monthly_net:  # a category shows from its first payment on
            by_category.setdefault(f.source.category.slug, []).append(f)
    passive_sources = passive
    keyed: dict[str, dict[str, Decimal]] = {
        "source": {},
        "category": defaultdict(lambda: ZERO),
        "currency": defaultdict(lambda: ZERO),
        "platform": defaultdict(lambda: ZERO),
        "country": defaultdict(lambda: ZERO),
    }
    # Keyed by stable codes (a source's id, a category's slug), shown by their labels:
    # a client tells the parts apart whatever the language (issue 20).
    labels: dict[str, dict[str, str]] = {key: {} for key in keyed}
    for f in passive_sources:
        source = f.source
        source_code, category_code = str(source.pk), source.category.slug
        labels["source"][source_code] = source.name
        labels["category"][category_code] = names[source.category_id]
        keyed["source"][source_code] = f.net_ttm
        keyed["category"][category_code] += f.net_ttm
        keyed["currency"][source.currency] += f.net_ttm
        keyed["platform"][source.platform or figures.UNKNOWN_KEY] += f.net_ttm
        keyed["country"][(source.country or figures.UNKNOWN_KEY).upper()] += f.net_ttm
    concentration = {
        key: figures.concentration(dict(values), labels=labels[key])
        for key, values in keyed.items()
    }
    warnings = {
        key: share
        for key, shares in concentration.items()
        if (
            share := figures.concentration_warning(
                shares,
                dimension=key,
                base_currency=currency,
                home_country=profile.home_country,
            )
        )
        is not None
    }
    return Overview(
        as_of=as_of,
        currency=currency,
        profile=profile,
        sources=per_source,
        months=window,
        passive_net_by_month={m: _month_sum(passive, m) for m in window},
        passive_gross_by_month={m: _month_sum(passive, m, gross=True) for m in window},
        active_net_by_month={m: _month_sum(active, m) for m in window},
        passive_net_by_category={
            slug: {m: _month_sum(of_category, m) for m in window}
            for slug, of_category in sorted(by_category.items())
        },
        passive_gross_ttm=to_cents(passive_gross_ttm),
        passive_net_ttm=to_cents(passive_net_ttm),
        total_net_ttm=to_cents(total_net_ttm),
        passive_share=figures.passive_share(
            passive_net_ttm=passive_net_ttm, total_net_ttm=total_net_ttm
        ),
        expense_coverage=figures.expense_coverage(
            passive_net_ttm=passive_net_ttm, monthly_expenses=profile.monthly_expenses
        ),
        concentration=concentration,
        concentration_warnings=warnings,
        missing_rates=sorted(missing),
        category_names=names,
    )


def _month_sum(sources: list[SourceFigures], month: date, *, gross: bool = False) -> Decimal:
    """The sources' net (or gross) of ``month``, in cents."""
    with localcontext(EXACT):
        return to_cents(
            sum(
                ((f.monthly_gross if gross else f.monthly_net).get(month, ZERO) for f in sources),
                ZERO,
            )
        )


def _monthly_series(per_source: list[SourceFigures]) -> MonthlySeries:
    """The sources' monthly nets and grosses summed per month: passive, active, by category."""
    passive_net: dict[date, Decimal] = {}
    passive_gross: dict[date, Decimal] = {}
    active_net: dict[date, Decimal] = {}
    by_category: dict[str, dict[date, Decimal]] = {}
    for figures_of in per_source:
        category = figures_of.source.category
        if not category.is_passive:
            for month, net in figures_of.monthly_net.items():
                active_net[month] = active_net.get(month, ZERO) + net
            continue
        if not figures_of.monthly_net:
            continue
        of_category = by_category.setdefault(category.slug, {})
        gross = figures_of.monthly_gross
        for month, net in figures_of.monthly_net.items():
            passive_net[month] = passive_net.get(month, ZERO) + net
            passive_gross[month] = passive_gross.get(month, ZERO) + gross[month]
            of_category[month] = of_category.get(month, ZERO) + net
    return MonthlySeries(
        passive_net=passive_net,
        passive_gross=passive_gross,
        active_net=active_net,
        passive_net_by_category=by_category,
    )
