"""The demo account's plans (``seed_demo``): a savings plan and one built on its sources.

Here, not in ``income.demo``: ``income`` must not import ``scenarios`` (the dependency
points ``reports → scenarios → income``), so the demo's sources are made below and its
scenarios up here, by the same command.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from income.models import TaxProfile
from income.selectors import source_list
from scenarios import services
from scenarios.models import Scenario

D = Decimal


@dataclass(frozen=True)
class DemoScenarios:
    savings: Scenario
    sources: Scenario

    @property
    def ids(self) -> list[int]:
        return [self.savings.pk, self.sources.pk]


@transaction.atomic
def demo_scenarios_create(*, user: User) -> DemoScenarios:
    """Two plans to compare: saving 500 a month into an ETF portfolio, and the same savings
    on top of the user's passive sources, each projected with its own model.

    The linked plan takes every passive source (freelance work is active income and would
    flatter the plan); its target is the demo's monthly expenses, so the independence
    month shows on the first look.
    """
    tax = TaxProfile.objects.get(slug="de-capital-gains")
    common: dict[str, Any] = {
        "starting_capital": D("10000"),
        "monthly_contribution": D("500"),
        "annual_return": D("0.05"),
        "inflation": D("0.02"),
        "horizon_years": 15,
        "tax_profile": tax,
        "volatility": D("0.15"),
    }
    savings = services.scenario_create(
        owner=user,
        name="Savings plan: 500 a month",
        description="An ETF savings plan alone: 10,000 to start, 500 every month, 5 % a year.",
        target_monthly_income=D("1000"),
        **common,
    )
    passive = [source for source in source_list(owner=user) if source.category.is_passive]
    sources = services.scenario_create(
        owner=user,
        name="Savings plan and my sources",
        description="The same savings plan on top of the passive sources, each projected "
        "with its own model: when do they cover the monthly expenses?",
        target_monthly_income=D("2400"),
        payout=True,
        sources=passive,
        **common,
    )
    return DemoScenarios(savings=savings, sources=sources)
