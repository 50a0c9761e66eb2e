"""The household's income: each shared source's figures as its owner's pages show
them, and the household's totals (reads only).

Each member's figures are computed in that member's base currency, by the code that
computes their own dashboard (``income.reporting.overview``), so a shared source shows
the same numbers to everyone. Totals are added per currency: two members who keep
their books in euros get one total; a member in francs gets a line of their own rather
than a conversion at a rate the household did not choose.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from finance import figures
from finance.schedule import add_months, month_start
from households.models import Household, ShareRole
from households.selectors import members_of, source_shares_of
from income.models import IncomeSource
from income.reporting import overview

ZERO = Decimal(0)


@dataclass(frozen=True)
class SharedSourceLine:
    source: IncomeSource
    owner: User
    role: str
    currency: str
    net_ttm: Decimal
    average_month: Decimal
    last_month: Decimal

    @property
    def editable(self) -> bool:
        return self.role == ShareRole.EDIT


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    net_ttm: Decimal
    average_month: Decimal
    last_month: Decimal


@dataclass(frozen=True)
class HouseholdFigures:
    household: Household
    lines: list[SharedSourceLine]
    totals: list[CurrencyTotal]
    last_month: date


def household_figures(*, household: Household, today: date) -> HouseholdFigures:
    """The shared sources of ``household`` with their trailing-twelve-months net, its
    average month and the last complete month's net, and the totals per currency."""
    shares = {share.source_id: share for share in source_shares_of(household=household)}
    last = add_months(month_start(today), -1)
    lines = []
    for membership in members_of(household=household):
        owner = membership.user
        if not any(share.source.owner_id == owner.pk for share in shares.values()):
            continue
        view = overview(owner=owner, as_of=today, months=1)
        for item in view.sources:
            share = shares.get(item.source.pk)
            if share is None:
                continue
            lines.append(
                SharedSourceLine(
                    source=item.source,
                    owner=owner,
                    role=share.role,
                    currency=view.currency,
                    net_ttm=item.net_ttm,
                    average_month=figures.complete_months_average(item.monthly_net, today=today),
                    last_month=item.monthly_net.get(last, ZERO),
                )
            )
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for line in lines:
        total = sums[line.currency]
        total[0] += line.net_ttm
        total[1] += line.average_month
        total[2] += line.last_month
    return HouseholdFigures(
        household=household,
        lines=sorted(lines, key=lambda line: (line.source.name.lower(), line.source.pk)),
        totals=[CurrencyTotal(c, *sums[c]) for c in sorted(sums)],
        last_month=last,
    )
