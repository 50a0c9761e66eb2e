"""Turn a saved scenario and a user's sources into the pure engine's inputs.

Reads only. Amounts of a source in another currency are converted into the user's
base currency at the latest ECB rate (a projection looks forward, so today's rate is
the best guess); a source whose currency has no rate is left out and named in
``missing_rates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.contrib.auth.models import User

from finance.money import RateBook
from income.models import CalculationModel, IncomeSource, Profile
from income.selectors import exchange_rates
from income.services.users import profile_get_or_create
from income.tax_facts import basiszins_latest
from scenarios.models import Scenario, TaxTiming
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    Plan,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.stress import SourceTags

ZERO = Decimal(0)
P2P_SLUGS = {"p2p-interest"}
ADS_SLUGS = {"affiliate", "advertising"}


@dataclass(frozen=True)
class SourceInputs:
    models: list[tuple[SourceModel, SourceTags]]
    missing_rates: list[str]
    source_ids: list[int]  # the IncomeSource of each entry of ``models``, in order


def _tax_rate(source: IncomeSource, profile: Profile) -> Decimal:
    if source.tax_rate is not None:
        return Decimal(source.tax_rate)
    tax_profile = source.tax_profile or profile.default_tax_profile
    return Decimal(tax_profile.rate) if tax_profile else ZERO


def source_models(*, owner: User, sources: list[IncomeSource], today: date) -> SourceInputs:
    """Each source as the engine's model of its kind, in the base currency."""
    profile = profile_get_or_create(user=owner)
    return source_models_of(
        profile=profile, sources=sources, rates=rates_of(profile, sources, today), today=today
    )


def rates_of(profile: Profile, sources: list[IncomeSource], today: date) -> RateBook:
    """The rates a forward look at ``sources`` converts with: theirs and the base's."""
    currencies = {source.currency for source in sources} | {profile.base_currency}
    return RateBook(exchange_rates(currencies=currencies, as_of=today))


#: The amounts of a source that ``source_models_of`` converts into the base currency.
CONVERTED_FIELDS = (
    "invested_capital", "monthly_rent", "monthly_running_costs", "price_per_subscriber",
    "expected_monthly_amount", "monthly_costs",
)  # fmt: skip
#: What else it reads of a source, besides its category's model and its tax rule.
MODEL_FIELDS = (
    "pk", "name", "currency", "start_date", "end_date", "expected_yield", "reinvest",
    "vacancy_rate", "management_fee_rate", "current_subscribers", "new_subscribers_per_month",
    "monthly_churn_rate", "annual_growth_rate",
)  # fmt: skip
_READ = attrgetter(*CONVERTED_FIELDS, *MODEL_FIELDS)


def source_models_key(
    *, profile: Profile, sources: Sequence[IncomeSource], rates: RateBook, today: date
) -> tuple[object, ...]:
    """What ``source_models_of`` builds its models from, without building them.

    Equal parts, equal models: the same amounts and terms of each source, its model
    kind and tax rate, and the rates of ``today`` its amounts are converted at (a
    source without one is left out the same way). The report recompute asks for the
    key of every user's independence question every day and projects anew only when
    it moved: building the models and writing them out to hash them took 7 % of a
    day's recompute (issue 21).
    """
    base = profile.base_currency
    return (
        base,
        *(
            (
                _READ(source),
                source.category.model,
                _tax_rate(source, profile),
                None if source.currency == base else rates.pair(source.currency, base, today),
            )
            for source in sources
        ),
    )


def source_models_of(
    *, profile: Profile, sources: list[IncomeSource], rates: RateBook, today: date
) -> SourceInputs:
    """``source_models`` from loaded rows (no queries): ``rates`` must hold every rate up
    to ``today`` of the sources' currencies and the base currency."""
    base = profile.base_currency
    models: list[tuple[SourceModel, SourceTags]] = []
    source_ids: list[int] = []
    missing: set[str] = set()
    for source in sources:

        def money(amount: Decimal, source: IncomeSource = source) -> Decimal | None:
            return rates.convert(Decimal(amount), currency=source.currency, to=base, day=today)

        amounts = {name: money(getattr(source, name)) for name in CONVERTED_FIELDS}
        if any(value is None for value in amounts.values()):
            missing.add(source.currency)
            continue
        value = {name: amount or ZERO for name, amount in amounts.items()}
        tax = _tax_rate(source, profile)
        # The source's own dates bound every projection of it (``source_monthly_net``).
        starts, ends = source.start_date, source.end_date
        kind = source.category.model
        model: SourceModel
        if kind == CalculationModel.CAPITAL:
            model = CapitalSource(
                name=source.name, capital=value["invested_capital"],
                annual_yield=source.expected_yield, reinvest=source.reinvest, tax_rate=tax,
                monthly_costs=value["monthly_costs"], starts=starts, ends=ends,
            )  # fmt: skip
        elif kind == CalculationModel.RENTAL:
            model = RentalSource(
                name=source.name, monthly_rent=value["monthly_rent"],
                vacancy_rate=source.vacancy_rate, management_fee_rate=source.management_fee_rate,
                monthly_running_costs=value["monthly_running_costs"],
                monthly_costs=value["monthly_costs"], tax_rate=tax, starts=starts, ends=ends,
            )  # fmt: skip
        elif kind == CalculationModel.SUBSCRIPTION:
            model = SubscriptionSource(
                name=source.name, subscribers=Decimal(source.current_subscribers),
                price=value["price_per_subscriber"],
                new_per_month=Decimal(source.new_subscribers_per_month),
                churn_rate=source.monthly_churn_rate, monthly_costs=value["monthly_costs"],
                tax_rate=tax, starts=starts, ends=ends,
            )  # fmt: skip
        else:
            model = FlatSource(
                name=source.name, monthly_amount=value["expected_monthly_amount"],
                annual_growth=source.annual_growth_rate, monthly_costs=value["monthly_costs"],
                tax_rate=tax, starts=starts, ends=ends,
            )  # fmt: skip
        tags = SourceTags(
            p2p=source.category.slug in P2P_SLUGS,
            ads_or_affiliate=source.category.slug in ADS_SLUGS,
            foreign_currency=source.currency != base,
        )
        models.append((model, tags))
        source_ids.append(source.pk)
    return SourceInputs(models=models, missing_rates=sorted(missing), source_ids=source_ids)


def scenario_plan(*, scenario: Scenario, profile: Profile, today: date) -> Plan:
    """The scenario's inputs with its tax rule resolved: own rate, else its profile's."""
    tax_profile = scenario.tax_profile
    if scenario.tax_rate is not None:
        rate = Decimal(scenario.tax_rate)
    elif tax_profile is not None:
        rate = Decimal(tax_profile.rate)
    else:
        rate = ZERO
    return Plan(
        start=today.replace(day=1),
        horizon_years=scenario.horizon_years,
        starting_capital=scenario.starting_capital,
        monthly_contribution=scenario.monthly_contribution,
        annual_return=scenario.annual_return,
        compounding=scenario.compounding,
        payout=scenario.payout,
        tax_rate=rate,
        yearly_allowance=tax_profile.yearly_allowance if tax_profile else ZERO,
        partial_exemption=tax_profile.partial_exemption if tax_profile else ZERO,
        inflation=scenario.inflation,
        additional_yearly_income=scenario.additional_yearly_income,
        target_monthly_income=scenario.target_monthly_income,
        monthly_expenses=profile.monthly_expenses,
        volatility=scenario.volatility,
        tax_timing=scenario.tax_timing,
        one_off_income=scenario.one_off_income,
        basiszins=_basiszins(today) if scenario.tax_timing == TaxTiming.FUND else ZERO,
    )


def _basiszins(today: date) -> Decimal:
    """The Basiszins a fund plan assumes for every year: that of the latest tax year with
    facts up to ``today`` (admin content, ``income.models.TaxYear``); 0 when there is none,
    as no Vorabpauschale can be computed without it. Read only for such a plan."""
    rate = basiszins_latest(up_to=today.year)
    return ZERO if rate is None else rate
