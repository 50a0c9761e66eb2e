"""Three years of a realistic passive-income mix, for trying Ertrag out (``seed_demo``).

Every row goes through the services, so the demo obeys the same rules as real input.
The numbers are drawn from a seeded random generator: the same day gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from finance.rounding import to_cents
from finance.schedule import add_months, month_start
from income import services
from income.models import ExchangeRate, IncomeCategory, IncomeSource, TaxProfile

D = Decimal
ZERO = Decimal(0)
US_WITHHOLDING = D("0.15")
YEARS = 3


@dataclass(frozen=True)
class DemoResult:
    user: User
    password: str
    sources: int
    payments: int


def _category(slug: str) -> IncomeCategory:
    return IncomeCategory.objects.get(slug=slug)


def _tax(slug: str) -> TaxProfile:
    return TaxProfile.objects.get(slug=slug)


def _months(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _ensure_usd_rates(months: list[date], rng: random.Random) -> int:
    """Approximate monthly USD rates where none exist, so the demo converts.

    Real figures need the ECB's rates (admin: exchange rates); these only fill gaps.
    """
    have = set(
        ExchangeRate.objects.filter(currency="USD", date__in=months).values_list("date", flat=True)
    )
    rate, created = D("1.0800"), []
    for month in months:
        rate = (rate + D(str(round(rng.uniform(-0.02, 0.02), 4)))).quantize(D("0.0001"))
        rate = min(max(rate, D("1.0200")), D("1.1600"))
        if month not in have:
            created.append(ExchangeRate(date=month, currency="USD", rate=rate))
    ExchangeRate.objects.bulk_create(created)
    return len(created)


@transaction.atomic
def demo_create(*, username: str, password: str, today: date) -> DemoResult:
    """Create ``username`` with seven sources and three years of payments up to ``today``,
    and the values of the ETF and the flat once a year."""
    rng = random.Random(f"ertrag-demo-{today.isoformat()}")  # noqa: S311 - demo figures, not secrets
    user = services.user_register(
        username=username, email=f"{username}@example.com", password=password, language="en"
    )
    services.profile_update(
        user=user,
        monthly_expenses=D("2400.00"),
        hourly_value=D("45.00"),
        home_country="DE",
        default_tax_profile=_tax("de-capital-gains"),
        marginal_tax_rate=D("0.35"),
    )
    start = add_months(month_start(today), -12 * YEARS)
    months = _months(start, today)
    _ensure_usd_rates(months, rng)
    payments = 0

    def pay(
        source: IncomeSource,
        day: date,
        gross: D,
        tax: D = ZERO,
        fees: D = ZERO,
        note: str = "",
        foreign_tax: D = ZERO,
    ) -> None:
        nonlocal payments
        if day > today or gross <= 0:
            return
        services.payment_create(
            owner=user, source=source, date=day, gross=to_cents(gross),
            tax_withheld=to_cents(tax), foreign_tax=to_cents(foreign_tax), fees=to_cents(fees),
            note=note,
            external_id=f"demo-{source.pk}-{day.isoformat()}",
        )  # fmt: skip
        payments += 1

    etf = services.source_create(
        owner=user, name="FTSE All-World ETF", category=_category("etf-dividends"),
        currency="USD", start_date=start, tax_profile=_tax("de-equity-fund"), fund_type="equity",
        invested_capital=D("60000"), expected_yield=D("0.018"), upfront_investment=D("60000"),
        setup_hours=D("4"), maintenance_hours_per_month=D("0.5"), payout_rhythm="quarterly",
        next_payout_date=add_months(month_start(today), (3 - today.month % 3) % 3).replace(day=25),
        platform="Broker", country="IE",
    )  # fmt: skip
    p2p = services.source_create(
        owner=user, name="P2P loan portfolio", category=_category("p2p-interest"),
        start_date=start, tax_profile=_tax("de-capital-gains"), invested_capital=D("8000"),
        expected_yield=D("0.09"), upfront_investment=D("8000"), setup_hours=D("6"),
        maintenance_hours_per_month=D("1"), payout_rhythm="monthly", platform="P2P platform",
        country="LV",
    )  # fmt: skip
    flat = services.source_create(
        owner=user, name="Flat in Leipzig", category=_category("rent"), start_date=start,
        purchase_price=D("180000"), building_share=D("0.72"), completion_year=1996,
        monthly_rent=D("750"), vacancy_rate=D("0.04"),
        management_fee_rate=D("0.08"), monthly_running_costs=D("120"),
        upfront_investment=D("36000"), monthly_costs=D("180"), setup_hours=D("60"),
        maintenance_hours_per_month=D("3"), payout_rhythm="monthly", platform="Tenant",
        country="DE",
    )  # fmt: skip
    ebook = services.source_create(
        owner=user, name="E-book: Passive income for solopreneurs", category=_category("licences"),
        start_date=add_months(start, 4), expected_monthly_amount=D("220"),
        annual_growth_rate=D("0.05"), upfront_investment=D("600"), setup_hours=D("120"),
        maintenance_hours_per_month=D("1"), payout_rhythm="monthly", platform="E-book store",
        country="US",
    )  # fmt: skip
    blog = services.source_create(
        owner=user, name="Niche affiliate blog", category=_category("affiliate"),
        start_date=start, expected_monthly_amount=D("400"), annual_growth_rate=D("0.25"),
        upfront_investment=D("300"), monthly_costs=D("25"), setup_hours=D("200"),
        maintenance_hours_per_month=D("8"), payout_rhythm="monthly",
        platform="Affiliate network", country="DE",
    )  # fmt: skip
    club = services.source_create(
        owner=user, name="Membership community", category=_category("membership"),
        start_date=add_months(start, 8), price_per_subscriber=D("15"), current_subscribers=0,
        new_subscribers_per_month=12, monthly_churn_rate=D("0.04"), monthly_costs=D("49"),
        setup_hours=D("80"), maintenance_hours_per_month=D("10"), payout_rhythm="monthly",
        platform="Payment provider", country="DE",
    )  # fmt: skip
    freelance = services.source_create(
        owner=user, name="Freelance development", category=_category("freelance"),
        start_date=start, payout_rhythm="monthly", platform="Clients", country="DE",
    )  # fmt: skip

    subscribers = 0
    for index, month in enumerate(months):
        if month.month % 3 == 0:  # quarterly dividend, 15 % US withholding
            gross = D("60000") * D("0.018") / 4 * D(str(round(rng.uniform(0.9, 1.12), 3)))
            withheld = gross * US_WITHHOLDING  # withheld abroad, before the German bank
            pay(etf, month.replace(day=25), gross, tax=withheld, foreign_tax=withheld,
                note="Dividend")  # fmt: skip
        pay(
            p2p,
            month.replace(day=1),
            D("8000") * D("0.09") / 12 * D(str(round(rng.uniform(0.7, 1.05), 3))),
        )
        if not (index == 14 or index == 15):  # two months of vacancy in the second year
            pay(flat, month.replace(day=3), D("750"), note="Rent")
        if month >= ebook.start_date:
            age = index - 4
            royalty = (
                D("220") * D(str(round(rng.uniform(0.6, 1.4), 3))) * (1 + D("0.05") * age / 12)
            )
            pay(ebook, month.replace(day=15), royalty, fees=royalty * D("0.3"), note="Royalties")
        blog_income = D(50) + D(15) * index + D(str(round(rng.uniform(-40, 60), 2)))
        pay(blog, month.replace(day=20), blog_income, note="Commissions")
        services.effort_log_create(
            owner=user, source=blog, month=month, hours=D(str(round(rng.uniform(4, 14), 1)))
        )
        if month >= club.start_date:
            start_count = subscribers
            churned = round(start_count * rng.uniform(0.02, 0.07))
            new = rng.randint(8, 18)
            services.period_create(
                owner=user, source=club, month=month, subscribers_start=start_count,
                new_subscribers=new, churned_subscribers=churned,
                mrr_new=D(15) * new, mrr_churned=D(15) * churned,
            )  # fmt: skip
            subscribers = start_count + new - churned
            revenue = D(15) * subscribers
            pay(
                club,
                month.replace(day=28),
                revenue,
                fees=revenue * D("0.029") + D("0.25") * subscribers,
                note="Memberships",
            )
            services.effort_log_create(
                owner=user, source=club, month=month, hours=D(str(round(rng.uniform(6, 16), 1)))
            )
        pay(freelance, month.replace(day=28), D(rng.randint(3500, 6500)), note="Invoices")
    services.source_update(source=club, current_subscribers=subscribers)
    # What the ETF and the flat are worth: their total return counts it (PRODUCT.md §3).
    # The flat's value is its equity: the market value less the loan still owed.
    for source, amounts, note in (
        (etf, ("60000", "64150", "61900", "66420"), "Depot value"),
        (flat, ("36000", "38900", "41300", "43800"), "Market value less the loan"),
    ):
        for years, amount in enumerate(amounts):
            services.asset_value_create(
                owner=user,
                source=source,
                date=min(add_months(start, 12 * years), today),
                value=D(amount),
                note=note,
            )
    _tax_records(user=user, etf=etf, flat=flat, blog=blog, start=start, today=today)
    _members(user=user, club=club, today=today)
    # The saver's allowance given to the two banks that pay capital income (issue 22).
    for year in range(start.year, today.year + 1):
        for bank, amount in (("Broker", "300"), ("P2P platform", "700")):
            services.allowance_order_set(owner=user, year=year, bank=bank, amount=D(amount))
    return DemoResult(user=user, password=password, sources=7, payments=payments)


#: The ETF's price per unit at the start of each calendar year since the demo's start.
ETF_PRICES = ("92.3077", "98.6923", "95.2308", "102.1846", "104.0000")
ETF_UNITS = D("650")


def _tax_records(
    *, user: User, etf: IncomeSource, flat: IncomeSource, blog: IncomeSource, start: date,
    today: date,
) -> None:  # fmt: skip
    """What the tax year needs beside payments (issue 22): the flat's repairs, loan
    interest and the refund of a running-costs settlement, the blog's hosting, and the
    ETF's units and prices of every year that has ended (bought in its first)."""
    for year in range(start.year, today.year + 1):
        for source, day, kind, amount, note in (
            (flat, date(year, 2, 10), "running", "-60.00", "Service charge settlement"),
            (flat, date(year, 6, 15), "maintenance", "850.00", "Repairs"),
            (flat, date(year, 12, 30), "loan_interest", "2400.00", "Loan interest"),
            (blog, date(year, 1, 5), "other", "120.00", "Hosting"),
        ):
            if start <= day <= today:
                services.cost_create(
                    owner=user, source=source, date=day, kind=kind, amount=D(amount), note=note
                )
    for index, year in enumerate(range(start.year, today.year)):
        services.fund_year_create(
            owner=user, source=etf, year=year, units=ETF_UNITS,
            start_price=D(ETF_PRICES[index]), end_price=D(ETF_PRICES[index + 1]),
            bought_on=start if start.year == year else None,
        )  # fmt: skip


#: The club's plans (issue 23): basic and pro a month in euros, basic a year, basic a
#: month in dollars for members abroad.
BASIC, PRO, YEARLY, BASIC_USD = D("15"), D("25"), D("150"), D("16")


def _members(*, user: User, club: IncomeSource, today: date) -> None:
    """The club's members as its payment provider knows them: each with a subscription,
    some upgrading to pro (and some of those back down), pausing, cancelling and coming
    back, a few on a yearly plan or
    paying in dollars, a few trials that never paid. A generator of its own, so the rest
    of the demo draws the same numbers as before."""
    rng = random.Random(f"ertrag-demo-members-{today.isoformat()}")  # noqa: S311 - demo figures
    members: list[services.NewCustomer] = []
    for month in _months(club.start_date, today):
        for _ in range(rng.randint(5, 9)):
            started = month.replace(day=rng.randint(1, 28))
            if started <= today:
                members.append(_member(rng, len(members) + 1, started, today))
    services.billing_bulk_create(owner=user, source=club, customers=members)


def _member(rng: random.Random, number: int, started: date, today: date) -> services.NewCustomer:
    """One member's subscriptions from ``started`` to ``today``, month by month."""
    external_id = f"cus_demo{number:04d}"
    draw = rng.random()
    amount, currency, interval = (
        (YEARLY, "EUR", "year") if draw < 0.15 else (BASIC_USD, "USD", "month")
        if draw < 0.2 else (BASIC, "EUR", "month")
    )  # fmt: skip
    plan: dict[str, object] = {"amount": amount, "currency": currency, "interval": interval}
    if rng.random() < 0.1:  # a 14-day trial; three in ten never pay
        trial_ends = started + timedelta(days=14)
        if rng.random() < 0.3:
            lapsed = {**plan, "started": started, "trial_ends": trial_ends, "ended": trial_ends}
            return services.NewCustomer(
                external_id=external_id, subscriptions=(services.NewSubscription(fields=lapsed),)
            )
        plan["trial_ends"] = min(trial_ends, today)
    subscriptions: list[services.NewSubscription] = []
    current, month = started, month_start(started)
    pauses: list[services.NewPause] = []
    while (month := add_months(month, 1)) <= today:
        draw = rng.random()
        day = month.replace(day=rng.randint(1, 28))
        if day > today:
            break
        leaves = draw < (0.25 if interval == "year" and month.month == started.month else 0.04)
        if leaves:
            subscriptions.append(
                services.NewSubscription(
                    fields={**plan, "started": current, "ended": day, "cancelled_on": day},
                    pauses=tuple(pauses),
                )
            )
            back = add_months(month, rng.randint(3, 5)).replace(day=day.day)
            if rng.random() > 0.15 or back > today:  # most leave for good
                return services.NewCustomer(
                    external_id=external_id, subscriptions=tuple(subscriptions)
                )
            plan.pop("trial_ends", None)
            current, pauses, month = back, [], month_start(back)
        elif draw < 0.07 and plan["amount"] == BASIC:  # an upgrade to pro
            subscriptions.append(
                services.NewSubscription(
                    fields={**plan, "started": current, "ended": day}, pauses=tuple(pauses)
                )
            )
            plan = {**plan, "amount": PRO}
            plan.pop("trial_ends", None)
            current, pauses = day, []
        elif draw < 0.09 and plan["amount"] == PRO:  # back down to basic
            subscriptions.append(
                services.NewSubscription(
                    fields={**plan, "started": current, "ended": day}, pauses=tuple(pauses)
                )
            )
            plan = {**plan, "amount": BASIC}
            current, pauses = day, []
        elif draw < 0.1 and not pauses and interval == "month":  # two months off
            pauses.append(services.NewPause(starts=day, ends=add_months(day, 2)))
    subscriptions.append(
        services.NewSubscription(fields={**plan, "started": current}, pauses=tuple(pauses))
    )
    return services.NewCustomer(external_id=external_id, subscriptions=tuple(subscriptions))
