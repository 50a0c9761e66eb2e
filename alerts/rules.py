"""What the rules find in one user's figures today (reads only; ``alerts.services``
raises the events).

Every condition is the one the pages show, computed by the code that computes it
there, so an alert never disagrees with the page it links to:

- an overdue payout is the income calendar's ``overdue`` month (§3: expected, the
  month has passed, nothing arrived), told ``days`` days after that month ended;
- a source behind plan is ``flagged_for``'s (three months 20 % behind), as the
  scenario page and the digest flag it;
- independence is "independent since …" of the dashboard (``figures.independent_since``
  over the stored months' passive net);
- a scenario's target is reached by the same rule with the target in place of the
  expenses: the twelve complete months before today cover twelve times the target.

Reached-or-lost conditions are ``Observation``s: the service compares them with the
state it saw last and raises an event only on a change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from finance import figures
from finance.errors import DomainError
from finance.schedule import add_months
from income.calendar import calendar_page
from income.formatting import format_money
from income.models import Profile
from scenarios.models import Scenario
from scenarios.plan_actual import flagged_for

logger = logging.getLogger(__name__)

#: An overdue payout is told when its days of grace end, or on a later run within this
#: many days (a worker that was down a few days still tells it, once); older ones are
#: past news and are not dug up when the rule is first switched on.
FRESH_DAYS = 31


@dataclass(frozen=True)
class Finding:
    """One event to raise, once per ``key``."""

    kind: str
    key: str
    title: str
    message: str
    link: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Observation:
    """Something that is reached or not; ``on_text``/``off_text`` are (title, message)
    for the event of a change to on and to off."""

    kind: str
    subject: str
    on: bool
    on_text: tuple[str, str]
    off_text: tuple[str, str]
    link: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _url(name: str, *args: object) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _month(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def overdue_findings(*, owner: User, today: date, days: int) -> list[Finding]:
    """Payouts overdue for ``days`` days after their month, told within ``FRESH_DAYS``."""
    page = calendar_page(owner=owner, today=today)
    found = []
    for source, cells in page.rows:
        for cell in cells:
            entry = cell.entry
            if entry.status != "overdue":
                continue
            due = add_months(entry.month, 1) + timedelta(days=days)
            if not due <= today < due + timedelta(days=FRESH_DAYS):
                continue
            month = _month(entry.month)
            expected = (
                _("About %(amount)s was expected.")
                % {"amount": format_money(cell.expected_amount, page.currency)}
                if cell.expected_amount
                else ""
            )
            message = _("The payout of %(source)s expected in %(month)s has not arrived.") % {
                "source": source.name,
                "month": month,
            }
            found.append(
                Finding(
                    kind="overdue",
                    key=f"overdue:{source.pk}:{entry.month:%Y-%m}",
                    title=_("Payout overdue: %(source)s") % {"source": source.name},
                    message=f"{message} {expected}".strip(),
                    link=_url("source_detail", source.pk),
                    data={
                        "source_id": source.pk,
                        "source": source.name,
                        "month": entry.month.strftime("%Y-%m"),
                        "expected_amount": (
                            str(cell.expected_amount) if cell.expected_amount else None
                        ),
                        "currency": page.currency,
                    },
                )
            )
    return found


def behind_plan_observations(*, owner: User, today: date) -> list[Observation]:
    """Every (scenario, source) ``flagged_for`` tracks now, on when it is behind.

    Only the flagged pairs are known by name; a pair seen before and not flagged now
    turns off in the service (it compares with the stored states of this kind).
    """
    try:
        flagged = flagged_for(owner=owner, today=today)
    except DomainError as error:  # a source outside the projection's bounds
        logger.warning("alerts: no plan vs actual for user %s: %s", owner.pk, error)
        return []
    found = []
    for scenario, tracking in flagged:
        names = {"source": tracking.name, "scenario": scenario.name}
        found.append(
            Observation(
                kind="behind_plan",
                subject=f"behind_plan:{scenario.pk}:{tracking.name}"[:120],
                on=True,
                on_text=(
                    _("Behind plan: %(source)s") % names,
                    _("%(source)s has been more than 20 %% behind the plan of %(scenario)s "
                      "for three months.") % names,
                ),
                off_text=(
                    _("Back on plan: %(source)s") % names,
                    _("%(source)s is no longer behind the plan of %(scenario)s.") % names,
                ),
                link=_url("scenario_detail", scenario.pk),
                data={"scenario_id": scenario.pk, "scenario": scenario.name,
                      "source": tracking.name},
            )
        )  # fmt: skip
    return found


def _covered(monthly: dict[date, Decimal], *, today: date, amount: Decimal) -> bool:
    return figures.independent_since(monthly, today=today, monthly_expenses=amount) is not None


def target_observations(
    *, owner: User, profile: Profile, today: date, monthly: dict[date, Decimal]
) -> list[Observation]:
    """Each scenario with a target: reached when the last twelve complete months' passive
    net covers twelve times it (the independence rule with the target as the amount)."""
    currency = profile.base_currency
    found = []
    for scenario in Scenario.objects.filter(owner=owner, target_monthly_income__gt=0):
        names = {
            "scenario": scenario.name,
            "target": format_money(scenario.target_monthly_income, currency),
        }
        found.append(
            Observation(
                kind="target",
                subject=f"target:{scenario.pk}",
                on=_covered(monthly, today=today, amount=scenario.target_monthly_income),
                on_text=(
                    _("Target reached: %(scenario)s") % names,
                    _("Your passive income covers the target of %(scenario)s, %(target)s a "
                      "month, over the last twelve complete months.") % names,
                ),
                off_text=(
                    _("Target lost: %(scenario)s") % names,
                    _("Your passive income no longer covers the target of %(scenario)s, "
                      "%(target)s a month.") % names,
                ),
                link=_url("scenario_detail", scenario.pk),
                data={"scenario_id": scenario.pk, "scenario": scenario.name,
                      "target": str(scenario.target_monthly_income), "currency": currency},
            )
        )  # fmt: skip
    return found


def independence_observation(
    *, profile: Profile, today: date, monthly: dict[date, Decimal]
) -> Observation | None:
    """Independence as the dashboard says it; None without monthly expenses to cover."""
    if profile.monthly_expenses <= 0:
        return None
    since = figures.independent_since(
        monthly, today=today, monthly_expenses=profile.monthly_expenses
    )
    expenses = format_money(profile.monthly_expenses, profile.base_currency)
    return Observation(
        kind="independence",
        subject="independence",
        on=since is not None,
        on_text=(
            _("Independence reached"),
            _("Your passive income covers your expenses of %(expenses)s a month.")
            % {"expenses": expenses},
        ),
        off_text=(
            _("Independence lost"),
            _("Your passive income no longer covers your expenses of %(expenses)s a month.")
            % {"expenses": expenses},
        ),
        link=_url("dashboard"),
        data={"monthly_expenses": str(profile.monthly_expenses),
              "currency": profile.base_currency},
    )  # fmt: skip
