"""Seeded test data in bulk: users with ten sources and a payment per source and month.

The mix follows the demo (``income.demo``): a USD ETF with US withholding tax, P2P
interest, a rented flat, royalties, affiliate and ad revenue, a course, a membership, a
SaaS and freelance work as the active contrast. Rows are written with ``bulk_create``
in large batches, since the set-up is not what is timed; only Django is needed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from finance.schedule import add_months, month_start
from income.changes import owner_data_changed
from income.models import ExchangeRate, IncomeCategory, IncomeSource, Payment, Profile, TaxProfile
from reports.models import ReportSnapshot

BATCH = 5000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SourceKind:
    name: str
    category: str
    currency: str
    tax_profile: str | None
    low: int  # gross per month, in whole units
    high: int
    withholding: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)


SOURCES = (
    SourceKind("FTSE All-World ETF", "etf-dividends", "USD", "de-equity-fund", 60, 140,
               withholding=Decimal("0.15")),
    SourceKind("P2P loan portfolio", "p2p-interest", "EUR", "de-capital-gains", 40, 80),
    SourceKind("Flat in Leipzig", "rent", "EUR", None, 650, 750, fee=Decimal("0.08")),
    SourceKind("E-book royalties", "licences", "EUR", None, 120, 320),
    SourceKind("Niche affiliate blog", "affiliate", "EUR", None, 200, 600),
    SourceKind("Video ad revenue", "advertising", "EUR", None, 50, 250),
    SourceKind("Online course", "online-courses", "EUR", None, 100, 900, fee=Decimal("0.05")),
    SourceKind("Membership community", "membership", "EUR", None, 150, 450,
               fee=Decimal("0.03")),
    SourceKind("Small SaaS", "saas", "EUR", None, 300, 1200, fee=Decimal("0.03")),
    SourceKind("Freelance development", "freelance", "EUR", None, 2000, 6000),
)  # fmt: skip


#: source id, date, gross, tax withheld, fees, currency
PaymentRow = tuple[int, date, Decimal, Decimal, Decimal, str]


def payments_write(rows: list[PaymentRow]) -> None:
    """Write payments: PostgreSQL's COPY when there, else ``bulk_create`` in batches."""
    if connection.vendor != "postgresql":
        Payment.objects.bulk_create(
            (
                Payment(source_id=s, date=d, gross=g, tax_withheld=t, fees=f, currency=c)
                for s, d, g, t, f, c in rows
            ),
            batch_size=BATCH,
        )
        return
    columns = "source_id, date, gross, tax_withheld, fees, currency, note, created_at"
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        copy_sql = f"COPY {Payment._meta.db_table} ({columns}) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row((*row, "", now))


def last_months(count: int, *, today: date) -> list[date]:
    """The first days of the ``count`` months before ``today``'s month, oldest first."""
    current = month_start(today)
    return [add_months(current, offset) for offset in range(-count, 0)]


def usd_rates(*, first: date, today: date, rng: random.Random) -> int:
    """A USD rate per weekday, as the ECB publishes them, from ``first`` to ``today``."""
    rows, day, rate = [], first, 1.08
    while day <= today:
        if day.weekday() < 5:
            rate = min(max(rate * (1 + rng.gauss(0, 0.004)), 0.95), 1.25)
            rows.append(ExchangeRate(date=day, currency="USD", rate=Decimal(f"{rate:.4f}")))
        day += timedelta(days=1)
    ExchangeRate.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def users_with_sources(
    *, count: int, start: date, rng: random.Random, prefix: str
) -> list[IncomeSource]:
    """``count`` users with a profile and the ten ``SOURCES`` each; their sources, in order."""
    categories = {c.slug: c for c in IncomeCategory.objects.all()}
    taxes = {t.slug: t for t in TaxProfile.objects.all()}
    # An unusable password: hashing one per user would take longer than the whole set-up.
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n:05}", email=f"{prefix}{n:05}@example.com", password="!")
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                monthly_expenses=Decimal(rng.randrange(1500, 4000)),
                hourly_value=Decimal(rng.randrange(20, 80)),
                default_tax_profile=taxes["de-capital-gains"],
            )
            for user in users
        ],
        batch_size=BATCH,
    )
    return IncomeSource.objects.bulk_create(
        [
            IncomeSource(
                owner=user,
                name=kind.name,
                category=categories[kind.category],
                currency=kind.currency,
                start_date=start,
                tax_profile=taxes[kind.tax_profile] if kind.tax_profile else None,
                invested_capital=Decimal(rng.randrange(5000, 80000)),
                expected_yield=Decimal("0.04"),
                upfront_investment=Decimal(rng.randrange(0, 5000)),
                setup_hours=Decimal(rng.randrange(0, 100)),
                maintenance_hours_per_month=Decimal(rng.randrange(0, 10)),
                payout_rhythm="monthly",
            )
            for user in users
            for kind in SOURCES
        ],
        batch_size=BATCH,
    )


def users_with_payments(
    *, count: int, months: int, today: date, seed: int, prefix: str = "bench"
) -> list[int]:
    """``count`` users, each with the ten sources and ``months`` payments per source.

    Returns the users' ids. Their data is not marked changed yet (``data_changed``).
    """
    rng = random.Random(seed)
    calendar = last_months(months, today=today)
    usd_rates(first=calendar[0] - timedelta(days=14), today=today, rng=rng)

    sources = users_with_sources(count=count, start=calendar[0], rng=rng, prefix=prefix)
    rows: list[PaymentRow] = []
    for index, source in enumerate(sources):
        kind = SOURCES[index % len(SOURCES)]
        for month in calendar:
            gross = Decimal(rng.randrange(kind.low * 100, kind.high * 100)) * CENT
            rows.append(
                (
                    source.pk,
                    month.replace(day=rng.randrange(1, 29)),
                    gross,
                    (gross * kind.withholding).quantize(CENT),
                    (gross * kind.fee).quantize(CENT),
                    kind.currency,
                )
            )
    payments_write(rows)
    return sorted({source.owner_id for source in sources})


def data_changed(user_ids: list[int]) -> None:
    """Mark the users' data changed as every write service of the app does.

    ``income.changes.owner_data_changed`` stamps the profile and, after commit, asks for a
    debounced recompute per user (a job row and a delayed message): the caller removes
    those if it times a recompute of its own.
    """
    with transaction.atomic():
        for user_id in user_ids:
            owner_data_changed(owner_id=user_id)


def snapshots_copy(*, template: int, user_ids: list[int], fingerprint: str) -> None:
    """Give each user a copy of ``template``'s report snapshots, computed now (PostgreSQL).

    All users have the same calendar and mix of sources, so the copies stand for reports
    computed before, with the months and sizes the users' own would have. One
    ``INSERT … SELECT``: ``bulk_create`` of 60,000 rows of JSON takes a minute.
    """
    table = ReportSnapshot._meta.db_table
    copied = [
        field.column
        for field in ReportSnapshot._meta.concrete_fields
        if field.column and field.column not in {"id", "owner_id", "fingerprint", "computed_at"}
    ]
    columns = ", ".join(copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (owner_id, fingerprint, computed_at, {columns}) "
            f"SELECT u.id, %s, %s, {columns} FROM {table} s "
            "CROSS JOIN unnest(%s::bigint[]) AS u(id) WHERE s.owner_id = %s",
            [fingerprint, timezone.now(), [u for u in user_ids if u != template], template],
        )
