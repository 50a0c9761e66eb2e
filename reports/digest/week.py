"""The weekly e-mail digest: what one user's week brought (reads only; sending is in
``reports.digest.sending``).

The week of a digest is the previous full ISO week, Monday to Sunday, before the Monday
of the week ``today`` falls in. The beat task runs on Monday at 07:00, so it reports the
seven days that ended last night; a run later in the same week (a retry, a manual run
on Wednesday) reports the same week, and its sent-marker (``DigestDelivery.week``, the
reported week's Monday) stops a second mail.

Every figure comes from the code that computes it for the pages: the week's income is
the payments' net converted at their date's rate with the reports' ``RateBook`` (so a
week adds up to what the month shows), overdue payouts are the income calendar's,
sources behind plan are ``flagged_for``'s, and the independence month is the
projection's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from finance import figures
from finance.errors import DomainError
from finance.rounding import to_cents
from income.calendar import income_calendar
from income.report_inputs import report_inputs
from reports.models import ReportSnapshot
from reports.selectors import passive_net_by_month
from scenarios.plan_actual import flagged_for
from scenarios.selectors import independence_month

logger = logging.getLogger(__name__)

ZERO = Decimal(0)

#: Separates the unsubscribe tokens from every other use of ``SECRET_KEY``.
UNSUBSCRIBE_SALT = "reports.digest.unsubscribe"


@dataclass(frozen=True)
class DigestWeek:
    """Monday to Sunday, both days included."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        """The first moment of the week in the project's time zone."""
        return timezone.make_aware(datetime.combine(self.start, time.min))


def digest_week(today: date) -> DigestWeek:
    """The full week before the one ``today`` falls in (see the module docstring)."""
    this_monday = today - timedelta(days=today.weekday())
    start = this_monday - timedelta(days=7)
    return DigestWeek(start=start, end=start + timedelta(days=6))


@dataclass(frozen=True)
class IncomeLine:
    """What one source brought in the week, net, in the base currency."""

    source: str
    passive: bool
    payments: int
    net: Decimal


@dataclass(frozen=True)
class OverdueLine:
    source: str
    month: date


@dataclass(frozen=True)
class BehindPlanLine:
    scenario: str
    source: str
    shortfall: Decimal


#: How the independence month moved since the figure stored before the week began.
#: ``no_earlier``: no figure from before the week; ``reached``: not reached then, now
#: reached; ``lost``: reached then, no longer; ``not_reached``: neither then nor now.
IndependenceChange = Literal[
    "earlier", "later", "unchanged", "reached", "lost", "not_reached", "no_earlier"
]


@dataclass(frozen=True)
class IndependenceMove:
    now: date | None
    before: date | None
    change: IndependenceChange
    #: Without monthly expenses there is nothing to cover: "not reached" needs that hint.
    expenses_set: bool
    #: Already independent (§3): the digest says since when, not a projected month,
    #: which would only be the current month again, "later" every month.
    since: figures.Independence | None = None


def independence_change(
    *, now: date | None, before: date | None, had_before: bool
) -> IndependenceChange:
    """Name the move from ``before`` to ``now``; an earlier month is the good news."""
    if not had_before:
        return "no_earlier"
    if now is None:
        return "not_reached" if before is None else "lost"
    if before is None:
        return "reached"
    if now < before:
        return "earlier"
    if now > before:
        return "later"
    return "unchanged"


@dataclass(frozen=True)
class Digest:
    """One user's week, in their base currency; the templates only show it."""

    owner: User
    week: DigestWeek
    currency: str
    income: list[IncomeLine]
    income_total: Decimal
    passive_total: Decimal
    missing_rates: list[str]
    overdue: list[OverdueLine]
    behind_plan: list[BehindPlanLine]
    independence: IndependenceMove


@dataclass(frozen=True)
class WeekIncome:
    currency: str
    monthly_expenses: Decimal
    lines: list[IncomeLine]
    missing_rates: list[str]


def _week_income(*, owner: User, week: DigestWeek) -> WeekIncome:
    """Per source, the net of the payments dated in ``week``, converted per payment date.

    The conversion is the reports' (``RateBook.convert``, rounded to cents once per
    payment), so the week's figures add up to the month's. A payment without a rate is
    left out and its currency named, as the dashboard does, rather than guessed.
    """
    inputs = report_inputs(owner=owner, as_of=week.end)
    currency = inputs.profile.base_currency
    rates = inputs.rates
    missing: set[str] = set()
    lines = []
    for source in inputs.sources:
        count, net = 0, ZERO
        for payment in inputs.payments.get(source.pk, []):
            if not week.start <= payment.date <= week.end:
                continue
            converted = rates.convert(
                payment.net, currency=payment.currency, to=currency, day=payment.date
            )
            if converted is None:
                missing.add(payment.currency)
                continue
            count += 1
            net += converted
        if count:
            lines.append(
                IncomeLine(
                    source=source.name,
                    passive=source.category.is_passive,
                    payments=count,
                    net=to_cents(net),
                )
            )
    return WeekIncome(
        currency=currency,
        monthly_expenses=inputs.profile.monthly_expenses,
        lines=lines,
        missing_rates=sorted(missing),
    )


def _overdue(*, owner: User, today: date) -> list[OverdueLine]:
    """The calendar's overdue payouts: expected in a month that has passed, none arrived."""
    return [
        OverdueLine(source=row.source.name, month=entry.month)
        for row in income_calendar(owner=owner, today=today)
        for entry in row.entries
        if entry.status == "overdue"
    ]


def _behind_plan(*, owner: User, today: date) -> list[BehindPlanLine]:
    try:
        flagged = flagged_for(owner=owner, today=today)
    except DomainError as error:  # a source outside the projection's bounds
        logger.warning("digest: no plan vs actual for user %s: %s", owner.pk, error)
        return []
    return [
        BehindPlanLine(
            scenario=scenario.name, source=tracking.name, shortfall=to_cents(tracking.shortfall)
        )
        for scenario, tracking in flagged
    ]


def _independence_now(*, owner: User, today: date) -> date | None:
    try:
        return independence_month(owner=owner, today=today)
    except DomainError as error:
        logger.warning("digest: no independence month for user %s: %s", owner.pk, error)
        return None


def independence_before(*, owner: User, since: datetime) -> tuple[bool, date | None]:
    """The independence month as stored before ``since``: (was there a figure, the month).

    A snapshot's independence month is written while its month is the current one and
    frozen when the month is closed. Every recompute rewrites ``computed_at`` on the
    current month (and on any month whose figures changed), so "computed before
    ``since``" alone would lose the figure after any change during the week; a row
    closed before ``since`` also holds a figure from before it. Of those rows the
    latest month is the most recent figure.
    """
    snapshot = (
        ReportSnapshot.objects.filter(owner=owner)
        .filter(Q(computed_at__lt=since) | Q(closed_at__lt=since))
        .order_by("-month")
        .only("independence_month")
        .first()
    )
    if snapshot is None:
        return False, None
    return True, snapshot.independence_month


def digest_for(*, owner: User, today: date) -> Digest:
    """Everything the digest of the week before ``today``'s week says (reads only).

    Overdue payouts, sources behind plan and the independence month are as of
    ``today`` (the morning the digest goes out), the income is that of the week.
    """
    week = digest_week(today)
    income = _week_income(owner=owner, week=week)
    now = _independence_now(owner=owner, today=today)
    had_before, before = independence_before(owner=owner, since=week.starts_at)
    since = figures.independent_since(
        passive_net_by_month(owner=owner), today=today, monthly_expenses=income.monthly_expenses
    )
    return Digest(
        owner=owner,
        week=week,
        currency=income.currency,
        income=income.lines,
        income_total=sum((line.net for line in income.lines), ZERO),
        passive_total=sum((line.net for line in income.lines if line.passive), ZERO),
        missing_rates=income.missing_rates,
        overdue=_overdue(owner=owner, today=today),
        behind_plan=_behind_plan(owner=owner, today=today),
        independence=IndependenceMove(
            now=now,
            before=before,
            change=independence_change(now=now, before=before, had_before=had_before),
            expenses_set=income.monthly_expenses > 0,
            since=since,
        ),
    )


def digest_recipients() -> QuerySet[User]:
    """Active users who opted in and have an address to send to."""
    return (
        User.objects.filter(is_active=True, profile__weekly_digest=True)
        .exclude(email="")
        .order_by("pk")
    )


# ----------------------------------------------------------------------------- unsubscribe


#: How long an opt-out link works: a quarter of weekly digests, each with a fresh link.
UNSUBSCRIBE_MAX_AGE = timedelta(days=90)


def unsubscribe_token(*, user: User) -> str:
    """A signed, timestamped token naming ``user``, for the opt-out link of a digest.

    It expires after ``UNSUBSCRIBE_MAX_AGE``: a link that leaked from an old mail (a
    forwarded message, a mail archive) stops working, while the newest digest always
    carries a fresh one; after that, the settings page switches the digest off.
    """
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object(user.pk)


def unsubscribe_url(*, user: User) -> str:
    """The absolute opt-out link (mail clients need the host: ``SITE_URL``)."""
    path = reverse("digest_unsubscribe", kwargs={"token": unsubscribe_token(user=user)})
    return f"{settings.SITE_URL}{path}"


def user_for_unsubscribe_token(*, token: str) -> User | None:
    """The user a token names, or None for a token not signed by us or too old."""
    try:
        pk = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign_object(
            token, max_age=UNSUBSCRIBE_MAX_AGE
        )
    except (signing.BadSignature, ValueError):  # expired; no timestamp (an old kind of link)
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk).first()
