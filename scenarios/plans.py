"""Turn a saved scenario and a user's sources into the pure engine's inputs.

Reads only. Amounts of a source in another currency are converted into the user's
base currency at the latest ECB rate (a projection looks forward, so today's rate is
the best guess); a source whose currency has no rate is left out and named in
``missing_rates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.contrib.auth.models import User

from finance.money import RateBook
from finance.tax.facts import FilingStatus, FundType, TaxYearFacts
from finance.tax.projection import (
    PROFIT,
    TaxBase,
    capital_bases,
    capital_income_rate,
    rental_base,
)
from income.models import CalculationModel, IncomeSource, Profile, TaxTreatment
from income.selectors import exchange_rates
from income.services.users import profile_get_or_create
from income.tax_facts import basiszins_latest, tax_year_facts_latest
from income.tax_report.inputs import CAPITAL_TREATMENTS, EUR
from income.tax_report.rental import building_of
from scenarios.models import Scenario, TaxTiming
from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    Plan,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)
from scenarios.projection.sources import yearly_gross
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


def _states_own_rate(source: IncomeSource) -> bool:
    """Whether ``source`` states its own flat rate: a tax rate of its own, or the tax
    profile that only names one (``TaxProfile.is_flat_rate``)."""
    return source.tax_rate is not None or (
        source.tax_profile is not None and source.tax_profile.is_flat_rate
    )


def source_models(*, owner: User, sources: list[IncomeSource], today: date) -> SourceInputs:
    """Each source as the engine's model of its kind, in the base currency."""
    profile = profile_get_or_create(user=owner)
    return source_models_of(
        profile=profile,
        sources=sources,
        rates=rates_of(profile, sources, today),
        today=today,
        facts=projection_facts(today=today),
    )


def rates_of(profile: Profile, sources: list[IncomeSource], today: date) -> RateBook:
    """The rates a forward look at ``sources`` converts with: theirs and the base's (the
    German rules apply with a base currency of euros only, so no other is needed)."""
    currencies = {source.currency for source in sources} | {profile.base_currency}
    return RateBook(exchange_rates(currencies=currencies, as_of=today))


def projection_facts(*, today: date) -> TaxYearFacts | None:
    """The tax facts a forward look assumes for the years ahead: the latest year's up to
    ``today``'s (the BMF publishes each year's Basiszins in its January); None when an
    administrator has entered none, and the sources then keep their flat rates."""
    return tax_year_facts_latest(up_to=today.year)


#: The amounts of a source that ``source_models_of`` converts into the base currency.
CONVERTED_FIELDS = (
    "invested_capital", "monthly_rent", "monthly_running_costs", "price_per_subscriber",
    "expected_monthly_amount", "monthly_costs",
)  # fmt: skip
#: What else it reads of a source, besides its category's model and tax treatment and its
#: flat tax rule (``_tax_rate``): the German tax year's inputs are the last six.
MODEL_FIELDS = (
    "pk", "name", "currency", "start_date", "end_date", "expected_yield", "reinvest",
    "vacancy_rate", "management_fee_rate", "current_subscribers", "new_subscribers_per_month",
    "monthly_churn_rate", "annual_growth_rate",
    "tax_profile_id", "fund_type", "purchase_price", "acquired_on", "building_share",
    "completion_year",
)  # fmt: skip
_READ = attrgetter(*CONVERTED_FIELDS, *MODEL_FIELDS)


def facts_key(facts: TaxYearFacts | None) -> tuple[object, ...]:
    """What of ``facts`` the tax bases are built from (a key's part: it moves with them)."""
    if facts is None:
        return ()
    return (
        facts.year, facts.saver_allowance_single, facts.saver_allowance_joint,
        facts.capital_gains_tax_rate, facts.solidarity_rate,
        tuple(sorted(facts.partial_exemption.items())),
    )  # fmt: skip


def source_models_key(
    *,
    profile: Profile,
    sources: Sequence[IncomeSource],
    rates: RateBook,
    today: date,
    facts: TaxYearFacts | None,
) -> tuple[object, ...]:
    """What ``source_models_of`` builds its models from, without building them.

    Equal parts, equal models: the same amounts and terms of each source, its model
    kind, tax treatment and flat tax rate, the person's tax situation and the tax facts,
    and the rates of ``today`` its amounts are converted at (a source without one is
    left out the same way). The report recompute asks for the key of every user's
    independence question every day and projects anew only when it moved: building the
    models and writing them out to hash them took 7 % of a day's recompute (issue 21).
    """
    base = profile.base_currency
    return (
        base,
        profile.filing_status,
        profile.church_tax_rate,
        profile.marginal_tax_rate,
        facts_key(facts),
        *(
            (
                _READ(source),
                source.category.model,
                source.category.tax_treatment,
                _tax_rate(source, profile),
                _states_own_rate(source),
                None if source.currency == base else rates.pair(source.currency, base, today),
            )
            for source in sources
        ),
    )


def _model(
    source: IncomeSource, value: dict[str, Decimal], tax: Decimal, base: TaxBase
) -> SourceModel:
    """The engine's model of ``source``, its amounts ``value`` in the base currency."""
    # The source's own dates bound every projection of it (``source_monthly_net``).
    starts, ends = source.start_date, source.end_date
    kind = source.category.model
    if kind == CalculationModel.CAPITAL:
        return CapitalSource(
            name=source.name, capital=value["invested_capital"],
            annual_yield=source.expected_yield, reinvest=source.reinvest, tax_rate=tax,
            monthly_costs=value["monthly_costs"], starts=starts, ends=ends, tax_base=base,
        )  # fmt: skip
    if kind == CalculationModel.RENTAL:
        return RentalSource(
            name=source.name, monthly_rent=value["monthly_rent"],
            vacancy_rate=source.vacancy_rate, management_fee_rate=source.management_fee_rate,
            monthly_running_costs=value["monthly_running_costs"],
            monthly_costs=value["monthly_costs"], tax_rate=tax, starts=starts, ends=ends,
            tax_base=base,
        )  # fmt: skip
    if kind == CalculationModel.SUBSCRIPTION:
        return SubscriptionSource(
            name=source.name, subscribers=Decimal(source.current_subscribers),
            price=value["price_per_subscriber"],
            new_per_month=Decimal(source.new_subscribers_per_month),
            churn_rate=source.monthly_churn_rate, monthly_costs=value["monthly_costs"],
            tax_rate=tax, starts=starts, ends=ends, tax_base=base,
        )  # fmt: skip
    return FlatSource(
        name=source.name, monthly_amount=value["expected_monthly_amount"],
        annual_growth=source.annual_growth_rate, monthly_costs=value["monthly_costs"],
        tax_rate=tax, starts=starts, ends=ends, tax_base=base,
    )  # fmt: skip


class _GermanTax:
    """Each source's rate and ``TaxBase`` as the yearly tax report computes its tax
    (issue 22 item 5; the rules in ``finance.tax.projection``), where they apply:

    - a source with its own tax rate keeps it (``_states_own_rate``): the person said
      how it is taxed (a foreign property, say). A German tax profile on a source names
      the rule the report applies anyway, by the person's own church tax and the
      source's fund type, so it does not keep its rate;
    - so does every source when no year has tax facts yet, or the base currency is not
      the euro (the German rules are written in euros);
    - else by its category's tax treatment: capital income at the Abgeltungsteuer with
      church tax, its fund type's partial exemption and a share of the saver's allowance;
      rent and business income at the profile's marginal rate (kept flat while none is
      stated), rent less the building's depreciation; income not taxed here at 0;
      employment keeps its flat rate (it is no passive source).
    """

    def __init__(
        self,
        *,
        profile: Profile,
        facts: TaxYearFacts | None,
        models: list[tuple[IncomeSource, SourceModel]],
        rates: RateBook,
        today: date,
    ) -> None:
        self._profile, self._rates, self._today = profile, rates, today
        self._facts = facts if profile.base_currency == EUR else None
        self._capital: dict[str, TaxBase] = {}
        if self._facts is not None:
            capital = [
                (source, model)
                for source, model in models
                if self._german(source) and source.category.tax_treatment in CAPITAL_TREATMENTS
            ]
            self._capital = capital_bases(
                expected={str(source.pk): yearly_gross(model) for source, model in capital},
                fund_types={
                    str(source.pk): FundType(source.fund_type) if source.fund_type else None
                    for source, _model in capital
                },
                filing_status=FilingStatus(profile.filing_status),
                facts=self._facts,
            )

    def _german(self, source: IncomeSource) -> bool:
        """Whether the German rules tax ``source`` (else its flat rate)."""
        return self._facts is not None and not _states_own_rate(source)

    def of(self, source: IncomeSource) -> tuple[Decimal, TaxBase]:
        """The rate and tax base of one source."""
        flat = _tax_rate(source, self._profile)
        if self._facts is None or not self._german(source):
            return flat, PROFIT
        treatment = source.category.tax_treatment
        marginal = self._profile.marginal_tax_rate
        if treatment in CAPITAL_TREATMENTS:
            church_rate = self._profile.church_tax_rate
            rate = capital_income_rate(church_rate=church_rate, facts=self._facts)
            return rate, self._capital[str(source.pk)]
        if treatment == TaxTreatment.NONE:
            return ZERO, PROFIT
        if marginal is None:
            return flat, PROFIT
        if treatment == TaxTreatment.BUSINESS:
            return Decimal(marginal), PROFIT
        if treatment == TaxTreatment.RENT:
            building, _missing = building_of(source, book=self._rates)
            return Decimal(marginal), rental_base(building=building, year=self._today.year)
        return flat, PROFIT


def source_models_of(
    *,
    profile: Profile,
    sources: list[IncomeSource],
    rates: RateBook,
    today: date,
    facts: TaxYearFacts | None,
) -> SourceInputs:
    """``source_models`` from loaded rows (no queries): ``rates`` must hold every rate up
    to ``today`` of the sources' currencies and the base currency, and
    ``facts`` are ``projection_facts``' (None: every source at its flat rate)."""
    base = profile.base_currency
    built: list[tuple[IncomeSource, SourceModel]] = []
    missing: set[str] = set()
    for source in sources:

        def money(amount: Decimal, source: IncomeSource = source) -> Decimal | None:
            return rates.convert(Decimal(amount), currency=source.currency, to=base, day=today)

        amounts = {name: money(getattr(source, name)) for name in CONVERTED_FIELDS}
        if any(value is None for value in amounts.values()):
            missing.add(source.currency)
            continue
        value = {name: amount or ZERO for name, amount in amounts.items()}
        built.append((source, _model(source, value, _tax_rate(source, profile), PROFIT)))
    german = _GermanTax(profile=profile, facts=facts, models=built, rates=rates, today=today)
    models: list[tuple[SourceModel, SourceTags]] = []
    for source, model in built:
        tax_rate, tax_base = german.of(source)
        tags = SourceTags(
            p2p=source.category.slug in P2P_SLUGS,
            ads_or_affiliate=source.category.slug in ADS_SLUGS,
            foreign_currency=source.currency != base,
        )
        models.append((replace(model, tax_rate=tax_rate, tax_base=tax_base), tags))
    return SourceInputs(
        models=models,
        missing_rates=sorted(missing),
        source_ids=[source.pk for source, _model in built],
    )


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
