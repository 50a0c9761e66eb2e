"""Turn a user's loaded inputs into the rows of ``ReportSnapshot`` (no queries, no writes).

The month rows come from the same ``income.reporting`` figures as the dashboard and the
API, so a stored month equals what the live overview says for it: the monthly series
are each source's payments converted at their date's rate, and the trailing twelve
months are sums over that series, rounded to cents once, as ``overview`` does.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from finance import figures
from finance.money import RateBook
from finance.rounding import to_cents
from finance.schedule import add_months, month_range, month_start, months_between
from income.api.serializers.figures import ShareSerializer, SourceFiguresSerializer
from income.models import IncomeCategory, IncomeSource, SubscriptionPeriod
from income.report_inputs import EarlierMonths, PaymentRow, ReportInputs
from income.reporting import Overview

ZERO = Decimal(0)

#: Bump when a formula changes, so every user's reports are recomputed once.
FORMULA_VERSION = "2026-12-05.2"  # capital and rental: total return, no cash ROI (#17.6)


@dataclass(frozen=True)
class MonthFigures:
    """The figures of one month of one user, ready for ``ReportSnapshot``."""

    month: date
    passive_gross: Decimal
    passive_net: Decimal
    active_net: Decimal
    passive_gross_ttm: Decimal
    passive_net_ttm: Decimal
    total_net_ttm: Decimal
    passive_share: Decimal | None
    expense_coverage: Decimal | None
    # Passive net by category slug (issue 20), each with the category's name in both
    # languages, as ``concentration_json`` stores a category's: read in either language
    # without a query (``reports.dashboard.stored_by_category``).
    by_category: dict[str, dict[str, str]]
    sources: list[dict[str, Any]]

    @property
    def compared(self) -> tuple[object, ...]:
        """The figures of ``reports.services.COMPARED_FIELDS`` after currency and expenses."""
        return (
            self.passive_gross, self.passive_net, self.active_net, self.passive_gross_ttm,
            self.passive_net_ttm, self.total_net_ttm, self.passive_share,
            self.expense_coverage, self.by_category,
        )  # fmt: skip


# One instance each, used through ``to_representation``: a serializer built per call
# copies its declared fields every time, which a sweep would do for every user.
_SOURCE_FIGURES = SourceFiguresSerializer()
_SHARE = ShareSerializer()

_PERIOD_FIELDS = [f.attname for f in SubscriptionPeriod._meta.concrete_fields]
# The fields of a ``PaymentRow``, for ``map``.
_DAY, _GROSS, _NET, _CURRENCY = (itemgetter(n) for n in range(4))


@dataclass(frozen=True)
class InputsDigest:
    """Hashes of a user's inputs, made in one pass over their payments."""

    fingerprint: str  # of everything the figures depend on: equal hashes, equal figures
    past_payments: str  # of the payments dated before the current month, per source


def inputs_digest(
    inputs: ReportInputs,
    *,
    extra: Iterable[object] = (),
    earlier: tuple[date, str] | None = None,
) -> InputsDigest:
    """The fingerprint of ``inputs``, and the hash of its payments before this month.

    The fingerprint covers the profile's figures, every source (through its
    ``updated_at`` and its category's flags), every payment, period, effort log, asset
    value and exchange rate read, the day, and ``FORMULA_VERSION``; ``extra`` adds what
    the caller reads besides (the tax rates of the independence projection).

    With ``earlier`` (a day, and the database's fingerprint of the payments dated before
    it: ``reports.selectors.payment_digests_before``) those payments count as that
    fingerprint, so the hashes are the same whether they were loaded or are summed in
    ``inputs.earlier``.
    """
    digest = hashlib.sha256()
    past = hashlib.sha256()

    def add(*values: object) -> None:
        digest.update(repr(values).encode())
        digest.update(b"\n")

    profile = inputs.profile
    current = month_start(inputs.as_of)
    add(FORMULA_VERSION, inputs.as_of, *extra)
    add(profile.base_currency, profile.monthly_expenses, profile.hourly_value,
        profile.default_tax_profile_id, profile.filing_status, profile.church_tax_rate,
        profile.marginal_tax_rate)  # fmt: skip
    for source in inputs.sources:
        category = source.category
        add("source", source.pk, source.updated_at, category.pk, category.name_en,
            category.name_de, category.is_passive, category.model, category.slug,
            category.tax_treatment)  # fmt: skip
    if earlier is not None:
        add("earlier", *earlier)
        past.update(repr(("earlier", *earlier)).encode())
    for source_id in sorted(inputs.payments):
        rows = inputs.payments[source_id]  # by day
        if earlier is not None:
            rows = rows[bisect_left(rows, earlier[0], key=_DAY) :]
            if not rows:
                continue
        split = bisect_left(rows, current, key=_DAY)
        before = _payments_bytes(rows[:split])
        add("payments", source_id, split, len(rows))
        digest.update(before)
        digest.update(_payments_bytes(rows[split:]))
        past.update(repr((source_id, split)).encode())
        past.update(before)
    for source_id in sorted(inputs.periods):
        for period in inputs.periods[source_id]:
            add("period", *(getattr(period, name) for name in _PERIOD_FIELDS))
    for source_id in sorted(inputs.efforts):
        add("effort", source_id, sorted(inputs.efforts[source_id].items()))
    for source_id in sorted(inputs.asset_values):
        add("values", source_id, inputs.asset_values[source_id])
    add("rates", inputs.rates.digest)
    return InputsDigest(fingerprint=digest.hexdigest(), past_payments=past.hexdigest())


def _payments_bytes(rows: list[PaymentRow]) -> bytes:
    """What the figures read of ``rows`` (day, gross, net, currency), compactly, for the hash.

    A repr of every payment cost more than the rest of a recompute's hashing: here the
    days are their ordinals, the amounts their ``str`` (exact, and quick for a Decimal)
    and the currencies one string, each in the rows' order.
    """
    days = array("q", map(date.toordinal, map(_DAY, rows)))
    grosses = " ".join(map(str, map(_GROSS, rows)))
    nets = " ".join(map(str, map(_NET, rows)))
    currencies = "".join(map(_CURRENCY, rows))
    return b"|".join((days.tobytes(), grosses.encode(), nets.encode(), currencies.encode()))


def earlier_key(inputs: ReportInputs, *, until: date, payments_digest: str) -> str:
    """What ``EarlierMonths`` up to ``until`` are made of besides the payments'
    fingerprint: the currency they are in, the rates before ``until`` and the formulas."""
    return _hash(
        FORMULA_VERSION,
        until,
        inputs.profile.base_currency,
        payments_digest,
        inputs.rates.digest_before(until),
    )


def earlier_json(sums: EarlierMonths) -> dict[str, Any]:
    """``sums`` as JSON for ``ReportHistory.months``: per source the months that have
    payments (numbered from ``until``'s, so 0 is the month before it), and their amounts,
    exact, in the same order."""
    sources: dict[str, dict[str, list[Any] | None]] = {}
    for source_id, net in sums.net.items():
        gross = sums.gross[source_id]
        sources[str(source_id)] = {
            "months": [months_between(month, sums.until) for month in net],
            "net": [str(amount) for amount in net.values()],
            # Null where nothing was deducted: the same amounts, read once.
            "gross": None if gross == net else [str(gross[month]) for month in net],
        }
    return {
        "currencies": sorted(sums.currencies),
        "missing": sorted(sums.missing),
        "sources": sources,
    }


def earlier_from_json(data: dict[str, Any], *, until: date) -> EarlierMonths:
    """The ``EarlierMonths`` that ``earlier_json`` wrote (its values made by ``map``: a
    recompute reads a few hundred of them per user)."""
    net: dict[int, dict[date, Decimal]] = {}
    gross: dict[int, dict[date, Decimal]] = {}
    for key, row in data["sources"].items():
        source_id = int(key)
        back = row["months"]
        # Rounded up to whole decades, so that a few cached tuples serve every source.
        months = _months_back(until, count=-(-(max(back, default=0) + 1) // 120) * 120)
        keys = list(map(months.__getitem__, back))
        net[source_id] = dict(zip(keys, map(Decimal, row["net"]), strict=True))
        gross[source_id] = (
            net[source_id]
            if row["gross"] is None
            else dict(zip(keys, map(Decimal, row["gross"]), strict=True))
        )
    return EarlierMonths(
        until=until,
        net=net,
        gross=gross,
        currencies=frozenset(data["currencies"]),
        missing=frozenset(data["missing"]),
    )


@lru_cache(maxsize=64)
def _months_back(until: date, *, count: int) -> tuple[date, ...]:
    """The ``count`` months up to ``until`` by their distance to it (0 is ``until``'s)."""
    return tuple(add_months(until, -back) for back in range(count))


def history_key(view: Overview, *, since: date, past_payments: str, rates: RateBook) -> str:
    """A hash of everything the months from ``since`` to the one before ``view``'s say.

    Those months' figures are sums of the payments dated before the current month
    (``past_payments``, from ``inputs_digest``) converted at the rates of their days
    (``rates``' before this month), per source and category (its slug and its names,
    which ``by_category`` stores, and whether it is passive), in the currency, against the monthly
    expenses, from ``since`` on (before which there is no payment), by the formulas of
    ``FORMULA_VERSION``. While the key is the one stored, the months are what is
    stored: a recompute after a payment of this month computes and writes the current
    month only. The category's names are in it in both languages, not in the active
    one: a recompute in another language finds the months as they are.
    """
    current = month_start(view.as_of)
    sources = [
        (f.source.pk, f.source.category_id, f.source.category.is_passive,
         f.source.category.slug, f.source.category.name_en, f.source.category.name_de)
        for f in view.sources
    ]  # fmt: skip
    return _hash(
        FORMULA_VERSION,
        view.currency,
        view.profile.monthly_expenses,
        since,
        past_payments,
        rates.digest_before(current),
        sources,
    )


def _hash(*values: object) -> str:
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _ttm_by_month(series: dict[date, Decimal], months: Sequence[date]) -> dict[date, Decimal]:
    """The trailing twelve months of ``series`` at each of ``months`` (consecutive, ascending).

    A running sum: each month adds itself and drops the month twelve back, instead of
    re-adding twelve months for every month. Every amount is in cents, so the sums are
    exact and equal to summing each window afresh (``figures.ttm``).
    """
    if not months:
        return {}
    # The eleven months before the first, then ``months``: months[i] is values[i + 11].
    values = [
        series.get(month, ZERO) for month in month_range(add_months(months[0], -11), months[-1])
    ]
    total = sum(values[:11], ZERO)
    result: dict[date, Decimal] = {}
    for index, month in enumerate(months):
        total += values[index + 11]
        result[month] = total
        total -= values[index]
    return result


def _money(value: Decimal) -> str:
    return str(to_cents(value))


def _running(source: IncomeSource, month: date) -> bool:
    """Whether the source ran during ``month`` (started before its end, not ended before)."""
    return source.start_date < add_months(month, 1) and (
        source.end_date is None or source.end_date >= month
    )


def first_month(view: Overview) -> date:
    """The month of the first recorded payment (or the current month without any)."""
    current = month_start(view.as_of)
    seen = [month for f in view.sources for month in f.monthly_net]
    return min([*seen, current])


def month_figures(
    view: Overview, *, since: date | None = None, kept: tuple[date, date] | None = None
) -> list[MonthFigures]:
    """One ``MonthFigures`` per month from ``since`` (or the first payment) to ``as_of``.

    ``since`` may be the current month: then only that one is computed.

    The last one, the current month, carries the full per-source figures to date; the
    earlier ones each source's gross, net and trailing twelve months of that month,
    except the past months in ``kept`` (first, last): they are stored already, and a
    stored month keeps the per-source figures it was first written with, so they are
    not computed (``sources`` is empty) — a sweep over a user's history skips 600 rows.
    """
    current = month_start(view.as_of)
    months = month_range(since or first_month(view), add_months(current, -1))
    rows = _past_month_figures(view, months=months, kept=kept) if months else []
    rows.append(current_month_figures(view))
    return rows


def current_month_figures(view: Overview) -> MonthFigures:
    """The current month's row, from the overview's own figures as of its day: no pass
    over the user's history, which a payment of this month leaves as it was."""
    current = month_start(view.as_of)
    by_category: dict[str, Decimal] = {}
    categories: dict[str, IncomeCategory] = {}
    for f in view.sources:
        if f.source.category.is_passive and current in f.monthly_net:
            slug = f.source.category.slug
            categories[slug] = f.source.category
            by_category[slug] = by_category.get(slug, ZERO) + f.monthly_net[current]
    return MonthFigures(
        month=current,
        passive_gross=view.passive_gross_by_month[current],
        passive_net=view.passive_net_by_month[current],
        active_net=view.active_net_by_month[current],
        passive_gross_ttm=view.passive_gross_ttm,
        passive_net_ttm=view.passive_net_ttm,
        total_net_ttm=view.total_net_ttm,
        passive_share=view.passive_share,
        expense_coverage=view.expense_coverage,
        by_category={
            slug: _category_net(categories[slug], amount)
            for slug, amount in sorted(by_category.items())
        },
        sources=[dict(_SOURCE_FIGURES.to_representation(f)) for f in view.sources],
    )


def _past_month_figures(
    view: Overview, *, months: Sequence[date], kept: tuple[date, date] | None
) -> list[MonthFigures]:
    """The rows of ``months`` (consecutive, before the current one), from the history's
    monthly sums: each source's gross, net and trailing twelve months of the month,
    except in the ``kept`` months (see ``month_figures``)."""
    series = view.series
    passive_net, passive_gross = series.passive_net, series.passive_gross
    by_category = sorted(series.passive_net_by_category.items())
    categories = {f.source.category.slug: f.source.category for f in view.sources}
    expenses = view.profile.monthly_expenses
    passive_net_ttm = _ttm_by_month(passive_net, months)
    passive_gross_ttm = _ttm_by_month(passive_gross, months)
    active_net_ttm = _ttm_by_month(series.active_net, months)
    source_net_ttm: list[dict[date, Decimal]] | None = None  # only for months not kept
    rows = []
    for month in months:
        passive_ttm = passive_net_ttm[month]
        total_ttm = passive_ttm + active_net_ttm[month]
        if kept is not None and kept[0] <= month <= kept[1]:
            sources = []
        else:
            if source_net_ttm is None:
                source_net_ttm = [_ttm_by_month(f.monthly_net, months) for f in view.sources]
            sources = [
                {
                    "id": f.source.pk,
                    "name": f.source.name,
                    "category": f.source.category.slug,
                    "category_id": f.source.category_id,
                    "gross": _money(f.monthly_gross.get(month, ZERO)),
                    "net": _money(f.monthly_net.get(month, ZERO)),
                    "net_ttm": _money(net_ttm[month]),
                }
                for f, net_ttm in zip(view.sources, source_net_ttm, strict=True)
                if _running(f.source, month) or net_ttm[month]
            ]
        rows.append(
            MonthFigures(
                month=month,
                passive_gross=to_cents(passive_gross.get(month, ZERO)),
                passive_net=to_cents(passive_net.get(month, ZERO)),
                active_net=to_cents(series.active_net.get(month, ZERO)),
                passive_gross_ttm=to_cents(passive_gross_ttm[month]),
                passive_net_ttm=to_cents(passive_ttm),
                total_net_ttm=to_cents(total_ttm),
                passive_share=figures.passive_share(
                    passive_net_ttm=passive_ttm, total_net_ttm=total_ttm
                ),
                expense_coverage=figures.expense_coverage(
                    passive_net_ttm=passive_ttm, monthly_expenses=expenses
                ),
                by_category={
                    slug: _category_net(categories[slug], amounts[month])
                    for slug, amounts in by_category
                    if month in amounts
                },
                sources=sources,
            )
        )
    return rows


def _category_net(category: IncomeCategory, amount: Decimal) -> dict[str, str]:
    """A category's passive net of a month as ``by_category`` stores it under its slug."""
    return {
        "passive_net": _money(amount),
        "label_en": category.name_en,
        "label_de": category.name_de,
    }


def concentration_json(view: Overview) -> dict[str, list[dict[str, str]]]:
    """The shares as the API writes them; a category's with its name in both languages
    (``label_en``, ``label_de``), so that a snapshot is read in either without a query."""
    categories = {f.source.category.slug: f.source.category for f in view.sources}
    result: dict[str, list[dict[str, str]]] = {}
    for key, shares in view.concentration.items():
        rows = []
        for share in shares:
            row = dict(_SHARE.to_representation(share))
            category = categories.get(share.code or "") if key == "category" else None
            if category is not None:
                row["label_en"], row["label_de"] = category.name_en, category.name_de
            rows.append(row)
        result[key] = rows
    return result
